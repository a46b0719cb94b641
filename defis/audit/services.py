from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.models import Event


def record_event(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one audit row; call it inside the transaction of the change it records."""
    return Event.objects.create(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data=dict(data or {}),
    )
