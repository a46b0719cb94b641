"""After the surge: what the task workers still have to do, and whether the database kept every
promise the server made (bench/locust_surge.py's ledger says what it acknowledged)."""

from collections import defaultdict
from typing import Any

from django.conf import settings

from defis.challenges.models import CoEditor, Defi, DefiVersion
from defis.notifications.models import OutboxMessage


def pending_tasks() -> int:
    """Tasks enqueued and not finished, on whichever backend the settings name."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        import django_rq
        from rq.registry import StartedJobRegistry

        queue = django_rq.get_queue("default")
        return int(queue.count) + len(StartedJobRegistry(queue=queue))
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()


def failed_tasks() -> int:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        import django_rq
        from rq.registry import FailedJobRegistry

        return len(FailedJobRegistry(queue=django_rq.get_queue("default")))
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()


def receipts_count() -> int:
    return OutboxMessage.objects.filter(key__startswith="receipt:").count()


def check_surge(*, ledger: dict[str, Any], edition_id: int, expected_defis: int) -> dict[str, int]:
    """Every submission acknowledged is stored once with one receipt per co-editor; no text the
    server acknowledged is lost (a later text still in flight when the run stopped may replace it)."""
    acknowledged = {int(defi_id) for defi_id in ledger["submitted"]}
    sent = {int(defi_id): texts for defi_id, texts in ledger["sent"].items()}
    touched = set(sent) | acknowledged
    defis = {defi.pk: defi for defi in Defi.objects.filter(pk__in=touched)}
    versions: dict[int, list[int]] = defaultdict(list)
    for defi_id, number in DefiVersion.objects.filter(
        defi_id__in=touched, reason=DefiVersion.Reason.SUBMITTED
    ).values_list("defi_id", "number"):
        versions[defi_id].append(number)
    coeditors: dict[int, list[int]] = defaultdict(list)
    for defi_id, user_id in CoEditor.objects.filter(defi_id__in=acknowledged).values_list("defi_id", "user_id"):
        coeditors[defi_id].append(user_id)
    receipts = set(OutboxMessage.objects.filter(key__startswith="receipt:").values_list("key", flat=True))
    expected_receipts = {
        f"receipt:{defi_id}:{number}:{user_id}"
        for defi_id in acknowledged
        for number in versions[defi_id][:1]
        for user_id in coeditors[defi_id]
    }
    lost = 0
    for defi_id, texts in sent.items():
        acked = [index for index, (_text, ok) in enumerate(texts) if ok]
        allowed = {text for text, _ok in texts[acked[-1] :]} if acked else {"", *(text for text, _ok in texts)}
        if defi_id not in defis or defis[defi_id].problem not in allowed:
            lost += 1
    return {
        "acknowledged": len(acknowledged),
        "stored_once": sum(
            1 for d in acknowledged if d in defis and defis[d].status == Defi.Status.SUBMITTED and len(versions[d]) == 1
        ),
        "missing": sum(1 for d in acknowledged if d not in defis or defis[d].status != Defi.Status.SUBMITTED),
        "duplicated": sum(1 for d in touched if len(versions[d]) > 1)
        + max(0, Defi.objects.filter(edition_id=edition_id).count() - expected_defis),
        "receipts_expected": len(expected_receipts),
        "receipts_missing": len(expected_receipts - receipts),
        "receipts_per_coeditor_not_one": len(expected_receipts - receipts)
        + sum(
            1
            for key in receipts
            if key.split(":")[1].isdigit() and int(key.split(":")[1]) in acknowledged and key not in expected_receipts
        ),
        "drafts_lost": lost,
    }
