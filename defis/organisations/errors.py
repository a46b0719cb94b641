from django.utils.translation import gettext as _

from defis.common.errors import DomainError


class MembershipAlreadyRequested(DomainError):
    code = "membership_already_requested"

    def __init__(self) -> None:
        # fr: « Vous avez déjà demandé à rejoindre cette organisation. »
        super().__init__(_("You have already asked to join this organisation."), field="organisation")


class AlreadyMember(DomainError):
    code = "already_member"

    def __init__(self) -> None:
        # fr: « Vous êtes déjà membre de cette organisation. »
        super().__init__(_("You are already a member of this organisation."), field="organisation")


class MembershipAlreadyDecided(DomainError):
    code = "membership_already_decided"

    def __init__(self) -> None:
        super().__init__(_("This request has already been decided."))


class MembershipDecisionRefused(DomainError):
    code = "membership_decision_refused"

    def __init__(self) -> None:
        # fr: « Seuls l’équipe du programme et les responsables de l’organisation peuvent décider de cette demande. »
        super().__init__(_("Only the programme team and the organisation's managers may decide on this request."))


class KindChangeRefused(DomainError):
    code = "kind_change_refused"

    def __init__(self) -> None:
        # fr: « Seule l’équipe du programme peut établir la nature d’une organisation. »
        super().__init__(_("Only the programme team may set the kind of an organisation."), field="kind")


class RoleChangeRefused(DomainError):
    code = "role_change_refused"

    def __init__(self) -> None:
        # fr: « Seule l’équipe du programme peut nommer les responsables d’une organisation. »
        super().__init__(_("Only the programme team may name the managers of an organisation."))


class MembershipNotApproved(DomainError):
    code = "membership_not_approved"

    def __init__(self) -> None:
        # fr: « Seul un membre accepté peut devenir responsable. »
        super().__init__(_("Only an accepted member can become a manager."))


class UnknownKind(DomainError):
    code = "unknown_kind"

    def __init__(self) -> None:
        # fr: « Choisissez une nature dans la liste. »
        super().__init__(_("Choose a kind from the list."), field="kind")


class TooManyParentMinistries(DomainError):
    code = "too_many_parent_ministries"

    def __init__(self) -> None:
        super().__init__(_("An organisation has at most two parent ministries."), field="parent_ministries")
