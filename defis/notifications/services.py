import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from defis.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)


def render_message(*, template: str, context: Mapping[str, Any], language: str = "fr") -> tuple[str, str]:
    """Render `<template>_subject.txt` and `<template>_body.txt` in the person's language."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", dict(context)).split())
        body = render_to_string(f"{template}_body.txt", dict(context)).strip() + "\n"
    return subject, body


def send_once(*, key: str | None, to: str, subject: str, body: str, template: str = "") -> OutboxMessage:
    """Record the message in the outbox and send it, at most once per `key`.

    A second call with the same key returns the recorded message without sending again, so a
    task that runs twice, or two workers racing, send one e-mail.
    """
    if key is not None:
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    key=key, template=template, to=to, subject=subject, body=body
                )
        except IntegrityError:
            return OutboxMessage.objects.get(key=key)
    else:
        message = OutboxMessage.objects.create(template=template, to=to, subject=subject, body=body)
    return deliver(message=message)


def deliver(*, message: OutboxMessage) -> OutboxMessage:
    """Hand a recorded message to Django's e-mail backend and record the outcome."""
    try:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
    except OSError as error:  # SMTP and file backends raise OSError subclasses
        logger.warning("outbox message %s failed: %s", message.pk, error)
        message.status, message.error = OutboxMessage.Status.FAILED, str(error)
        message.save(update_fields=["status", "error", "updated_at"])
        return message
    message.status, message.sent_at, message.error = OutboxMessage.Status.SENT, timezone.now(), ""
    message.save(update_fields=["status", "sent_at", "error", "updated_at"])
    return message
