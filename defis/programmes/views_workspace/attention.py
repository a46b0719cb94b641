"""What needs the team's attention, the reminders to draft co-editors and the deadline extensions."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest, received_at
from defis.common.templatetags.defis_tags import paris_moment
from defis.notifications import selectors as outbox
from defis.organisations import selectors as organisation_selectors
from defis.organisations.models import Organisation
from defis.programmes import forms, selectors, services
from defis.programmes.views_workspace.base import EditionMixin, WorkspaceMixin, show_error


class AttentionView(WorkspaceMixin, TemplateView):
    template_name = "programmes/workspace_attention.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        at = received_at(self.request)
        title = _("What needs attention")
        return super().get_context_data(
            **kwargs,
            title=title,
            now=at,
            breadcrumb_data={
                "links": [{"url": reverse("workspace:index"), "title": _("Editions workspace")}],
                "current": title,
            },
            events=selectors.phase_events_soon(at=at),
            drafts=selectors.drafts_by_edition(at=at),
            pending_memberships=list(organisation_selectors.pending_memberships()),
            unknown_kind_organisations=list(organisation_selectors.organisations_of_unknown_kind()),
            failed_messages=list(outbox.failed_messages()[:50]),
        )


class RemindView(EditionMixin, View):
    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        try:
            reminder, queued = services.queue_call_reminder(
                actor=self.actor, edition=self.get_edition(), at=request.received_at
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if queued:
                messages.success(request, _("The reminder is queued: each co-editor of a draft gets one e-mail."))
            else:
                messages.info(
                    request, _("A reminder with the same delay is already queued or sent: nothing more is sent.")
                )
        return redirect("workspace:attention")


class ExtendDeadlineView(EditionMixin, TemplateView):
    template_name = "programmes/workspace_item.html"
    section = "phases"
    title = gettext_lazy("Extend a deadline for one organisation")

    def form(self, data: Any = None) -> forms.ExtensionForm:
        return forms.ExtensionForm(
            data,
            initial={"organisation": self.request.GET.get("organisation")},
            organisations=Organisation.objects.order_by("name"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.pop("form", None) or self.form()
        return super().get_context_data(**kwargs, **self.edition_context(form=form, back="phases"))

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.grant_deadline_extension(
                    actor=self.actor, edition=self.get_edition(), at=request.received_at, **form.cleaned_data
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(
                    request,
                    _("%(organisation)s may submit until %(when)s.")
                    % {
                        "organisation": form.cleaned_data["organisation"].name,
                        "when": paris_moment(form.cleaned_data["closes_at"]),
                    },
                )
                return redirect("workspace:attention")
        return self.render_to_response(self.get_context_data(form=form))
