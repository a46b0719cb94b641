"""Refusals of the programme team's workspace, each with a stable code and a French message."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from defis.common.errors import DomainError


class EditionIncomplete(DomainError):
    code = "edition_incomplete"

    def __init__(self, *, problems: Sequence[str]) -> None:
        # fr: « L’édition ne peut pas être publiée : … »
        super().__init__(_("The edition cannot be published yet: %(problems)s") % {"problems": " ".join(problems)})
        self.problems = list(problems)


class SlugTaken(DomainError):
    code = "slug_taken"

    def __init__(self) -> None:
        super().__init__(_("Another edition already uses this code."), field="slug")


class PhaseKindTaken(DomainError):
    code = "phase_kind_taken"

    def __init__(self) -> None:
        super().__init__(_("This edition already has a phase of this kind."), field="kind")


class PhaseClosesBeforeOpening(DomainError):
    code = "phase_closes_before_opening"

    def __init__(self) -> None:
        super().__init__(_("A phase cannot close before it opens."), field="closes_at")


class RangeInverted(DomainError):
    code = "range_inverted"

    def __init__(self, *, field: str) -> None:
        super().__init__(_("The maximum cannot be lower than the minimum."), field=field)


class ChoicesMissing(DomainError):
    code = "choices_missing"

    def __init__(self) -> None:
        super().__init__(_("A choice question needs at least two options."), field="choices")


class NoCallDeadline(DomainError):
    code = "no_call_deadline"

    def __init__(self) -> None:
        super().__init__(_("The call for challenges of this edition has no deadline."))


class CallClosed(DomainError):
    code = "call_closed"

    def __init__(self) -> None:
        super().__init__(_("The call for challenges is not open: there is nobody to remind."))


class ExtensionNotLater(DomainError):
    code = "extension_not_later"

    def __init__(self) -> None:
        super().__init__(_("An extension closes after the phase's own closing moment."), field="closes_at")
