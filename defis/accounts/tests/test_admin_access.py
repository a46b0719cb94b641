import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.challenges.tests.factories import DefiFactory
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"


def test_admin_is_open_to_a_staff_member_of_the_programme_team(client: Client) -> None:
    client.force_login(ProgrammeTeamFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert '<div id="site-name"><a href="/admin/">Défis</a></div>' in response.content.decode()


def test_team_reads_the_defis_in_the_admin(client: Client) -> None:
    defi = DefiFactory(title="Simplifier la carte grise")
    client.force_login(ProgrammeTeamFactory())

    changelist = client.get(reverse("admin:challenges_defi_changelist"))
    change = client.get(reverse("admin:challenges_defi_change", args=[defi.pk]))

    assert (changelist.status_code, change.status_code) == (200, 200)
    assert [row.title for row in changelist.context["cl"].result_list] == ["Simplifier la carte grise"]


@pytest.mark.parametrize("who", ["plain user", "agent", "staff outside the team"])
def test_admin_sends_everybody_else_to_its_login(client: Client, who: str) -> None:
    if who == "plain user":
        user = UserFactory()
    elif who == "agent":
        user = MembershipFactory(status=Membership.Status.APPROVED, role=Membership.Role.MANAGER).user
    else:
        user = UserFactory(is_staff=True)
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert (response.status_code, response["Location"]) == (302, ADMIN_LOGIN)


def test_admin_sends_anonymous_visitors_to_its_login(client: Client) -> None:
    response = client.get(reverse("admin:index"))
    assert (response.status_code, response["Location"]) == (302, ADMIN_LOGIN)
