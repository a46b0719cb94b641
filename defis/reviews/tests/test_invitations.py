import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.notifications.models import OutboxMessage
from defis.reviews.errors import InvitationAlreadyAccepted, InvitationForAnotherAddress
from defis.reviews.models import Juror
from defis.reviews.services.jury import accept_invitation, decline_invitation, invite_juror
from defis.reviews.tests.factories import paris, selection_edition

pytestmark = pytest.mark.django_db
AT = paris(2020, 6, 20, 9, 30)


@pytest.fixture
def invitation(django_capture_on_commit_callbacks) -> Juror:  # type: ignore[no-untyped-def]
    team = ProgrammeTeamFactory(first_name="Camille", last_name="Équipe")
    with django_capture_on_commit_callbacks(execute=True):
        return invite_juror(
            actor=team, edition=selection_edition(), email="experte@design.example", expertise="Design UX", at=AT
        )


def test_invite_juror_sends_one_french_mail_with_the_link(invitation: Juror) -> None:
    message = OutboxMessage.objects.get()

    assert (message.to, message.subject, message.status) == (
        "experte@design.example",
        "Invitation au jury de Commando UX 2020",
        OutboxMessage.Status.SENT,
    )
    assert "L’équipe du programme vous invite à siéger au jury qui sélectionne les défis de Commando UX 2020." in (
        message.body
    )
    assert f"Acceptez ou déclinez l’invitation : http://127.0.0.1:8000/jury/invitation/{invitation.token}/" in (
        message.body
    )
    assert list(Event.objects.values_list("action", flat=True)) == ["juror.invited"]


def test_invite_juror_twice_invites_once(invitation: Juror, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        again = invite_juror(
            actor=invitation.invited_by,
            edition=invitation.edition,  # type: ignore[arg-type]
            email="Experte@Design.example",
            at=AT,
        )

    assert again.pk == invitation.pk
    assert OutboxMessage.objects.count() == 1


def test_accept_invitation_without_account_creates_one_with_the_verified_address(invitation: Juror) -> None:
    juror = accept_invitation(actor=None, juror=invitation, at=AT)

    user = User.objects.get(email="experte@design.example")
    assert (juror.status, juror.user, juror.responded_at) == (Juror.Status.ACCEPTED, user, AT)
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()


def test_accept_invitation_links_the_signed_in_account_of_the_address(invitation: Juror) -> None:
    user = UserFactory(email="experte@design.example")

    juror = accept_invitation(actor=user, juror=invitation, at=AT)

    assert (juror.status, juror.user_id) == (Juror.Status.ACCEPTED, user.pk)
    assert accept_invitation(actor=user, juror=invitation, at=AT).responded_at == AT  # idempotent


def test_accept_invitation_signed_in_with_another_address_is_refused(invitation: Juror) -> None:
    with pytest.raises(InvitationForAnotherAddress) as refusal:
        accept_invitation(actor=UserFactory(email="autre@exemple.gouv.fr"), juror=invitation, at=AT)

    assert refusal.value.message == (
        "Cette invitation a été envoyée à experte@design.example : connectez-vous avec cette adresse pour y répondre."
    )
    assert Juror.objects.get().status == Juror.Status.INVITED


def test_decline_invitation_then_invite_again_sends_a_new_link(
    invitation: Juror, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    decline_invitation(actor=None, juror=invitation, at=AT)
    with django_capture_on_commit_callbacks(execute=True):
        again = invite_juror(
            actor=invitation.invited_by,
            edition=invitation.edition,  # type: ignore[arg-type]
            email="experte@design.example",
            at=AT,
        )

    assert again.status == Juror.Status.INVITED
    assert again.token != invitation.token
    assert OutboxMessage.objects.count() == 2


def test_decline_an_accepted_invitation_is_refused(invitation: Juror) -> None:
    accept_invitation(actor=None, juror=invitation, at=AT)

    with pytest.raises(InvitationAlreadyAccepted):
        decline_invitation(actor=None, juror=invitation, at=AT)


def test_invitation_page_speaks_french_to_a_visitor(client: Client, invitation: Juror) -> None:
    response = client.get(reverse("reviews:invitation", kwargs={"token": invitation.token}))

    content = response.content.decode()
    assert response.context["title"] == "Invitation au jury de Commando UX 2020"
    assert "<title>Invitation au jury de Commando UX 2020 — Défis</title>" in content
    assert "Accepter l’invitation" in content
    assert "Refuser" in content


def test_accepting_from_the_page_signed_out_asks_to_sign_in(client: Client, invitation: Juror) -> None:
    response = client.post(reverse("reviews:accept", kwargs={"token": invitation.token}), follow=True)

    assert response.redirect_chain[0][0] == f"/compte/login/?next=%2Fjury%2F{invitation.edition.slug}%2F"
    assert [str(message) for message in response.context["messages"]] == [
        "Vous avez accepté l’invitation. Connectez-vous avec experte@design.example pour accéder aux défis à "
        "évaluer : un code de connexion peut être envoyé à cette adresse."
    ]
    assert Juror.objects.get().status == Juror.Status.ACCEPTED


def test_an_unknown_invitation_link_is_a_404(client: Client) -> None:
    response = client.get("/jury/invitation/8a6e0804-2bd0-4672-b79d-d97027f9071a/")

    assert response.status_code == 404
