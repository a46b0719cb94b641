"""Who may do what in the selection. Scope comes first: a juror reaches a défi only through
`selectors.assignment_to_review` (not assigned, or in conflict: 404); then these rules (403); the
services still enforce the selection phase, conflicts and capacity, whoever calls them."""

import rules

from defis.accounts.models import User
from defis.accounts.rules import is_programme_team
from defis.reviews.models import Assignment, Juror


@rules.predicate
def is_seat_holder(user: User, juror: Juror) -> bool:
    return bool(user.is_authenticated) and juror.user_id == user.pk and juror.status == Juror.Status.ACCEPTED


@rules.predicate
def is_assigned_juror(user: User, assignment: Assignment) -> bool:
    return bool(user.is_authenticated) and is_seat_holder(user, assignment.juror)


rules.add_perm("reviews.manage_jury", is_programme_team)
rules.add_perm("reviews.review_defi", is_assigned_juror)
rules.add_perm("reviews.state_preferences", is_seat_holder)
