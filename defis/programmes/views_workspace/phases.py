"""An edition's phases and their deadlines."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest, received_at
from defis.programmes import forms, selectors, services
from defis.programmes.models import Phase
from defis.programmes.views_workspace.base import EditionItemMixin, EditionMixin, show_error


class PhasesView(EditionMixin, TemplateView):
    template_name = "programmes/workspace_phases.html"
    section = "phases"
    title = gettext_lazy("Phases and deadlines")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        edition = self.get_edition()
        used = {phase.kind for phase in edition.phases.all()}
        free = [kind for kind in Phase.Kind.values if kind not in used]
        form = kwargs.pop("form", None) or forms.PhaseForm(initial={"kind": free[0] if free else None})
        return super().get_context_data(
            **kwargs,
            **self.edition_context(
                form=form,
                timeline=selectors.timeline(edition=edition),
                now=received_at(self.request),
                reminders=selectors.reminders_of_edition(edition=edition),
            ),
        )

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        form = forms.PhaseForm(request.POST)
        if form.is_valid():
            try:
                services.save_phase(
                    actor=self.actor, edition=self.get_edition(), data=form.cleaned_data, at=request.received_at
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, _("The phase is saved; the reminders before its deadline are scheduled."))
                return self.back("phases")
        return self.render_to_response(self.get_context_data(form=form))


class PhaseEditView(EditionItemMixin, TemplateView):
    template_name = "programmes/workspace_item.html"
    model = Phase
    section = "phases"
    title = gettext_lazy("Change a phase")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        phase = self.get_item()
        form = kwargs.pop("form", None) or forms.PhaseForm(initial=forms.initial_from(phase, forms.PhaseForm.FIELDS))
        return super().get_context_data(**kwargs, **self.edition_context(form=form, item=phase, back="phases"))

    def post(self, request: DefisRequest, slug: str, pk: int) -> HttpResponse:
        form = forms.PhaseForm(request.POST)
        if form.is_valid():
            try:
                services.save_phase(
                    actor=self.actor,
                    edition=self.get_edition(),
                    phase=self.get_item(),
                    data=form.cleaned_data,
                    at=request.received_at,
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, _("The phase is saved; the reminders before its deadline are scheduled."))
                return self.back("phases")
        return self.render_to_response(self.get_context_data(form=form))
