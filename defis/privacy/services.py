"""Personal data: export, erasure on request, retention. Each write is one transaction with its audit row."""

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import partial

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.accounts.rules import is_programme_team
from defis.audit.services import record_event
from defis.challenges.models import Defi
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership
from defis.privacy import selectors
from defis.privacy.archive import CHUNK, Member, stream_zip
from defis.privacy.errors import ErasureAlreadyDecided, ErasureRefused, RetentionPolicyRefused, TeamMemberErasure
from defis.privacy.models import ErasureRequest, RetentionConsent, RetentionPolicy, RetentionRun
from defis.privacy.retention import scope_of
from defis.privacy.tasks import apply_retention_task
from defis.programmes.models import Edition

logger = logging.getLogger(__name__)
ERASED_DOMAIN = "erased.invalid"  # a reserved domain: no mail can ever reach it


def pseudonym(user: User) -> str:
    """What the audit trail shows of an erased person: no name, no address, only our own id."""
    return f"erased-{user.pk}@{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email.endswith(f"@{ERASED_DOMAIN}")


# --- Export ---------------------------------------------------------------------------------------


def export_personal_data(*, actor: User, at: datetime | None = None) -> Iterator[bytes]:
    """The person's own data as a streamed ZIP: `donnees.json` then every file they uploaded. The
    download is recorded in the audit log before the first byte leaves."""
    uploads = list(selectors.uploads_of(user=actor))
    with transaction.atomic():
        record_event(actor=actor, action="privacy.data_exported", target=actor, at=at, data={"files": len(uploads)})
    data = selectors.personal_data_of(user=actor)
    document = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    members: list[Member] = [("donnees.json", lambda: [document])]
    for attachment in uploads:
        members.append((selectors.archive_path(attachment), partial(_file_chunks, attachment.file.name or "")))
    return stream_zip(members)


def _file_chunks(name: str) -> Iterable[bytes]:
    if not default_storage.exists(name):
        logger.warning("uploaded file %s is missing from the storage", name)
        return
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


# --- Erasure --------------------------------------------------------------------------------------


@transaction.atomic
def request_erasure(*, actor: User, reason: str = "", at: datetime | None = None) -> ErasureRequest:
    """Record a person's request to erase their data, for the team to confirm. Idempotent: a second
    request while one is pending returns the pending one."""
    pending = ErasureRequest.objects.select_for_update().filter(user=actor, status=ErasureRequest.Status.PENDING)
    if (request := pending.first()) is not None:
        return request
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(user=actor, reason=reason, requested_at=at or timezone.now())
    except IntegrityError:  # a twin request (a double click) was saved first
        return ErasureRequest.objects.get(user=actor, status=ErasureRequest.Status.PENDING)
    record_event(actor=actor, action="privacy.erasure_requested", target=actor, at=at)
    return request


@transaction.atomic
def confirm_erasure(*, actor: User, erasure_request: ErasureRequest, at: datetime | None = None) -> ErasureRequest:
    """Erase the person's data as they asked; for the programme team. Confirming twice changes nothing."""
    at = at or timezone.now()
    if not is_programme_team.test(actor):
        raise ErasureRefused
    erasure_request = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
    if erasure_request.status == ErasureRequest.Status.DONE:
        return erasure_request
    if erasure_request.status != ErasureRequest.Status.PENDING:
        raise ErasureAlreadyDecided
    erase_person(actor=actor, user=erasure_request.user, at=at, reason="request")
    erasure_request.status, erasure_request.decided_by, erasure_request.decided_at = (
        ErasureRequest.Status.DONE,
        actor,
        at,
    )
    erasure_request.reason = ""  # the person's words may name them
    erasure_request.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    return erasure_request


@transaction.atomic
def decline_erasure(
    *, actor: User, erasure_request: ErasureRequest, answer: str, at: datetime | None = None
) -> ErasureRequest:
    """Decline a request with the reason told to the person (e.g. a legal duty to keep a contract)."""
    if not is_programme_team.test(actor):
        raise ErasureRefused
    erasure_request = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
    if erasure_request.status == ErasureRequest.Status.DECLINED:
        return erasure_request
    if erasure_request.status != ErasureRequest.Status.PENDING:
        raise ErasureAlreadyDecided
    erasure_request.status, erasure_request.decided_by = ErasureRequest.Status.DECLINED, actor
    erasure_request.decided_at, erasure_request.answer = at or timezone.now(), answer
    erasure_request.save(update_fields=["status", "decided_by", "decided_at", "answer", "updated_at"])
    record_event(actor=actor, action="privacy.erasure_declined", target=erasure_request.user, at=at)
    return erasure_request


@transaction.atomic
def erase_person(*, actor: User | None, user: User, at: datetime, reason: str) -> User:
    """Anonymise an account and the personal data around it; the audit trail keeps its rows, whose actor
    now reads as a pseudonym. The défis they co-edited stay (they are their administration's).
    Idempotent: an erased person is left as is."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        return user
    if user.is_programme_team or user.is_staff or user.is_superuser:
        raise TeamMemberErasure
    former_email = user.email
    user.email, user.first_name, user.last_name, user.is_active = pseudonym(user), "", "", False
    user.set_unusable_password()  # also ends every open session (their hash no longer matches)
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # ProConnect's `sub` is personal data too
    RetentionConsent.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).update(job_title="", updated_at=at)
    OutboxMessage.objects.filter(to__iexact=former_email).update(to=user.email, subject="", body="")
    record_event(actor=actor, action="privacy.person_erased", target=user, at=at, data={"reason": reason})
    return user


# --- Retention ------------------------------------------------------------------------------------


@transaction.atomic
def set_retention_policy(*, actor: User, edition: Edition, months_after_end: int) -> RetentionPolicy:
    """Set how long the edition keeps the data of those it did not retain, and schedule its application."""
    if not is_programme_team.test(actor):
        raise RetentionPolicyRefused
    policy, created = RetentionPolicy.objects.select_for_update().get_or_create(
        edition=edition, defaults={"months_after_end": months_after_end}
    )
    if not created and policy.months_after_end == months_after_end:
        return policy
    previous = None if created else policy.months_after_end
    policy.months_after_end = months_after_end
    policy.full_clean()
    policy.save()
    record_event(
        actor=actor, action="privacy.retention_set", target=edition, data={"from": previous, "to": months_after_end}
    )
    schedule_retention(edition=edition)
    return policy


def schedule_retention(*, edition: Edition) -> None:
    """Enqueue the edition's retention for the moment it is due (on commit). Call it again whenever the
    policy or the edition's phases change: a task that runs early finds nothing due and does nothing."""
    policy = RetentionPolicy.objects.select_related("edition").filter(edition=edition).first()
    due = selectors.retention_due_at(policy=policy) if policy is not None else None
    if due is None:
        return
    task = apply_retention_task.using(run_after=due)
    transaction.on_commit(partial(task.enqueue, edition_id=edition.pk))


@transaction.atomic
def apply_retention(*, edition: Edition, at: datetime | None = None, actor: User | None = None) -> RetentionRun | None:
    """Erase what the edition's policy says is kept too long, once it is due; None when nothing is due.
    Runs once per edition and policy length (a recorded key): a second call returns the first run."""
    at = at or timezone.now()
    policy = (
        RetentionPolicy.objects.select_for_update()
        .select_related("edition")
        .prefetch_related("edition__phases")
        .filter(edition=edition)
        .first()
    )
    if policy is None:
        return None
    due = selectors.retention_due_at(policy=policy)
    if due is None or at < due:
        return None
    key = f"retention:{edition.pk}:{policy.months_after_end}"
    if (run := RetentionRun.objects.filter(key=key).first()) is not None:
        return run
    scope = scope_of(policy.edition)
    erased = [
        erase_person(actor=actor, user=user, at=at, reason="retention")
        for user in User.objects.filter(pk__in=scope.user_ids).order_by("pk")
    ]
    # The names a défi's form holds (its sponsor, its team) go; the défi stays, as its administration's.
    blanked = Defi.objects.filter(pk__in=scope.defi_ids).exclude(sponsor="", team="").update(sponsor="", team="")
    report = {
        "people_erased": len(erased),
        "defis_blanked": blanked,
        "defi_ids": sorted(scope.defi_ids),
        "due_at": due.isoformat(),
    }
    run = RetentionRun.objects.create(edition=edition, key=key, ran_at=at, report=report)
    record_event(actor=actor, action="privacy.retention_applied", target=edition, at=at, data=report)
    return run


@transaction.atomic
def set_retention_consent(*, actor: User, edition: Edition, keep: bool) -> bool:
    """Record or withdraw the person's consent to keep their data after the edition; returns the consent."""
    if keep:
        _, created = RetentionConsent.objects.get_or_create(user=actor, edition=edition)
        if created:
            record_event(actor=actor, action="privacy.consent_given", target=edition)
        return True
    deleted, _ = RetentionConsent.objects.filter(user=actor, edition=edition).delete()
    if deleted:
        record_event(actor=actor, action="privacy.consent_withdrawn", target=edition)
    return False
