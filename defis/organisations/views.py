from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.organisations import selectors, services
from defis.organisations.forms import (
    MembershipRequestForm,
    MembershipRoleForm,
    OrganisationKindForm,
    OrganisationSearchForm,
)
from defis.organisations.models import Membership, Organisation


class MyOrganisationsView(LoginRequiredMixin, FormView[MembershipRequestForm]):
    """A person's requests to join organisations, the form to ask for another one, and the
    requests a manager has to decide."""

    template_name = "organisations/membership_list.html"
    form_class = MembershipRequestForm
    request: DefisRequest

    @cached_property
    def search_form(self) -> OrganisationSearchForm:
        return OrganisationSearchForm(self.request.GET or None)

    @cached_property
    def query(self) -> str:
        # The search narrows the list shown; what is posted is checked against every organisation.
        if self.request.method != "GET" or not self.search_form.is_valid():
            return ""
        return str(self.search_form.cleaned_data["q"]).strip()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = selectors.organisations_matching(query=self.query)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)  # LoginRequiredMixin lets only a signed-in person in
        title = _("My organisations")
        context.update(
            title=title,
            breadcrumb_data={"current": title},
            search_form=self.search_form,
            no_match=bool(self.query) and not selectors.organisations_matching(query=self.query).exists(),
            memberships=selectors.memberships_of(user=user),
            to_decide=selectors.pending_memberships_managed_by(user=user),
        )
        return context

    def form_valid(self, form: MembershipRequestForm) -> HttpResponse:
        organisation = form.cleaned_data["organisation"]
        try:
            services.request_membership(
                actor=cast(User, self.request.user),  # LoginRequiredMixin lets only a signed-in person in
                organisation=organisation,
                job_title=form.cleaned_data["job_title"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        message = _("Your request to join %(name)s is sent; you will get an e-mail once it is decided.")
        messages.success(self.request, message % {"name": organisation.name})
        return redirect("organisations:mine")


class MembershipReviewView(LoginRequiredMixin, DetailView[Membership]):
    """One request to join an organisation, for those who may decide it; a 404 for anybody else."""

    template_name = "organisations/membership_review.html"
    context_object_name = "membership"
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.memberships_decidable_by(user=self.request.user)  # type: ignore[arg-type]  # anonymous: none

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        title = _("Request to join %(name)s") % {"name": self.object.organisation.name}
        context.update(
            title=title,
            can_set_role=self.request.user.has_perm("organisations.set_membership_role"),
            breadcrumb_data={
                "links": [{"url": reverse("organisations:mine"), "title": _("My organisations")}],
                "current": title,
            },
        )
        return context


class DecideMembershipView(PermissionRequiredMixin, SingleObjectMixin[Membership], View):
    """Approve or refuse a request: POST only, the same scope as the review page."""

    permission_required = "organisations.decide_membership"
    http_method_names = ["post"]
    request: DefisRequest
    decide: Callable[..., Membership]

    def success_message(self, membership: Membership) -> str:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.memberships_decidable_by(user=self.request.user)  # type: ignore[arg-type]  # anonymous: none

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        membership = self.get_object()
        try:
            membership = type(self).decide(
                actor=cast(User, request.user),  # the scope holds nothing for an anonymous visitor
                membership=membership,
                at=request.received_at,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message(membership))
        return redirect("organisations:membership", pk=membership.pk)


class ApproveMembershipView(DecideMembershipView):
    decide = services.approve_membership

    def success_message(self, membership: Membership) -> str:
        return _("The request of %(email)s is accepted; they are told by e-mail.") % {"email": membership.user.email}


class RefuseMembershipView(DecideMembershipView):
    decide = services.refuse_membership

    def success_message(self, membership: Membership) -> str:
        return _("The request of %(email)s is refused; they are told by e-mail.") % {"email": membership.user.email}


class SetMembershipRoleView(PermissionRequiredMixin, SingleObjectMixin[Membership], View):
    """The team names a manager of an organisation, or makes them a plain member again: POST only."""

    permission_required = "organisations.set_membership_role"
    http_method_names = ["post"]
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.memberships_decidable_by(user=self.request.user)  # type: ignore[arg-type]  # anonymous: none

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        membership = self.get_object()
        form = MembershipRoleForm(request.POST)
        if not form.is_valid():
            raise SuspiciousOperation("unknown role")  # the buttons post the roles only: a 400
        try:
            services.set_membership_role(
                actor=cast(User, request.user),  # the permission let only the team in
                membership=membership,
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role is saved."))
        return redirect("organisations:membership", pk=membership.pk)


class OrganisationDetailView(DetailView[Organisation]):
    """An organisation's public facts; its members for the team and those accepted into it."""

    template_name = "organisations/organisation_detail.html"
    context_object_name = "organisation"
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation, user = self.object, self.request.user
        can_view_members = user.has_perm("organisations.view_members", organisation)
        can_set_kind = user.has_perm("organisations.set_organisation_kind", organisation)
        context.update(
            title=organisation.name,
            breadcrumb_data={"current": organisation.name},
            members=selectors.approved_members_of(organisation=organisation) if can_view_members else None,
            own_membership=selectors.membership_of(user=user, organisation=organisation),  # type: ignore[arg-type]  # anonymous: None
            kind_form=OrganisationKindForm(initial={"kind": organisation.kind, "basis": organisation.kind_basis})
            if can_set_kind
            else None,
        )
        return context


class SetOrganisationKindView(PermissionRequiredMixin, SingleObjectMixin[Organisation], View):
    """The team establishes an organisation's kind: POST only."""

    permission_required = "organisations.set_organisation_kind"
    http_method_names = ["post"]
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_pages()

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        organisation = self.get_object()
        form = OrganisationKindForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(organisation)
        try:
            services.set_organisation_kind(
                actor=cast(User, request.user),  # the permission let only the team in
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                basis=form.cleaned_data["basis"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The kind of the organisation is saved."))
        return redirect(organisation)
