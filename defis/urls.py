from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from defis.common.views import StaticPageView
from defis.programmes.views import HomeView


def team_only(request: HttpRequest) -> bool:
    """Django's admin is for the programme team only, never for agents, jurors or candidates."""
    return request.user.has_perm("accounts.access_team_space") and request.user.is_staff


admin.site.has_permission = team_only  # type: ignore[method-assign]  # restrict the admin to the team
admin.site.site_header = "Défis"

handler403 = "defis.common.views.permission_denied"
handler404 = "defis.common.views.page_not_found"
handler500 = "defis.common.views.server_error"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "accessibilite/",
        StaticPageView.as_view(template_name="common/accessibility.html", title=_("Accessibility statement")),
        name="accessibility",
    ),
    path(
        "mentions-legales/",
        StaticPageView.as_view(template_name="common/legal.html", title=_("Legal notice")),
        name="legal",
    ),
    path(
        "donnees-personnelles/",
        StaticPageView.as_view(template_name="common/privacy.html", title=_("Personal data")),
        name="privacy",
    ),
    path("", include("defis.programmes.urls")),
    path("demarches/", include("defis.demarches.urls")),
    path("organisations/", include("defis.organisations.urls")),
    path("defis/", include("defis.challenges.urls")),
    path("equipe/defis/", include("defis.challenges.urls_team")),
    path("equipe/editions/", include("defis.programmes.urls_workspace")),
    path("equipe/journal/", include("defis.audit.urls")),
    path("jury/", include("defis.reviews.urls")),
    path("mes-donnees/", include("defis.privacy.urls")),
    path("compte/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
