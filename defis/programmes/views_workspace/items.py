"""An edition's FAQ entries and interview criteria (list, add, change), and the deletion of any item of
the edition, phases and questions included."""

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.programmes import forms, services
from defis.programmes.models import FaqEntry, InterviewCriterion, Phase
from defis.programmes.views_workspace.base import EditionItemMixin, EditionMixin, show_error


class DeleteItemView(EditionItemMixin, View):
    model: type[Model] = Phase  # set per URL
    back_to = ""

    def post(self, request: DefisRequest, slug: str, pk: int) -> HttpResponse:
        item = self.get_item()
        if isinstance(item, Phase):
            services.delete_phase(actor=self.actor, phase=item, at=request.received_at)
        else:
            services.delete_edition_item(actor=self.actor, item=item, at=request.received_at)
        messages.success(request, _("Deleted."))
        return self.back(self.back_to)


class ItemListView(EditionMixin, TemplateView):
    """The list of an edition's questions, FAQ entries or criteria, with the form to add one."""

    template_name = "programmes/workspace_items.html"
    form_class: type[forms.QuestionForm | forms.FaqEntryForm | forms.InterviewCriterionForm]
    save: Any

    def items(self) -> list[Any]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.pop("form", None) or self.form_class()
        return super().get_context_data(**kwargs, **self.edition_context(form=form, items=self.items()))

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                type(self).save(
                    actor=self.actor, edition=self.get_edition(), data=form.cleaned_data, at=request.received_at
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, _("Added."))
                return self.back(self.section)
        return self.render_to_response(self.get_context_data(form=form))


class FaqView(ItemListView):
    form_class = forms.FaqEntryForm
    section = "faq"
    title = gettext_lazy("Frequently asked questions")
    save = services.save_faq_entry

    def items(self) -> list[Any]:
        return list(self.get_edition().faq_entries.all())


class CriteriaView(ItemListView):
    form_class = forms.InterviewCriterionForm
    section = "criteria"
    title = gettext_lazy("Interview criteria")
    save = services.save_interview_criterion

    def items(self) -> list[Any]:
        return list(self.get_edition().interview_criteria.all())


class ItemEditView(EditionItemMixin, TemplateView):
    template_name = "programmes/workspace_item.html"
    form_class: type[forms.FaqEntryForm | forms.InterviewCriterionForm]
    keyword = ""
    save: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        item = self.get_item()
        form = kwargs.pop("form", None) or self.form_class(initial=forms.initial_from(item, self.form_class.FIELDS))
        return super().get_context_data(**kwargs, **self.edition_context(form=form, item=item, back=self.section))

    def post(self, request: DefisRequest, slug: str, pk: int) -> HttpResponse:
        form = self.form_class(request.POST)
        if form.is_valid():
            type(self).save(
                actor=self.actor,
                edition=self.get_edition(),
                data=form.cleaned_data,
                at=request.received_at,
                **{self.keyword: self.get_item()},
            )
            messages.success(request, _("Saved."))
            return self.back(self.section)
        return self.render_to_response(self.get_context_data(form=form))


class FaqEntryEditView(ItemEditView):
    model = FaqEntry
    form_class = forms.FaqEntryForm
    section = "faq"
    title = gettext_lazy("Change an FAQ entry")
    keyword = "entry"
    save = services.save_faq_entry


class CriterionEditView(ItemEditView):
    model = InterviewCriterion
    form_class = forms.InterviewCriterionForm
    section = "criteria"
    title = gettext_lazy("Change an interview criterion")
    keyword = "criterion"
    save = services.save_interview_criterion
