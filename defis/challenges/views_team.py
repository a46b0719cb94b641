"""The programme team's pages over the défis of an edition: list with filters, exports, reminders."""

from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView
from dsfr.forms import DsfrBaseForm
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges.filters import TeamDefiFilter, annotate_rules
from defis.challenges.models import Defi
from defis.challenges.tasks import send_draft_reminders_task
from defis.common.exports import csv_response, xlsx_response
from defis.common.middleware import DefisRequest
from defis.organisations.models import Ministry
from defis.programmes.models import Edition, Phase

EXPORT_HEADER = (
    "id",
    "title",
    "organisation",
    "kind",
    "ministries",
    "status",
    "decision",
    "submitted_at",
    "demarche_id",
    "demarche",
    "demarche_in_top250",
    "profiles",
    "positions",
    "summary",
)


class EditionMixin(PermissionRequiredMixin):
    permission_required = "accounts.access_team_space"
    request: HttpRequest
    kwargs: dict[str, Any]

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)  # the team's permission lets only a signed-in member in

    def get_edition(self) -> Edition:
        if not hasattr(self, "_edition"):
            self._edition = get_object_or_404(
                Edition.objects.prefetch_related("phases"), slug=self.kwargs["edition_slug"]
            )
        return self._edition

    def filtered(self, request: DefisRequest) -> TeamDefiFilter:
        edition = self.get_edition()
        queryset = annotate_rules(
            Defi.objects.filter(edition=edition)
            .select_related("organisation", "demarche")
            .prefetch_related(Prefetch("organisation__parent_ministries", queryset=Ministry.objects.order_by("name"))),
            edition=edition,
        ).order_by("title", "pk")
        return TeamDefiFilter(request.GET or None, queryset=queryset, edition=edition)


class ReminderForm(DsfrBaseForm):
    days_before = forms.IntegerField(
        label=gettext_lazy("Days before the deadline"), min_value=0, max_value=60, initial=7
    )


class TeamDefiListView(EditionMixin, ListView[Defi]):
    template_name = "challenges/team_defi_list.html"
    paginate_by = 50
    context_object_name = "defis"
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Defi]:
        self.filterset = self.filtered(self.request)
        defis: QuerySet[Defi] = self.filterset.qs  # django-filter has no type hints
        return defis

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        edition = self.get_edition()
        context.update(
            edition=edition,
            filter=self.filterset,
            reminder_form=ReminderForm(),
            query=self.request.GET.urlencode(),
            drafts=Defi.objects.filter(edition=edition, status=Defi.Status.DRAFT, is_historical=False).count(),
            breadcrumb_data={
                "links": [{"url": edition.get_absolute_url(), "title": edition.name}],
                "current": _("Challenges"),
            },
        )
        return context


class TeamDefiExportView(EditionMixin, View):
    def get(self, request: DefisRequest, edition_slug: str, fmt: str) -> HttpResponseBase:
        edition = self.get_edition()
        queryset = self.filtered(request).qs
        record_event(
            actor=self.actor,
            action="defis.exported",
            target=edition,
            data={"format": fmt, "filters": request.GET.dict()},
        )
        rows = _rows(queryset)
        filename = f"defis-{edition.slug}-{timezone.localdate():%Y%m%d}.{fmt}"
        if fmt == "xlsx":
            return xlsx_response(header=EXPORT_HEADER, rows=rows, filename=filename, title=edition.name)
        return csv_response(header=EXPORT_HEADER, rows=rows, filename=filename)


def _rows(queryset: QuerySet[Defi]) -> Iterator[list[Any]]:
    for defi in queryset.iterator(chunk_size=500):
        yield [
            defi.pk,
            defi.title,
            defi.organisation.name,
            defi.organisation.get_kind_display(),
            ", ".join(ministry.name for ministry in defi.organisation.parent_ministries.all()),
            defi.get_status_display(),
            defi.get_decision_display(),
            timezone.localtime(defi.submitted_at).isoformat() if defi.submitted_at else "",
            defi.demarche.observatory_id if defi.demarche else "",
            defi.demarche.title if defi.demarche else "",
            _("yes") if getattr(defi, "demarche_in_top250", False) else _("no"),
            ", ".join(defi.profiles),
            defi.positions_count,
            defi.summary,
        ]


class TeamDefiReminderView(EditionMixin, View):
    """Queue a reminder to the co-editors of every unsubmitted draft, N days before the deadline."""

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        edition = self.get_edition()
        form = ReminderForm(request.POST)
        call = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
        if not form.is_valid() or call is None or call.deadline is None:
            messages.error(request, _("Give a number of days between 0 and 60; the call must have a deadline."))
            return redirect("challenges-team:list", edition_slug=edition.slug)
        days = form.cleaned_data["days_before"]
        when = max(call.deadline - timedelta(days=days), request.received_at)
        with transaction.atomic():
            record_event(
                actor=self.actor,
                action="defis.reminder_scheduled",
                target=edition,
                data={"days_before": days, "run_after": when.isoformat()},
            )
            task = send_draft_reminders_task.using(run_after=when)
            transaction.on_commit(partial(task.enqueue, edition_id=edition.pk, days_before=days))
        messages.success(
            request,
            _("The reminder is queued for %(when)s.") % {"when": timezone.localtime(when).strftime("%d/%m/%Y %H:%M")},
        )
        return redirect("challenges-team:list", edition_slug=edition.slug)
