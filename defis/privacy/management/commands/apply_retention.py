from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from defis.privacy.models import RetentionPolicy
from defis.privacy.services import apply_retention


class Command(BaseCommand):
    help = "Apply the retention policy of every edition (or of one) whose retention period is over."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--edition", help="the code (slug) of one edition")

    def handle(self, *args: Any, **options: Any) -> None:
        policies = RetentionPolicy.objects.select_related("edition").order_by("edition__slug")
        if options["edition"]:
            policies = policies.filter(edition__slug=options["edition"])
            if not policies.exists():
                raise CommandError(f"no retention policy for the edition {options['edition']!r}")
        for policy in policies:
            run = apply_retention(edition=policy.edition)
            if run is None:
                self.stdout.write(f"{policy.edition.slug}: not due")
            else:
                self.stdout.write(f"{policy.edition.slug}: {run.key} {run.report}")
