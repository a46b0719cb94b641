"""The scale-out path: the same task moves to RQ on Redis (django-tasks-rq) by configuration only.

A real task goes through the Redis server of the machine (127.0.0.1:6379) and is run by RQ's own
worker (`SimpleWorker`, which runs jobs in its process, so that the job sees the test's database
transaction). Without Redis the test is skipped, except in CI (CI=true), where it fails.
"""

import os
import uuid
from collections.abc import Iterator

import django_rq
import pytest
import redis
from django.conf import LazySettings
from django.core import mail
from django_tasks import TaskResultStatus
from django_tasks_rq import Job
from rq import SimpleWorker

from defis.notifications.models import OutboxMessage
from defis.notifications.tasks import deliver_task

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own: the bench uses 14 and 15


@pytest.fixture
def redis_queue(settings: LazySettings) -> Iterator[str]:
    """A queue of its own on the machine's Redis, configured as production would, then removed."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        reason = f"Redis is not reachable on 127.0.0.1:6379 ({error}): start redis-server to run this test"
        if os.environ.get("CI") == "true":  # CI starts Redis: its absence is a failure there
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"test-{uuid.uuid4().hex}"
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}, name: {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    yield name
    django_rq.get_queue(name).delete(delete_jobs=True)


def test_deliver_task_runs_through_redis_and_an_rq_worker(
    redis_queue: str, mailoutbox: list[mail.EmailMessage]
) -> None:
    message = OutboxMessage.objects.create(
        key="receipt:rq:1", to="agent@finances.gouv.fr", subject="Récépissé", body="Votre défi est bien déposé.\n"
    )
    queue = django_rq.get_queue(redis_queue, job_class=Job)

    result = deliver_task.using(queue_name=redis_queue).enqueue(message_id=message.pk)

    assert (result.status, queue.count, mailoutbox) == (TaskResultStatus.READY, 1, [])
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    assert worker.work(burst=True) is True
    result.refresh()
    message.refresh_from_db()
    assert (result.status, queue.count) == (TaskResultStatus.SUCCESSFUL, 0)
    assert message.status == OutboxMessage.Status.SENT
    assert [(sent.subject, sent.to) for sent in mailoutbox] == [("Récépissé", ["agent@finances.gouv.fr"])]
