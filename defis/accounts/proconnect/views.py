"""The two ends of ProConnect's authorization-code flow: the redirect out and the callback."""

from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare

NONCE_SESSION_KEY = "proconnect_nonce"


class ProConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, checking the nonce and reading a userinfo signed as a JWT."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, "proconnect")

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        url: str = build_absolute_uri(request, reverse("proconnect_callback"), self.redirect_uri_protocol)
        return url

    def complete_login(self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any) -> SocialLogin:
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("ProConnect sent no ID token")
        claims = self._decode_signed(app, id_token)
        expected = request.session.pop(NONCE_SESSION_KEY, "")
        if not expected or not constant_time_compare(str(claims.get("nonce", "")), expected):
            raise OAuth2Error("the ID token's nonce is not the one sent")
        data = {"id_token": claims, "userinfo": self._userinfo(app, token.token)}
        if data["userinfo"].get("sub") != claims.get("sub"):
            raise OAuth2Error("the userinfo is about another person than the ID token")
        login: SocialLogin = self.get_provider().sociallogin_from_response(request, data)
        return login

    def _decode_signed(self, app: SocialApp, credential: str) -> dict[str, Any]:
        decoded: dict[str, Any] = jwtkit.verify_and_decode(
            credential=credential,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        return decoded

    def _userinfo(self, app: SocialApp, access_token: str) -> dict[str, Any]:
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers={"Authorization": f"Bearer {access_token}"})
            response.raise_for_status()
        if response.headers.get("Content-Type", "").split(";")[0].strip() == "application/jwt":
            return self._decode_signed(app, response.text.strip())
        userinfo: dict[str, Any] = response.json()
        return userinfo


def oauth2_login(request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = OAuth2LoginView.adapter_view(ProConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None  # ProConnect is not configured here
    return response


def oauth2_callback(request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = OAuth2CallbackView.adapter_view(ProConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    return response
