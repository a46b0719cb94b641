"""ProConnect sign-in, end to end, against a real OpenID Connect provider run by the test.

The provider is pyop (an OP library used in production by SATOSA) behind a small HTTPS server on
127.0.0.1, with a certificate made for the test (OpenID Connect wants an HTTPS issuer): it checks the
client, the redirect URI, PKCE and the code, signs the ID token and, as ProConnect does, returns the
userinfo as a signed JWT (`application/jwt`). Django's test client drives the browser's side of the
authorization-code flow; allauth calls the provider over HTTPS.
"""

import datetime
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from Cryptodome.PublicKey import RSA
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import LazySettings
from django.test import Client
from jwkest.jwk import RSAKey
from jwkest.jws import JWS
from pyop.authz_state import AuthorizationState
from pyop.exceptions import BearerTokenError, InvalidAuthenticationRequest, InvalidClientAuthentication
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

from defis.accounts.models import User
from defis.accounts.tests.factories import UserFactory
from defis.audit.models import Event
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "defis-test", "un-secret-de-test-pour-proconnect"
CALLBACK = "http://testserver/compte/proconnect/login/callback/"
SCOPES = ["openid", "email", "given_name", "usual_name", "siret", "uid"]
DGFIP_SIRET = "13000000000017"


@dataclass
class LocalProConnect:
    """A running OpenID Connect provider; `people` are its accounts, `signed_in` who is at its keyboard."""

    url: str
    people: dict[str, dict[str, str]]
    signed_in: str = ""
    userinfo_requests: list[str] = field(default_factory=list)


def _build_provider(url: str, people: dict[str, dict[str, str]]) -> tuple[Provider, RSAKey]:
    key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="local-proconnect")
    configuration = {
        "issuer": url,
        "authorization_endpoint": f"{url}/authorize",
        "token_endpoint": f"{url}/token",
        "userinfo_endpoint": f"{url}/userinfo",
        "jwks_uri": f"{url}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "userinfo_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }
    clients = {
        CLIENT_ID: {
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [CALLBACK],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    }
    # ProConnect's scopes each name one claim.
    extra_scopes = {name: [name] for name in ("given_name", "usual_name", "siret", "uid")}
    provider = Provider(
        key,
        configuration,
        AuthorizationState(HashBasedSubjectIdentifierFactory("sel")),
        clients,
        Userinfo(people),
        extra_scopes=extra_scopes,
    )
    return provider, key


def _handler(state: LocalProConnect, provider: Provider, key: RSAKey) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  # quiet
            pass

        def _send(
            self, status: int, body: str = "", content_type: str = "application/json", location: str = ""
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body.encode())

        def do_GET(self) -> None:  # noqa: N802  # http.server's name
            path, _, query = self.path.partition("?")
            if path == "/.well-known/openid-configuration":
                self._send(200, provider.provider_configuration.to_json())
            elif path == "/jwks":
                self._send(200, json.dumps(provider.jwks))
            elif path == "/authorize":
                try:
                    request = provider.parse_authentication_request(query)
                except InvalidAuthenticationRequest as error:
                    self._send(400, error.to_json())
                    return
                response = provider.authorize(request, state.signed_in)
                self._send(302, location=response.request(request["redirect_uri"]))
            elif path == "/userinfo":
                try:
                    claims = provider.handle_userinfo_request(query, dict(self.headers)).to_dict()
                except BearerTokenError:
                    self._send(401)
                    return
                state.userinfo_requests.append(claims["sub"])
                signed = JWS(json.dumps({**claims, "iss": state.url, "aud": CLIENT_ID}), alg="RS256")
                self._send(200, signed.sign_compact([key]), content_type="application/jwt")
            else:
                self._send(404)

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            if self.path != "/token":
                self._send(404)
                return
            try:
                response = provider.handle_token_request(body, dict(self.headers))
            except InvalidClientAuthentication as error:
                self._send(401, error.to_json())
                return
            self._send(200, response.to_json())

    return Handler


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, which the test alone trusts (REQUESTS_CA_BUNDLE)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "op.pem", directory / "op.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def proconnect(settings: LazySettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalProConnect]:
    """A provider on a free port of 127.0.0.1, and Django configured to use it."""
    people = {
        "dominique": {
            "sub": "pc-sub-dominique",
            "email": "dominique.agent@dgfip.finances.gouv.fr",
            "given_name": "Dominique",
            "usual_name": "Lefèvre",
            "siret": DGFIP_SIRET,
            "uid": "1",
        },
        "sans-siret": {
            "sub": "pc-sub-sans-siret",
            "email": "claude@exemple.gouv.fr",
            "given_name": "Claude",
            "usual_name": "Martin",
            "uid": "2",
        },
    }
    cert_path, key_path = _certificate(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert_path))  # Django's calls to the provider trust it
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    url = f"https://127.0.0.1:{server.server_address[1]}"
    state = LocalProConnect(url=url, people=people)
    provider, key = _build_provider(url, people)
    server.RequestHandlerClass = _handler(state, provider, key)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "proconnect": {
            "APPS": [
                {
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": f"{url}/.well-known/openid-configuration"},
                }
            ],
            "SCOPE": SCOPES,
            "AUTH_PARAMS": {"acr_values": "eidas1"},
            "OAUTH_PKCE_ENABLED": True,
        }
    }
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def dgfip() -> Organisation:
    return Organisation.objects.create(
        slug="dgfip",
        name="Direction générale des finances publiques",
        kind=Organisation.Kind.CENTRAL_ADMINISTRATION,
        siret=DGFIP_SIRET,
    )


def sign_in_with_proconnect(client: Client, proconnect: LocalProConnect, person: str, *, next_url: str = "") -> str:
    """Press the button, let the provider authenticate `person`, come back; return where Django sends us."""
    proconnect.signed_in = person
    start = client.post("/compte/proconnect/login/?process=login", {"next": next_url} if next_url else {})
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{proconnect.url}/authorize?")
    back = requests.get(authorize, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == CALLBACK
    end = client.get(f"{callback.path}?{callback.query}")
    assert end.status_code == 302, end.content.decode()
    return str(end["Location"])


def signed_in_user(client: Client) -> User | None:
    response = client.get("/")
    user = response.wsgi_request.user
    return user if user.is_authenticated else None  # type: ignore[return-value]


def test_proconnect_sign_in_creates_the_agent_and_a_pending_membership(client, proconnect, dgfip):
    landing = sign_in_with_proconnect(client, proconnect, "dominique")

    user = signed_in_user(client)
    assert landing == "/"
    assert user is not None
    assert (user.email, user.first_name, user.last_name) == (
        "dominique.agent@dgfip.finances.gouv.fr",
        "Dominique",
        "Lefèvre",
    )
    assert list(SocialAccount.objects.filter(user=user).values_list("provider", "uid")) == [
        ("proconnect", "pc-sub-dominique")
    ]
    assert list(Membership.objects.filter(user=user).values_list("organisation__slug", "status")) == [
        ("dgfip", Membership.Status.PENDING)
    ]
    assert proconnect.userinfo_requests == ["pc-sub-dominique"]
    assert set(Event.objects.filter(actor=user).values_list("action", flat=True)) == {
        "account.signed_up_with_proconnect",
        "membership.requested",
        "membership.requested_by_proconnect",
    }


def test_proconnect_sign_in_keeps_the_next_page(client, proconnect, dgfip):
    assert sign_in_with_proconnect(client, proconnect, "dominique", next_url="/demarches/") == "/demarches/"


def test_proconnect_sign_in_refuses_a_next_page_on_another_site(client, proconnect, dgfip):
    assert sign_in_with_proconnect(client, proconnect, "dominique", next_url="https://evil.example/") == "/"


def test_proconnect_returning_agent_is_matched_on_sub_not_email(client, proconnect, dgfip):
    sign_in_with_proconnect(client, proconnect, "dominique")
    first = signed_in_user(client)
    client.logout()
    proconnect.people["dominique"].update(email="d.lefevre@dgfip.finances.gouv.fr", usual_name="Lefèvre-Roy")

    sign_in_with_proconnect(client, proconnect, "dominique")

    again = signed_in_user(client)
    assert again is not None
    assert first is not None
    assert (again.pk, again.last_name) == (first.pk, "Lefèvre-Roy")
    assert User.objects.count() == 1
    assert Membership.objects.filter(user=again).count() == 1  # the pending request is not asked twice


def test_proconnect_never_signs_into_an_account_because_the_email_matches(client, proconnect):
    existing = UserFactory(email="claude@exemple.gouv.fr")

    landing = sign_in_with_proconnect(client, proconnect, "sans-siret")

    # allauth hides that the address is known (no enumeration): the page says a mail was sent, and the
    # mail tells the owner of the address to sign in with their password, then link ProConnect.
    assert signed_in_user(client) is None
    assert landing == "/compte/confirm-email/"
    assert SocialAccount.objects.exists() is False
    assert User.objects.get() == existing
    assert list(OutboxMessage.objects.values_list("to", "template")) == [
        ("claude@exemple.gouv.fr", "account/email/account_already_exists")
    ]


def test_proconnect_without_known_siret_asks_to_join_nothing(client, proconnect, dgfip):
    sign_in_with_proconnect(client, proconnect, "sans-siret")

    user = signed_in_user(client)
    assert user is not None
    assert list(Membership.objects.filter(user=user)) == []


def test_proconnect_sign_in_never_approves_a_membership_refused_before(client, proconnect, dgfip):
    sign_in_with_proconnect(client, proconnect, "dominique")
    user = signed_in_user(client)
    Membership.objects.filter(user=user).update(status=Membership.Status.REFUSED)
    client.logout()

    sign_in_with_proconnect(client, proconnect, "dominique")

    assert list(Membership.objects.filter(user=user).values_list("status", flat=True)) == [Membership.Status.REFUSED]


def test_login_page_shows_the_proconnect_button_when_configured(client, proconnect):
    page = client.get("/compte/login/").content.decode()

    assert "S’identifier avec ProConnect" in page
    assert 'action="/compte/proconnect/login/?process=login"' in page


def test_login_page_hides_proconnect_when_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"proconnect": {"APPS": []}}

    page = client.get("/compte/login/").content.decode()

    assert "ProConnect" not in page
    assert client.post("/compte/proconnect/login/?process=login").status_code == 404


def test_a_callback_replayed_in_another_browser_signs_nobody_in(client, proconnect, dgfip):
    proconnect.signed_in = "dominique"
    start = client.post("/compte/proconnect/login/?process=login")
    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    stolen = f"{back.path}?{back.query}"
    other_browser = Client()

    response = other_browser.get(stolen)

    assert response.status_code == 401  # allauth's sign-in failure page: the state is not this browser's
    assert signed_in_user(other_browser) is None
    assert User.objects.exists() is False


def test_the_provider_is_sent_a_nonce_and_pkce(client, proconnect):
    start = client.post("/compte/proconnect/login/?process=login")

    query = parse_qs(urlsplit(start["Location"]).query)
    assert sorted(query) == [
        "acr_values",
        "client_id",
        "code_challenge",
        "code_challenge_method",
        "nonce",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
    ]
    assert query["nonce"] == [client.session["proconnect_nonce"]]
    assert sorted(query["scope"][0].split()) == sorted(SCOPES)
