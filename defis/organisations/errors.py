from django.utils.translation import gettext as _

from defis.common.errors import DomainError


class MembershipAlreadyRequested(DomainError):
    code = "membership_already_requested"

    def __init__(self) -> None:
        super().__init__(_("You have already asked to join this organisation."), field="organisation")


class MembershipAlreadyDecided(DomainError):
    code = "membership_already_decided"

    def __init__(self) -> None:
        super().__init__(_("This request has already been decided."))


class TooManyParentMinistries(DomainError):
    code = "too_many_parent_ministries"

    def __init__(self) -> None:
        super().__init__(_("An organisation has at most two parent ministries."),
                         field="parent_ministries")
