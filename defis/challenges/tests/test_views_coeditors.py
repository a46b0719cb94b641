"""Inviting colleagues: only accepted members of the défi's organisation may become co-editors."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.challenges.models import CoEditor, Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
REFUSED = "Cette personne n’est pas membre acceptée de l’organisation : demandez-lui d’abord de la rejoindre."


@pytest.fixture
def defi() -> Defi:
    defi = DefiFactory(title="Déclaration")
    CoEditorFactory(defi=defi, user=approved_member(defi.organisation, first_name="Camille", last_name="Roux"))
    return defi


def owner(defi: Defi):  # type: ignore[no-untyped-def]
    return defi.coeditors.order_by("created_at").first().user


def test_colleague_is_invited_and_told_by_email(client: Client, defi: Defi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    colleague = approved_member(defi.organisation, email="dominique@exemple.gouv.fr")
    client.force_login(owner(defi))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("challenges:coeditors", args=[defi.pk]), {"email": "Dominique@exemple.gouv.fr"})

    assert response.url == reverse("challenges:edit", args=[defi.pk]) + "#coeditors"
    assert set(CoEditor.objects.filter(defi=defi).values_list("user_id", flat=True)) == {owner(defi).pk, colleague.pk}
    subject = "Vous pouvez désormais modifier le défi « Déclaration »"
    assert [(m.to, m.subject) for m in OutboxMessage.objects.all()] == [("dominique@exemple.gouv.fr", subject)]
    assert [m.to for m in mail.outbox] == [["dominique@exemple.gouv.fr"]]


def test_invited_with_htmx_answers_the_coeditors_partial(client: Client, defi: Defi) -> None:
    approved_member(defi.organisation, email="dominique@exemple.gouv.fr", first_name="Dominique", last_name="Blanc")
    client.force_login(owner(defi))

    response = client.post(
        reverse("challenges:coeditors", args=[defi.pk]), {"email": "dominique@exemple.gouv.fr"}, HTTP_HX_REQUEST="true"
    )

    html = " ".join(response.content.decode().split())
    assert html.startswith('<h2 id="coeditors-title" class="fr-h4">Co-éditeurs</h2>')
    assert "Dominique Blanc peut désormais modifier le défi ; un courriel l’en informe." in html


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("stranger", REFUSED),
        ("pending", REFUSED),
        ("other_organisation", REFUSED),
        ("unknown", REFUSED),
        ("not_an_email", "Saisissez une adresse de courriel valide."),
    ],
)
def test_only_accepted_members_may_be_invited(client: Client, defi: Defi, who: str, message: str) -> None:
    emails = {"unknown": "personne@exemple.gouv.fr", "not_an_email": "dominique"}
    if who == "stranger":
        emails[who] = UserFactory().email
    elif who == "pending":
        emails[who] = MembershipFactory(organisation=defi.organisation, status=Membership.Status.PENDING).user.email
    elif who == "other_organisation":
        emails[who] = approved_member(OrganisationFactory()).email
    client.force_login(owner(defi))

    response = client.post(reverse("challenges:coeditors", args=[defi.pk]), {"email": emails[who]})

    assert response.status_code == 200
    assert response.context["coeditor_form"].errors == {"email": [message]}
    assert CoEditor.objects.count() == 1
