"""What the pages of one défi share: the order of the checks, the edit page and the breadcrumb."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic.detail import SingleObjectMixin
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.challenges import forms, selectors
from defis.challenges.models import Defi
from defis.common.middleware import DefisRequest
from defis.demarches import selectors as demarche_selectors
from defis.demarches.models import ObservatoryEdition
from defis.programmes.models import GRACE, Edition

EDIT_TEMPLATE = "challenges/defi_edit.html"


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request, to be answered with a fragment rather than a page."""
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
        crumb = breadcrumb(title, defi if title != defi.title else None)
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


def breadcrumb(current: str, defi: Defi | None = None) -> dict[str, Any]:
    """The breadcrumb under "My challenges", through the défi's page when one is given."""
    links = [{"url": reverse("challenges:mine"), "title": _("My challenges")}]
    if defi is not None:
        links.append({"url": defi.get_absolute_url(), "title": defi.title})
    return {"links": links, "current": current}


def observatory_of(edition: Edition) -> ObservatoryEdition | None:
    """The observatory edition whose figures the défis of the edition show: its own, else the latest."""
    return edition.observatory_edition or demarche_selectors.latest_edition()


def checks_context(defi: Defi) -> dict[str, Any]:
    """What the checks and the démarche beside the form show: the autosave's answer holds only these."""
    observatory = observatory_of(defi.edition)
    return {
        "defi": defi,
        "eligibility": selectors.eligibility(defi=defi),
        "indicators": selectors.demarche_figures(defi=defi, observatory=observatory),
        "observatory": observatory,
    }


def edit_context(request: DefisRequest, defi: Defi) -> dict[str, Any]:
    """What the edit page shows around the form."""
    deadline = selectors.call_deadline(
        edition=defi.edition, organisation=defi.organisation, user=cast(User, request.user)
    )
    title = _("Edit the challenge")
    return {
        **checks_context(defi),
        "closes_at": deadline - GRACE if deadline else None,  # the published last minute
        "attachment_form": forms.AttachmentForm(limit_mb=defi.edition.attachment_max_mb),
        "coeditor_form": forms.CoeditorForm(),
        "title": title,
        "breadcrumb_data": breadcrumb(title, defi),
    }


def render_edit(
    request: DefisRequest, defi: Defi, *, form: forms.DefiForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    """The edit page, with what the person typed when it could not be saved."""
    context = edit_context(request, defi)
    context["form"] = form = form or forms.defi_form(defi)
    form.show_current_files(defi.answers.all())
    context["unsaved"] = form.is_bound
    context.update(extra)
    return render(request, EDIT_TEMPLATE, context, status=status)
