"""Pages of the call for défis for the agents of an administration: each parses, calls a service and
responds. Every défi is looked up through `selectors.defis_visible_to` (not visible: 404), then checked
against the rules (visible but not allowed: 403)."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView
from django.views.generic.detail import SingleObjectMixin
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.challenges import errors, forms, selectors, services
from defis.challenges.models import Answer, Attachment, Defi, DefiVersion
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.demarches import selectors as demarche_selectors
from defis.demarches.models import IndicatorSet, ObservatoryEdition
from defis.organisations.models import Organisation
from defis.organisations.selectors import approved_organisations_of
from defis.programmes import selectors as programme_selectors
from defis.programmes.models import GRACE, Edition, Phase

EDIT_TEMPLATE = "challenges/defi_edit.html"
SEARCH_LIMIT = 20


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class DefiView(PermissionRequiredMixin, SingleObjectMixin[Defi], View):
    """Sign-in first, then the scope (404), then the rule (403); the défi is read once per request."""

    context_object_name = "defi"
    request: DefisRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            if is_htmx(request):
                # htmx would follow a redirect and paste the sign-in page into the form: refuse instead,
                # and the page's script keeps the unsaved text in the browser.
                return HttpResponse(_("Your session has expired: sign in again."), status=403)
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Defi]:
        return selectors.defis_visible_to(user=self.user)

    @property
    def user(self) -> User:
        return cast(User, self.request.user)  # dispatch lets only a signed-in person in

    def get_object(self, queryset: QuerySet[Defi] | None = None) -> Defi:
        if not hasattr(self, "_defi"):
            self._defi = super().get_object(queryset)
        return self._defi

    def page(self, template: str, defi: Defi, title: str, **context: Any) -> HttpResponse:
        crumb = _breadcrumb(title, defi if title != defi.title else None)
        return render(self.request, template, {"defi": defi, "title": title, "breadcrumb_data": crumb, **context})

    def section_done(self, section: str, defi: Defi, done: str) -> HttpResponse:
        """After a change to a section of the edit page: the section again for htmx, else the page."""
        if not is_htmx(self.request):
            messages.success(self.request, done)
            return redirect(reverse("challenges:edit", kwargs={"pk": defi.pk}) + f"#{section}")
        return self.section_refused(section, selectors.defi_for_edit(defi_id=defi.pk), done=done)

    def section_refused(self, section: str, defi: Defi, **context: Any) -> HttpResponse:
        context.setdefault("attachment_form", forms.AttachmentForm(limit_mb=defi.edition.attachment_max_mb))
        context.setdefault("coeditor_form", forms.CoeditorForm())
        if is_htmx(self.request):
            return render(self.request, f"{EDIT_TEMPLATE}#{section}", {"defi": defi, **context})
        return render_edit(self.request, defi, **context)


def _breadcrumb(current: str, defi: Defi | None = None) -> dict[str, Any]:
    links = [{"url": reverse("challenges:mine"), "title": _("My challenges")}]
    if defi is not None:
        links.append({"url": defi.get_absolute_url(), "title": defi.title})
    return {"links": links, "current": current}


def _observatory_of(edition: Edition) -> ObservatoryEdition | None:
    return edition.observatory_edition or demarche_selectors.latest_edition()


def _indicators_of(defi: Defi, observatory: ObservatoryEdition | None) -> IndicatorSet | None:
    """The observatory's figures for the défi's démarche, shown beside it."""
    if defi.demarche is None or observatory is None:
        return None
    return IndicatorSet.objects.filter(demarche=defi.demarche, edition=observatory).first()


def _edit_context(request: DefisRequest, defi: Defi, report: selectors.Eligibility) -> dict[str, Any]:
    observatory = _observatory_of(defi.edition)
    deadline = selectors.call_deadline(
        edition=defi.edition, organisation=defi.organisation, user=cast(User, request.user)
    )
    title = _("Edit the challenge")
    return {
        "defi": defi,
        "eligibility": report,
        "indicators": _indicators_of(defi, observatory),
        "observatory": observatory,
        "closes_at": deadline - GRACE if deadline else None,  # the published last minute
        "attachment_form": forms.AttachmentForm(limit_mb=defi.edition.attachment_max_mb),
        "coeditor_form": forms.CoeditorForm(),
        "title": title,
        "breadcrumb_data": _breadcrumb(title, defi),
    }


def render_edit(
    request: DefisRequest, defi: Defi, *, form: forms.DefiForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    """The edit page, with what the person typed when it could not be saved."""
    report = selectors.eligibility(defi=defi)
    context = _edit_context(request, defi, report)
    context["form"] = form or forms.defi_form(defi, report)
    context["unsaved"] = form is not None and form.is_bound
    context.update(extra)
    return render(request, EDIT_TEMPLATE, context, status=status)


@dataclass
class SaveOutcome:
    """What became of a save: the saved défi, or a conflict with what the co-editor's version holds."""

    defi: Defi | None = None
    conflict: Defi | None = None
    message: str = ""
    differences: list[tuple[str, str]] = field(default_factory=list)
    already_submitted: bool = False


def _save(request: DefisRequest, defi: Defi, form: forms.DefiForm) -> SaveOutcome:
    """Save the form through the service; a refusal tied to a field goes next to it."""
    try:
        saved = services.save_draft(
            actor=cast(User, request.user),
            defi=defi,
            data=form.defi_data(),
            answers=form.answers(),
            version=form.cleaned_data["version"],
            at=request.received_at,
        )
    except errors.OutdatedVersion as error:
        current = selectors.defi_for_edit(defi_id=defi.pk)
        differences = form.differences_from(current)
        if not differences:
            # The saved version already holds what this person typed (a double click, an autosave
            # racing the save button): no conflict.
            return SaveOutcome(defi=current)
        return SaveOutcome(conflict=current, message=error.message, differences=differences)
    except errors.NotEditable as error:
        form.add_error(None, error.message)
        return SaveOutcome(already_submitted=True)
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


def _moment_to_the_second(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "H:i:s"),
    }


def snapshot_digest(snapshot: object) -> str:
    """The SHA-256 of a version's content in canonical JSON: whoever holds the receipt can check it."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _search_context(query: str, edition: Edition | None) -> dict[str, Any]:
    observatory = _observatory_of(edition) if edition else demarche_selectors.latest_edition()
    results = None
    if len(query) >= 2 or query.isdigit():
        results = list(demarche_selectors.demarches_for_list(query=query, edition=observatory)[:SEARCH_LIMIT])
    return {"query": query, "results": results, "observatory": observatory}


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
            breadcrumb_data=_breadcrumb(title),
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


class EditDefiView(DefiView):
    """The call's form: POST saves the draft (the same as the autosave, for a browser without script)."""

    permission_required = "challenges.change_defi"
    http_method_names = ["get", "post"]

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        search = forms.DemarcheSearchForm(request.GET)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        return render_edit(request, defi, **_search_context(query, defi.edition))

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        form = forms.defi_form(defi, selectors.eligibility(defi=defi), request.POST, request.FILES)
        query = request.POST.get("q", "").strip()[:100]
        if not form.is_valid():
            return render_edit(request, defi, form=form, **_search_context(query, defi.edition))
        outcome = _save(request, defi, form)
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
    """htmx posts the form here as the agent types: a status line, the new version and the live checks."""

    permission_required = "challenges.change_defi"
    http_method_names = ["post"]

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        form = forms.defi_form(defi, selectors.eligibility(defi=defi), request.POST)  # files go with the save button
        if not form.is_valid():
            return render(request, f"{EDIT_TEMPLATE}#autosave-message", {"form": form, "state": "invalid"})
        outcome = _save(request, defi, form)
        if outcome.conflict is not None:
            return render(request, f"{EDIT_TEMPLATE}#autosave-message", {"state": "conflict", "conflict": outcome})
        if outcome.defi is None:
            return render(request, f"{EDIT_TEMPLATE}#autosave-message", {"form": form, "state": "invalid"})
        defi = selectors.defi_for_edit(defi_id=defi.pk)
        report = selectors.eligibility(defi=defi)
        context = _edit_context(request, defi, report)
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


class AttachmentUploadView(DefiView):
    """Join a PDF, checked by content and size by the service."""

    permission_required = "challenges.change_defi"
    http_method_names = ["post"]

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        form = forms.AttachmentForm(request.POST, request.FILES, limit_mb=defi.edition.attachment_max_mb)
        if form.is_valid():
            try:
                attachment = services.add_attachment(
                    actor=self.user, defi=defi, upload=form.cleaned_data["file"], at=request.received_at
                )
            except DomainError as error:
                form.add_error("file" if error.field == "file" else None, error.message)
            else:
                return self.section_done(
                    "attachments", defi, _("The document %(name)s is attached.") % {"name": attachment.name}
                )
        return self.section_refused("attachments", defi, attachment_form=form)


class AttachmentDownloadView(DefiView):
    """Files are served only here, to those who may see the défi."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, pk: int, attachment_pk: int) -> FileResponse:
        attachment = get_object_or_404(Attachment.objects.filter(defi=self.get_object()), pk=attachment_pk)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type="application/pdf"
        )


class AttachmentDeleteView(DefiView):
    permission_required = "challenges.change_defi"
    http_method_names = ["post"]

    def post(self, request: DefisRequest, pk: int, attachment_pk: int) -> HttpResponse:
        defi = self.get_object()
        attachment = get_object_or_404(Attachment.objects.filter(defi=defi), pk=attachment_pk)
        try:
            services.remove_attachment(actor=self.user, attachment=attachment)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(defi)
        return self.section_done(
            "attachments", defi, _("The document %(name)s is removed.") % {"name": attachment.name}
        )


class InviteCoeditorView(DefiView):
    """A co-editor invites a colleague who is an accepted member of the organisation."""

    permission_required = "challenges.change_defi"
    http_method_names = ["post"]

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        form = forms.CoeditorForm(request.POST)
        if form.is_valid():
            try:
                coeditor = services.invite_coeditor(actor=self.user, defi=defi, email=form.cleaned_data["email"])
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                done = _("%(person)s can now edit the challenge; they are told by e-mail.") % {"person": coeditor.user}
                return self.section_done("coeditors", defi, done)
        return self.section_refused("coeditors", defi, coeditor_form=form)


class SubmitDefiView(DefiView):
    """Save what the form holds, then submit it. Idempotent: a repeat returns to the receipt."""

    permission_required = "challenges.submit_defi"
    http_method_names = ["post"]

    def post(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = selectors.defi_for_edit(defi_id=self.get_object().pk)
        if defi.status == Defi.Status.DRAFT and "version" in request.POST:
            form = forms.defi_form(defi, selectors.eligibility(defi=defi), request.POST, request.FILES)
            if not form.is_valid():
                return render_edit(request, defi, form=form)
            outcome = _save(request, defi, form)
            if outcome.conflict is not None:
                return render_edit(
                    request,
                    outcome.conflict,
                    form=forms.rebased(request.POST, request.FILES, outcome.conflict),
                    conflict=outcome,
                )
            if outcome.defi is None and not outcome.already_submitted:
                return render_edit(request, defi, form=form)
            defi = selectors.defi_for_edit(defi_id=defi.pk)
        try:
            defi = services.submit_defi(actor=self.user, defi=defi, at=request.received_at)
        except DomainError as error:
            form = forms.bound_to_saved(defi)
            if isinstance(error, errors.NotEligible):
                report = selectors.eligibility(defi=defi)
                for check in report.failures:
                    if check.field in form.fields:
                        form.add_error(check.field, check.message)
                form.add_missing_for_submission(form.missing_for_submission())
            return render_edit(request, defi, form=form, submit_error=error.message)
        messages.success(request, _("Your challenge is submitted. A receipt is sent to every co-editor by e-mail."))
        return redirect("challenges:receipt", pk=defi.pk)


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


class DefiDetailView(DefiView):
    """A défi as it stands: its answers, versions, co-editors, attachments and the actions allowed."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get_queryset(self) -> QuerySet[Defi]:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("versions", queryset=DefiVersion.objects.select_related("created_by").order_by("-number")),
                Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position")),
                "attachments",
                "edition__phases",
                "edition__questions",
            )
        )

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        observatory = _observatory_of(defi.edition)
        report = selectors.eligibility(defi=defi) if defi.status == Defi.Status.DRAFT else None
        return self.page(
            "challenges/defi_detail.html",
            defi,
            defi.title,
            observatory=observatory,
            indicators=_indicators_of(defi, observatory),
            eligibility=report,
        )


class ReceiptView(DefiView):
    """The printable receipt of the last submission, with the fingerprint of what was submitted."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        version = defi.versions.filter(reason=DefiVersion.Reason.SUBMITTED).order_by("-number").first()
        if version is None or defi.submitted_at is None:
            raise Http404
        return self.page(
            "challenges/defi_receipt.html",
            defi,
            _("Receipt"),
            version=version,
            digest=snapshot_digest(version.snapshot),
            submitted_at=_moment_to_the_second(defi.submitted_at),
        )


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
