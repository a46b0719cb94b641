from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.accounts.rules import is_programme_team
from defis.audit.services import record_event
from defis.organisations.errors import (
    AlreadyMember,
    KindChangeRefused,
    MembershipAlreadyDecided,
    MembershipAlreadyRequested,
    MembershipDecisionRefused,
    MembershipNotApproved,
    RoleChangeRefused,
    UnknownKind,
)
from defis.organisations.models import Membership, Organisation
from defis.organisations.rules import can_decide_membership
from defis.organisations.tasks import send_membership_decision_task


@transaction.atomic
def request_membership(*, actor: User, organisation: Organisation, job_title: str = "") -> Membership:
    """Ask to join an organisation: one request per person and organisation; a refused request
    is re-opened as pending, a pending or approved one is refused with a message."""
    membership = Membership.objects.select_for_update().filter(user=actor, organisation=organisation).first()
    if membership is None:
        membership = Membership(user=actor, organisation=organisation, job_title=job_title)
        membership.full_clean(validate_constraints=False)  # the constraint is the database's, below
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:  # a twin request (a double click) was saved first
            raise MembershipAlreadyRequested from None
        record_event(actor=actor, action="membership.requested", target=membership)
        return membership
    if membership.status == Membership.Status.PENDING:
        raise MembershipAlreadyRequested
    if membership.status == Membership.Status.APPROVED:
        raise AlreadyMember
    membership.status, membership.job_title = Membership.Status.PENDING, job_title
    membership.decided_by, membership.decided_at = None, None
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["status", "job_title", "decided_by", "decided_at", "updated_at"])
    record_event(actor=actor, action="membership.requested_again", target=membership)
    return membership


def approve_membership(*, actor: User, membership: Membership, at: datetime | None = None) -> Membership:
    """Accept a pending request, by the programme team or a manager of the organisation, and tell
    the requester by e-mail. Idempotent: approving an approved request changes nothing."""
    return _decide_membership(actor=actor, membership=membership, status=Membership.Status.APPROVED, at=at)


def refuse_membership(*, actor: User, membership: Membership, at: datetime | None = None) -> Membership:
    """Refuse a pending request, by the programme team or a manager of the organisation, and tell
    the requester by e-mail. Idempotent: refusing a refused request changes nothing."""
    return _decide_membership(actor=actor, membership=membership, status=Membership.Status.REFUSED, at=at)


@transaction.atomic
def _decide_membership(*, actor: User, membership: Membership, status: str, at: datetime | None) -> Membership:
    at = at or timezone.now()
    membership = (
        Membership.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=membership.pk)
    )
    if not can_decide_membership.test(actor, membership):
        raise MembershipDecisionRefused
    if membership.status == status:
        return membership
    if membership.status != Membership.Status.PENDING:
        raise MembershipAlreadyDecided
    membership.status, membership.decided_by, membership.decided_at = status, actor, at
    membership.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record_event(actor=actor, action=f"membership.{status}", target=membership, at=at)
    transaction.on_commit(
        partial(
            send_membership_decision_task.enqueue, membership_id=membership.pk, status=status, decided_at=at.isoformat()
        )
    )
    return membership


@transaction.atomic
def set_membership_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Make an accepted member a manager of the organisation, who then decides its requests, or a
    plain member again; for the programme team only. Setting the same role changes nothing."""
    if not is_programme_team.test(actor):
        raise RoleChangeRefused
    membership = Membership.objects.select_for_update(of=("self",)).select_related("user").get(pk=membership.pk)
    if membership.status != Membership.Status.APPROVED:
        raise MembershipNotApproved
    if role not in Membership.Role.values:
        raise ValueError(role)  # the form offers the roles only: anything else is a bug
    if membership.role == role:
        return membership
    previous, membership.role = membership.role, role
    membership.save(update_fields=["role", "updated_at"])
    record_event(actor=actor, action="membership.role_set", target=membership, data={"from": previous, "to": role})
    return membership


@transaction.atomic
def set_organisation_kind(*, actor: User, organisation: Organisation, kind: str, basis: str = "") -> Organisation:
    """Establish the kind of an organisation, which eligibility and funding rules read; for the
    programme team only. Setting the kind it already has changes nothing."""
    if not is_programme_team.test(actor):
        raise KindChangeRefused
    if kind not in Organisation.Kind.values:
        raise UnknownKind
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.kind == kind and organisation.kind_basis == basis:
        return organisation
    previous = organisation.kind
    organisation.kind, organisation.kind_basis = kind, basis
    organisation.full_clean(validate_constraints=False)
    organisation.save(update_fields=["kind", "kind_basis", "updated_at"])
    record_event(
        actor=actor,
        action="organisation.kind_set",
        target=organisation,
        data={"from": previous, "to": kind, "basis": basis},
    )
    return organisation
