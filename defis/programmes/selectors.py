import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from defis.accounts.models import User
from defis.notifications.models import MessageKind, ScheduledReminder
from defis.notifications.selectors import reminders_of
from defis.notifications.services import ReminderMessage
from defis.notifications.templating import render_kind
from defis.organisations.models import Organisation
from defis.programmes.models import (
    GRACE,
    DeadlineExtension,
    Edition,
    FaqEntry,
    InterviewCriterion,
    Phase,
    Programme,
    Question,
)


def _editions_with_phases() -> QuerySet[Edition]:
    return Edition.objects.select_related("programme", "observatory_edition").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("opens_at"))
    )


def published_editions() -> QuerySet[Edition]:
    """Published editions with their programme and phases, newest first."""
    return _editions_with_phases().filter(is_published=True).order_by("-year", "name")


def programmes_with_published_editions() -> QuerySet[Programme]:
    """Programmes that have a published edition, each with those editions and their phases."""
    return (
        Programme.objects.filter(editions__is_published=True)
        .distinct()
        .prefetch_related(Prefetch("editions", queryset=published_editions(), to_attr="published_editions"))
        .order_by("name")
    )


def editions_for_team() -> QuerySet[Edition]:
    """Every edition, published or not, for the programme team."""
    return _editions_with_phases().order_by("-year", "name")


# --- The programme team's workspace (issue 10) ---------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
JOURNEY_ORDER = list(Phase.Kind.values)  # call for défis, selection, applications, recruitment, promotion
SOON = timedelta(days=7)
CALL_REMINDER_SOURCE = "defis.programmes.selectors.call_deadline_reminders"


def edition_templates() -> QuerySet[Edition]:
    """Editions a new one may start from: those offered as templates and the real past editions."""
    return (
        Edition.objects.filter(Q(is_template=True) | Q(is_historical=True))
        .select_related("programme")
        .order_by("-year", "name")
    )


def editions_to_copy() -> QuerySet[Edition]:
    """Every other edition, which the team may copy too."""
    return (
        Edition.objects.filter(is_template=False, is_historical=False)
        .select_related("programme")
        .order_by("-year", "name")
    )


def edition_for_workspace() -> QuerySet[Edition]:
    """Editions with everything the workspace pages and the publication check read."""
    return _editions_with_phases().prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("form", "position", "pk")),
        Prefetch("faq_entries", queryset=FaqEntry.objects.order_by("position", "pk")),
        Prefetch("interview_criteria", queryset=InterviewCriterion.objects.order_by("position", "pk")),
    )


@dataclass(frozen=True)
class TimelineRow:
    phase: Phase
    months: list[bool]


@dataclass(frozen=True)
class Timeline:
    """The phases on a grid of months (a table, readable without colours) and what looks wrong."""

    months: list[date] = field(default_factory=list)
    rows: list[TimelineRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _month_starts(first: datetime, last: datetime) -> list[date]:
    month, end = date(first.year, first.month, 1), date(last.year, last.month, 1)
    months: list[date] = []
    while month <= end and len(months) < 36:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _moment(value: datetime) -> str:
    local = timezone.localtime(value, PARIS)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


def _timeline_warnings(phases: Sequence[Phase]) -> list[str]:
    warnings = []
    for previous, phase in zip(phases, phases[1:], strict=False):
        names = {"first": previous.get_kind_display(), "second": phase.get_kind_display()}
        if JOURNEY_ORDER.index(phase.kind) < JOURNEY_ORDER.index(previous.kind):
            warnings.append(_("The %(second)s opens after the %(first)s, which comes later in the journey.") % names)
        if previous.deadline is None:
            warnings.append(_("The %(first)s has no closing moment, and the %(second)s follows it.") % names)
        elif phase.opens_at < previous.deadline:
            warnings.append(
                _(
                    "The %(first)s and the %(second)s overlap: the %(second)s opens on %(opens)s, "
                    "before the %(first)s closes on %(closes)s."
                )
                % {**names, "opens": _moment(phase.opens_at), "closes": _moment(previous.deadline - GRACE)}
            )
        elif (gap := (phase.opens_at - previous.deadline).days) >= 1:
            warnings.append(
                ngettext(
                    "%(days)s day without a phase between the %(first)s and the %(second)s.",
                    "%(days)s days without a phase between the %(first)s and the %(second)s.",
                    gap,
                )
                % {**names, "days": gap}
            )
    return warnings


def timeline(*, edition: Edition) -> Timeline:
    """The edition's phases in opening order on a grid of months in Paris time, with overlaps and gaps."""
    phases = sorted(edition.phases.all(), key=lambda phase: phase.opens_at)
    if not phases:
        return Timeline()
    first = timezone.localtime(phases[0].opens_at, PARIS)
    last = timezone.localtime(max(phase.closes_at or phase.opens_at for phase in phases), PARIS)
    months = _month_starts(first, last)
    rows = []
    for phase in phases:
        opens = timezone.localtime(phase.opens_at, PARIS).date().replace(day=1)
        closes = timezone.localtime(phase.closes_at or phase.opens_at, PARIS).date().replace(day=1)
        rows.append(TimelineRow(phase, [opens <= month <= closes for month in months]))
    return Timeline(months=months, rows=rows, warnings=_timeline_warnings(phases))


def publication_problems(*, edition: Edition) -> list[str]:
    """What an edition lacks before its public pages may open, in the order a team would fix it."""
    problems = []
    call = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if not edition.phases.all():
        problems.append(_("The edition has no phase."))
    if call is None:
        problems.append(_("The call for challenges has no dates."))
    elif call.closes_at is None:
        problems.append(_("The call for challenges has no deadline."))
    if not edition.allowed_kinds:
        problems.append(_("Say which kinds of organisations may propose a challenge."))
    if edition.requires_top250 and edition.observatory_edition_id is None:
        problems.append(_("The top-250 rule names no observatory edition."))
    if not edition.profiles_offered:
        problems.append(_("Say which profiles are offered."))
    if not edition.positions_per_defi_max:
        problems.append(_("Say how many positions a challenge may have."))
    if not edition.presentation.strip():
        problems.append(_("The public presentation is empty."))
    if not edition.offer.strip():
        problems.append(_("What is offered is not described."))
    for question in edition.questions.all():
        if question.kind == Question.Kind.CHOICE and len(question.choices) < 2:
            problems.append(_("The question “%(label)s” offers fewer than two choices.") % {"label": question.label})
    return problems


@dataclass(frozen=True)
class PhaseEvent:
    phase: Phase
    opens: bool
    at: datetime


@dataclass(frozen=True)
class DraftsOfEdition:
    edition: Edition
    drafts: int
    organisations: list[Organisation]


def phase_events_soon(*, at: datetime) -> list[PhaseEvent]:
    """Phases of current editions that open or close within seven days of `at`, the soonest first."""
    horizon = at + SOON
    phases = (
        Phase.objects.filter(edition__is_historical=False)
        .filter(Q(opens_at__gte=at, opens_at__lt=horizon) | Q(closes_at__gte=at - GRACE, closes_at__lt=horizon))
        .select_related("edition")
    )
    events = []
    for phase in phases:
        if at <= phase.opens_at < horizon:
            events.append(PhaseEvent(phase, True, phase.opens_at))
        if phase.closes_at is not None and at < phase.closes_at + GRACE <= horizon:
            events.append(PhaseEvent(phase, False, phase.closes_at))
    return sorted(events, key=lambda event: event.at)


def drafts_by_edition(*, at: datetime) -> list[DraftsOfEdition]:
    """Current editions whose call for challenges is open at `at` and that have unsubmitted drafts."""
    from defis.challenges.models import Defi

    editions = [
        edition
        for edition in Edition.objects.filter(
            is_historical=False, defis__status=Defi.Status.DRAFT, defis__is_historical=False
        )
        .distinct()
        .prefetch_related("phases")
        .order_by("-year", "name")
        if (call := edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)) is not None and call.is_open(at)
    ]
    drafts = (
        Defi.objects.filter(edition__in=editions, status=Defi.Status.DRAFT, is_historical=False)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    counts: dict[int, int] = {}
    organisations: dict[int, dict[int, Organisation]] = {}
    for defi in drafts:
        counts[defi.edition_id] = counts.get(defi.edition_id, 0) + 1
        organisations.setdefault(defi.edition_id, {})[defi.organisation_id] = defi.organisation
    return [
        DraftsOfEdition(edition, counts.get(edition.pk, 0), list(organisations.get(edition.pk, {}).values()))
        for edition in editions
    ]


def message_preview_context(*, edition: Edition, person: User, at: datetime) -> dict[str, object]:
    """Every documented variable filled with real data of the edition, for the template preview."""
    from defis.challenges.models import Defi

    call = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    defi = Defi.objects.filter(edition=edition).order_by("status", "title").only("title").first()
    days = max(1, math.ceil((call.deadline - at) / timedelta(days=1))) if call and call.deadline else 7
    return {
        "person": str(person),
        "inviter": str(person),
        "edition": edition.name,
        "phase": call.get_kind_display() if call else Phase.Kind.CALL_FOR_DEFIS.label,
        "deadline": _moment(call.closes_at) if call and call.closes_at else "",
        "days": days,
        "defi": defi.title if defi else _("(title of the challenge)"),
        "decision": Defi.Decision.SELECTED.label,
        "url": f"{settings.SITE_URL}{edition.get_absolute_url()}",
    }


def call_deadline_reminders(*, reminder: ScheduledReminder, at: datetime) -> list[ReminderMessage] | None:
    """The reminder's e-mails, one per co-editor of unsubmitted drafts; None when it is no longer due
    (the phase is gone or closed, or its deadline moved since the reminder was scheduled)."""
    from defis.challenges.models import CoEditor, Defi

    phase = Phase.objects.select_related("edition").filter(pk=int(reminder.target_id)).first()
    if phase is None or phase.kind != Phase.Kind.CALL_FOR_DEFIS or phase.deadline != reminder.deadline:
        return None
    if not phase.is_open(at):
        return None
    edition = phase.edition
    extended = DeadlineExtension.objects.filter(
        edition=edition, phase_kind=phase.kind, organisation__isnull=False, closes_at__gt=phase.closes_at
    ).values("organisation_id")
    coeditors = (
        CoEditor.objects.filter(defi__edition=edition, defi__status=Defi.Status.DRAFT, defi__is_historical=False)
        .exclude(defi__organisation_id__in=extended)
        .select_related("user", "defi")
        .order_by("user_id", "defi__title")
    )
    titles: dict[int, list[str]] = {}
    people: dict[int, User] = {}
    for coeditor in coeditors:
        titles.setdefault(coeditor.user_id, []).append(f"« {coeditor.defi.title} »")
        people[coeditor.user_id] = coeditor.user
    messages = []
    for user_id, person in people.items():
        subject, body = render_kind(
            edition_id=edition.pk,
            kind=MessageKind.DEADLINE_REMINDER,
            language="fr",
            context={
                "person": str(person),
                "edition": edition.name,
                "phase": phase.get_kind_display(),
                "deadline": _moment(reminder.deadline - GRACE),
                "days": reminder.days_before,
                "defi": ", ".join(titles[user_id]),
                "url": f"{settings.SITE_URL}{reverse('challenges:mine')}",
            },
        )
        messages.append(
            ReminderMessage(
                recipient=f"user:{user_id}",
                to=person.email,
                subject=subject,
                body=body,
                template=f"notifications:{MessageKind.DEADLINE_REMINDER}",
            )
        )
    return messages


def reminders_of_edition(*, edition: Edition) -> list[ScheduledReminder]:
    """The reminders scheduled for the edition's phases, the next due first."""
    return list(
        reminders_of(target_type="programmes.phase", target_ids=[str(phase.pk) for phase in edition.phases.all()])
    )
