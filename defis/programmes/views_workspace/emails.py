"""The e-mails of an edition: the platform's wording, or the team's own, with a preview."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest, received_at
from defis.notifications.models import MessageKind, MessageTemplate
from defis.notifications.templating import KIND_VARIABLES, VARIABLES, message_texts, render_text
from defis.programmes import forms, selectors, services
from defis.programmes.views_workspace.base import EditionMixin, show_error


class MessagesView(EditionMixin, TemplateView):
    template_name = "programmes/workspace_messages.html"
    section = "messages"
    title = gettext_lazy("E-mails")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        edition = self.get_edition()
        custom = set(MessageTemplate.objects.filter(edition=edition).values_list("kind", "language"))
        rows = [
            (
                kind,
                label,
                [
                    (language, language_label, (kind, language) in custom)
                    for language, language_label in MessageTemplate.Language.choices
                ],
            )
            for kind, label in MessageKind.choices
        ]
        return super().get_context_data(**kwargs, **self.edition_context(rows=rows))


class MessageEditView(EditionMixin, TemplateView):
    template_name = "programmes/workspace_message.html"
    section = "messages"

    def get_kind(self) -> tuple[str, str]:
        kind, language = self.kwargs["kind"], self.kwargs["language"]
        if kind not in MessageKind.values or language not in MessageTemplate.Language.values:
            raise Http404
        return kind, language

    def preview(self, kind: str, subject: str, body: str) -> dict[str, str] | None:
        context = selectors.message_preview_context(
            edition=self.get_edition(), person=self.actor, at=received_at(self.request)
        )
        try:
            return {
                "subject": " ".join(render_text(subject, kind=kind, context=context).split()),
                "body": render_text(body, kind=kind, context=context),
            }
        except DomainError:
            return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kind, language = self.get_kind()
        subject, body, custom = message_texts(edition_id=self.get_edition().pk, kind=kind, language=language)
        self.title = _("E-mail: %(kind)s (%(language)s)") % {
            "kind": MessageKind(kind).label,
            "language": MessageTemplate.Language(language).label,
        }
        form = kwargs.pop("form", None) or forms.MessageTemplateForm(
            initial={"subject": subject, "body": body}, kind=kind
        )
        shown = (form.data.get("subject", subject), form.data.get("body", body)) if form.is_bound else (subject, body)
        return super().get_context_data(
            **{
                **kwargs,
                **self.edition_context(
                    form=form,
                    kind=kind,
                    language=language,
                    custom=custom,
                    preview=self.preview(kind, *shown),
                    variables=[(name, VARIABLES[name]) for name in KIND_VARIABLES[kind]],
                ),
            }
        )

    def post(self, request: DefisRequest, slug: str, kind: str, language: str) -> HttpResponse:
        kind, language = self.get_kind()
        form = forms.MessageTemplateForm(request.POST, kind=kind)
        if request.POST.get("action") == "preview" or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.save_message_template(
                actor=self.actor,
                edition=self.get_edition(),
                kind=kind,
                language=language,
                at=request.received_at,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_error(request, form, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Saved."))
        return redirect("workspace:message", slug=slug, kind=kind, language=language)


class MessagePreviewView(MessageEditView):
    """The e-mail as the person will read it, from the editor's unsaved text (htmx)."""

    def post(self, request: DefisRequest, slug: str, kind: str, language: str) -> HttpResponse:
        kind, language = self.get_kind()
        form = forms.MessageTemplateForm(request.POST, kind=kind)
        form.is_valid()
        return render(
            request,
            "programmes/workspace_message.html#preview",
            {
                "form": form,
                "preview": self.preview(kind, request.POST.get("subject", ""), request.POST.get("body", "")),
            },
        )


class MessageResetView(MessageEditView):
    def post(self, request: DefisRequest, slug: str, kind: str, language: str) -> HttpResponse:
        kind, language = self.get_kind()
        services.reset_message_template(
            actor=self.actor, edition=self.get_edition(), kind=kind, language=language, at=request.received_at
        )
        messages.success(request, _("The platform's wording is back."))
        return redirect("workspace:message", slug=slug, kind=kind, language=language)
