from collections.abc import Sequence
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from defis.common.errors import DomainError


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


class CallClosed(DomainError):
    code = "call_closed"

    def __init__(self, *, closes_at: datetime | None) -> None:
        if closes_at is None:
            super().__init__(_("The call for challenges is not open."))
        else:
            super().__init__(_("The call for challenges closed on %(when)s (Paris time).") % {"when": _when(closes_at)})


class CallNotOpenYet(DomainError):
    code = "call_not_open"

    def __init__(self, *, opens_at: datetime) -> None:
        super().__init__(_("The call for challenges opens on %(when)s (Paris time).") % {"when": _when(opens_at)})


class NotAMember(DomainError):
    code = "not_a_member"

    def __init__(self, *, field: str | None = "organisation") -> None:
        super().__init__(_("You can only act for an organisation that has accepted you as a member."), field=field)


class NotEditable(DomainError):
    code = "not_editable"

    def __init__(self) -> None:
        super().__init__(_("This challenge is submitted: reopen it to change it."))


class OutdatedVersion(DomainError):
    """A save made on an outdated version: refused with what changed, nothing typed is dropped."""

    code = "outdated_version"

    def __init__(self, *, changed_fields: Sequence[str], by: str) -> None:
        self.changed_fields = list(changed_fields)
        super().__init__(
            _(
                "%(person)s saved this challenge while you were editing it. Their changes to %(fields)s are "
                "shown below; your text is kept in the form: merge it, then save again."
            )
            % {"person": by, "fields": ", ".join(changed_fields) or _("the form")}
        )


class NotEligible(DomainError):
    code = "not_eligible"

    def __init__(self, *, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(_("The challenge cannot be submitted yet: %(reasons)s") % {"reasons": " ".join(reasons)})


class InvalidAttachment(DomainError):
    code = "invalid_attachment"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


class CoeditorNotAllowed(DomainError):
    code = "coeditor_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            _("This person is not an accepted member of the organisation: ask them to join it first."), field="email"
        )


class NotWithdrawable(DomainError):
    code = "not_withdrawable"

    def __init__(self) -> None:
        super().__init__(_("Only a submitted challenge can be withdrawn."))
