import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-autre-mot-de-passe-2021"


def test_password_reset_mail_goes_through_the_outbox_and_resets(client: Client) -> None:
    user = UserFactory(email="dominique@culture.gouv.fr")

    response = client.post(reverse("account_reset_password"), {"email": "dominique@culture.gouv.fr"})
    assert response["Location"] == reverse("account_reset_password_done")

    message = OutboxMessage.objects.get()
    assert (message.to, message.template, message.status) == (
        "dominique@culture.gouv.fr",
        "account/email/password_reset_key",
        OutboxMessage.Status.SENT,
    )
    assert message.subject == "E-mail de réinitialisation de mot de passe"
    assert [m.subject for m in mail.outbox] == ["E-mail de réinitialisation de mot de passe"]
    match = re.search(r"http://testserver(/compte/password/reset/key/\S+/)", message.body)
    assert match is not None, message.body

    form_page = client.get(match.group(1), follow=True)
    assert "<h1>Choisir un nouveau mot de passe</h1>" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]  # allauth moves the key into the session
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) is True


def test_password_reset_done_page_is_in_french(client: Client) -> None:
    response = client.get(reverse("account_reset_password_done"))
    html = response.content.decode()
    assert "<h1>E-mail de réinitialisation envoyé</h1>" in html
    assert "<title>E-mail de réinitialisation envoyé — Défis</title>" in html


def test_password_reset_for_an_unknown_address_tells_its_owner_only(client: Client) -> None:
    UserFactory(email="dominique@culture.gouv.fr")

    client.post(reverse("account_reset_password"), {"email": "inconnu@exemple.fr"})

    assert list(OutboxMessage.objects.values_list("to", "template")) == [
        ("inconnu@exemple.fr", "account/email/unknown_account")
    ]
