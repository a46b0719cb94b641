import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from defis.notifications.errors import MessageCannotBeResent
from defis.notifications.models import OutboxMessage, ScheduledReminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderMessage:
    """One e-mail of a reminder; `recipient` is a stable id of the person (never their address)."""

    recipient: str
    to: str
    subject: str
    body: str
    template: str = ""


# What a reminder's source returns: its messages, or None when it is no longer due.
ReminderSource = Callable[..., Sequence[ReminderMessage] | None]


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
                message = OutboxMessage.objects.create(key=key, template=template, to=to, subject=subject, body=body)
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


def queue_once(
    *, key: str | None, to: str, subject: str, body: str, template: str = "", resent_from: OutboxMessage | None = None
) -> OutboxMessage:
    """Record a message as queued, at most once per `key`, and hand it to a worker once committed.

    Called inside the caller's transaction, the key is recorded with the caller's other changes:
    two workers racing on the same key make one row, and the loser gets the winner's.
    """
    from defis.notifications.tasks import deliver_task  # tasks import this module

    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key, template=template, to=to, subject=subject, body=body, resent_from=resent_from
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    transaction.on_commit(partial(deliver_task.enqueue, message_id=message.pk))
    return message


def resend_message(*, message: OutboxMessage) -> OutboxMessage:
    """Queue a copy of a sent or failed message, linked to it; the original stays as it was."""
    if message.status == OutboxMessage.Status.QUEUED:
        raise MessageCannotBeResent()
    return queue_once(
        key=None,
        to=message.to,
        subject=message.subject,
        body=message.body,
        template=message.template,
        resent_from=message,
    )


def _enqueue_reminder(reminder: ScheduledReminder) -> None:
    from defis.notifications.tasks import send_scheduled_reminder_task

    task = send_scheduled_reminder_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=reminder.due_at)
    elif reminder.due_at > timezone.now():
        # A backend that cannot defer (tests' immediate one) would run it early, where it would stop:
        # the row stays scheduled and `run_scheduled_reminder` can still be called when due.
        return
    transaction.on_commit(partial(task.enqueue, reminder_id=reminder.pk))


def schedule_reminder(
    *, source: str, target_type: str, target_id: str, deadline: datetime, days_before: int, due_at: datetime
) -> tuple[ScheduledReminder, bool]:
    """Schedule one reminder before a deadline, once: a second call for the same deadline changes nothing,
    and a reminder cancelled earlier comes back when its deadline does. Says whether it queued one."""
    reminder, created = ScheduledReminder.objects.get_or_create(
        source=source,
        target_type=target_type,
        target_id=target_id,
        deadline=deadline,
        days_before=days_before,
        defaults={"due_at": due_at},
    )
    if not created and reminder.status != ScheduledReminder.Status.CANCELLED:
        return reminder, False
    if not created:
        reminder.status, reminder.due_at = ScheduledReminder.Status.SCHEDULED, due_at
        reminder.save(update_fields=["status", "due_at", "updated_at"])
    _enqueue_reminder(reminder)
    return reminder, True


def cancel_reminders(*, source: str, target_type: str, target_id: str, keep_deadline: datetime | None) -> int:
    """Cancel the scheduled reminders of a target whose deadline is no longer `keep_deadline`."""
    reminders = ScheduledReminder.objects.filter(
        source=source, target_type=target_type, target_id=target_id, status=ScheduledReminder.Status.SCHEDULED
    )
    if keep_deadline is not None:
        reminders = reminders.exclude(deadline=keep_deadline)
    return reminders.update(status=ScheduledReminder.Status.CANCELLED, updated_at=timezone.now())


@transaction.atomic
def run_scheduled_reminder(*, reminder_id: int, at: datetime) -> ScheduledReminder | None:
    """Send a due reminder once: its row is locked, its messages are queued with per-person keys and it is
    marked sent in one transaction, so a second run, on any worker, finds it sent and does nothing."""
    reminder = ScheduledReminder.objects.select_for_update().filter(pk=reminder_id).first()
    if reminder is None or reminder.status != ScheduledReminder.Status.SCHEDULED or at < reminder.due_at:
        return reminder
    if not reminder.source.startswith("defis."):
        raise ValueError(f"reminder source outside the project: {reminder.source}")
    source: ReminderSource = import_string(reminder.source)
    messages = source(reminder=reminder, at=at)
    if messages is None:  # the deadline moved or the phase closed since it was scheduled
        reminder.status = ScheduledReminder.Status.SKIPPED
    else:
        for message in messages:
            queue_once(
                key=f"reminder:{reminder.pk}:{message.recipient}",
                to=message.to,
                subject=message.subject,
                body=message.body,
                template=message.template,
            )
        reminder.status, reminder.messages_count = ScheduledReminder.Status.SENT, len(messages)
    reminder.ran_at = at
    reminder.save(update_fields=["status", "messages_count", "ran_at", "updated_at"])
    logger.info("reminder %s ran: %s, %s message(s)", reminder.pk, reminder.status, reminder.messages_count)
    return reminder
