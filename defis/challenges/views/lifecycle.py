"""A défi's changes of state: submission, withdrawal and reopening."""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from defis.challenges import errors, forms, selectors, services
from defis.challenges.models import Defi
from defis.challenges.views.base import DefiView, render_edit
from defis.challenges.views.editing import save_form
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest


class SubmitDefiView(DefiView):
    """Save what the form holds and submit it, in one transaction. Idempotent: a repeat returns to the
    receipt. The défi is read once (`selectors.defis_to_save`), then under the service's lock."""

    permission_required = "challenges.submit_defi"
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[Defi]:
        return selectors.defis_to_save(user=self.user)

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        submitted = False
        if defi.status == Defi.Status.DRAFT and "version" in request.POST:
            form = forms.defi_form(defi, request.POST, request.FILES)
            if not form.is_valid():
                return render_edit(request, defi, form=form)
            outcome = save_form(request, defi, form, submit=True)
            if outcome.conflict is not None:
                return render_edit(
                    request,
                    outcome.conflict,
                    form=forms.rebased(request.POST, request.FILES, outcome.conflict),
                    conflict=outcome,
                )
            if outcome.refusal is not None:
                return self.refused(outcome.refusal)
            if outcome.defi is None:
                return render_edit(request, defi, form=form)
            # Saved and submitted; or the saved version already held the form (a racing autosave), and
            # it is submitted below.
            defi, submitted = outcome.defi, outcome.defi.status == Defi.Status.SUBMITTED
        if not submitted:
            try:
                defi = services.submit_defi(actor=self.user, defi=defi, at=request.received_at)
            except DomainError as error:
                return self.refused(error)
        messages.success(request, _("Your challenge is submitted. A receipt is sent to every co-editor by e-mail."))
        return redirect("challenges:receipt", pk=defi.pk)

    def refused(self, error: DomainError) -> HttpResponse:
        """The edit page of the défi as saved, with why it was not submitted next to each field concerned."""
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        form = forms.bound_to_saved(defi)
        if isinstance(error, errors.NotEligible):
            for check in selectors.eligibility(defi=defi).failures:
                if check.field in form.fields:
                    form.add_error(check.field, check.message)
            form.add_missing_for_submission(form.missing_for_submission())
        return render_edit(self.request, defi, form=form, submit_error=error.message)


class ChangeStateView(DefiView):
    """Withdraw or reopen: the service decides whether the state may change now."""

    http_method_names = ["post"]
    success_message: str | Promise = ""

    def change(self, defi: Defi) -> Defi:
        raise NotImplementedError

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        try:
            defi = self.change(self.get_object())
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.get_object())
        messages.success(request, str(self.success_message))
        return redirect("challenges:edit", pk=defi.pk) if defi.status == Defi.Status.DRAFT else redirect(defi)


class WithdrawDefiView(ChangeStateView):
    permission_required = "challenges.withdraw_defi"
    success_message = gettext_lazy("The challenge is withdrawn. You may reopen it while the call is open.")

    def change(self, defi: Defi) -> Defi:
        return services.withdraw_defi(actor=self.user, defi=defi, at=self.request.received_at)


class ReopenDefiView(ChangeStateView):
    permission_required = "challenges.reopen_defi"
    success_message = gettext_lazy("The challenge is a draft again: change it, then submit it again.")

    def change(self, defi: Defi) -> Defi:
        return services.reopen_defi(actor=self.user, defi=defi, at=self.request.received_at)
