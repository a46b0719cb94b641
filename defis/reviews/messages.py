"""The e-mails of the selection, rendered the same way for the preview and for the outbox."""

from django.conf import settings as django_settings

from defis.accounts.models import User
from defis.challenges.models import Defi
from defis.notifications.services import render_message
from defis.reviews.models import Juror, JurySettings


def decision_template(decision: str) -> str:
    return f"reviews/mail/decision_{decision}"


def decision_message(*, defi: Defi, person: User | None, settings: JurySettings) -> tuple[str, str]:
    """The subject and body telling the défi's administration of its decision."""
    return render_message(
        template=decision_template(defi.decision),
        context={
            "defi": defi,
            "edition": defi.edition,
            "person": person,
            "message": settings.message_for(defi.decision),
            "site_url": django_settings.SITE_URL,
        },
    )


def invitation_message(*, juror: Juror) -> tuple[str, str]:
    """The subject and body inviting a person to an edition's jury, with the link to answer."""
    return render_message(
        template="reviews/mail/invitation",
        context={
            "juror": juror,
            "edition": juror.edition,
            "inviter": juror.invited_by,
            "site_url": django_settings.SITE_URL,
        },
    )
