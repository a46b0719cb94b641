from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.forms import Form
from django.http import HttpRequest

from defis.accounts.models import User
from defis.accounts.proconnect.services import apply_proconnect_claims
from defis.audit.services import record_event


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    data = sociallogin.account.extra_data or {}
    claims: dict[str, Any] = data.get("userinfo") or data.get("id_token") or {}
    return claims


class ProConnectAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-up through ProConnect stays open when e-mail sign-up is closed, and every ProConnect
    sign-in refreshes the names and may ask to join the organisation of the SIRET sent."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Form | None = None) -> User:
        user: User = super().save_user(request, sociallogin, form)
        record_event(actor=user, action="account.signed_up_with_proconnect", target=user)
        apply_proconnect_claims(user=user, claims=_claims(sociallogin))
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.is_existing and sociallogin.account.provider == "proconnect":
            apply_proconnect_claims(user=sociallogin.user, claims=_claims(sociallogin))
