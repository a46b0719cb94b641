from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel
from defis.demarches.models import ObservatoryEdition
from defis.organisations.models import Organisation

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

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="editions"
    )
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("presentation"), blank=True)
    observatory_edition = models.ForeignKey(
        ObservatoryEdition,
        verbose_name=_("observatory edition of the top-250 rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_editions",
        help_text=_("The observatory edition whose top-250 list the eligibility rule reads."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_historical = models.BooleanField(
        _("historical record"),
        default=False,
        help_text=_("A past edition loaded as it was decided: its rules are not re-run."),
    )
    is_template = models.BooleanField(
        _("offered as a template"),
        default=False,
        help_text=_("The team may start a new edition from it. Past editions are templates too."),
    )
    # Who may propose and on what conditions: configuration, never code.
    allowed_kinds = models.JSONField(
        _("organisation kinds that may propose"),
        default=list,
        blank=True,
        help_text=_("Empty: every known kind may propose. An organisation of unknown kind never passes."),
    )
    requires_demarche = models.BooleanField(_("a démarche of the observatory is required"), default=False)
    requires_top250 = models.BooleanField(
        _("the démarche must be in the top 250"),
        default=False,
        help_text=_("Read from the observatory edition named above."),
    )
    full_funding_kinds = models.JSONField(
        _("organisation kinds funded at 100 %"),
        default=list,
        blank=True,
        help_text=_("Other kinds need the alternative below."),
    )
    funding_alternative = models.TextField(
        _("funding for the other kinds"),
        blank=True,
        help_text=_("E.g. an agreement with a ministry, or self-funding."),
    )
    # What is offered.
    presentation = models.TextField(_("public presentation (Markdown)"), blank=True)
    offer = models.TextField(_("what is offered (Markdown)"), blank=True)
    profiles_offered = models.JSONField(_("profiles offered"), default=list, blank=True)
    positions_per_defi_max = models.PositiveSmallIntegerField(
        _("maximum positions per challenge"), null=True, blank=True
    )
    defis_to_select_min = models.PositiveSmallIntegerField(_("challenges to select (minimum)"), null=True, blank=True)
    defis_to_select_max = models.PositiveSmallIntegerField(_("challenges to select (maximum)"), null=True, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=120, blank=True)
    contract_months_min = models.PositiveSmallIntegerField(
        _("contract length, minimum (months)"), null=True, blank=True
    )
    contract_months_max = models.PositiveSmallIntegerField(
        _("contract length, maximum (months)"), null=True, blank=True
    )
    salary = models.CharField(_("salary"), max_length=120, blank=True)
    attachment_max_mb = models.PositiveSmallIntegerField(_("maximum size of an attachment (MB)"), default=10)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ("-year", "name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:edition", kwargs={"slug": self.slug})

    def kind_may_propose(self, kind: str) -> bool:
        if kind == Organisation.Kind.UNKNOWN:
            return False  # eligibility never guesses
        return not self.allowed_kinds or kind in self.allowed_kinds

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

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("The last minute still on time, in Paris time (e.g. 23:59). Empty: open-ended."),
    )
    precision = models.CharField(
        _("precision of the published dates"), max_length=10, choices=Precision.choices, default=Precision.MINUTE
    )
    published_label = models.TextField(_("published wording"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ("edition", "opens_at")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind"],
                name="phase_kind_unique",
                violation_error_message=_("This edition already has a phase of this kind."),
            ),
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


class Question(BaseModel):
    """An extra question of one of the edition's forms, configured by the programme team."""

    class Form(models.TextChoices):
        DEFI = "defi", _("challenge form")
        APPLICATION = "application", _("application form")

    class Kind(models.TextChoices):
        TEXT = "text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        CHOICE = "choice", _("choice")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        FILE = "file", _("file (PDF)")

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="questions")
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.DEFI)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("For a choice: the options."))
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("edition", "form", "position", "pk")

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class FaqEntry(BaseModel):
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="faq_entries"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer (Markdown)"))

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ("edition", "position", "pk")

    def __str__(self) -> str:
        return self.question


class DeadlineExtension(BaseModel):
    """A later closing moment granted to one organisation (or one person) for one phase, with a reason."""

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="extensions")
    phase_kind = models.CharField(_("phase"), max_length=30, choices=Phase.Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    closes_at = models.DateTimeField(_("new closing moment (last minute on time)"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ("edition", "phase_kind", "-closes_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(user__isnull=False),
                name="extension_has_beneficiary",
                violation_error_message=_("An extension is granted to an organisation or a person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.organisation or self.user}"

    @property
    def deadline(self) -> datetime:
        return self.closes_at + GRACE


class InterviewCriterion(BaseModel):
    """A criterion of the recruitment interviews' scorecards: what is judged, how much it weighs, on what scale."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="interview_criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance for the interviewers"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale (from 1 to)"), default=4)

    class Meta:
        verbose_name = _("interview criterion")
        verbose_name_plural = _("interview criteria")
        ordering = ("edition", "position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1),
                name="interview_criterion_weight_positive",
                violation_error_message=_("A weight is at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gte=2, scale_max__lte=10),
                name="interview_criterion_scale_range",
                violation_error_message=_("A scale goes from 1 to between 2 and 10."),
            ),
        ]

    def __str__(self) -> str:
        return self.label
