"""ProConnect, the State's OpenID Connect federation for agents, as an allauth provider.

allauth's generic OpenID Connect provider falls short of ProConnect on two points, fixed in
`views.ProConnectOAuth2Adapter`: ProConnect requires a `nonce`, and it returns the userinfo as a
signed JWT (`application/jwt`). The claims we read are `sub` (the identity: matched, never the
e-mail), `email`, `given_name`, `usual_name` and `siret`.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import urlencode

from defis.accounts.proconnect.views import NONCE_SESSION_KEY, ProConnectOAuth2Adapter


def _claims(data: dict[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = data.get("userinfo") or data.get("id_token") or {}
    return claims


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    oauth2_adapter_class = ProConnectOAuth2Adapter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = "ProConnect"  # not the configured app's name, which may be empty

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("proconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("proconnect_callback")

    def get_oauth2_adapter(self, request: HttpRequest) -> ProConnectOAuth2Adapter:
        return ProConnectOAuth2Adapter(request)

    def redirect(
        self, request: HttpRequest, process: Any, next_url: str | None = None, data: Any = None, **kwargs: Any
    ) -> HttpResponse:
        """Send the browser to ProConnect with a fresh nonce, checked in the ID token on return."""
        nonce = get_random_string(32)
        request.session[NONCE_SESSION_KEY] = nonce
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        auth_params["nonce"] = nonce
        response: HttpResponse = super().redirect(request, process, next_url, data, auth_params=auth_params, **kwargs)
        return response

    def extract_uid(self, data: dict[str, Any]) -> str:
        return str(_claims(data)["sub"])

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        claims = _claims(data)
        # ProConnect names the family name `usual_name` (the name in use, not the birth name).
        return {
            "email": claims.get("email"),
            "first_name": claims.get("given_name") or "",
            "last_name": claims.get("usual_name") or claims.get("family_name") or "",
        }

    def extract_email_addresses(self, data: dict[str, Any]) -> list[EmailAddress]:
        email = _claims(data).get("email")
        # The agents' identity providers behind ProConnect vouch for the address.
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []


provider_classes = [ProConnectProvider]
