"""The audit log, for the programme team: read only; no page edits or deletes a row."""

from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from defis.audit import selectors
from defis.audit.forms import EventFilterForm
from defis.audit.models import Event
from defis.common.middleware import DefisRequest


class EventListView(PermissionRequiredMixin, ListView[Event]):
    permission_required = "audit.view_event"
    template_name = "audit/event_list.html"
    context_object_name = "events"
    paginate_by = 50
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Event]:
        self.filter_form = EventFilterForm(
            self.request.GET or None, actions=selectors.known_actions(), target_types=selectors.known_target_types()
        )
        return selectors.events_matching(**self.filter_form.criteria())  # type: ignore[arg-type]  # typed by the form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        title = _("Audit log")
        context.update(
            title=title,
            filter_form=self.filter_form,
            query=query.urlencode(),
            breadcrumb_data={
                "links": [{"url": reverse("programmes:team"), "title": _("Team space")}],
                "current": title,
            },
        )
        return context


class EventHistoryView(PermissionRequiredMixin, ListView[Event]):
    """Every row about one object, oldest first."""

    permission_required = "audit.view_event"
    template_name = "audit/event_history.html"
    context_object_name = "events"
    paginate_by = 100
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Event]:
        return selectors.history_of(target_type=self.kwargs["target_type"], target_id=self.kwargs["target_id"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page: Page[Event] = context["page_obj"]
        first = page.object_list[0] if page.object_list else None
        name = first.target_repr if first is not None else self.kwargs["target_id"]
        title = _("History of %(object)s") % {"object": name}
        context.update(
            title=title,
            target_type=self.kwargs["target_type"],
            target_id=self.kwargs["target_id"],
            breadcrumb_data={"links": [{"url": reverse("audit:list"), "title": _("Audit log")}], "current": title},
        )
        return context
