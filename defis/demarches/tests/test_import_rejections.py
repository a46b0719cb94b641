import csv
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from defis.demarches import errors
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.demarches.services import COLUMNS, import_observatory_file

pytestmark = pytest.mark.django_db

# Démarche 823 as the June 2019 edition gives it.
ROW_823 = dict(
    zip(
        COLUMNS,
        [
            "2019-06",
            "823",
            "Déclaration impôt sur le revenu",
            "Economie Finances",
            "",
            "Direction générale des finances publiques",
            "1",
            "Oui",
            "yes",
            "100",
            "Ouvert",
            "37239908",
            "65%",
            "65",
            "83%",
            "83",
            "",
            "Oui",
            "yes",
            "Oui",
            "yes",
            "Oui",
            "yes",
            "9",
            "9",
            "exact_title",
            "pdf:p5",
        ],
        strict=True,
    )
)


def write_csv(path: Path, rows: Sequence[Mapping[str, str]], header: Sequence[str] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**changes: str) -> dict[str, str]:
    return {**ROW_823, **changes}


def test_bad_rows_are_rejected_with_file_row_and_reason(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "edition.csv",
        [
            row(),  # row 2
            row(demarche_id="abc"),  # row 3
            row(demarche_id="901", volume="beaucoup"),  # row 4
            row(demarche_id="902", title=""),  # row 5
            row(),  # row 6: 823 again
            row(demarche_id="903", edition="2019-10"),  # row 7
            row(demarche_id="904", satisfaction_pct="120"),  # row 8
            row(demarche_id="905", mobile_code="peut-être"),  # row 9
            row(demarche_id="906", title="Demande de bourse"),  # row 10
        ],
    )

    report = import_observatory_file(path=path)

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [rejected.message for rejected in report.rejected] == [
        f"{path}, ligne 3 : le numéro de démarche « abc » n’est pas un entier positif",
        f"{path}, ligne 4 : la colonne volume contient « beaucoup » au lieu d’un entier de 0 à 9223372036854775807",
        f"{path}, ligne 5 : l’intitulé manque",
        f"{path}, ligne 6 : la démarche 823 figure déjà à la ligne 2",
        f"{path}, ligne 7 : l’édition « 2019-10 » diffère de celle du fichier, « 2019-06 »",
        f"{path}, ligne 8 : la colonne satisfaction_pct contient « 120 » au lieu d’un pourcentage de 0 à 100",
        f"{path}, ligne 9 : la colonne mobile_code contient « peut-être », qui n’est pas un code de l’Observatoire",
    ]
    assert set(Demarche.objects.values_list("observatory_id", flat=True)) == {823, 906}


def test_row_with_missing_or_extra_cells_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "edition.csv"
    write_csv(path, [row()])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2019-06,824,Titre court\n")
        handle.write(",".join([*row(demarche_id="825").values(), "en trop"]) + "\n")

    report = import_observatory_file(path=path)

    assert [(r.row, r.reason) for r in report.rejected] == [
        (3, "la ligne a 3 cellules au lieu de 27"),
        (4, "la ligne a 28 cellules au lieu de 27"),
    ]
    assert report.created == 1


def test_empty_numbers_and_published_labels_are_read_as_no_value(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "edition.csv",
        [
            row(volume="", digital_share_pct="n/c", availability_score="-", online_weight="n/a"),
            row(demarche_id="824", volume="10 724 465", digital_share_pct="73,6 %"),
        ],
    )

    report = import_observatory_file(path=path)

    assert report.rejected == []
    values = dict(IndicatorSet.objects.values_list("demarche__observatory_id", "volume"))
    assert values == {823: None, 824: 10_724_465}
    assert str(IndicatorSet.objects.get(demarche__observatory_id=824).digital_share_pct) == "73.6"


def test_a_changed_value_is_reported_as_updated(tmp_path: Path) -> None:
    import_observatory_file(path=write_csv(tmp_path / "v1.csv", [row(), row(demarche_id="824")]))

    report = import_observatory_file(
        path=write_csv(tmp_path / "v2.csv", [row(volume="40000000"), row(demarche_id="824")])
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert IndicatorSet.objects.get(demarche__observatory_id=823).volume == 40_000_000


def test_missing_file_is_refused_and_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"

    with pytest.raises(errors.ObservatoryFileMissing) as error:
        import_observatory_file(path=path)

    assert error.value.message == f"Le fichier {path} n’existe pas."
    assert ObservatoryEdition.objects.count() == 0


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("\n", encoding="utf-8")

    with pytest.raises(errors.ObservatoryFileEmpty) as error:
        import_observatory_file(path=path)

    assert error.value.message == f"Le fichier {path} est vide."


def test_header_without_rows_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "header.csv", [])

    with pytest.raises(errors.ObservatoryFileWithoutRows) as error:
        import_observatory_file(path=path)

    assert error.value.message == f"Le fichier {path} a un en-tête mais aucune démarche."


def test_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "defis.csv", [{"defi_id": "eig-2020-adex", "title": "ADEX"}], header=["defi_id", "title"]
    )

    with pytest.raises(errors.ObservatoryFileWrongFormat) as error:
        import_observatory_file(path=path)

    assert error.value.message.startswith(
        f"Le fichier {path} n’est pas au format de l’Observatoire : il manque à son en-tête les colonnes "
        "edition, demarche_id, ministry, "
    )
    assert (ObservatoryEdition.objects.count(), Demarche.objects.count()) == (0, 0)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "edition.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe")

    with pytest.raises(errors.ObservatoryFileUnreadable) as error:
        import_observatory_file(path=path)

    assert error.value.message == f"Le fichier {path} ne peut pas être lu comme un texte CSV en UTF-8."


def test_file_whose_every_row_is_rejected_imports_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "edition.csv", [row(title=""), row(demarche_id="x")])

    with pytest.raises(errors.ObservatoryFileAllRejected) as error:
        import_observatory_file(path=path)

    assert error.value.rejections == [
        f"{path}, ligne 2 : l’intitulé manque",
        f"{path}, ligne 3 : le numéro de démarche « x » n’est pas un entier positif",
    ]
    assert ObservatoryEdition.objects.count() == 0


def test_command_exits_non_zero_on_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"

    with pytest.raises(CommandError) as error:
        call_command("import_observatory", str(path), stdout=StringIO(), stderr=StringIO())

    assert (str(error.value), error.value.returncode) == (f"Le fichier {path} n’existe pas.", 1)


def test_command_prints_rejections_and_succeeds(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "edition.csv", [row(), row(demarche_id="abc")])
    out, err = StringIO(), StringIO()

    call_command("import_observatory", str(path), stdout=out, stderr=err)

    assert err.getvalue() == f"{path}, ligne 3 : le numéro de démarche « abc » n’est pas un entier positif\n"
    assert out.getvalue() == f"{path}, édition 2019-06 : créées 1, mises à jour 0, inchangées 0, rejetées 1.\n"


def test_command_refuses_a_malformed_date(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "edition.csv", [row()])

    with pytest.raises(CommandError) as error:
        call_command("import_observatory", str(path), "--published-on", "19/06/2019", stdout=StringIO())

    assert str(error.value) == (
        "Error: argument --published-on: « 19/06/2019 » n’est pas une date de la forme AAAA-MM-JJ."
    )
    assert ObservatoryEdition.objects.count() == 0
