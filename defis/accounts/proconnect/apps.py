from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProConnectConfig(AppConfig):
    """ProConnect sign-in: an allauth provider, found by allauth in this app's `provider` module."""

    name = "defis.accounts.proconnect"
    label = "proconnect"
    verbose_name = _("ProConnect")
