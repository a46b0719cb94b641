"""The one base of every refused business rule: a stable code and a message for people."""


class DomainError(Exception):
    """A rule refused the action; `message` is translated and may be tied to a form field."""

    code = "refused"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field
