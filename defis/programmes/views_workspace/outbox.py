"""The outbox: every e-mail sent or queued, one message, and sending it again."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.common.templatetags.defis_tags import paris_moment
from defis.notifications import selectors as outbox
from defis.notifications.models import OutboxMessage
from defis.programmes import forms, services
from defis.programmes.views_workspace.base import WorkspaceMixin


class OutboxView(WorkspaceMixin, ListView[OutboxMessage]):
    template_name = "programmes/workspace_outbox.html"
    context_object_name = "outbox_messages"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[OutboxMessage]:
        self.form = forms.OutboxSearchForm(self.request.GET or None, templates=outbox.outbox_templates())
        if self.form.is_valid():
            data = self.form.cleaned_data
            return outbox.outbox_messages(query=data["q"], template=data["template"], status=data["status"])
        return outbox.outbox_messages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = _("Outbox")
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            **kwargs,
            form=self.form,
            title=title,
            query=query.urlencode(),
            breadcrumb_data={
                "links": [{"url": reverse("workspace:index"), "title": _("Editions workspace")}],
                "current": title,
            },
        )


class OutboxMessageView(WorkspaceMixin, DetailView[OutboxMessage]):
    template_name = "programmes/workspace_outbox_message.html"
    context_object_name = "message"

    def get_queryset(self) -> QuerySet[OutboxMessage]:
        return OutboxMessage.objects.select_related("resent_from").prefetch_related("resends")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = _("Message of %(date)s") % {"date": paris_moment(self.object.created_at)}
        can_resend = self.object.status != OutboxMessage.Status.QUEUED
        return super().get_context_data(
            **kwargs,
            title=title,
            can_resend=can_resend,
            breadcrumb_data={
                "links": [
                    {"url": reverse("workspace:index"), "title": _("Editions workspace")},
                    {"url": reverse("workspace:outbox"), "title": _("Outbox")},
                ],
                "current": title,
            },
        )


class OutboxResendView(WorkspaceMixin, View):
    def post(self, request: DefisRequest, pk: int) -> HttpResponseBase:
        message = get_object_or_404(OutboxMessage, pk=pk)
        try:
            copy = services.resend_outbox_message(actor=self.actor, message=message, at=request.received_at)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("workspace:outbox-message", pk=message.pk)
        messages.success(request, _("The message is queued again."))
        return redirect("workspace:outbox-message", pk=copy.pk)
