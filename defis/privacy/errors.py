from django.utils.translation import gettext as _

from defis.common.errors import DomainError


class ErasureAlreadyDecided(DomainError):
    code = "erasure_already_decided"

    def __init__(self) -> None:
        # fr: « Cette demande d’effacement a déjà été traitée. »
        super().__init__(_("This erasure request has already been handled."))


class ErasureRefused(DomainError):
    code = "erasure_refused"

    def __init__(self) -> None:
        # fr: « Seule l’équipe du programme peut effacer les données d’une personne. »
        super().__init__(_("Only the programme team may erase a person's data."))


class TeamMemberErasure(DomainError):
    code = "team_member_erasure"

    def __init__(self) -> None:
        # fr: « Retirez d’abord cette personne de l’équipe du programme : ses données servent à la piste d’audit. »
        super().__init__(_("Remove this person from the programme team first: the audit trail relies on them."))


class RetentionPolicyRefused(DomainError):
    code = "retention_policy_refused"

    def __init__(self) -> None:
        # fr: « Seule l’équipe du programme peut fixer la durée de conservation. »
        super().__init__(_("Only the programme team may set the retention period."), field="months_after_end")
