"""Hardening: sign-in lockout and sign-up rate limits (allauth), no open redirect after sign-in,
sanitised rich text, production settings. Uploads are checked by their content in
defis/challenges/services.py (`_check_pdf`), tested with the défi attachments."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.template import Context, Template

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOCKED = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # allauth counts attempts in the cache


@pytest.fixture
def person() -> User:
    user = UserFactory(email="camille@exemple.gouv.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _sign_in(client, password: str, next_url: str = ""):
    path = "/compte/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(path, {"login": "camille@exemple.gouv.fr", "password": password})


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, person):
    for _ in range(5):
        assert _sign_in(client, "pas-le-bon-mot-de-passe").status_code == 200

    response = _sign_in(client, PASSWORD)

    assert response.context["form"].non_field_errors() == [LOCKED]
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_address(client, person):
    for _ in range(5):
        client.post("/compte/login/", {"login": "autre@exemple.gouv.fr", "password": "pas-le-bon"})

    response = _sign_in(client, PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")


def test_sign_ups_from_one_address_are_throttled(client):
    for n in range(10):
        client.post(
            "/compte/signup/",
            {
                "email": f"personne{n}@exemple.gouv.fr",
                "password1": "Un-mot-de-passe-2020!",
                "password2": "Un-mot-de-passe-2020!",
            },
        )

    response = client.post(
        "/compte/signup/",
        {
            "email": "onzieme@exemple.gouv.fr",
            "password1": "Un-mot-de-passe-2020!",
            "password2": "Un-mot-de-passe-2020!",
        },
    )

    assert response.status_code == 429
    assert User.objects.filter(email="onzieme@exemple.gouv.fr").exists() is False
    assert User.objects.count() == 10


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_to_another_site(client, person, next_url):
    response = _sign_in(client, PASSWORD, next_url)

    assert (response.status_code, response["Location"]) == (302, "/")


def test_sign_in_follows_a_next_page_of_the_site(client, person):
    response = _sign_in(client, PASSWORD, "/demarches/")

    assert (response.status_code, response["Location"]) == (302, "/demarches/")


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("<script>alert(1)</script>Bonjour", "<p>Bonjour</p>"),
        ('<a href="/ok" onclick="alert(1)">lien</a>', '<p><a href="/ok" rel="noopener noreferrer">lien</a></p>'),
        ("[lien](javascript:alert(1))", '<p><a rel="noopener noreferrer">lien</a></p>'),
        ('<img src="x" onerror="alert(1)">', "<p></p>"),
        ('<p style="color: red">rouge</p>', "<p>rouge</p>"),
        ('<iframe src="https://evil.example"></iframe>**gras**', "<p><strong>gras</strong></p>"),
    ],
)
def test_markdown_safe_strips_scripts_handlers_and_styles(markdown, html):
    rendered = Template("{% load defis_tags %}{{ text|markdown_safe }}").render(Context({"text": markdown}))

    assert rendered.strip() == html


def test_production_settings_are_hardened(monkeypatch):
    import importlib

    for name, value in {
        "ALLOWED_HOSTS": "defis.example.gouv.fr",
        "SITE_URL": "https://defis.example.gouv.fr",
        "DATABASE_URL": "postgres://defis@db/defis",
        "CACHE_URL": "redis://cache:6379/0",
    }.items():
        monkeypatch.setenv(name, value)
    production = importlib.import_module("defis.settings_production")
    production = importlib.reload(production)

    assert production.DEBUG is False
    assert (production.SESSION_COOKIE_SECURE, production.CSRF_COOKIE_SECURE, production.SECURE_SSL_REDIRECT) == (
        True,
        True,
        True,
    )
    assert production.SECURE_HSTS_SECONDS >= 31_536_000
    assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # Sessions shared by every web process: in the database, read through the shared cache.
    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert "'unsafe-inline'" not in production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
