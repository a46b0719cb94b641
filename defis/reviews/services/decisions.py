"""Writes of the deliberation: a decision per défi within the edition's capacity, and the
notification of every administration."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges.models import Defi
from defis.programmes.models import Edition
from defis.reviews import selectors
from defis.reviews.errors import CapacityExceeded, NotDecidable, PositionsBudgetExceeded
from defis.reviews.models import DecisionNotice
from defis.reviews.services.jury import ensure_not_historical


@transaction.atomic
def decide(*, actor: User, defi: Defi, decision: str, at: datetime | None = None) -> Defi:
    """Record the jury's decision on a défi; selecting it must fit the edition's maximum number of
    défis and positions budget. The same decision again changes nothing."""
    at = at or timezone.now()
    edition = Edition.objects.select_for_update().get(pk=defi.edition_id)  # one deliberation at a time
    ensure_not_historical(edition)
    defi = Defi.objects.select_for_update(of=("self",)).get(pk=defi.pk)
    if defi.status != Defi.Status.SUBMITTED or decision not in Defi.Decision.values:
        raise NotDecidable()
    if defi.decision == decision:
        return defi
    if decision == Defi.Decision.SELECTED:
        _check_capacity(edition, defi)
    previous = defi.decision
    defi.decision = decision
    defi.save(update_fields=["decision", "updated_at"])
    record_event(actor=actor, action="defi.decided", target=defi, at=at, data={"from": previous, "to": decision})
    return defi


def _check_capacity(edition: Edition, defi: Defi) -> None:
    capacity = selectors.capacity_of(edition=edition)
    if capacity.maximum is not None and capacity.selected >= capacity.maximum:
        raise CapacityExceeded(maximum=capacity.maximum)
    needed = selectors.positions_of(defi, edition)
    budget = capacity.positions_budget
    if budget is not None and capacity.positions_used + needed > budget:
        raise PositionsBudgetExceeded(budget=budget, used=capacity.positions_used, needed=needed)


@transaction.atomic
def notify_decisions(*, actor: User, edition: Edition, at: datetime | None = None) -> list[DecisionNotice]:
    """Queue the e-mail of its decision to the administration of every decided défi, once per défi and
    decision: a second run sends nothing already sent."""
    from defis.reviews.tasks import send_decision_notice_task  # tasks import services

    at = at or timezone.now()
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_not_historical(edition)
    sent = selectors.notices_of(edition=edition)
    notices = []
    for defi in selectors.decided_defis(edition=edition):
        if defi.decision in sent.get(defi.pk, set()):
            continue
        notice = DecisionNotice.objects.create(defi=defi, decision=defi.decision, queued_by=actor, queued_at=at)
        record_event(actor=actor, action="defi.decision_notified", target=defi, at=at, data={"decision": defi.decision})
        transaction.on_commit(partial(send_decision_notice_task.enqueue, notice_id=notice.pk))
        notices.append(notice)
    return notices
