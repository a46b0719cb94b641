from datetime import date

import pytest

from defis.demarches.selectors import (
    demarches_for_list,
    indicator_history,
    is_in_top250,
    latest_edition,
    top250_demarches,
)
from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory, ObservatoryEditionFactory
from defis.organisations.models import Ministry

pytestmark = pytest.mark.django_db


def test_latest_edition_is_the_last_published() -> None:
    june = ObservatoryEditionFactory(slug="2019-06", published_on=date(2019, 6, 19))
    october = ObservatoryEditionFactory(slug="2019-10", published_on=date(2019, 10, 29))
    ObservatoryEditionFactory(slug="snapshot-2019-08-06", published_on=None)

    assert latest_edition() == october
    october.delete()
    assert latest_edition() == june


def test_latest_edition_is_none_before_any_import() -> None:
    assert latest_edition() is None


def test_top250_is_read_from_the_indicator_sets_of_the_edition() -> None:
    june = ObservatoryEditionFactory()
    other = ObservatoryEditionFactory(slug="2019-10", published_on=date(2019, 10, 29))
    listed = IndicatorSetFactory(edition=june, in_top250=True).demarche
    IndicatorSetFactory(edition=june, in_top250=False)
    IndicatorSetFactory(edition=other, in_top250=True)

    assert list(top250_demarches(edition=june)) == [listed]
    assert is_in_top250(demarche=listed, edition=june) is True
    assert is_in_top250(demarche=listed, edition=other) is False


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {823, 1894, 1207}),
        ("impôt", {823}),
        ("immatriculation véhicule", {1894}),
        ("sécurité routière", {1894}),
        ("Economie", {823}),
        ("Intérieur", {1894, 1207}),
        ("1207", {1207}),
        ("120", set()),
        ("passeport 1207", {1207}),
    ],
)
def test_list_search_matches_title_administration_ministry_and_exact_id(query: str, expected: set[int]) -> None:
    ministry = Ministry.objects.create(slug="interieur", name="Ministère de l’Intérieur")
    DemarcheFactory(
        observatory_id=823,
        title="Déclaration impôt sur le revenu",
        ministry_label="Economie Finances",
        administration="Direction générale des finances publiques",
    )
    DemarcheFactory(
        observatory_id=1894,
        title="Autres demandes concernant l’immatriculation de véhicule",
        ministry=ministry,
        administration="Délégation à la sécurité routière",
    )
    DemarcheFactory(
        observatory_id=1207,
        title="Déclaration de perte de carte nationale d'identité et de passeport",
        ministry=ministry,
        ministry_label="",
        administration="",
    )

    found = demarches_for_list(query=query, edition=None)

    assert {d.observatory_id for d in found} == expected


def test_list_gives_each_demarche_its_indicators_of_the_edition_only() -> None:
    june = ObservatoryEditionFactory()
    october = ObservatoryEditionFactory(slug="2019-10", published_on=date(2019, 10, 29))
    in_both = IndicatorSetFactory(edition=june, volume=100).demarche
    IndicatorSetFactory(edition=october, demarche=in_both, volume=200)
    june_only = IndicatorSetFactory(edition=june).demarche

    found = {d.observatory_id: d.edition_indicators for d in demarches_for_list(query="", edition=october)}

    assert {k: [s.volume for s in v] for k, v in found.items()} == {
        in_both.observatory_id: [200],
        june_only.observatory_id: [],
    }


def test_indicator_history_is_in_publication_order() -> None:
    demarche = DemarcheFactory()
    october = IndicatorSetFactory(
        demarche=demarche, edition=ObservatoryEditionFactory(slug="2019-10", published_on=date(2019, 10, 29))
    )
    june = IndicatorSetFactory(demarche=demarche, edition=ObservatoryEditionFactory())
    IndicatorSetFactory()  # another démarche

    assert list(indicator_history(demarche=demarche)) == [june, october]
