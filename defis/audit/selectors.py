from datetime import datetime

from django.db.models import Q, QuerySet

from defis.audit.models import Event


def events_matching(
    *,
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    actor: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Event]:
    """Audit rows, newest first, narrowed by each criterion given: the action (or its prefix, such as
    `membership.`), the object's type and id, the actor's e-mail or name, and a period [since, until)."""
    events = Event.objects.select_related("actor").order_by("-at", "-pk")
    if action:
        events = events.filter(action__startswith=action) if action.endswith(".") else events.filter(action=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if actor:
        events = events.filter(Q(actor__email__icontains=actor) | Q(actor__last_name__icontains=actor))
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events


def history_of(*, target_type: str, target_id: str) -> QuerySet[Event]:
    """Every audit row about one object, oldest first: its history."""
    return (
        Event.objects.filter(target_type=target_type, target_id=target_id).select_related("actor").order_by("at", "pk")
    )


def known_actions() -> list[str]:
    """The actions the log holds, for the filter's list."""
    return list(Event.objects.order_by("action").values_list("action", flat=True).distinct())


def known_target_types() -> list[str]:
    return list(
        Event.objects.exclude(target_type="").order_by("target_type").values_list("target_type", flat=True).distinct()
    )
