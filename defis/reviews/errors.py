from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from defis.common.errors import DomainError
from defis.common.templatetags.defis_tags import paris_moment as _when


class HistoricalEdition(DomainError):
    code = "historical_edition"

    def __init__(self) -> None:
        super().__init__(_("This edition is a historical record: its selection cannot be changed."))


class InvitationForAnotherAddress(DomainError):
    code = "invitation_for_another_address"

    def __init__(self, *, email: str) -> None:
        super().__init__(
            _("This invitation was sent to %(email)s: sign in with that address to answer it.") % {"email": email}
        )


class InvitationAlreadyAccepted(DomainError):
    code = "invitation_already_accepted"

    def __init__(self) -> None:
        super().__init__(_("You have already accepted this invitation: write to the programme team to leave the jury."))


class AlreadyOnJury(DomainError):
    code = "already_on_jury"

    def __init__(self) -> None:
        super().__init__(_("Your account already sits on this jury, through another invitation."))


class NotAJuror(DomainError):
    code = "not_a_juror"

    def __init__(self) -> None:
        super().__init__(_("Only a juror who accepted the invitation can do this."), field="juror")


class InConflict(DomainError):
    code = "conflict_of_interest"

    def __init__(self) -> None:
        super().__init__(
            _("This juror has a conflict of interest with this challenge: it cannot be assigned to them."), field="defi"
        )


class NotReviewable(DomainError):
    code = "not_reviewable"

    def __init__(self) -> None:
        super().__init__(_("Only a submitted challenge of this edition can be reviewed."), field="defi")


class ConflictTargetMissing(DomainError):
    code = "conflict_target_missing"

    def __init__(self) -> None:
        super().__init__(
            _("Choose the organisation or the challenge you have a conflict of interest with."), field="organisation"
        )


class ReviewAlreadySubmitted(DomainError):
    code = "review_already_submitted"

    def __init__(self) -> None:
        super().__init__(_("This review is submitted: change it, then submit it again."))


class ReviewStarted(DomainError):
    code = "review_started"

    def __init__(self) -> None:
        super().__init__(_("The juror has submitted their review of this challenge: the assignment stays."))


class SelectionNotOpen(DomainError):
    code = "selection_not_open"

    def __init__(self, *, opens_at: datetime | None) -> None:
        if opens_at is None:
            super().__init__(_("This edition has no selection phase: reviews cannot be written."))
        else:
            super().__init__(
                _("Reviews open with the selection phase, on %(when)s (Paris time).") % {"when": _when(opens_at)}
            )


class SelectionClosed(DomainError):
    code = "selection_closed"

    def __init__(self, *, closed_at: datetime) -> None:
        super().__init__(
            _("The selection phase closed on %(when)s (Paris time): reviews can no longer be changed.")
            % {"when": _when(closed_at)}
        )


class ScoreOutOfScale(DomainError):
    code = "score_out_of_scale"

    def __init__(self, *, criterion: str, minimum: int, maximum: int, field: str) -> None:
        super().__init__(
            _("The score of “%(criterion)s” is a whole number from %(minimum)s to %(maximum)s.")
            % {"criterion": criterion, "minimum": minimum, "maximum": maximum},
            field=field,
        )


class IncompleteReview(DomainError):
    code = "incomplete_review"

    def __init__(self, *, missing: Sequence[str], field: str | None) -> None:
        self.missing = list(missing)
        super().__init__(
            _("Score every criterion before submitting: %(criteria)s.") % {"criteria": "; ".join(missing)}, field=field
        )


class NoCriteria(DomainError):
    code = "no_criteria"

    def __init__(self) -> None:
        super().__init__(_("The edition has no review criterion yet: the programme team must define them."))


class CriterionInUse(DomainError):
    code = "criterion_in_use"

    def __init__(self) -> None:
        super().__init__(_("Jurors have already scored this criterion: it cannot be deleted."))


class InvalidCriterion(DomainError):
    code = "invalid_criterion"


class CapacityExceeded(DomainError):
    code = "capacity_exceeded"

    def __init__(self, *, maximum: int) -> None:
        super().__init__(
            ngettext(
                "The edition selects %(maximum)s challenge at most, and it is already selected: move it to the waiting "
                "list first.",
                "The edition selects %(maximum)s challenges at most, and %(maximum)s are already selected: move one to "
                "the waiting list first.",
                maximum,
            )
            % {"maximum": maximum},
            field="decision",
        )


class PositionsBudgetExceeded(DomainError):
    code = "positions_budget_exceeded"

    def __init__(self, *, budget: int, used: int, needed: int) -> None:
        super().__init__(
            _(
                "Selecting this challenge would open %(total)s positions, over the budget of "
                "%(budget)s (%(used)s already taken)."
            )
            % {"total": used + needed, "budget": budget, "used": used},
            field="decision",
        )


class NotDecidable(DomainError):
    code = "not_decidable"

    def __init__(self) -> None:
        super().__init__(_("Only a submitted challenge can receive a decision."), field="decision")
