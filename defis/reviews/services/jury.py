"""Writes of the jury: settings, criteria, invitations and their answers, conflicts of interest, bids."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from functools import partial

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges.models import Defi
from defis.organisations.models import Organisation
from defis.programmes.models import Edition
from defis.reviews import selectors
from defis.reviews.errors import (
    AlreadyOnJury,
    ConflictTargetMissing,
    CriterionInUse,
    HistoricalEdition,
    InvalidCriterion,
    InvitationAlreadyAccepted,
    InvitationForAnotherAddress,
    NotAJuror,
)
from defis.reviews.models import Assignment, Bid, ConflictOfInterest, Criterion, Juror, JurySettings, Review, Score


def ensure_not_historical(edition: Edition) -> None:
    if edition.is_historical:
        raise HistoricalEdition()


@transaction.atomic
def save_jury_settings(
    *,
    actor: User,
    edition: Edition,
    reviewers_per_defi: int,
    scores_visibility: str,
    positions_budget: int | None,
    messages: Mapping[str, str],
    at: datetime | None = None,
) -> JurySettings:
    """Set how the edition's jury works; the per-decision messages go into the notifications."""
    settings, _ = JurySettings.objects.select_for_update().get_or_create(edition=edition)
    settings.reviewers_per_defi, settings.scores_visibility = reviewers_per_defi, scores_visibility
    settings.positions_budget = positions_budget
    for decision in (Defi.Decision.SELECTED, Defi.Decision.WAITING_LIST, Defi.Decision.REJECTED):
        setattr(settings, f"message_{decision}", messages.get(decision, ""))
    settings.full_clean()
    settings.save()
    record_event(
        actor=actor,
        action="jury.settings_changed",
        target=edition,
        at=at,
        data={
            "reviewers_per_defi": reviewers_per_defi,
            "scores_visibility": scores_visibility,
            "positions_budget": positions_budget,
        },
    )
    return settings


def _first_error(error: ValidationError) -> tuple[str | None, str]:
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        return (None if name == "__all__" else name), errors[0].messages[0]
    return None, error.messages[0]


@transaction.atomic
def add_criterion(
    *,
    actor: User,
    edition: Edition,
    label: str,
    guidance: str,
    weight: Decimal,
    scale_min: int,
    scale_max: int,
    level_labels: Sequence[str],
    at: datetime | None = None,
) -> Criterion:
    """Add a criterion at the end of the edition's list; its scale needs a label per level."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_not_historical(edition)
    position = (Criterion.objects.filter(edition=edition).aggregate(last=Max("position"))["last"] or 0) + 1
    criterion = Criterion(
        edition=edition,
        position=position,
        label=label.strip(),
        guidance=guidance.strip(),
        weight=weight,
        scale_min=scale_min,
        scale_max=scale_max,
        level_labels=[text.strip() for text in level_labels],
    )
    try:
        criterion.full_clean()
    except ValidationError as error:
        field, message = _first_error(error)
        raise InvalidCriterion(message, field=field) from None
    criterion.save()
    record_event(
        actor=actor,
        action="criterion.added",
        target=criterion,
        at=at,
        data={"edition": edition.slug, "weight": str(weight), "scale": [scale_min, scale_max]},
    )
    return criterion


@transaction.atomic
def delete_criterion(*, actor: User, criterion: Criterion, at: datetime | None = None) -> None:
    """Remove a criterion nobody has scored yet."""
    ensure_not_historical(criterion.edition)
    if Score.objects.filter(criterion=criterion).exists():
        raise CriterionInUse()
    record_event(
        actor=actor,
        action="criterion.deleted",
        target=criterion,
        at=at,
        data={"edition": criterion.edition.slug, "label": criterion.label},
    )
    criterion.delete()


@transaction.atomic
def invite_juror(
    *,
    actor: User,
    edition: Edition,
    email: str,
    organisation: Organisation | None = None,
    expertise: str = "",
    at: datetime | None = None,
) -> Juror:
    """Invite a person by e-mail; a pending or accepted invitation is returned unchanged, a declined one
    is sent again with a new link."""
    from defis.reviews.tasks import send_juror_invitation_task  # tasks import services

    at = at or timezone.now()
    ensure_not_historical(edition)
    email = email.strip()
    juror = Juror.objects.select_for_update().filter(edition=edition, email__iexact=email).first()
    if juror is not None and juror.status != Juror.Status.DECLINED:
        return juror
    if juror is None:
        juror = Juror(edition=edition, email=email)
    juror.status, juror.token, juror.invited_by, juror.invited_at = Juror.Status.INVITED, uuid.uuid4(), actor, at
    juror.organisation, juror.expertise, juror.responded_at = organisation, expertise.strip(), None
    juror.full_clean(validate_constraints=False)
    juror.save()
    record_event(actor=actor, action="juror.invited", target=juror, at=at, data={"edition": edition.slug})
    transaction.on_commit(partial(send_juror_invitation_task.enqueue, juror_id=juror.pk))
    return juror


def _same_address(user: User, juror: Juror) -> bool:
    return user.email.strip().lower() == juror.email.strip().lower()


def _account_for(juror: Juror) -> User:
    """The account of the invited address, created if there is none: the link proves the address."""
    user = User.objects.filter(email__iexact=juror.email).first()
    if user is None:
        user = User.objects.create_user(email=juror.email, password=None)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def accept_invitation(*, actor: User | None, juror: Juror, at: datetime | None = None) -> Juror:
    """Accept a seat: the account of the invited address is linked (created if needed). Idempotent."""
    at = at or timezone.now()
    juror = Juror.objects.select_for_update().select_related("edition").get(pk=juror.pk)
    if actor is not None and actor.is_authenticated and not _same_address(actor, juror):
        raise InvitationForAnotherAddress(email=juror.email)
    if juror.status == Juror.Status.ACCEPTED:
        return juror
    user = actor if actor is not None and actor.is_authenticated else _account_for(juror)
    if Juror.objects.filter(edition_id=juror.edition_id, user=user).exclude(pk=juror.pk).exists():
        raise AlreadyOnJury()
    juror.user, juror.status, juror.responded_at = user, Juror.Status.ACCEPTED, at
    juror.save(update_fields=["user", "status", "responded_at", "updated_at"])
    record_event(actor=user, action="juror.accepted", target=juror, at=at, data={"edition": juror.edition.slug})
    record_detected_conflicts(edition=juror.edition, jurors=[juror], actor=user, at=at)
    return juror


@transaction.atomic
def decline_invitation(*, actor: User | None, juror: Juror, at: datetime | None = None) -> Juror:
    """Decline a seat that was not accepted. Idempotent."""
    at = at or timezone.now()
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    if actor is not None and actor.is_authenticated and not _same_address(actor, juror):
        raise InvitationForAnotherAddress(email=juror.email)
    if juror.status == Juror.Status.ACCEPTED:
        raise InvitationAlreadyAccepted()
    if juror.status == Juror.Status.DECLINED:
        return juror
    juror.status, juror.responded_at = Juror.Status.DECLINED, at
    juror.save(update_fields=["status", "responded_at", "updated_at"])
    record_event(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="juror.declined",
        target=juror,
        at=at,
    )
    return juror


def drop_conflicting_assignments(*, edition: Edition, jurors: Sequence[Juror], actor: User | None, at: datetime) -> int:
    """Remove every assignment of these jurors that is now in conflict, reviews included: a conflicted
    review never counts."""
    assignments = list(
        Assignment.objects.filter(juror__in=jurors, defi__edition=edition).select_related("defi", "juror")
    )
    if not assignments:
        return 0
    defis = list({assignment.defi_id: assignment.defi for assignment in assignments}.values())
    pairs = [(assignment.juror_id, assignment.defi_id) for assignment in assignments]
    conflicts = selectors.conflict_index(jurors=jurors, defis=defis, pairs=pairs)  # the assigned pairs only
    removed = [assignment for assignment in assignments if (assignment.juror_id, assignment.defi_id) in conflicts]
    statuses = dict(Review.objects.filter(assignment__in=removed).values_list("assignment_id", "status"))
    for assignment in removed:
        record_event(
            actor=actor,
            action="assignment.removed_for_conflict",
            target=assignment.defi,
            at=at,
            data={"juror_id": assignment.juror_id, "review": statuses.get(assignment.pk, "")},
        )
        assignment.delete()
    return len(removed)


@transaction.atomic
def record_detected_conflicts(
    *, edition: Edition, jurors: Sequence[Juror] | None = None, actor: User | None, at: datetime | None = None
) -> int:
    """Record the conflicts the affiliations show (same organisation, shared parent ministry) between the
    accepted jurors and the organisations of the edition's submitted défis; drop the detected ones that no
    longer hold, and any assignment now in conflict. Returns the number of conflicts recorded."""
    at = at or timezone.now()
    jurors = list(jurors) if jurors is not None else selectors.accepted_jurors(edition=edition)
    jurors = [juror for juror in jurors if juror.status == Juror.Status.ACCEPTED]
    organisation_ids = set(selectors.reviewable_defis(edition=edition).values_list("organisation_id", flat=True))
    links = selectors.affiliations(jurors=jurors, organisation_ids=organisation_ids)
    existing = {
        (row.juror_id, row.organisation_id): row
        for row in ConflictOfInterest.objects.filter(juror__in=jurors, organisation__isnull=False)
    }
    found = {}
    for juror in jurors:
        for organisation_id in sorted(organisation_ids):
            conflict = links.conflict(juror.pk, organisation_id)
            if conflict is not None:
                found[(juror.pk, organisation_id)] = conflict
    stale = [
        row.pk for key, row in existing.items() if row.source == ConflictOfInterest.Source.DETECTED and key not in found
    ]
    ConflictOfInterest.objects.filter(pk__in=stale).delete()
    created = [
        ConflictOfInterest(
            juror_id=juror_id,
            organisation_id=organisation_id,
            ministry_id=conflict.ministry_id,
            source=ConflictOfInterest.Source.DETECTED,
        )
        for (juror_id, organisation_id), conflict in found.items()
        if (juror_id, organisation_id) not in existing
    ]
    ConflictOfInterest.objects.bulk_create(created)
    removed = drop_conflicting_assignments(edition=edition, jurors=jurors, actor=actor, at=at)
    if created or stale or removed:
        record_event(
            actor=actor,
            action="conflicts.detected",
            target=edition,
            at=at,
            data={"recorded": len(created), "dropped": len(stale), "assignments_removed": removed},
        )
    return len(created)


@transaction.atomic
def declare_conflict(
    *,
    actor: User,
    juror: Juror,
    organisation: Organisation | None = None,
    defi: Defi | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> ConflictOfInterest:
    """Record a conflict of interest with an organisation or a défi; the juror's assignments it touches
    are removed. Declaring it again returns the recorded one."""
    at = at or timezone.now()
    if (organisation is None) == (defi is None):
        raise ConflictTargetMissing()
    juror = Juror.objects.select_for_update().select_related("edition").get(pk=juror.pk)
    if defi is not None and defi.edition_id != juror.edition_id:
        raise ConflictTargetMissing()
    target = {"organisation": organisation} if organisation is not None else {"defi": defi}
    conflict = ConflictOfInterest.objects.filter(juror=juror, **target).first()
    if conflict is None:
        conflict = ConflictOfInterest.objects.create(
            juror=juror, source=ConflictOfInterest.Source.DECLARED, reason=reason.strip(), declared_by=actor, **target
        )
        record_event(
            actor=actor,
            action="conflict.declared",
            target=juror,
            at=at,
            data={"organisation_id": organisation.pk if organisation else None, "defi_id": defi.pk if defi else None},
        )
    elif conflict.source == ConflictOfInterest.Source.DETECTED:
        # Declared on top of a detection: it stays when the affiliation that caused it ends.
        conflict.source, conflict.reason, conflict.declared_by = ConflictOfInterest.Source.DECLARED, reason, actor
        conflict.save(update_fields=["source", "reason", "declared_by", "updated_at"])
    drop_conflicting_assignments(edition=juror.edition, jurors=[juror], actor=actor, at=at)
    return conflict


@transaction.atomic
def save_bids(*, actor: User, juror: Juror, preferences: Mapping[int, str], at: datetime | None = None) -> int:
    """Record the juror's preferences on the défis they may review (any other id is ignored); "no
    preference" removes a bid. Returns the number of bids held."""
    if juror.user_id != actor.pk or juror.status != Juror.Status.ACCEPTED:
        raise NotAJuror()
    allowed = set(selectors.biddable_defis(juror=juror).values_list("pk", flat=True))
    wanted = {
        defi_id: preference
        for defi_id, preference in preferences.items()
        if defi_id in allowed and preference in Bid.Preference.values
    }
    existing = {bid.defi_id: bid for bid in Bid.objects.select_for_update().filter(juror=juror)}
    for defi_id, preference in wanted.items():
        bid = existing.get(defi_id)
        if preference == Bid.Preference.NEUTRAL:
            if bid is not None:
                bid.delete()
        elif bid is None:
            Bid.objects.create(juror=juror, defi_id=defi_id, preference=preference)
        elif bid.preference != preference:
            bid.preference = preference
            bid.save(update_fields=["preference", "updated_at"])
    held = Bid.objects.filter(juror=juror).count()
    record_event(actor=actor, action="bids.saved", target=juror, at=at, data={"bids": held})
    return held
