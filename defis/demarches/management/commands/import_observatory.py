from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from defis.demarches.errors import ObservatoryFileAllRejected, ObservatoryFileError
from defis.demarches.services import import_observatory_file


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ArgumentTypeError(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value}) from error


class Command(BaseCommand):
    help = "Import one observatory file (the format of data/observatoire/editions/2019-06.csv)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="CSV file of the observatory")
        parser.add_argument("--edition-label", help="label of the edition, e.g. 'Juin 2019'")
        parser.add_argument("--published-on", type=_iso_date, help="publication date of the edition, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_observatory_file(
                path=options["path"], edition_label=options["edition_label"], published_on=options["published_on"]
            )
        except ObservatoryFileAllRejected as error:
            for rejection in error.rejections:
                self.stderr.write(rejection)
            raise CommandError(error.message) from error
        except ObservatoryFileError as error:
            raise CommandError(error.message) from error
        for rejected in report.rejected:
            self.stderr.write(rejected.message)
        self.stdout.write(report.summary())
