"""The editions: the list, creating one from another, its overview, publication and the
sections of its configuration."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest, received_at
from defis.programmes import forms, selectors, services
from defis.programmes.models import Edition
from defis.programmes.views_workspace.base import EditionMixin, WorkspaceMixin, show_error


class EditionListView(WorkspaceMixin, ListView[Edition]):
    template_name = "programmes/workspace_index.html"
    context_object_name = "editions"

    def get_queryset(self) -> QuerySet[Edition]:
        return selectors.editions_for_team()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            **kwargs,
            title=_("Editions workspace"),
            now=received_at(self.request),
            breadcrumb_data={"current": _("Editions workspace")},
        )


class CreateEditionView(WorkspaceMixin, TemplateView):
    template_name = "programmes/workspace_create.html"

    def form(self) -> forms.CreateEditionForm:
        data = self.request.POST if self.request.method == "POST" else None
        initial = {"source": self.request.GET.get("source"), "year": received_at(self.request).year}
        return forms.CreateEditionForm(
            data,
            initial=initial,
            templates=list(selectors.edition_templates()),
            others=list(selectors.editions_to_copy()),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = _("Create an edition")
        return super().get_context_data(
            **{
                "form": self.form(),
                "title": title,
                **kwargs,
                "breadcrumb_data": {
                    "links": [{"url": reverse("workspace:index"), "title": _("Editions workspace")}],
                    "current": title,
                },
            }
        )

    def post(self, request: DefisRequest) -> HttpResponse:
        form = self.form()
        if form.is_valid():
            source = get_object_or_404(Edition.objects.prefetch_related("phases"), pk=form.cleaned_data["source"])
            try:
                edition = services.create_edition(
                    actor=self.actor,
                    source=source,
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    year=form.cleaned_data["year"],
                    at=request.received_at,
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(
                    request,
                    _("The edition %(name)s is created from %(source)s. Check each section before publishing it.")
                    % {"name": edition.name, "source": source.name},
                )
                return redirect("workspace:edition", slug=edition.slug)
        return self.render_to_response(self.get_context_data(form=form))


class EditionOverviewView(EditionMixin, TemplateView):
    template_name = "programmes/workspace_edition.html"
    section = "overview"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        edition = self.get_edition()
        self.title = _("Overview")
        return super().get_context_data(
            **kwargs,
            **self.edition_context(
                problems=selectors.publication_problems(edition=edition),
                timeline=selectors.timeline(edition=edition),
                reminders=selectors.reminders_of_edition(edition=edition),
                now=received_at(self.request),
            ),
        )


class PublishView(EditionMixin, View):
    publish = True

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        edition = self.get_edition()
        try:
            if self.publish:
                services.publish_edition(actor=self.actor, edition=edition, at=request.received_at)
                messages.success(request, _("The edition is published: its public pages are open."))
            else:
                services.unpublish_edition(actor=self.actor, edition=edition, at=request.received_at)
                messages.success(request, _("The edition is no longer published."))
        except DomainError as error:
            messages.error(request, error.message)
        return self.back("edition")


class TemplateFlagView(EditionMixin, View):
    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        services.set_edition_template(
            actor=self.actor,
            edition=self.get_edition(),
            is_template=request.POST.get("is_template") == "1",
            at=request.received_at,
        )
        return self.back("edition")


class SectionFormView(EditionMixin, TemplateView):
    """One section of the edition's configuration (rules, offer, public texts) as one form."""

    form_class: type[forms.RulesForm | forms.OfferForm | forms.TextsForm]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.pop("form", None) or self.form_class(
            initial=forms.initial_from(self.get_edition(), self.form_class.FIELDS)
        )
        return super().get_context_data(**kwargs, **self.edition_context(form=form))

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        form = self.form_class(request.POST)
        if form.is_valid():
            if request.POST.get("action") == "preview":
                return self.render_to_response(self.get_context_data(form=form, preview=form.cleaned_data))
            try:
                services.update_edition(
                    actor=self.actor,
                    edition=self.get_edition(),
                    section=self.section,
                    data=form.cleaned_data,
                    at=request.received_at,
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, _("Saved."))
                return self.back(self.section)
        return self.render_to_response(self.get_context_data(form=form))


class RulesView(SectionFormView):
    template_name = "programmes/workspace_section.html"
    form_class = forms.RulesForm
    section = "rules"
    title = gettext_lazy("Who may propose, eligibility and funding")


class OfferView(SectionFormView):
    template_name = "programmes/workspace_section.html"
    form_class = forms.OfferForm
    section = "offer"
    title = gettext_lazy("What is offered")


class TextsView(SectionFormView):
    template_name = "programmes/workspace_texts.html"
    form_class = forms.TextsForm
    section = "texts"
    title = gettext_lazy("Public texts")


class MarkdownPreviewView(WorkspaceMixin, View):
    """The Markdown of a text field as the public page will show it (htmx; nothing is saved)."""

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        get_object_or_404(Edition, slug=slug)
        return render(
            request,
            "programmes/workspace_texts.html#preview",
            {"preview": {name: request.POST.get(name, "") for name in ("presentation", "offer")}},
        )
