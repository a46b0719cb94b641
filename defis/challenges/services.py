"""Writes of the call for défis: drafts, co-editors, answers, attachments, submission, withdrawal."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges import selectors
from defis.challenges.errors import (
    CallClosed,
    CallNotOpenYet,
    CoeditorNotAllowed,
    InvalidAttachment,
    NotAMember,
    NotEditable,
    NotEligible,
    NotWithdrawable,
    OutdatedVersion,
)
from defis.challenges.models import Answer, Attachment, CoEditor, Defi, DefiVersion
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import GRACE, Edition, Phase, Question

# Fields of the défi form that a draft save may change.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "problem",
    "expected_impact",
    "sponsor",
    "team",
    "accessibility_plan",
    "profiles",
    "positions_count",
    "demarche",
    "funding_choice",
)
PDF_MAGIC = b"%PDF-"


def _is_member(user: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation, status=Membership.Status.APPROVED).exists()


def _ensure_call_open(*, defi_or_edition: Edition, organisation: Organisation, user: User, at: datetime) -> None:
    edition = defi_or_edition
    phase = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if phase is not None and at < phase.opens_at:
        raise CallNotOpenYet(opens_at=phase.opens_at)
    if not selectors.call_is_open_for(edition=edition, organisation=organisation, at=at, user=user):
        deadline = selectors.call_deadline(edition=edition, organisation=organisation, user=user)
        raise CallClosed(closes_at=deadline - GRACE if deadline else None)


@transaction.atomic
def create_defi(
    *,
    actor: User,
    edition: Edition,
    organisation: Organisation,
    title: str,
    token: uuid.UUID | None = None,
    at: datetime | None = None,
) -> Defi:
    """Start a draft for an organisation the actor belongs to. The same token creates one défi."""
    at = at or timezone.now()
    if token is not None:
        existing = Defi.objects.filter(creation_token=token).first()
        if existing is not None:
            return existing
    if not _is_member(actor, organisation):
        raise NotAMember()
    _ensure_call_open(defi_or_edition=edition, organisation=organisation, user=actor, at=at)
    defi = Defi.objects.create(
        edition=edition, organisation=organisation, created_by=actor, title=title, creation_token=token
    )
    CoEditor.objects.create(defi=defi, user=actor, invited_by=None)
    record_event(actor=actor, action="defi.created", target=defi, at=at)
    return defi


def _lock(defi: Defi) -> Defi:
    # The edition's phases are read by every deadline check of the same write: fetch them once.
    return (
        Defi.objects.select_for_update(of=("self",))
        .select_related("edition__observatory_edition", "organisation")
        .prefetch_related("edition__phases")
        .get(pk=defi.pk)
    )


def _snapshot(defi: Defi) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(defi, name) for name in EDITABLE_FIELDS if name != "demarche"}
    data["demarche"] = defi.demarche.observatory_id if defi.demarche else None
    data["answers"] = {str(answer.question_id): answer.value for answer in defi.answers.all()}
    data["attachments"] = [attachment.name for attachment in defi.attachments.all()]
    return data


@transaction.atomic
def save_draft(
    *,
    actor: User,
    defi: Defi,
    data: Mapping[str, Any],
    answers: Mapping[int, Any] | None = None,
    version: int,
    at: datetime | None = None,
) -> Defi:
    """Save the form of a draft. A save based on an outdated version is refused with what changed."""
    at = at or timezone.now()
    locked = _lock(defi)
    if locked.status == Defi.Status.SUBMITTED:
        raise NotEditable()
    if locked.version != version:
        changed = [
            selectors.field_label(name)
            for name in EDITABLE_FIELDS
            if name in data and getattr(locked, name) != data[name]
        ]
        last = CoEditor.objects.filter(defi=locked).select_related("user").order_by("-updated_at").first()
        raise OutdatedVersion(changed_fields=changed, by=str(last.user) if last else _("a co-editor"))
    changed_fields = [name for name in EDITABLE_FIELDS if name in data and getattr(locked, name) != data[name]]
    for name in changed_fields:
        setattr(locked, name, data[name])
    answers_changed = _save_answers(locked, answers or {})
    if changed_fields or answers_changed:
        locked.version += 1
        locked.save(update_fields=[*changed_fields, "version", "updated_at"])
        CoEditor.objects.filter(defi=locked, user=actor).update(updated_at=at)
    return locked


def _save_answers(defi: Defi, answers: Mapping[int, Any]) -> bool:
    changed = False
    questions = {question.pk: question for question in defi.edition.questions.filter(form=Question.Form.DEFI)}
    for question_id, value in answers.items():
        if question_id not in questions:
            continue  # a forged question id is ignored, never stored
        answer, created = Answer.objects.get_or_create(defi=defi, question_id=question_id)
        if questions[question_id].kind == Question.Kind.FILE:
            if isinstance(value, UploadedFile):
                _check_pdf(value, limit_mb=defi.edition.attachment_max_mb)
                answer.file.save(value.name or "document.pdf", value, save=False)
                answer.value = value.name
                answer.save()
                changed = True
            continue
        if created or answer.value != value:
            answer.value = value
            answer.save(update_fields=["value", "updated_at"])
            changed = True
    return changed


def _check_pdf(upload: UploadedFile[bytes], *, limit_mb: int) -> None:
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        raise InvalidAttachment(_("The file is larger than %(limit)s MB.") % {"limit": limit_mb})
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise InvalidAttachment(_("The file is not a PDF document (its content was checked, not its name)."))


@transaction.atomic
def add_attachment(*, actor: User, defi: Defi, upload: UploadedFile[bytes], at: datetime | None = None) -> Attachment:
    """Join a PDF (checked by content and size) to a draft."""
    locked = _lock(defi)
    if locked.status == Defi.Status.SUBMITTED:
        raise NotEditable()
    _check_pdf(upload, limit_mb=locked.edition.attachment_max_mb)
    attachment = Attachment(
        defi=locked, name=(upload.name or "document.pdf")[:255], size=upload.size or 0, uploaded_by=actor
    )
    attachment.file.save(attachment.name, upload, save=False)
    attachment.save()
    record_event(actor=actor, action="defi.attachment_added", target=locked, data={"name": attachment.name}, at=at)
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    locked = _lock(attachment.defi)
    if locked.status == Defi.Status.SUBMITTED:
        raise NotEditable()
    record_event(actor=actor, action="defi.attachment_removed", target=locked, data={"name": attachment.name})
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def invite_coeditor(*, actor: User, defi: Defi, email: str) -> CoEditor:
    """Let a colleague of the same organisation edit the défi; they are told by e-mail."""
    from defis.challenges.tasks import notify_coeditor_task  # tasks import services: import here

    invitee = User.objects.filter(email__iexact=email.strip()).first()
    if invitee is None or not _is_member(invitee, defi.organisation):
        raise CoeditorNotAllowed()
    coeditor, created = CoEditor.objects.get_or_create(defi=defi, user=invitee, defaults={"invited_by": actor})
    if created:
        record_event(actor=actor, action="defi.coeditor_invited", target=defi, data={"user_id": invitee.pk})
        transaction.on_commit(partial(notify_coeditor_task.enqueue, coeditor_id=coeditor.pk))
    return coeditor


def _record_version(defi: Defi, *, actor: User, reason: str) -> DefiVersion:
    number = (defi.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return DefiVersion.objects.create(
        defi=defi, number=number, reason=reason, snapshot=_snapshot(defi), created_by=actor
    )


@transaction.atomic
def submit_defi(*, actor: User, defi: Defi, at: datetime | None = None) -> Defi:
    """Submit a draft before the deadline. Idempotent: a second call returns the défi unchanged."""
    from defis.challenges.tasks import send_receipt_task

    at = at or timezone.now()
    locked = _lock(defi)
    if locked.status == Defi.Status.SUBMITTED:
        return locked
    _ensure_call_open(defi_or_edition=locked.edition, organisation=locked.organisation, user=actor, at=at)
    report = selectors.eligibility(defi=locked)
    if not report.ok:
        raise NotEligible(reasons=[check.message for check in report.failures])
    locked.status, locked.submitted_at, locked.withdrawn_at = Defi.Status.SUBMITTED, at, None
    locked.save(update_fields=["status", "submitted_at", "withdrawn_at", "updated_at"])
    version = _record_version(locked, actor=actor, reason=DefiVersion.Reason.SUBMITTED)
    record_event(actor=actor, action="defi.submitted", target=locked, at=at, data={"version": version.number})
    transaction.on_commit(partial(send_receipt_task.enqueue, defi_id=locked.pk, version=version.number))
    return locked


@transaction.atomic
def withdraw_defi(*, actor: User, defi: Defi, at: datetime | None = None) -> Defi:
    """Withdraw a submitted défi: it leaves the selection, its versions stay."""
    at = at or timezone.now()
    locked = _lock(defi)
    if locked.status == Defi.Status.WITHDRAWN:
        return locked
    if locked.status != Defi.Status.SUBMITTED:
        raise NotWithdrawable()
    locked.status, locked.withdrawn_at = Defi.Status.WITHDRAWN, at
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _record_version(locked, actor=actor, reason=DefiVersion.Reason.WITHDRAWN)
    record_event(actor=actor, action="defi.withdrawn", target=locked, at=at)
    return locked


@transaction.atomic
def reopen_defi(*, actor: User, defi: Defi, at: datetime | None = None) -> Defi:
    """Turn a submitted or withdrawn défi back into a draft, while the call is open."""
    at = at or timezone.now()
    locked = _lock(defi)
    if locked.status == Defi.Status.DRAFT:
        return locked
    _ensure_call_open(defi_or_edition=locked.edition, organisation=locked.organisation, user=actor, at=at)
    locked.status, locked.version = Defi.Status.DRAFT, locked.version + 1
    locked.save(update_fields=["status", "version", "updated_at"])
    _record_version(locked, actor=actor, reason=DefiVersion.Reason.REOPENED)
    record_event(actor=actor, action="defi.reopened", target=locked, at=at)
    return locked


def defis_needing_reminder(*, edition: Edition) -> Sequence[Defi]:
    return list(
        Defi.objects.filter(edition=edition, status=Defi.Status.DRAFT, is_historical=False).prefetch_related(
            "coeditors__user"
        )
    )


def record_attachment_download(*, actor: User, attachment: Attachment, at: datetime | None = None) -> None:
    """Downloads of a défi's files are logged: they may hold personal data."""
    record_event(
        actor=actor,
        action="defi.attachment_downloaded",
        target=attachment.defi,
        data={"attachment_id": attachment.pk, "name": attachment.name},
        at=at,
    )
