"""The défi's form: save, autosave, the live checks and the démarche search."""

from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from defis.accounts.models import User
from defis.challenges import errors, forms, selectors, services
from defis.challenges.models import Defi
from defis.challenges.views.base import (
    EDIT_TEMPLATE,
    DefiView,
    checks_context,
    is_htmx,
    observatory_of,
    render_edit,
)
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.demarches import selectors as demarche_selectors
from defis.programmes import selectors as programme_selectors
from defis.programmes.models import Edition

SEARCH_LIMIT = 20


@dataclass
class SaveOutcome:
    """What became of a save: the saved défi, or a conflict with what the co-editor's version holds, or
    (saved, then submitted) the refusal of the submission."""

    defi: Defi | None = None
    conflict: Defi | None = None
    message: str = ""
    differences: list[tuple[str, str]] = field(default_factory=list)
    refusal: DomainError | None = None


def save_form(request: DefisRequest, defi: Defi, form: forms.DefiForm, *, submit: bool = False) -> SaveOutcome:
    """Save the form through the service, and submit it in the same transaction when asked; a refusal tied
    to a field goes next to it."""
    actor, at = cast(User, request.user), request.received_at
    data, answers, version = form.defi_data(), form.answers(), form.cleaned_data["version"]
    try:
        if submit:
            saved = services.submit_defi(actor=actor, defi=defi, data=data, answers=answers, version=version, at=at)
        else:
            saved = services.save_draft(actor=actor, defi=defi, data=data, answers=answers, version=version, at=at)
    except (errors.CallClosed, errors.CallNotOpenYet, errors.NotEligible) as error:
        return SaveOutcome(refusal=error)  # the submission's refusals: the form itself is saved
    except errors.OutdatedVersion as error:
        current = selectors.defi_for_edit(defi_id=defi.pk)
        differences = form.differences_from(current)
        if not differences:
            # The saved version already holds what this person typed (a double click, an autosave
            # racing the save button): no conflict.
            return SaveOutcome(defi=current)
        return SaveOutcome(conflict=current, message=error.message, differences=differences)
    except errors.InvalidAttachment as error:
        names = [name for name in form.file_field_names if form.cleaned_data.get(name)]
        form.add_error(names[0] if names else None, error.message)
        return SaveOutcome()
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return SaveOutcome()
    return SaveOutcome(defi=saved)


def _clock(request: DefisRequest) -> str:
    return formats.time_format(timezone.localtime(request.received_at), "H:i")


def _search_context(query: str, edition: Edition | None) -> dict[str, Any]:
    observatory = observatory_of(edition) if edition else demarche_selectors.latest_edition()
    results = None
    if len(query) >= 2 or query.isdigit():
        results = list(demarche_selectors.demarches_for_list(query=query, edition=observatory)[:SEARCH_LIMIT])
    return {"query": query, "results": results, "observatory": observatory}


class EditDefiView(DefiView):
    """The call's form: POST saves the draft (the same as the autosave, for a browser without script)."""

    permission_required = "challenges.change_defi"
    http_method_names = ["get", "post"]

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        search = forms.DemarcheSearchForm(request.GET)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        return render_edit(request, defi, **_search_context(query, defi.edition))

    def get_queryset(self) -> QuerySet[Defi]:
        if self.request.method == "POST":  # the autosave's form, sent by the button: read as the autosave does
            return selectors.defis_to_save(user=self.user)
        return super().get_queryset()

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        form = forms.defi_form(defi, request.POST, request.FILES)
        query = request.POST.get("q", "").strip()[:100]
        if not form.is_valid():
            return render_edit(request, defi, form=form, **_search_context(query, defi.edition))
        outcome = save_form(request, defi, form)
        if outcome.conflict is not None:
            return render_edit(
                request,
                outcome.conflict,
                form=forms.rebased(request.POST, request.FILES, outcome.conflict),
                conflict=outcome,
            )
        if outcome.defi is None:
            return render_edit(request, defi, form=form)
        messages.success(request, _("Draft saved at %(time)s") % {"time": _clock(request)})
        url = reverse("challenges:edit", kwargs={"pk": defi.pk})
        return redirect(f"{url}?{urlencode({'q': query})}#demarche" if "search" in request.POST else url)


class AutosaveDefiView(DefiView):
    """htmx posts the form here as the agent types: a status line, the new version and the live checks.
    The défi is read once (`selectors.defis_to_save`), saved, and the answer shows the saved object."""

    permission_required = "challenges.change_defi"
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[Defi]:
        return selectors.defis_to_save(user=self.user)

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        form = forms.defi_form(defi, request.POST)  # files go with the save button
        if not form.is_valid():
            return render(request, f"{EDIT_TEMPLATE}#autosave-message", {"form": form, "state": "invalid"})
        outcome = save_form(request, defi, form)
        if outcome.conflict is not None:
            return render(request, f"{EDIT_TEMPLATE}#autosave-message", {"state": "conflict", "conflict": outcome})
        if outcome.defi is None:
            return render(request, f"{EDIT_TEMPLATE}#autosave-message", {"form": form, "state": "invalid"})
        context = checks_context(outcome.defi)
        context.update(state="saved", saved_at=_clock(request), oob=True)
        return render(request, f"{EDIT_TEMPLATE}#autosave-response", context)


class DefiChecksView(DefiView):
    """The eligibility and funding checks of the défi as it is saved now."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        template = "challenges/defi_checks.html#checks" if is_htmx(request) else "challenges/defi_checks.html"
        return self.page(template, defi, _("Checks of the challenge"), eligibility=selectors.eligibility(defi=defi))


class DemarcheSearchView(LoginRequiredMixin, View):
    """The démarche autocomplete: the 20 best matches by title or observatory number, with indicators."""

    http_method_names = ["get"]

    def get(self, request: DefisRequest) -> HttpResponse:
        form = forms.DemarcheSearchForm(request.GET)
        query, edition = "", None
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            edition = programme_selectors.published_editions().filter(slug=form.cleaned_data["edition"]).first()
        return render(request, f"{EDIT_TEMPLATE}#demarche-results", _search_context(query, edition))
