import re

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending() -> Membership:
    return MembershipFactory(
        user=UserFactory(email="lou@finances.gouv.fr"), organisation=OrganisationFactory(name="Direction du budget")
    )


def manager_of(organisation: object) -> object:
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.MANAGER, status=Membership.Status.APPROVED
    ).user


def messages_of(html: str) -> list[str]:
    return [" ".join(m.split()) for m in re.findall(r'class="fr-alert fr-alert--\w+">\s*<p>(.*?)</p>', html, re.DOTALL)]


@pytest.mark.parametrize("who", ["team", "manager"])
def test_team_and_manager_see_the_request_with_its_buttons(client: Client, pending: Membership, who: str) -> None:
    client.force_login(ProgrammeTeamFactory() if who == "team" else manager_of(pending.organisation))

    html = client.get(reverse("organisations:membership", args=[pending.pk])).content.decode()

    assert "<h1>Demande pour rejoindre Direction du budget</h1>" in html
    assert "lou@finances.gouv.fr" in html
    assert re.findall(r'<form method="post" action="(/organisations/[^"]+)">', html) == [
        reverse("organisations:approve", args=[pending.pk]),
        reverse("organisations:refuse", args=[pending.pk]),
    ]
    assert "Accepter la demande" in html
    assert "Refuser la demande" in html


def test_a_signed_out_visitor_is_sent_to_sign_in_and_cannot_decide(client: Client, pending: Membership) -> None:
    url = reverse("organisations:membership", args=[pending.pk])
    page = client.get(url)
    approve = client.post(reverse("organisations:approve", args=[pending.pk]))
    assert (page.status_code, page["Location"]) == (302, reverse("account_login") + "?next=" + url)
    assert approve.status_code == 404
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


@pytest.mark.parametrize("who", ["other agent", "the requester", "manager elsewhere", "pending manager"])
def test_others_get_a_404_and_cannot_decide(client: Client, pending: Membership, who: str) -> None:
    if who == "other agent":
        client.force_login(UserFactory())
    elif who == "the requester":
        client.force_login(pending.user)
    elif who == "manager elsewhere":
        client.force_login(manager_of(OrganisationFactory()))
    elif who == "pending manager":
        client.force_login(MembershipFactory(organisation=pending.organisation, role=Membership.Role.MANAGER).user)

    page = client.get(reverse("organisations:membership", args=[pending.pk]))
    approve = client.post(reverse("organisations:approve", args=[pending.pk]))
    refuse = client.post(reverse("organisations:refuse", args=[pending.pk]))

    assert (page.status_code, approve.status_code, refuse.status_code) == (404, 404, 404)
    assert "Page non trouvée" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_deciding_is_post_only(client: Client, pending: Membership) -> None:
    client.force_login(ProgrammeTeamFactory())
    assert client.get(reverse("organisations:approve", args=[pending.pk])).status_code == 405
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_manager_approves_and_the_requester_is_told(
    client: Client, pending: Membership, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager_of(pending.organisation))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:approve", args=[pending.pk]), follow=True)

    pending.refresh_from_db()
    assert pending.status == Membership.Status.APPROVED
    assert messages_of(response.content.decode()) == [
        "La demande de lou@finances.gouv.fr est acceptée ; la personne en est informée par e-mail."
    ]
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["lou@finances.gouv.fr"]


def test_team_refuses_then_a_second_decision_is_a_french_error(client: Client, pending: Membership) -> None:
    client.force_login(ProgrammeTeamFactory())
    client.post(reverse("organisations:refuse", args=[pending.pk]), follow=True)

    response = client.post(reverse("organisations:approve", args=[pending.pk]), follow=True)

    pending.refresh_from_db()
    assert pending.status == Membership.Status.REFUSED
    assert messages_of(response.content.decode()) == ["Cette demande a déjà été tranchée."]


def test_team_names_a_manager_who_then_decides(client: Client, pending: Membership) -> None:
    member = MembershipFactory(organisation=pending.organisation, status=Membership.Status.APPROVED)
    client.force_login(ProgrammeTeamFactory())
    client.post(reverse("organisations:set-role", args=[member.pk]), {"role": "manager"})
    member.refresh_from_db()
    assert member.role == Membership.Role.MANAGER

    client.force_login(member.user)
    client.post(reverse("organisations:approve", args=[pending.pk]))

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Membership.Status.APPROVED, member.user)


def test_a_manager_cannot_name_managers(client: Client, pending: Membership) -> None:
    member = MembershipFactory(organisation=pending.organisation, status=Membership.Status.APPROVED)
    client.force_login(manager_of(pending.organisation))

    response = client.post(reverse("organisations:set-role", args=[member.pk]), {"role": "manager"})

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Membership.Role.MEMBER
