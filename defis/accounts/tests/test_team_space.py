import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_team_dashboard_shows_pending_requests_to_the_team(client: Client) -> None:
    pending = MembershipFactory()
    MembershipFactory(status=Membership.Status.APPROVED)
    client.force_login(ProgrammeTeamFactory())

    response = client.get(reverse("programmes:team"))

    assert response.status_code == 200
    assert list(response.context["pending_memberships"]) == [pending]
    assert f'href="{reverse("organisations:membership", args=[pending.pk])}"' in response.content.decode()


def test_team_dashboard_is_forbidden_to_an_agent(client: Client) -> None:
    agent = MembershipFactory(status=Membership.Status.APPROVED, role=Membership.Role.MANAGER).user
    client.force_login(agent)

    response = client.get(reverse("programmes:team"))

    assert response.status_code == 403
    assert [t.name for t in response.templates][:1] == ["403.html"]


def test_team_dashboard_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(reverse("programmes:team"))
    assert response["Location"] == f"{reverse('account_login')}?next=/equipe/"
