"""Every account page is one of ours: base.html, one <h1>, its own <title>, DSFR fields, no inline code."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import PASSWORD, UserFactory
from defis.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

SIGNED_OUT_PAGES = {
    "account_login": ("Connexion", "Connexion"),
    "account_signup": ("Création de compte", "Création de compte"),
    "account_reset_password": ("Réinitialisation du mot de passe", "Réinitialisation du mot de passe"),
    "account_reset_password_done": ("E-mail de réinitialisation envoyé", "E-mail de réinitialisation envoyé"),
    "account_request_login_code": ("Envoyez-moi un code de connexion", "Envoyez-moi un code de connexion"),
    "account_email_verification_sent": ("Vérifiez votre adresse e-mail", "Vérifiez votre adresse e-mail"),
}
SIGNED_IN_PAGES = {
    "account_email": ("Adresses e-mail", "Adresses e-mail"),
    "account_change_password": ("Modifier le mot de passe", "Modifier le mot de passe"),
    "account_logout": ("Se déconnecter", "Se déconnecter"),
}


def signed_in_client(client: Client) -> Client:
    user = UserFactory(email="alex@sante.gouv.fr")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    client.force_login(user)
    return client


def assert_is_a_dsfr_page(html: str, *, title: str, h1: str) -> None:
    assert re.findall(r"<h1[ >].*?</h1>", html, re.DOTALL) == [f"<h1>{h1}</h1>"]
    assert re.findall(r"<title>(.*?)</title>", html, re.DOTALL) == [f"{title} — Défis"]
    assert 'class="fr-header"' in html  # our base.html
    assert re.findall(r"\sstyle=", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts != []
    assert all("src=" in script for script in scripts)  # no inline script
    field_ids = re.findall(r'<input(?![^>]*type="(?:hidden|submit)")[^>]*\sid="([^"]+)"', html)
    assert all(f'<label class="fr-label" for="{field_id}">' in html for field_id in field_ids)


@pytest.mark.parametrize(("url_name", "expected"), SIGNED_OUT_PAGES.items())
def test_signed_out_account_pages_are_dsfr_pages(client: Client, url_name: str, expected: tuple[str, str]) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_is_a_dsfr_page(response.content.decode(), title=expected[0], h1=expected[1])


@pytest.mark.parametrize(("url_name", "expected"), SIGNED_IN_PAGES.items())
def test_signed_in_account_pages_are_dsfr_pages(client: Client, url_name: str, expected: tuple[str, str]) -> None:
    response = signed_in_client(client).get(reverse(url_name))
    assert response.status_code == 200
    assert_is_a_dsfr_page(response.content.decode(), title=expected[0], h1=expected[1])


def test_account_pages_have_unique_titles() -> None:
    titles = [title for title, _ in [*SIGNED_OUT_PAGES.values(), *SIGNED_IN_PAGES.values()]]
    assert len(set(titles)) == len(titles)


def test_login_page_renders_in_french_with_dsfr_fields(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()

    assert '<label class="fr-label" for="id_login">Courriel</label>' in html
    assert '<label class="fr-label" for="id_password">Mot de passe</label>' in html
    assert re.search(r'<input type="email" name="login"[^>]*class="fr-input"', html)
    assert '<label class="fr-label" for="id_remember">Se souvenir de moi</label>' in html
    assert '<a class="fr-link" href="/compte/password/reset/">Mot de passe oublié ?</a>' in html
    assert '<button type="submit" class="fr-btn">Connexion</button>' in html
    assert '<a class="fr-btn fr-btn--secondary" href="/compte/login/code/">Envoyez-moi un code de connexion</a>' in html


def test_wrong_password_is_a_french_alert(client: Client) -> None:
    UserFactory(email="alex@sante.gouv.fr")

    response = client.post(reverse("account_login"), {"login": "alex@sante.gouv.fr", "password": "pas-le-bon"})

    assert response.status_code == 200
    assert re.findall(
        r'<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">\s*<p>(.*?)</p>',
        response.content.decode(),
    ) == ["L’adresse e-mail ou le mot de passe sont incorrects."]


def test_password_change_page_changes_the_password(client: Client) -> None:
    client = signed_in_client(client)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Encore-un-autre-2022", "password2": "Encore-un-autre-2022"},
    )

    assert response["Location"] == reverse("account_change_password")
    follow = client.get(reverse("account_change_password")).content.decode()
    assert "Mot de passe modifié avec succès." in follow


def test_a_bad_reset_link_is_a_french_error_page(client: Client) -> None:
    user = UserFactory()

    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert_is_a_dsfr_page(html, title="Mauvais jeton d'identification", h1="Mauvais jeton d'identification")
    assert 'nouvelle <a href="/compte/password/reset/">demande de réinitialisation de mot de passe</a>.' in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD) is True


def test_an_invalid_confirmation_link_is_a_french_error_page(client: Client) -> None:
    response = client.get(reverse("account_confirm_email", args=["clef-inventee"]))

    html = response.content.decode()
    assert_is_a_dsfr_page(html, title="Confirmer l'adresse e-mail", h1="Confirmer l'adresse e-mail")
    assert "Ce lien de confirmation d'adresse e-mail a expiré ou n'est pas valide." in html


def test_email_page_adds_an_address_and_sends_its_confirmation(client: Client) -> None:
    client = signed_in_client(client)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "alex.perso@exemple.fr"}, follow=True)

    html = response.content.decode()
    assert re.findall(r'<input type="radio" id="[^"]+" name="email" value="([^"]+)"', html) == [
        "alex.perso@exemple.fr",
        "alex@sante.gouv.fr",
    ]
    assert list(OutboxMessage.objects.values_list("to", "template")) == [
        ("alex.perso@exemple.fr", "account/email/email_confirmation")
    ]
