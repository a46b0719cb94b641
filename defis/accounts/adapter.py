from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils.encoding import force_str

from defis.notifications.services import send_once


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, sending its messages through our outbox."""

    def format_email_subject(self, subject: str) -> str:
        # allauth prefixes "[<host>] " by default; the sender's name already says "Défis".
        return (app_settings.EMAIL_SUBJECT_PREFIX or "") + force_str(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's message as allauth does, then record it in the outbox and send it
        from there, so that every e-mail the platform sends is in the outbox."""
        request = allauth_context.request
        message_context = {"request": request, "email": email, "current_site": get_current_site(request)}
        message_context.update(context)
        message = self.render_mail(template_prefix, email, message_context)
        # No key: each confirmation, code or reset link is a new message, never a repeat.
        send_once(
            key=None,
            to=email,
            subject=force_str(message.subject),
            body=force_str(message.body),
            template=template_prefix,
        )
