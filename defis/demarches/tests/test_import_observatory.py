from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.demarches.selectors import is_in_top250, top250_demarches
from defis.demarches.services import import_observatory_file
from defis.organisations.models import Ministry

OBSERVATOIRE = Path(settings.BASE_DIR) / "data" / "observatoire"
JUNE_2019 = OBSERVATOIRE / "editions" / "2019-06.csv"
SNAPSHOT = OBSERVATOIRE / "snapshots" / "2019-08-06.csv"

pytestmark = pytest.mark.django_db


def test_import_of_june_2019_creates_its_253_demarches() -> None:
    report = import_observatory_file(path=JUNE_2019)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (253, 0, 0, [])
    assert report.edition_created is True
    assert (report.edition.slug, report.edition.label) == ("2019-06", "Juin 2019")
    assert report.edition.source_file == "data/observatoire/editions/2019-06.csv"
    assert Demarche.objects.count() == 253
    assert IndicatorSet.objects.filter(edition=report.edition).count() == 253


def test_import_keeps_the_values_of_demarche_823() -> None:
    edition = import_observatory_file(path=JUNE_2019).edition

    indicators = IndicatorSet.objects.select_related("demarche__ministry").get(
        edition=edition, demarche__observatory_id=823
    )
    assert indicators.demarche.title == "Déclaration impôt sur le revenu"
    assert indicators.demarche.administration == "Direction générale des finances publiques"
    assert indicators.demarche.ministry_label == "Economie Finances"
    assert indicators.demarche.ministry == Ministry.objects.get(slug="economie-finances")
    assert (indicators.online_status_code, indicators.online_weight, indicators.volume) == ("yes", 100, 37_239_908)
    assert (indicators.digital_share_pct, indicators.satisfaction_pct) == (Decimal("65.0"), Decimal("83.0"))
    assert (indicators.franceconnect_code, indicators.mobile_code, indicators.support_quality_code) == (
        "yes",
        "yes",
        "yes",
    )
    assert (indicators.availability_score, indicators.avis_count, indicators.source_ref) == (9, None, "pdf:p5")


def test_import_maps_every_observatory_ministry_label() -> None:
    import_observatory_file(path=JUNE_2019)

    assert Demarche.objects.filter(ministry__isnull=True).count() == 0
    assert Demarche.objects.filter(ministry__slug="interieur").count() == 36


def test_import_of_the_same_file_twice_changes_nothing() -> None:
    import_observatory_file(path=JUNE_2019)
    stamps = dict(IndicatorSet.objects.values_list("pk", "updated_at"))

    report = import_observatory_file(path=JUNE_2019)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 253, [])
    assert report.edition_created is False
    assert dict(IndicatorSet.objects.values_list("pk", "updated_at")) == stamps
    assert (ObservatoryEdition.objects.count(), Demarche.objects.count()) == (1, 253)


def test_import_of_the_snapshot_adds_a_second_edition() -> None:
    import_observatory_file(path=JUNE_2019)

    report = import_observatory_file(path=SNAPSHOT)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (257, 0, 0, [])
    assert report.demarches_created == 4
    assert (report.edition.slug, report.edition.label) == ("snapshot-2019-08-06", "Export du 6 août 2019")
    assert Demarche.objects.count() == 257
    assert set(
        Demarche.objects.exclude(indicator_sets__edition__slug="2019-06").values_list("observatory_id", flat=True)
    ) == {792, 1207, 1264, 1845}
    assert IndicatorSet.objects.get(edition=report.edition, demarche__observatory_id=823).avis_count == 160


def test_import_of_both_files_again_changes_nothing() -> None:
    import_observatory_file(path=JUNE_2019)
    import_observatory_file(path=SNAPSHOT)

    reports = [import_observatory_file(path=JUNE_2019), import_observatory_file(path=SNAPSHOT)]

    assert [(r.created, r.updated, r.unchanged, len(r.rejected)) for r in reports] == [(0, 0, 253, 0), (0, 0, 257, 0)]


def test_an_older_edition_does_not_rewrite_the_title_of_a_newer_one() -> None:
    import_observatory_file(path=SNAPSHOT, published_on=date(2019, 8, 6))

    import_observatory_file(path=JUNE_2019, published_on=date(2019, 6, 19))

    demarche = Demarche.objects.get(observatory_id=823)
    assert demarche.theme == "Démarche particulier"  # the snapshot's, not blanked by June's empty cell
    assert Demarche.objects.get(observatory_id=1891).title.endswith("l’attestation est délivrée par la mairie)")


def test_demarches_823_and_1894_are_in_the_top_250_of_june_2019() -> None:
    june = import_observatory_file(path=JUNE_2019).edition

    assert is_in_top250(demarche=Demarche.objects.get(observatory_id=823), edition=june) is True
    assert is_in_top250(demarche=Demarche.objects.get(observatory_id=1894), edition=june) is True
    assert top250_demarches(edition=june).count() == 253


def test_demarche_1207_is_in_the_snapshot_top_250_only() -> None:
    june = import_observatory_file(path=JUNE_2019).edition
    snapshot = import_observatory_file(path=SNAPSHOT).edition
    demarche = Demarche.objects.get(observatory_id=1207)

    assert is_in_top250(demarche=demarche, edition=june) is False
    assert is_in_top250(demarche=demarche, edition=snapshot) is True
    assert demarche not in top250_demarches(edition=june)


def test_command_reports_counts_in_french() -> None:
    out = StringIO()

    call_command(
        "import_observatory",
        str(JUNE_2019),
        "--edition-label",
        "Édition juin 2019",
        "--published-on",
        "2019-06-19",
        stdout=out,
        stderr=StringIO(),
    )
    call_command("import_observatory", str(JUNE_2019), stdout=out, stderr=StringIO())

    assert out.getvalue().splitlines() == [
        f"{JUNE_2019}, édition 2019-06 : créées 253, mises à jour 0, inchangées 0, rejetées 0.",
        f"{JUNE_2019}, édition 2019-06 : créées 0, mises à jour 0, inchangées 253, rejetées 0.",
    ]
    edition = ObservatoryEdition.objects.get()
    assert (edition.label, edition.published_on) == ("Édition juin 2019", date(2019, 6, 19))
