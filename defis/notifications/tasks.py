from django.utils import timezone
from django_tasks import task

from defis.notifications.models import OutboxMessage
from defis.notifications.services import deliver, run_scheduled_reminder


@task()
def deliver_task(*, message_id: int) -> None:
    """Send a queued outbox message; a message already sent is left alone."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.QUEUED).first()
    if message is not None:
        deliver(message=message)


@task()
def send_scheduled_reminder_task(*, reminder_id: int) -> None:
    """Send a scheduled reminder if it is still due; a second run does nothing."""
    run_scheduled_reminder(reminder_id=reminder_id, at=timezone.now())
