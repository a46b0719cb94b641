"""The "what needs attention" page: phases opening or closing within 7 days, drafts of open calls,
pending membership requests, organisations of unknown kind and e-mails that failed."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from defis.challenges.models import Defi
from defis.challenges.tests.factories import DefiFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory
from defis.programmes.models import Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory
from defis.programmes.tests.test_workspace_support import *  # noqa: F403
from defis.programmes.tests.test_workspace_support import paris

pytestmark = pytest.mark.django_db
NOW = paris(2026, 6, 15, 10, 0)


def _open_call(name: str) -> Phase:
    """A call for challenges open on NOW, closing on 19 June 2026 23:59 (within the week)."""
    edition = EditionFactory(name=name, slug=name.lower().replace(" ", "-"), year=2026)
    return PhaseFactory(edition=edition, opens_at=paris(2026, 6, 8), closes_at=paris(2026, 6, 19, 23, 59))


@time_machine.travel(NOW, tick=False)
def test_attention_lists_what_waits_for_the_team(team_client: Client) -> None:
    call = _open_call("Commando UX 2026")
    PhaseFactory(
        edition=call.edition,
        kind=Phase.Kind.SELECTION,
        opens_at=paris(2026, 6, 22),
        closes_at=paris(2026, 6, 26, 23, 59),
    )
    later = _open_call("Plus tard")
    Phase.objects.filter(pk=later.pk).update(closes_at=paris(2026, 7, 30, 23, 59))
    organisation = OrganisationFactory(name="Direction des impôts")
    DefiFactory(edition=call.edition, organisation=organisation)
    DefiFactory(edition=call.edition, organisation=organisation)
    DefiFactory(edition=call.edition, status=Defi.Status.SUBMITTED)
    pending = MembershipFactory()
    unknown = OrganisationFactory(kind=Organisation.Kind.UNKNOWN, name="Agence inconnue")
    failed = OutboxMessage.objects.create(
        to="a@exemple.gouv.fr", subject="Rappel", body=".", status=OutboxMessage.Status.FAILED, error="refused"
    )
    OutboxMessage.objects.create(to="b@exemple.gouv.fr", subject="Reçu", body=".", status=OutboxMessage.Status.SENT)

    response = team_client.get(reverse("workspace:attention"))

    assert [(e.phase.edition.name, e.phase.kind, e.opens) for e in response.context["events"]] == [
        ("Commando UX 2026", Phase.Kind.CALL_FOR_DEFIS, False),
        ("Commando UX 2026", Phase.Kind.SELECTION, True),
    ]
    assert [(d.edition.name, d.drafts, [o.name for o in d.organisations]) for d in response.context["drafts"]] == [
        ("Commando UX 2026", 2, ["Direction des impôts"])
    ]
    assert response.context["pending_memberships"] == [pending]
    assert response.context["unknown_kind_organisations"] == [unknown]
    assert response.context["failed_messages"] == [failed]
    html = response.content.decode()
    assert "la phase « appel à défis » se ferme le 19 juin 2026 à 23:59" in html
    assert "2 brouillons ne sont pas encore déposés." in html
    assert f'href="{reverse("workspace:extend", args=["commando-ux-2026"])}?organisation={organisation.pk}"' in html


@time_machine.travel(NOW, tick=False)
def test_a_resent_failure_leaves_the_page(team_client: Client) -> None:
    failed = OutboxMessage.objects.create(
        to="a@exemple.gouv.fr", subject="Rappel", body=".", status=OutboxMessage.Status.FAILED
    )

    team_client.post(reverse("workspace:outbox-resend", args=[failed.pk]))

    assert team_client.get(reverse("workspace:attention")).context["failed_messages"] == []


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("n", [1, 10])
def test_attention_query_count_is_flat(team_client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    for index in range(n):
        call = _open_call(f"Edition {index}")
        DefiFactory(edition=call.edition)
        MembershipFactory()
        OrganisationFactory(kind=Organisation.Kind.UNKNOWN)
        OutboxMessage.objects.create(
            to="a@exemple.gouv.fr", subject="Rappel", body=".", status=OutboxMessage.Status.FAILED
        )

    # session, user, phases soon, editions with drafts, their phases, drafts, memberships, unknown kinds, failures
    with django_assert_num_queries(9):
        response = team_client.get(reverse("workspace:attention"))

    assert len(response.context["drafts"]) == n
