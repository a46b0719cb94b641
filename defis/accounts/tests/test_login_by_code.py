import re

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_sign_in_with_a_code_sent_through_the_outbox(client: Client) -> None:
    user = UserFactory(email="sacha@travail.gouv.fr")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    response = client.post(reverse("account_request_login_code"), {"email": "sacha@travail.gouv.fr"})
    assert response["Location"] == reverse("account_confirm_login_code")
    message = OutboxMessage.objects.get()
    assert (message.to, message.template) == ("sacha@travail.gouv.fr", "account/email/login_code")
    assert message.subject == "Code de connexion"
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE)
    assert code is not None, message.body

    page = client.get(reverse("account_confirm_login_code")).content.decode()
    assert "<h1>Entrez le code de connexion</h1>" in page
    signed_in = client.post(reverse("account_confirm_login_code"), {"code": code.group(1)})
    assert signed_in["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
