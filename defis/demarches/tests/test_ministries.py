import csv
from pathlib import Path

import pytest
from django.conf import settings

from defis.organisations.ministries import ministries_for_labels, ministry_for_label, sync_ministries
from defis.organisations.models import Ministry, MinistryLabel

DATA = Path(settings.BASE_DIR) / "data"

pytestmark = pytest.mark.django_db


def labels_used_by_the_sources() -> set[str]:
    def rows(name: str) -> list[dict[str, str]]:
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    labels = {r["ministry"] for r in rows("observatoire/ministries.csv")}
    labels |= {part for r in rows("programmes/organisations.csv") for part in r["parent_ministry"].split(" | ")}
    labels |= {r["ministry"] for r in rows("programmes/defis.csv")}
    return labels - {""}


def test_every_ministry_label_of_the_sources_maps_to_a_ministry() -> None:
    sync_ministries()
    labels = labels_used_by_the_sources()

    unmapped = {label for label in labels if ministry_for_label(label) is None}
    not_listed = labels - set(MinistryLabel.objects.values_list("label", flat=True))

    assert (unmapped, not_listed) == (set(), set())
    assert len(labels) == 36  # 13 observatory labels and 23 of the programme files


def test_sync_loads_the_table_once() -> None:
    first = sync_ministries()
    second = sync_ministries()

    assert (first.ministries_created, first.labels_created) == (15, 54)
    assert (second.ministries_created, second.ministries_updated, second.labels_created, second.labels_updated) == (
        0,
        0,
        0,
        0,
    )
    assert (second.ministries_unchanged, second.labels_unchanged) == (15, 54)
    assert str(second) == (
        "ministères : créés 0, mis à jour 0, inchangés 15 ; libellés : créés 0, mis à jour 0, inchangés 54"
    )


def test_sync_restores_a_label_moved_by_hand() -> None:
    sync_ministries()
    MinistryLabel.objects.filter(label="Economie Finances").update(ministry=Ministry.objects.get(slug="culture"))

    report = sync_ministries()

    assert report.labels_updated == 1
    assert ministry_for_label("Economie Finances") == Ministry.objects.get(slug="economie-finances")


def test_historical_names_of_the_economy_ministry_are_one_ministry() -> None:
    sync_ministries()
    labels = [
        "Economie Finances",
        "Ministère de l'Économie, des Finances et de la Relance",
        "Ministère de l’Économie, des Finances et de la Relance",
        "Ministère de l'Economie",
        "Ministère de l'Action et des comptes publics",
        "Ministère de l’Action et des Comptes Publics",
    ]

    assert {ministry_for_label(label).slug for label in labels} == {"economie-finances"}


def test_observatory_labels_map_to_their_ministries() -> None:
    sync_ministries()

    assert {
        label: ministry_for_label(label).slug
        for label in [
            "Affaires Sociales",
            "Écologie / Cohésion des territoires",
            "Education Nationale / Jeunesse",
            "Premier Ministre",
        ]
    } == {
        "Affaires Sociales": "solidarites-sante",
        "Écologie / Cohésion des territoires": "transition-ecologique",
        "Education Nationale / Jeunesse": "education-nationale",
        "Premier Ministre": "premier-ministre",
    }


def test_label_lookup_ignores_apostrophe_case_and_spaces() -> None:
    sync_ministries()

    assert ministry_for_label("  ministère de l’INTERIEUR ") == Ministry.objects.get(slug="interieur")
    assert ministry_for_label("Ministère de la Marine") is None
    assert ministry_for_label("") is None


def test_co_supervision_gives_both_ministries_in_order() -> None:
    sync_ministries()

    ministries = ministries_for_labels("Ministère des Solidarités et de la Santé | Ministère du Travail")

    assert [m.slug for m in ministries] == ["solidarites-sante", "travail"]
    assert ministries_for_labels("") == []
    assert [m.slug for m in ministries_for_labels("Travail | Ministère du Travail | Inconnu")] == ["travail"]
