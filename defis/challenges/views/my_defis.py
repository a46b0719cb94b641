"""The agent's défis and the start of a new one."""

from datetime import datetime
from typing import Any, cast

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from defis.accounts.models import User
from defis.challenges import errors, forms, selectors, services
from defis.challenges.models import Defi
from defis.challenges.views.base import breadcrumb
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.organisations.models import Organisation
from defis.organisations.selectors import approved_organisations_of
from defis.programmes import selectors as programme_selectors
from defis.programmes.models import Edition, Phase


def _call_open_to(edition: Edition, organisations: list[Organisation], user: User, at: datetime) -> bool:
    """Whether one of the agent's organisations may still propose to the edition, extensions included."""
    candidates: list[Organisation | None] = [*organisations] or [None]
    return any(selectors.call_is_open_for(edition=edition, organisation=o, user=user, at=at) for o in candidates)


class MyDefisView(LoginRequiredMixin, ListView[Defi]):
    """The agent's défis and, for each edition whose call is open, a button to propose one."""

    template_name = "challenges/defi_list.html"
    context_object_name = "defis"
    request: DefisRequest

    def get_queryset(self) -> QuerySet[Defi]:
        return selectors.defis_of_agent(user=cast(User, self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, at = cast(User, self.request.user), self.request.received_at
        organisations = list(approved_organisations_of(user=user))
        editions = programme_selectors.published_editions().filter(is_historical=False)
        # Past the published deadline, one of the organisations may still hold an extension.
        open_editions = [
            edition
            for edition in editions
            if (phase := edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)) is not None
            and phase.opens_at <= at
            and (phase.is_open(at) or _call_open_to(edition, organisations, user, at))
        ]
        title = _("My challenges")
        context.update(
            title=title,
            breadcrumb_data={"current": title},
            open_editions=open_editions,
            organisations=organisations,
            now=at,
        )
        return context


class CreateDefiView(LoginRequiredMixin, FormView[forms.CreateDefiForm]):
    """Start a défi for one of the organisations that accepted the agent; a double submit creates one."""

    template_name = "challenges/defi_create.html"
    form_class = forms.CreateDefiForm
    request: DefisRequest

    @cached_property
    def edition(self) -> Edition:
        editions = programme_selectors.published_editions()
        if self.request.user.has_perm("accounts.access_team_space"):
            editions = programme_selectors.editions_for_team()
        return get_object_or_404(editions.filter(is_historical=False), slug=self.kwargs["edition_slug"])

    @cached_property
    def organisations(self) -> list[Organisation]:
        return list(approved_organisations_of(user=cast(User, self.request.user)))

    def closed_message(self) -> str:
        """Why nobody here may propose now, or an empty string while the call is open for one of them."""
        at, user = self.request.received_at, cast(User, self.request.user)
        phase = self.edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
        if phase is not None and at < phase.opens_at:
            return errors.CallNotOpenYet(opens_at=phase.opens_at).message
        if _call_open_to(self.edition, self.organisations, user, at):
            return ""
        return errors.CallClosed(closes_at=phase.closes_at if phase else None).message

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = approved_organisations_of(user=cast(User, self.request.user))
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"organisation": self.organisations[0]} if len(self.organisations) == 1 else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        title = _("Propose a challenge to %(edition)s") % {"edition": self.edition.name}
        context.update(
            title=title,
            edition=self.edition,
            organisations=self.organisations,
            closed_message=self.closed_message() if self.organisations else "",
            breadcrumb_data=breadcrumb(title),
        )
        return context

    def form_valid(self, form: forms.CreateDefiForm) -> HttpResponse:
        try:
            defi = services.create_defi(
                actor=cast(User, self.request.user),
                edition=self.edition,
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                token=form.cleaned_data["token"],
                at=self.request.received_at,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        return redirect("challenges:edit", pk=defi.pk)
