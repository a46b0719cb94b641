from django.db.models import Q, QuerySet

from defis.notifications.models import OutboxMessage, ScheduledReminder


def outbox_messages(*, query: str = "", template: str = "", status: str = "") -> QuerySet[OutboxMessage]:
    """Messages of the outbox, newest first, whose recipient or subject contains `query`."""
    messages = OutboxMessage.objects.select_related("resent_from").order_by("-created_at", "-pk")
    query = query.strip()
    if query:
        messages = messages.filter(Q(to__icontains=query) | Q(subject__icontains=query))
    if template:
        messages = messages.filter(template=template)
    if status:
        messages = messages.filter(status=status)
    return messages


def outbox_templates() -> list[str]:
    """The templates that appear in the outbox, for the search form's choices."""
    return sorted(set(OutboxMessage.objects.exclude(template="").values_list("template", flat=True).distinct()))


def failed_messages() -> QuerySet[OutboxMessage]:
    """Messages the e-mail backend refused, that nobody has resent yet."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED, resends__isnull=True).order_by(
        "-created_at", "-pk"
    )


def reminders_of(*, target_type: str, target_ids: list[str]) -> QuerySet[ScheduledReminder]:
    """Reminders scheduled for these targets, the next due first."""
    return ScheduledReminder.objects.filter(target_type=target_type, target_id__in=target_ids).order_by("due_at", "pk")
