"""Included by allauth's own URLs (under /compte/): /compte/proconnect/login/ and its callback."""

from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from defis.accounts.proconnect.provider import ProConnectProvider

urlpatterns = default_urlpatterns(ProConnectProvider)
