from django_tasks import task

from defis.notifications.models import OutboxMessage
from defis.notifications.services import deliver


@task()
def deliver_task(*, message_id: int) -> None:
    """Send a queued outbox message; a message already sent is left alone."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.QUEUED).first()
    if message is not None:
        deliver(message=message)
