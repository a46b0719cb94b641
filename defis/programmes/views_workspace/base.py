"""What every page of the workspace shares: the team's permission, the edition and its side menu."""

from typing import Any, cast

from django.contrib import messages
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.common.errors import DomainError
from defis.programmes import selectors
from defis.programmes.models import Edition


class WorkspaceMixin(PermissionRequiredMixin):
    permission_required = "accounts.access_team_space"
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_permission_object(self) -> None:
        return None  # the team's permission is global: checked before any lookup, a 403 reveals nothing

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)  # the team's permission lets only a signed-in member in


MENU = (
    ("overview", "edition", gettext_lazy("Overview and publication")),
    ("phases", "phases", gettext_lazy("Phases and deadlines")),
    ("rules", "rules", gettext_lazy("Who may propose, eligibility and funding")),
    ("offer", "offer", gettext_lazy("What is offered")),
    ("questions", "questions", gettext_lazy("Form questions")),
    ("criteria", "criteria", gettext_lazy("Interview criteria")),
    ("texts", "texts", gettext_lazy("Public texts")),
    ("faq", "faq", gettext_lazy("Frequently asked questions")),
    ("messages", "messages", gettext_lazy("E-mails")),
)


class EditionMixin(WorkspaceMixin):
    """A page of one edition's workspace; `section` names its entry in the side menu."""

    section = ""
    title: StrOrPromise = ""

    def get_edition(self) -> Edition:
        if not hasattr(self, "_edition"):
            self._edition = get_object_or_404(selectors.edition_for_workspace(), slug=self.kwargs["slug"])
        return self._edition

    def edition_context(self, **extra: Any) -> dict[str, Any]:
        edition = self.get_edition()
        menu = [(name, reverse(f"workspace:{url}", args=[edition.slug]), label) for name, url, label in MENU]
        return {
            "edition": edition,
            "section": self.section,
            "menu": menu,
            "title": f"{self.title} — {edition.name}",
            "page_heading": self.title,
            "breadcrumb_data": {
                "links": [
                    {"url": reverse("workspace:index"), "title": _("Editions workspace")},
                    {"url": reverse("workspace:edition", args=[edition.slug]), "title": edition.name},
                ],
                "current": self.title,
            },
            **extra,
        }

    def back(self, name: str) -> HttpResponse:
        return redirect(f"workspace:{name}", slug=self.get_edition().slug)


class EditionItemMixin(EditionMixin):
    """A page or an action on one question, phase, FAQ entry or criterion of the edition."""

    model: type[Model]

    def get_item(self) -> Any:
        return get_object_or_404(
            self.model._default_manager.select_related("edition"), pk=self.kwargs["pk"], edition=self.get_edition()
        )


def show_error(request: HttpRequest, form: BaseForm, error: DomainError) -> None:
    """A refusal of the service: next to its field when the form has it, else as a message."""
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)
