from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from defis.common.cache import page_changes_at
from defis.common.middleware import DefisRequest
from defis.organisations import selectors as organisation_selectors
from defis.programmes import selectors
from defis.programmes.models import Edition


def _next_phase_change(editions: Iterable[Edition], at: datetime) -> datetime | None:
    """The first moment after `at` when a phase of these editions opens or closes (its deadline):
    the status badges, the calendar and the call's button change then, with no write."""
    moments = [
        moment
        for edition in editions
        for phase in edition.phases.all()  # prefetched by the selectors
        for moment in (phase.opens_at, phase.deadline)
        if moment is not None and moment > at
    ]
    return min(moments, default=None)


class HomeView(TemplateView):
    template_name = "programmes/home.html"
    request: DefisRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        programmes = list(selectors.programmes_with_published_editions())
        editions = [
            edition
            for programme in programmes
            for edition in programme.published_editions  # type: ignore[attr-defined]  # the selector's to_attr
        ]
        page_changes_at(self.request, _next_phase_change(editions, self.request.received_at))
        context["programmes"] = programmes
        context["now"] = self.request.received_at
        return context


class EditionDetailView(DetailView[Edition]):
    template_name = "programmes/edition_detail.html"
    context_object_name = "edition"
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Edition]:
        if self.request.user.has_perm("accounts.access_team_space"):
            return selectors.editions_for_team()
        return selectors.published_editions()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        edition = self.object
        context["now"] = self.request.received_at
        context["current_phase"] = edition.current_phase(self.request.received_at)
        page_changes_at(self.request, _next_phase_change([edition], self.request.received_at))
        context["faq"] = edition.faq_entries.all()
        context["title"] = edition.name
        context["breadcrumb_data"] = {"current": edition.name}
        return context


class TeamDashboardView(PermissionRequiredMixin, TemplateView):
    """The programme team's entry point: editions and what needs their attention."""

    permission_required = "accounts.access_team_space"
    template_name = "programmes/team_dashboard.html"
    request: DefisRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editions"] = selectors.editions_for_team()
        context["now"] = self.request.received_at
        context["unknown_kind_organisations"] = organisation_selectors.organisations_of_unknown_kind()
        context["pending_memberships"] = organisation_selectors.pending_memberships()
        return context
