"""A person's own data (export, erasure, consent) and the programme team's side (erasure requests,
retention periods). Each view parses, calls a service and responds."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.privacy import selectors, services
from defis.privacy.forms import ErasureDeclineForm, ErasureRequestForm, RetentionPolicyForm
from defis.privacy.models import ErasureRequest
from defis.programmes.models import Edition


def _user(request: DefisRequest) -> User:
    return cast(User, request.user)  # the views below let only a signed-in person in


class MyDataView(LoginRequiredMixin, TemplateView):
    template_name = "privacy/my_data.html"
    request: DefisRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _user(self.request)
        consented = selectors.consented_edition_ids(user=user)
        title = _("My personal data")
        context.update(
            title=title,
            breadcrumb_data={"current": title},
            erasure_form=ErasureRequestForm(),
            pending_erasure=selectors.pending_erasure_request_of(user=user),
            editions=[(edition, edition.pk in consented) for edition in selectors.editions_of(user=user)],
        )
        return context


class ExportView(LoginRequiredMixin, View):
    """The person's archive: a POST, since it writes an audit row, answered by a streamed ZIP."""

    http_method_names = ["post"]

    def post(self, request: DefisRequest) -> StreamingHttpResponse:
        stream = services.export_personal_data(actor=_user(request), at=request.received_at)
        response = StreamingHttpResponse(stream, content_type="application/zip")
        filename = f"mes-donnees-defis-{timezone.localdate(request.received_at):%Y%m%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class ErasureRequestView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: DefisRequest) -> HttpResponse:
        form = ErasureRequestForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.request_erasure(actor=_user(request), reason=reason, at=request.received_at)
        messages.success(
            request, _("Your request is recorded: the programme team will erase your data and tell you by e-mail.")
        )
        return redirect("privacy:mine")


class ConsentView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        edition = get_object_or_404(selectors.editions_of(user=_user(request)), slug=slug)
        keep = services.set_retention_consent(
            actor=_user(request), edition=edition, keep=request.POST.get("keep") == "1"
        )
        message = (
            _("Your data will be kept after %(edition)s.")
            if keep
            else _("Your data will be erased after %(edition)s, as its retention policy says.")
        )
        messages.success(request, message % {"edition": edition.name})
        return redirect("privacy:mine")


class TeamMixin(PermissionRequiredMixin):
    def team_breadcrumb(self, current: str, *links: dict[str, str]) -> dict[str, Any]:
        return {"links": [{"url": reverse("programmes:team"), "title": _("Team space")}, *links], "current": current}


class ErasureRequestListView(TeamMixin, ListView[ErasureRequest]):
    permission_required = "privacy.decide_erasure"
    template_name = "privacy/erasure_request_list.html"
    context_object_name = "erasure_requests"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[ErasureRequest]:
        return selectors.erasure_requests_for_team()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        title = _("Erasure requests")
        context.update(title=title, breadcrumb_data=self.team_breadcrumb(title))
        return context


class ErasureRequestDetailView(TeamMixin, DetailView[ErasureRequest]):
    permission_required = "privacy.decide_erasure"
    template_name = "privacy/erasure_request_detail.html"
    context_object_name = "erasure_request"

    def get_queryset(self) -> QuerySet[ErasureRequest]:
        return selectors.erasure_requests_for_team()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        title = _("Erasure request of %(person)s") % {"person": self.object.user}
        context.update(
            title=title,
            decline_form=ErasureDeclineForm(),
            breadcrumb_data=self.team_breadcrumb(
                title, {"url": reverse("privacy:erasure-requests"), "title": _("Erasure requests")}
            ),
        )
        return context


class ConfirmErasureView(TeamMixin, SingleObjectMixin[ErasureRequest], View):
    permission_required = "privacy.decide_erasure"
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[ErasureRequest]:
        return selectors.erasure_requests_for_team()

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        erasure_request = self.get_object()
        try:
            services.confirm_erasure(actor=_user(request), erasure_request=erasure_request, at=request.received_at)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person's data is erased."))
        return redirect("privacy:erasure-request", pk=erasure_request.pk)


class DeclineErasureView(TeamMixin, SingleObjectMixin[ErasureRequest], View):
    permission_required = "privacy.decide_erasure"
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[ErasureRequest]:
        return selectors.erasure_requests_for_team()

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        erasure_request = self.get_object()
        form = ErasureDeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the data must be kept."))
        else:
            try:
                services.decline_erasure(
                    actor=_user(request),
                    erasure_request=erasure_request,
                    answer=form.cleaned_data["answer"],
                    at=request.received_at,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The request is declined."))
        return redirect("privacy:erasure-request", pk=erasure_request.pk)


class RetentionPolicyListView(TeamMixin, ListView[Edition]):
    permission_required = "privacy.set_retention_policy"
    template_name = "privacy/retention_policy_list.html"
    context_object_name = "editions"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Edition]:
        return selectors.editions_with_policies()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = []
        for edition in context["editions"]:
            policy = getattr(edition, "retention_policy", None)
            rows.append(
                {
                    "edition": edition,
                    "policy": policy,
                    "due_at": selectors.retention_due_at(policy=policy) if policy is not None else None,
                    "form": RetentionPolicyForm(
                        prefix=edition.slug,
                        initial={"months_after_end": policy.months_after_end if policy is not None else 24},
                    ),
                }
            )
        title = _("Retention of personal data")
        context.update(title=title, rows=rows, breadcrumb_data=self.team_breadcrumb(title))
        return context


class SetRetentionPolicyView(TeamMixin, View):
    permission_required = "privacy.set_retention_policy"
    http_method_names = ["post"]

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        edition = get_object_or_404(Edition, slug=slug)
        form = RetentionPolicyForm(request.POST, prefix=edition.slug)
        if not form.is_valid():
            messages.error(request, _("Give a number of months between 1 and 120."))
        else:
            try:
                services.set_retention_policy(
                    actor=_user(request), edition=edition, months_after_end=form.cleaned_data["months_after_end"]
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The retention period of %(edition)s is set.") % {"edition": edition.name})
        return redirect("privacy:retention")
