"""The programme team's writes on an edition: create it from another, configure it, publish it, remind.

Each service is one transaction with its audit row; e-mails and reminders leave on commit, and so
does the invalidation of the public pages that show what changed (the home page and the edition's
page show its name, rules, offer, texts, phases and FAQ; not its questions, interview criteria,
e-mails, extensions or template flag, nor a new edition, unpublished until `publish_edition`).
"""

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.common.cache import invalidate_edition_pages_on_commit
from defis.notifications import services as notifications
from defis.notifications.models import MessageTemplate, OutboxMessage, ScheduledReminder
from defis.notifications.templating import check_template_text
from defis.organisations.models import Organisation
from defis.programmes import selectors
from defis.programmes.errors import (
    CallClosed,
    ChoicesMissing,
    EditionIncomplete,
    ExtensionNotLater,
    NoCallDeadline,
    PhaseClosesBeforeOpening,
    PhaseKindTaken,
    RangeInverted,
    SlugTaken,
)
from defis.programmes.models import (
    DeadlineExtension,
    Edition,
    FaqEntry,
    InterviewCriterion,
    Phase,
    Question,
)

PARIS = ZoneInfo("Europe/Paris")
REMINDER_DAYS = (7, 1)  # reminders before the call's deadline (issue 10)

# What configures an edition and goes along when it is copied.
SECTIONS: dict[str, tuple[str, ...]] = {
    "rules": (
        "allowed_kinds",
        "requires_demarche",
        "requires_top250",
        "observatory_edition",
        "full_funding_kinds",
        "funding_alternative",
    ),
    "offer": (
        "profiles_offered",
        "positions_per_defi_max",
        "defis_to_select_min",
        "defis_to_select_max",
        "contract_type",
        "contract_months_min",
        "contract_months_max",
        "salary",
        "attachment_max_mb",
    ),
    "texts": ("summary", "presentation", "offer"),
}
RANGES = (("defis_to_select_min", "defis_to_select_max"), ("contract_months_min", "contract_months_max"))
# Rows of other apps that belong to an edition and are copied with it when the app has them.
OPTIONAL_COPIES = ("reviews.Criterion",)
# Paths of the workspace that an edition's code would shadow (urls_workspace.py).
RESERVED_SLUGS = frozenset({"nouvelle", "a-surveiller", "messages"})

Child = TypeVar("Child", Question, FaqEntry, InterviewCriterion)


def _lock(edition: Edition) -> Edition:
    return Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)


def shift_to_year(moment: datetime, years: int) -> datetime:
    """The same wall-clock moment in Paris, `years` later (29 February becomes the 28th)."""
    local = timezone.localtime(moment, PARIS)
    try:
        return local.replace(year=local.year + years)
    except ValueError:
        return local.replace(year=local.year + years, day=28)


def _copy_rows(model: type[models.Model], source: Edition, target: Edition) -> int:
    skip = {"id", "created_at", "updated_at", "edition"}
    names = [f.name for f in model._meta.concrete_fields if f.name not in skip]
    rows = [
        model(edition=target, **{name: getattr(row, name) for name in names})
        for row in model._default_manager.filter(edition=source)
    ]
    model._default_manager.bulk_create(rows)
    return len(rows)


@transaction.atomic
def create_edition(
    *, actor: User, source: Edition, name: str, slug: str, year: int, at: datetime | None = None
) -> Edition:
    """A new, unpublished edition copied from `source`: rules, offer, texts, phases moved to `year`,
    questions, FAQ, criteria and e-mail texts."""
    at = at or timezone.now()
    if slug in RESERVED_SLUGS or Edition.objects.filter(slug=slug).exists():
        raise SlugTaken()
    copied = {name: getattr(source, name) for fields in SECTIONS.values() for name in fields}
    edition = Edition(programme_id=source.programme_id, name=name, slug=slug, year=year, **copied)
    edition.full_clean()
    edition.save()
    years = year - source.year
    Phase.objects.bulk_create(
        [
            Phase(
                edition=edition,
                kind=phase.kind,
                opens_at=shift_to_year(phase.opens_at, years),
                closes_at=shift_to_year(phase.closes_at, years) if phase.closes_at else None,
                precision=phase.precision,
            )
            for phase in source.phases.all()
        ]
    )
    counts = {
        model._meta.label: _copy_rows(model, source, edition)
        for model in (Question, FaqEntry, InterviewCriterion, MessageTemplate)
    }
    tables = set(connection.introspection.table_names())
    for label in OPTIONAL_COPIES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # that app has no such rows yet
        if model._meta.db_table in tables:
            counts[label] = _copy_rows(model, source, edition)
    for phase in edition.phases.all():
        _schedule_phase_reminders(phase, at=at)
    record_event(
        actor=actor,
        action="edition.created",
        target=edition,
        at=at,
        data={"source": source.slug, "years_shifted": years, "copied": counts},
    )
    return edition


@transaction.atomic
def update_edition(
    *, actor: User, edition: Edition, section: str, data: Mapping[str, Any], at: datetime | None = None
) -> Edition:
    """Change one section of the edition's configuration (rules, offer or public texts)."""
    edition = _lock(edition)
    fields = SECTIONS[section]
    for low, high in RANGES:
        low_value, high_value = data.get(low, getattr(edition, low)), data.get(high, getattr(edition, high))
        if high in fields and low_value is not None and high_value is not None and high_value < low_value:
            raise RangeInverted(field=high)
    changed = [name for name in fields if name in data and getattr(edition, name) != data[name]]
    for name in changed:
        setattr(edition, name, data[name])
    edition.full_clean()
    edition.save()
    record_event(
        actor=actor, action="edition.updated", target=edition, at=at, data={"section": section, "fields": changed}
    )
    if changed:
        invalidate_edition_pages_on_commit(edition_slug=edition.slug)
    return edition


def _schedule_phase_reminders(phase: Phase, *, at: datetime) -> list[ScheduledReminder]:
    target = {"source": selectors.CALL_REMINDER_SOURCE, "target_type": "programmes.phase", "target_id": str(phase.pk)}
    deadline = phase.deadline if phase.kind == Phase.Kind.CALL_FOR_DEFIS else None
    notifications.cancel_reminders(**target, keep_deadline=deadline)
    if deadline is None:
        return []
    scheduled = []
    for days in REMINDER_DAYS:
        due_at = deadline - timedelta(days=days)
        if due_at <= at or due_at < phase.opens_at:
            continue  # already past, or before the call opens: nobody to remind yet
        reminder, _queued = notifications.schedule_reminder(
            **target, deadline=deadline, days_before=days, due_at=due_at
        )
        scheduled.append(reminder)
    return scheduled


@transaction.atomic
def save_phase(
    *, actor: User, edition: Edition, data: Mapping[str, Any], phase: Phase | None = None, at: datetime | None = None
) -> Phase:
    """Create or change a phase; the reminders before its deadline are scheduled again if it moved."""
    at = at or timezone.now()
    edition = _lock(edition)
    others = Phase.objects.filter(edition=edition, kind=data["kind"])
    if (others.exclude(pk=phase.pk) if phase is not None else others).exists():
        raise PhaseKindTaken()
    if data.get("closes_at") is not None and data["closes_at"] < data["opens_at"]:
        raise PhaseClosesBeforeOpening()
    phase = phase or Phase(edition=edition)
    before = {"opens_at": phase.opens_at, "closes_at": phase.closes_at} if phase.pk else None
    for name in ("kind", "opens_at", "closes_at", "precision", "published_label"):
        setattr(phase, name, data.get(name, getattr(phase, name)))
    phase.full_clean()
    phase.save()
    reminders = _schedule_phase_reminders(phase, at=at)
    record_event(
        actor=actor,
        action="phase.saved",
        target=edition,
        at=at,
        data={
            "kind": phase.kind,
            "opens_at": phase.opens_at.isoformat(),
            "closes_at": phase.closes_at.isoformat() if phase.closes_at else None,
            "before": {k: v.isoformat() if v else None for k, v in before.items()} if before else None,
            "reminders": [reminder.due_at.isoformat() for reminder in reminders],
        },
    )
    invalidate_edition_pages_on_commit(edition_slug=edition.slug)
    return phase


@transaction.atomic
def delete_phase(*, actor: User, phase: Phase, at: datetime | None = None) -> None:
    """Remove a phase and cancel its reminders."""
    edition = _lock(phase.edition)
    notifications.cancel_reminders(
        source=selectors.CALL_REMINDER_SOURCE,
        target_type="programmes.phase",
        target_id=str(phase.pk),
        keep_deadline=None,
    )
    record_event(actor=actor, action="phase.deleted", target=edition, at=at, data={"kind": phase.kind})
    phase.delete()
    invalidate_edition_pages_on_commit(edition_slug=edition.slug)


def _save_child(
    model: type[Child],
    *,
    actor: User,
    edition: Edition,
    data: Mapping[str, Any],
    instance: Child | None,
    at: datetime | None,
) -> Child:
    edition = _lock(edition)
    if instance is None:
        last = model.objects.filter(edition=edition).order_by("-position").values_list("position", flat=True).first()
        instance = model(edition=edition, position=(last or 0) + 1)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    record_event(
        actor=actor,
        action=f"{model._meta.model_name}.saved",
        target=instance,
        at=at,
        data={"edition": edition.slug, "fields": sorted(data)},
    )
    return instance


@transaction.atomic
def save_question(
    *,
    actor: User,
    edition: Edition,
    data: Mapping[str, Any],
    question: Question | None = None,
    at: datetime | None = None,
) -> Question:
    """Add a question at the end of its form, or change one."""
    if data.get("kind") == Question.Kind.CHOICE and len(data.get("choices") or []) < 2:
        raise ChoicesMissing()
    if data.get("kind") != Question.Kind.CHOICE:
        data = {**data, "choices": []}
    return _save_child(Question, actor=actor, edition=edition, data=data, instance=question, at=at)


@transaction.atomic
def move_question(*, actor: User, question: Question, offset: int, at: datetime | None = None) -> Question:
    """Move a question up (-1) or down (+1) within its form; at either end it stays where it is."""
    _lock(question.edition)
    siblings = list(
        Question.objects.filter(edition_id=question.edition_id, form=question.form).order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings.insert(target, siblings.pop(index))
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
        Question.objects.bulk_update(siblings, ["position"])
        record_event(actor=actor, action="question.moved", target=question, at=at, data={"position": target + 1})
    return Question.objects.get(pk=question.pk)


@transaction.atomic
def save_faq_entry(
    *, actor: User, edition: Edition, data: Mapping[str, Any], entry: FaqEntry | None = None, at: datetime | None = None
) -> FaqEntry:
    """Add an entry at the end of the FAQ, or change one."""
    saved = _save_child(FaqEntry, actor=actor, edition=edition, data=data, instance=entry, at=at)
    invalidate_edition_pages_on_commit(edition_slug=edition.slug)
    return saved


@transaction.atomic
def save_interview_criterion(
    *,
    actor: User,
    edition: Edition,
    data: Mapping[str, Any],
    criterion: InterviewCriterion | None = None,
    at: datetime | None = None,
) -> InterviewCriterion:
    """Add an interview criterion at the end, or change one."""
    return _save_child(InterviewCriterion, actor=actor, edition=edition, data=data, instance=criterion, at=at)


@transaction.atomic
def delete_edition_item(
    *, actor: User, item: Question | FaqEntry | InterviewCriterion, at: datetime | None = None
) -> None:
    """Remove a question, an FAQ entry or an interview criterion of an edition."""
    edition = _lock(item.edition)
    record_event(
        actor=actor,
        action=f"{item._meta.model_name}.deleted",
        target=edition,
        at=at,
        data={"id": item.pk, "label": str(item)},
    )
    item.delete()
    if isinstance(item, FaqEntry):  # the only one of the three that the edition's page shows
        invalidate_edition_pages_on_commit(edition_slug=edition.slug)


@transaction.atomic
def publish_edition(*, actor: User, edition: Edition, at: datetime | None = None) -> Edition:
    """Open the edition's public pages, once nothing it needs is missing. Idempotent."""
    edition = _lock(edition)
    if edition.is_published:
        return edition
    fresh = selectors.edition_for_workspace().get(pk=edition.pk)
    problems = selectors.publication_problems(edition=fresh)
    if problems:
        raise EditionIncomplete(problems=problems)
    edition.is_published = True
    edition.save(update_fields=["is_published", "updated_at"])
    record_event(actor=actor, action="edition.published", target=edition, at=at)
    invalidate_edition_pages_on_commit(edition_slug=edition.slug)
    return edition


@transaction.atomic
def unpublish_edition(*, actor: User, edition: Edition, at: datetime | None = None) -> Edition:
    """Close the edition's public pages. Idempotent."""
    edition = _lock(edition)
    if edition.is_published:
        edition.is_published = False
        edition.save(update_fields=["is_published", "updated_at"])
        record_event(actor=actor, action="edition.unpublished", target=edition, at=at)
        invalidate_edition_pages_on_commit(edition_slug=edition.slug)
    return edition


@transaction.atomic
def set_edition_template(*, actor: User, edition: Edition, is_template: bool, at: datetime | None = None) -> Edition:
    """Offer the edition as a template for new ones, or stop offering it."""
    edition = _lock(edition)
    if edition.is_template != is_template:
        edition.is_template = is_template
        edition.save(update_fields=["is_template", "updated_at"])
        record_event(
            actor=actor, action="edition.template_set", target=edition, at=at, data={"is_template": is_template}
        )
    return edition


@transaction.atomic
def save_message_template(
    *, actor: User, edition: Edition, kind: str, language: str, subject: str, body: str, at: datetime | None = None
) -> MessageTemplate:
    """The edition's own wording of one e-mail in one language, checked by the sandbox first."""
    check_template_text(subject, kind=kind, field="subject")
    check_template_text(body, kind=kind, field="body")
    edition = _lock(edition)
    template, _created = MessageTemplate.objects.update_or_create(
        edition=edition, kind=kind, language=language, defaults={"subject": subject, "body": body}
    )
    record_event(
        actor=actor, action="message_template.saved", target=edition, at=at, data={"kind": kind, "language": language}
    )
    return template


@transaction.atomic
def reset_message_template(
    *, actor: User, edition: Edition, kind: str, language: str, at: datetime | None = None
) -> None:
    """Go back to the platform's wording of that e-mail."""
    edition = _lock(edition)
    deleted, _rows = MessageTemplate.objects.filter(edition=edition, kind=kind, language=language).delete()
    if deleted:
        record_event(
            actor=actor,
            action="message_template.reset",
            target=edition,
            at=at,
            data={"kind": kind, "language": language},
        )


@transaction.atomic
def grant_deadline_extension(
    *,
    actor: User,
    edition: Edition,
    organisation: Organisation,
    phase_kind: str,
    closes_at: datetime,
    reason: str,
    at: datetime | None = None,
) -> DeadlineExtension:
    """Give one organisation a later closing moment for one phase, with a reason, logged."""
    edition = _lock(edition)
    phase = Phase.objects.filter(edition=edition, kind=phase_kind).first()
    if phase is not None and phase.closes_at is not None and closes_at <= phase.closes_at:
        raise ExtensionNotLater()
    extension = DeadlineExtension(
        edition=edition,
        phase_kind=phase_kind,
        organisation=organisation,
        closes_at=closes_at,
        reason=reason,
        granted_by=actor,
    )
    extension.full_clean()
    extension.save()
    record_event(
        actor=actor,
        action="deadline.extended",
        target=edition,
        at=at,
        data={
            "organisation": organisation.pk,
            "phase_kind": phase_kind,
            "closes_at": closes_at.isoformat(),
            "reason": reason,
        },
    )
    return extension


@transaction.atomic
def queue_call_reminder(*, actor: User, edition: Edition, at: datetime | None = None) -> tuple[ScheduledReminder, bool]:
    """Remind the co-editors of the drafts now; a second click the same day queues nothing more.

    Returns the reminder and whether this call queued it.
    """
    at = at or timezone.now()
    edition = _lock(edition)
    call = Phase.objects.filter(edition=edition, kind=Phase.Kind.CALL_FOR_DEFIS).first()
    if call is None or call.deadline is None:
        raise NoCallDeadline()
    if not call.is_open(at):
        raise CallClosed()
    days = max(1, math.ceil((call.deadline - at) / timedelta(days=1)))
    reminder, queued = notifications.schedule_reminder(
        source=selectors.CALL_REMINDER_SOURCE,
        target_type="programmes.phase",
        target_id=str(call.pk),
        deadline=call.deadline,
        days_before=days,
        due_at=at,
    )
    if queued:
        record_event(
            actor=actor,
            action="reminder.queued",
            target=edition,
            at=at,
            data={"reminder": reminder.pk, "days_before": days},
        )
    return reminder, queued


@transaction.atomic
def resend_outbox_message(*, actor: User, message: OutboxMessage, at: datetime | None = None) -> OutboxMessage:
    """Send a message of the outbox again, as a new message linked to the original."""
    copy = notifications.resend_message(message=message)
    record_event(actor=actor, action="outbox.resent", target=copy, at=at, data={"original": message.pk})
    return copy
