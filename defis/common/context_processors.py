from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page's header and footer read: no query, unlike django-dsfr's own processor.

    The team check calls the predicate itself: going through `has_perm` would also ask Django's
    ModelBackend, which loads the person's permissions on every page."""
    from defis.accounts.rules import is_programme_team

    return {
        "user_is_team": is_programme_team(request.user),
        "SITE_CONFIG": {
            "site_title": "Défis",
            "site_tagline": _("The State's open-innovation talent programmes"),
            "header_brand_html": "République<br>française",
            "footer_brand_html": "République<br>française",
        },
    }
