from datetime import datetime, timedelta

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel
from defis.demarches.models import ObservatoryEdition

# A published closing time names the last minute still on time: "jusqu'au 19 juin 2020, 23h59"
# accepts 23:59:59 and refuses 00:00:00 (DESIGN.md, Time).
GRACE = timedelta(minutes=1)


class Programme(BaseModel):
    """A talent programme that runs yearly editions (Commando UX, DIG, EIG)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    website_url = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Edition(BaseModel):
    """One edition of a programme: its calendar and, as the journey lands, its rules."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="editions")
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("presentation"), blank=True)
    observatory_edition = models.ForeignKey(
        ObservatoryEdition, verbose_name=_("observatory edition of the top-250 rule"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="programme_editions",
        help_text=_("The observatory edition whose top-250 list the eligibility rule reads."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_historical = models.BooleanField(
        _("historical record"), default=False,
        help_text=_("A past edition loaded as it was decided: its rules are not re-run."),
    )

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ("-year", "name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:edition", kwargs={"slug": self.slug})

    def phase_of_kind(self, kind: str) -> "Phase | None":
        """The phase of that kind, read from the prefetched phases when there are some."""
        return next((phase for phase in self.phases.all() if phase.kind == kind), None)

    def current_phase(self, at: datetime) -> "Phase | None":
        """The phase open at `at`, from the clock alone (no cron job switches phases)."""
        open_phases = [phase for phase in self.phases.all() if phase.is_open(at)]
        return min(open_phases, key=lambda phase: phase.opens_at) if open_phases else None

    def next_phase(self, at: datetime) -> "Phase | None":
        upcoming = [phase for phase in self.phases.all() if phase.opens_at > at]
        return min(upcoming, key=lambda phase: phase.opens_at) if upcoming else None


class Phase(BaseModel):
    """A stage of an edition, open from `opens_at` until the last minute named by `closes_at`."""

    class Kind(models.TextChoices):
        CALL_FOR_DEFIS = "call_for_defis", _("call for challenges")
        SELECTION = "selection", _("selection of challenges")
        CALL_FOR_APPLICATIONS = "call_for_applications", _("call for applications")
        RECRUITMENT = "recruitment", _("interviews and recruitment")
        PROMOTION = "promotion", _("promotion at work")

    class Precision(models.TextChoices):
        MINUTE = "minute", _("to the minute")
        DAY = "day", _("to the day")
        MONTH = "month", _("to the month")

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                related_name="phases")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True,
        help_text=_("The last minute still on time, in Paris time (e.g. 23:59). Empty: open-ended."),
    )
    precision = models.CharField(_("precision of the published dates"), max_length=10,
                                 choices=Precision.choices, default=Precision.MINUTE)
    published_label = models.TextField(_("published wording"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ("edition", "opens_at")
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="phase_kind_unique",
                                    violation_error_message=_("This edition already has a phase of this kind.")),
            models.CheckConstraint(
                condition=models.Q(closes_at__isnull=True) | models.Q(closes_at__gte=models.F("opens_at")),
                name="phase_closes_after_opening",
                violation_error_message=_("A phase cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.get_kind_display()}"

    @property
    def deadline(self) -> datetime | None:
        """The first instant that is late: one minute after the published closing minute."""
        return self.closes_at + GRACE if self.closes_at is not None else None

    def is_open(self, at: datetime) -> bool:
        deadline = self.deadline
        return self.opens_at <= at and (deadline is None or at < deadline)

    def has_closed(self, at: datetime) -> bool:
        deadline = self.deadline
        return deadline is not None and at >= deadline
