import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD
from defis.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

EMAIL = "camille.martin@interieur.gouv.fr"


def sign_up(client: Client) -> None:
    response = client.post(reverse("account_signup"), {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def confirmation_link(body: str) -> str:
    match = re.search(r"http://testserver(/compte/confirm-email/[^/\s]+/)", body)
    assert match is not None, body
    return match.group(1)


def test_signup_sends_the_confirmation_through_the_outbox(client: Client) -> None:
    sign_up(client)

    message = OutboxMessage.objects.get()
    assert (message.to, message.template, message.status) == (
        EMAIL,
        "account/email/email_confirmation_signup",
        OutboxMessage.Status.SENT,
    )
    assert message.subject == "Confirmez votre adresse e-mail"
    assert message.body.startswith("Bonjour, c'est Défis !")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [([EMAIL], message.subject, message.body)]
    assert list(User.objects.values_list("email", flat=True)) == [EMAIL]
    assert EmailAddress.objects.get(email=EMAIL).verified is False


def test_signup_page_says_the_confirmation_was_sent_in_french(client: Client) -> None:
    response = client.post(
        reverse("account_signup"), {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert "<h1>Vérifiez votre adresse e-mail</h1>" in html
    assert "<title>Vérifiez votre adresse e-mail — Défis</title>" in html


def test_sign_in_before_confirmation_sends_to_the_verification_page(client: Client) -> None:
    sign_up(client)
    client.logout()

    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirmed_person_signs_in(client: Client) -> None:
    sign_up(client)
    link = confirmation_link(OutboxMessage.objects.get().body)

    page = client.get(link)
    assert "<h1>Confirmer l'adresse e-mail</h1>" in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified is True

    client.logout()
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(User.objects.get(email=EMAIL).pk)


def test_signup_with_a_weak_password_shows_french_errors_tied_to_the_field(client: Client) -> None:
    response = client.post(reverse("account_signup"), {"email": EMAIL, "password1": "court", "password2": "court"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'aria-describedby="id_password1-hint id_password1-desc-error"' in html
    assert 'aria-invalid="true"' in html
    assert (
        '<div id="id_password1-desc-error"><p class="fr-error-text">Ce mot de passe est trop court. '
        "Il doit contenir au minimum 10 caractères.</p>" in html
    )
    assert OutboxMessage.objects.count() == 0
