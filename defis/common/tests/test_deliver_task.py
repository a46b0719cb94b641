"""`deliver_task` sends a queued outbox message once, whoever runs it and however often."""

import pytest
from django.core import mail
from django_tasks import TaskResultStatus

from defis.notifications.models import OutboxMessage
from defis.notifications.tasks import deliver_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued() -> OutboxMessage:
    return OutboxMessage.objects.create(
        key="reminder:7", to="jure@numerique.gouv.fr", subject="Rappel", body="Il reste trois défis à noter.\n"
    )


def test_deliver_task_sends_a_queued_message(queued: OutboxMessage, mailoutbox: list[mail.EmailMessage]) -> None:
    result = deliver_task.enqueue(message_id=queued.pk)

    assert result.status == TaskResultStatus.SUCCESSFUL
    queued.refresh_from_db()
    assert queued.status == OutboxMessage.Status.SENT
    assert [(m.subject, m.to) for m in mailoutbox] == [("Rappel", ["jure@numerique.gouv.fr"])]


def test_deliver_task_run_twice_sends_once(queued: OutboxMessage, mailoutbox: list[mail.EmailMessage]) -> None:
    deliver_task.enqueue(message_id=queued.pk)

    result = deliver_task.enqueue(message_id=queued.pk)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(mailoutbox) == 1


def test_deliver_task_leaves_a_failed_message_alone(queued: OutboxMessage, mailoutbox: list[mail.EmailMessage]) -> None:
    OutboxMessage.objects.filter(pk=queued.pk).update(status=OutboxMessage.Status.FAILED)

    deliver_task.enqueue(message_id=queued.pk)

    assert mailoutbox == []


def test_deliver_task_for_a_deleted_message_does_nothing(
    queued: OutboxMessage, mailoutbox: list[mail.EmailMessage]
) -> None:
    message_id = queued.pk
    queued.delete()

    result = deliver_task.enqueue(message_id=message_id)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert mailoutbox == []
