"""Writes of the call for défis: drafts, co-editors, answers, attachments, submission, withdrawal."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ForeignKey, prefetch_related_objects
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
from defis.common.errors import DomainError
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
    # Each deadline check below reads the phases: once, unless read before.
    prefetch_related_objects([edition], selectors.edition_phases(prefix=""))
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
    """The défi's row, locked until the end of the transaction and read again under the lock. Its edition,
    organisation and démarche are the objects `defi` already holds when they are the same rows (with their
    prefetched questions or phases: configuration, read once per request), else joined or read when needed.
    What else the write reads under the lock (answers, versions) takes a statement of its own: in PostgreSQL
    a subquery of this statement would see the database as it was before waiting for the lock."""
    query = Defi.objects.select_for_update(of=("self",))
    if not _holds(defi, "edition"):
        query = query.select_related("edition__observatory_edition")
    if not _holds(defi, "organisation"):
        query = query.select_related("organisation")
    locked = query.get(pk=defi.pk)
    if _holds(defi, "edition") and locked.edition_id == defi.edition_id:
        locked.edition = defi.edition
    if _holds(defi, "organisation") and locked.organisation_id == defi.organisation_id:
        locked.organisation = defi.organisation
    if _holds(defi, "demarche") and locked.demarche_id == defi.demarche_id:
        locked.demarche = defi.demarche
    return locked


def _holds(defi: Defi, relation: str) -> bool:
    """Whether the object already holds that related row: reading it again would cost a query."""
    field = Defi._meta.get_field(relation)
    return isinstance(field, ForeignKey) and field.is_cached(defi)


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
    """Save the form of a draft. A save based on an outdated version is refused with what changed. The défi
    returned holds its answers as saved."""
    at = at or timezone.now()
    locked = _lock(defi)
    if locked.status == Defi.Status.SUBMITTED:
        raise NotEditable()
    prefetch_related_objects([locked], "answers")  # under the lock: what the form is compared with
    changed = _apply_draft(locked, data=data, answers=answers or {}, version=version)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        _record_editor(locked, actor=actor, at=at)
    return locked


def _apply_draft(locked: Defi, *, data: Mapping[str, Any], answers: Mapping[int, Any], version: int) -> list[str]:
    """Put the form on the locked draft and write its answers; the défi's fields to save, none when the form
    changes nothing. A form based on an outdated version is refused before anything is written."""
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
    if not _save_answers(locked, answers) and not changed_fields:
        return []
    locked.version += 1
    return [*changed_fields, "version"]


def _record_editor(defi: Defi, *, actor: User, at: datetime) -> None:
    # The co-editor who saved last is named to the one whose save is then refused as outdated.
    CoEditor.objects.filter(defi=defi, user=actor).update(updated_at=at)


def _save_answers(defi: Defi, answers: Mapping[int, Any]) -> bool:
    """Write the answers that changed, one statement for the new ones and one for the changed ones, and
    keep the défi's prefetched answers (read under the lock) as saved. Whether any changed."""
    questions = {q.pk: q for q in defi.edition.questions.all() if q.form == Question.Form.DEFI}
    current = {answer.question_id: answer for answer in defi.answers.all()}
    created: list[Answer] = []
    updated: list[Answer] = []
    files_saved = False
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue  # a forged question id is ignored, never stored
        answer = current.get(question_id)
        if question.kind == Question.Kind.FILE:
            if isinstance(value, UploadedFile):
                _save_file_answer(answer or Answer(defi=defi, question=question), value, defi.edition)
                files_saved = True
            continue
        if answer is None:
            created.append(Answer(defi=defi, question=question, value=value))
        elif answer.value != value:
            answer.value, answer.updated_at = value, timezone.now()  # bulk_update leaves auto_now fields alone
            updated.append(answer)
    if created:
        Answer.objects.bulk_create(created)
    if updated:
        Answer.objects.bulk_update(updated, ["value", "updated_at"])
    if created or files_saved:
        defi.refresh_from_db(fields=["answers"])  # forgets the answers read under the lock, to read them all
        prefetch_related_objects([defi], "answers")
    return bool(created or updated or files_saved)


def _save_file_answer(answer: Answer, upload: UploadedFile[bytes], edition: Edition) -> None:
    _check_pdf(upload, limit_mb=edition.attachment_max_mb)
    answer.file.save(upload.name or "document.pdf", upload, save=False)
    answer.value = upload.name
    answer.save()


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


def submit_defi(
    *,
    actor: User,
    defi: Defi,
    at: datetime | None = None,
    data: Mapping[str, Any] | None = None,
    answers: Mapping[int, Any] | None = None,
    version: int | None = None,
) -> Defi:
    """Submit a draft before the deadline, after saving on it the form based on `version` when one is given
    (`data` and `answers`, as save_draft): one lock and one transaction, and the form is saved even when the
    submission is refused. Idempotent: a second call returns the défi unchanged."""
    at = at or timezone.now()
    refusal: DomainError | None = None
    with transaction.atomic():
        locked = _lock(defi)
        if locked.status == Defi.Status.SUBMITTED:
            return locked
        prefetch_related_objects([locked], "answers")  # under the lock: the form, the checks, the version
        edited: list[str] = []
        if version is not None:
            edited = _apply_draft(locked, data=data or {}, answers=answers or {}, version=version)
        try:
            _ensure_submittable(locked, actor=actor, at=at)
        except DomainError as error:
            refusal = error  # raised once the form's save is committed: nothing typed is lost
            if edited:
                locked.save(update_fields=[*edited, "updated_at"])
        else:
            locked.status, locked.submitted_at, locked.withdrawn_at = Defi.Status.SUBMITTED, at, None
            # The form and the submission in one update.
            locked.save(update_fields=[*edited, "status", "submitted_at", "withdrawn_at", "updated_at"])
            _record_submission(locked, actor=actor, at=at)
        if edited:
            _record_editor(locked, actor=actor, at=at)
    if refusal is not None:
        raise refusal
    return locked


def _ensure_submittable(defi: Defi, *, actor: User, at: datetime) -> None:
    _ensure_call_open(defi_or_edition=defi.edition, organisation=defi.organisation, user=actor, at=at)
    report = selectors.eligibility(defi=defi)
    if not report.ok:
        raise NotEligible(reasons=[check.message for check in report.failures])


def _record_submission(locked: Defi, *, actor: User, at: datetime) -> None:
    """The version, the audit row and, on commit, the receipt of a submission."""
    from defis.challenges.tasks import send_receipt_task  # tasks import services: import here

    version = _record_version(locked, actor=actor, reason=DefiVersion.Reason.SUBMITTED)
    record_event(actor=actor, action="defi.submitted", target=locked, at=at, data={"version": version.number})
    transaction.on_commit(partial(send_receipt_task.enqueue, defi_id=locked.pk, version=version.number))


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


def record_answer_file_download(*, actor: User, answer: Answer, at: datetime | None = None) -> None:
    """The file answering one of the edition's questions is logged when read, as attachments are."""
    record_event(
        actor=actor,
        action="defi.answer_file_downloaded",
        target=answer.defi,
        data={"answer_id": answer.pk, "question_id": answer.question_id, "name": str(answer.value or "")},
        at=at,
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
