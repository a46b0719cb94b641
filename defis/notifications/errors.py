"""Refusals of the notifications app: a message template the sandbox will not run."""

from django.utils.translation import gettext as _

from defis.common.errors import DomainError


class InvalidMessageTemplate(DomainError):
    code = "invalid_message_template"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        # fr: « Ce modèle ne peut pas être utilisé : … »
        super().__init__(_("This template cannot be used: %(detail)s") % {"detail": detail}, field=field)


class MessageCannotBeResent(DomainError):
    code = "message_cannot_be_resent"

    def __init__(self) -> None:
        super().__init__(_("Only a message that was sent or that failed can be sent again."))
