"""The questions of an edition's forms: list, edition, order and preview."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest
from defis.programmes import forms, services
from defis.programmes.models import Edition, Question
from defis.programmes.views_workspace.base import EditionItemMixin, WorkspaceMixin, show_error
from defis.programmes.views_workspace.items import ItemListView


class QuestionsView(ItemListView):
    template_name = "programmes/workspace_questions.html"
    form_class = forms.QuestionForm
    section = "questions"
    title = gettext_lazy("Form questions")
    save = services.save_question

    def items(self) -> list[Any]:
        return list(self.get_edition().questions.all())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questions = context["items"]
        context["forms_questions"] = [
            (label, [q for q in questions if q.form == value]) for value, label in Question.Form.choices
        ]
        return context


class QuestionEditView(EditionItemMixin, TemplateView):
    template_name = "programmes/workspace_question.html"
    model = Question
    section = "questions"
    title = gettext_lazy("Change a question")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        question = self.get_item()
        form = kwargs.pop("form", None) or forms.QuestionForm(question=question)
        preview = kwargs.pop("preview", None) or forms.initial_from(question, forms.QuestionForm.FIELDS)
        return super().get_context_data(
            **kwargs,
            **self.edition_context(
                form=form, item=question, preview_form=forms.QuestionPreviewForm(data_for_preview=preview)
            ),
        )

    def post(self, request: DefisRequest, slug: str, pk: int) -> HttpResponse:
        form = forms.QuestionForm(request.POST)
        if form.is_valid():
            if request.POST.get("action") == "preview":
                return self.render_to_response(self.get_context_data(form=form, preview=form.cleaned_data))
            try:
                services.save_question(
                    actor=self.actor,
                    edition=self.get_edition(),
                    question=self.get_item(),
                    data=form.cleaned_data,
                    at=request.received_at,
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, _("Saved."))
                return self.back("questions")
        return self.render_to_response(self.get_context_data(form=form))


class QuestionPreviewView(WorkspaceMixin, View):
    """The question as agents or candidates will see it, from the editor's unsaved fields (htmx)."""

    def post(self, request: DefisRequest, slug: str) -> HttpResponse:
        get_object_or_404(Edition, slug=slug)
        form = forms.QuestionForm(request.POST)
        form.is_valid()  # a half-typed question still previews what it can
        data = {**{name: request.POST.get(name) for name in forms.QuestionForm.FIELDS}, **form.cleaned_data}
        return render(
            request,
            "programmes/workspace_question.html#preview",
            {"preview_form": forms.QuestionPreviewForm(data_for_preview=data)},
        )


class QuestionMoveView(EditionItemMixin, View):
    model = Question

    def post(self, request: DefisRequest, slug: str, pk: int) -> HttpResponse:
        offset = -1 if request.POST.get("direction") == "up" else 1
        services.move_question(actor=self.actor, question=self.get_item(), offset=offset, at=request.received_at)
        return self.back("questions")
