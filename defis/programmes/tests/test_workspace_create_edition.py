"""A new edition starts from a template or from a copy of a past edition, with its phases moved to the new year."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.audit.models import Event
from defis.notifications.models import MessageKind, MessageTemplate
from defis.programmes import selectors, services
from defis.programmes.errors import SlugTaken
from defis.programmes.models import Edition, Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory
from defis.programmes.tests.test_workspace_support import *  # noqa: F403
from defis.programmes.tests.test_workspace_support import paris

pytestmark = pytest.mark.django_db


def test_create_edition_from_commando_2020_copies_its_configuration(commando_2020: Edition, team: User) -> None:
    MessageTemplate.objects.create(
        edition=commando_2020,
        kind=MessageKind.DEADLINE_REMINDER,
        language="fr",
        subject="Relance {{ edition }}",
        body="Bonjour {{ person }}",
    )

    edition = services.create_edition(
        actor=team,
        source=commando_2020,
        name="Commando UX 2026",
        slug="commando-ux-2026",
        year=2026,
        at=paris(2026, 1, 5),
    )

    assert (edition.is_published, edition.is_historical, edition.is_template) == (False, False, False)
    assert edition.programme == commando_2020.programme
    for name in services.SECTIONS["rules"] + services.SECTIONS["offer"] + services.SECTIONS["texts"]:
        assert getattr(edition, name) == getattr(commando_2020, name), name
    assert [(q.position, q.label, q.kind, q.required, q.choices) for q in edition.questions.order_by("position")] == [
        (q.position, q.label, q.kind, q.required, q.choices) for q in commando_2020.questions.order_by("position")
    ]
    assert [f.question for f in edition.faq_entries.all()] == ["Qui peut proposer un défi ?"]
    assert [(c.label, c.weight, c.scale_max) for c in edition.interview_criteria.all()] == [
        ("Expérience en recherche utilisateur", 2, 4)
    ]
    assert list(edition.message_templates.values_list("subject", flat=True)) == ["Relance {{ edition }}"]
    event = Event.objects.get(action="edition.created")
    assert (event.actor, event.target_id, event.data["source"], event.data["years_shifted"]) == (
        team,
        str(edition.pk),
        "commando-ux-2020",
        6,
    )


def test_create_edition_moves_each_phase_to_the_same_paris_time_in_the_new_year(
    commando_2020: Edition, team: User
) -> None:
    edition = services.create_edition(
        actor=team,
        source=commando_2020,
        name="Commando UX 2026",
        slug="commando-ux-2026",
        year=2026,
        at=paris(2026, 1, 5),
    )

    phases = {phase.kind: (phase.opens_at, phase.closes_at, phase.precision) for phase in edition.phases.all()}
    assert phases == {
        Phase.Kind.CALL_FOR_DEFIS: (paris(2026, 6, 8), paris(2026, 6, 19, 23, 59), Phase.Precision.MINUTE),
        Phase.Kind.SELECTION: (paris(2026, 6, 22), paris(2026, 6, 26, 23, 59), Phase.Precision.DAY),
        Phase.Kind.CALL_FOR_APPLICATIONS: (paris(2026, 6, 29), paris(2026, 7, 17, 23, 59), Phase.Precision.DAY),
        Phase.Kind.RECRUITMENT: (paris(2026, 7, 20), paris(2026, 7, 31, 23, 59), Phase.Precision.DAY),
        Phase.Kind.PROMOTION: (paris(2026, 9, 7), paris(2026, 12, 31, 23, 59), Phase.Precision.DAY),
    }
    # 19 June 2026 23:59 in Paris is 21:59 UTC (summer time): the deadline is midnight, Paris.
    assert edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS).deadline == datetime.fromisoformat(
        "2026-06-19T22:00:00+00:00"
    )


def test_shift_to_year_turns_29_february_into_the_28th() -> None:
    assert services.shift_to_year(paris(2024, 2, 29, 17, 0), 1) == paris(2025, 2, 28, 17, 0)


def test_create_edition_refuses_a_code_already_used(commando_2020: Edition, team: User) -> None:
    with pytest.raises(SlugTaken):
        services.create_edition(actor=team, source=commando_2020, name="Copie", slug="commando-ux-2020", year=2026)


def test_create_page_offers_templates_then_other_editions(team_client: Client, commando_2020: Edition) -> None:
    EditionFactory(name="Commando UX 2026 (brouillon)", slug="brouillon", is_published=False)

    response = team_client.get(reverse("workspace:create"))

    assert response.context["form"].fields["source"].choices == [
        ("Modèles", [(commando_2020.pk, "Commando UX 2020")]),
        ("Autres éditions", [(Edition.objects.get(slug="brouillon").pk, "Commando UX 2026 (brouillon)")]),
    ]


def test_create_page_creates_the_edition_and_opens_its_workspace(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:create"),
        {"source": commando_2020.pk, "name": "Commando UX 2026", "slug": "commando-ux-2026", "year": 2026},
        follow=True,
    )

    edition = Edition.objects.get(slug="commando-ux-2026")
    assert response.redirect_chain == [(reverse("workspace:edition", args=[edition.slug]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "L’édition Commando UX 2026 est créée à partir de Commando UX 2020. Vérifiez chaque rubrique avant de la "
        "publier."
    ]


def test_create_page_shows_a_taken_code_next_to_the_field(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:create"), {"source": commando_2020.pk, "name": "Copie", "slug": "a-surveiller", "year": 2026}
    )

    assert response.context["form"].errors == {"slug": ["Une autre édition utilise déjà ce code."]}
    assert Edition.objects.count() == 1


def test_templates_are_flagged_editions_and_past_editions(team: User) -> None:
    past = EditionFactory(is_historical=True, name="DIG 2019", slug="dig-2019", year=2019)
    flagged = EditionFactory(name="Modèle maison", slug="modele")
    EditionFactory(name="Autre", slug="autre")

    services.set_edition_template(actor=team, edition=flagged, is_template=True)

    assert set(selectors.edition_templates()) == {past, flagged}


@pytest.mark.parametrize("n", [1, 3])
def test_workspace_index_query_count_is_flat(team_client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    for _index in range(n):
        PhaseFactory(edition=EditionFactory())
    with django_assert_num_queries(4):  # session, user, editions, their phases
        response = team_client.get(reverse("workspace:index"))
    assert len(response.context["editions"]) == n
