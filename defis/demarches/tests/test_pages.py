from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory, ObservatoryEditionFactory

pytestmark = pytest.mark.django_db


def test_list_page_shows_indicators_of_the_latest_edition(client) -> None:
    june = ObservatoryEditionFactory()
    october = ObservatoryEditionFactory(slug="2019-10", label="Octobre 2019", published_on=date(2019, 10, 29))
    demarche = DemarcheFactory(
        observatory_id=823, title="Déclaration impôt sur le revenu", ministry_label="Economie Finances"
    )
    IndicatorSetFactory(edition=june, demarche=demarche, satisfaction_pct=Decimal("83"))
    IndicatorSetFactory(
        edition=october,
        demarche=demarche,
        satisfaction_pct=None,
        satisfaction_label="À venir",
        digital_share_pct=Decimal("83.3"),
        mobile_code="not_applicable",
        mobile="-",
        availability_score=None,
        availability_label="n/c",
        volume=None,
    )

    response = client.get(reverse("demarches:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [d.observatory_id for d in response.context["demarches"]] == [823]
    assert "<title>Démarches en ligne — Défis</title>" in html
    assert html.count("<h1") == 1
    assert "Indicateurs de l’édition Octobre 2019 de l’Observatoire." in html
    row = html[html.index('<th scope="row">') : html.index("</tr>", html.index('<th scope="row">'))]
    cells = [cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:]]
    assert cells == [
        "Economie Finances",
        "Non communiqué",
        "Oui",
        "83,3\xa0%",
        "À venir",
        "Oui",
        "Non applicable",
        "Partiel",
        "Non communiqué",
    ]


def test_list_page_search_is_labelled_and_filters(client) -> None:
    DemarcheFactory(observatory_id=823, title="Déclaration impôt sur le revenu")
    DemarcheFactory(observatory_id=1894, title="Autres demandes concernant l’immatriculation de véhicule")

    response = client.get(reverse("demarches:list"), {"q": "immatriculation"})

    html = response.content.decode()
    assert [d.observatory_id for d in response.context["demarches"]] == [1894]
    assert '<label class="fr-label" for="id_q">Rechercher une démarche</label>' in html
    assert "<title>Démarches en ligne correspondant à « immatriculation » — Défis</title>" in html
    assert '<p id="demarche-count">1 démarche</p>' in html
    assert "Aucune édition de l’Observatoire n’a encore été importée." in html


def test_list_page_says_when_nothing_matches(client) -> None:
    DemarcheFactory(title="Déclaration impôt sur le revenu")

    response = client.get(reverse("demarches:list"), {"q": "chasse"})

    assert list(response.context["demarches"]) == []
    assert "Aucune démarche ne correspond à cette recherche." in response.content.decode()


def test_list_page_is_paginated_by_25_and_keeps_the_search(client) -> None:
    edition = ObservatoryEditionFactory()
    titles = sorted(s.demarche.title for s in IndicatorSetFactory.create_batch(30, edition=edition))

    response = client.get(reverse("demarches:list"), {"q": "test", "page": 2})

    html = response.content.decode()
    assert (response.context["paginator"].count, len(response.context["demarches"])) == (30, 5)
    assert [d.title for d in response.context["demarches"]] == titles[25:]
    assert "<title>Démarches en ligne correspondant à « test », page 2 sur 2 — Défis</title>" in html
    assert "Démarches en ligne et leurs indicateurs dans l’édition Juin 2019, page 2 sur 2" in html
    assert 'href="?q=test&amp;page=1"' in html


def test_list_page_unknown_page_is_404(client) -> None:
    DemarcheFactory()

    response = client.get(reverse("demarches:list"), {"page": 3})

    assert response.status_code == 404
    assert "<h1>Page non trouvée</h1>" in response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_list_page_query_count_is_flat(client, django_assert_num_queries, count: int) -> None:
    edition = ObservatoryEditionFactory()
    IndicatorSetFactory.create_batch(count, edition=edition)

    with django_assert_num_queries(4):  # latest edition, count, page, its indicator sets
        response = client.get(reverse("demarches:list"))

    assert len(response.context["demarches"]) == min(count, 25)


def test_detail_page_shows_every_edition(client) -> None:
    june = ObservatoryEditionFactory()
    snapshot = ObservatoryEditionFactory(
        slug="snapshot-2019-08-06", label="Export du 6 août 2019", published_on=date(2019, 8, 6)
    )
    demarche = DemarcheFactory(
        observatory_id=823,
        title="Déclaration impôt sur le revenu",
        ministry_label="Economie Finances",
        administration="Direction générale des finances publiques",
    )
    IndicatorSetFactory(edition=june, demarche=demarche)
    IndicatorSetFactory(edition=snapshot, demarche=demarche, satisfaction_pct=Decimal("82"), avis_count=160)

    response = client.get(reverse("demarches:detail", kwargs={"observatory_id": 823}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Déclaration impôt sur le revenu — Défis</title>" in html
    assert html.count("<h1") == 1
    assert "Dans le top 250 de l’édition Export du 6 août 2019" in html
    assert [s.edition.slug for s in response.context["history"]] == ["2019-06", "snapshot-2019-08-06"]
    assert '<th scope="row">Juin 2019</th>' in html
    assert '<th scope="row">Export du 6 août 2019</th>' in html
    assert (
        "<caption>Indicateurs de « Déclaration impôt sur le revenu » dans chaque édition de l’Observatoire"
        "</caption>" in html
    )
    breadcrumb = response.context["breadcrumb_data"]
    assert (breadcrumb["current"], breadcrumb["links"]) == (
        "Déclaration impôt sur le revenu",
        [{"url": "/demarches/", "title": "Démarches en ligne"}],
    )


def test_detail_page_of_a_demarche_absent_from_every_edition(client) -> None:
    demarche = DemarcheFactory(observatory_id=1207)

    response = client.get(demarche.get_absolute_url())

    assert list(response.context["history"]) == []
    assert response.context["in_latest_top250"] is False
    assert "Aucune édition de l’Observatoire ne cite cette démarche." in response.content.decode()


def test_detail_page_of_an_unknown_id_is_404(client) -> None:
    DemarcheFactory(observatory_id=823)

    response = client.get(reverse("demarches:detail", kwargs={"observatory_id": 824}))

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page non trouvée — Défis</title>" in html
    assert "<h1>Page non trouvée</h1>" in html
