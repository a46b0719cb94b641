"""The sections of the edit page changed on their own: attachments and co-editors."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from defis.challenges import forms, selectors, services
from defis.challenges.models import Answer, Attachment
from defis.challenges.views.base import DefiView
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest


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
        services.record_attachment_download(actor=self.user, attachment=attachment, at=request.received_at)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type="application/pdf"
        )


class AnswerFileDownloadView(DefiView):
    """The file answering one of the edition's questions, served and logged as attachments are."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, pk: int, answer_pk: int) -> FileResponse:
        answers = Answer.objects.filter(defi=self.get_object()).exclude(file="").select_related("defi")
        answer = get_object_or_404(answers, pk=answer_pk)
        services.record_answer_file_download(actor=self.user, answer=answer, at=request.received_at)
        return FileResponse(
            answer.file.open("rb"), as_attachment=True, filename=answer.file_name, content_type="application/pdf"
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
