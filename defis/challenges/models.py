from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel
from defis.demarches.models import Demarche
from defis.organisations.models import Organisation
from defis.programmes.models import Edition


class Defi(BaseModel):
    """A challenge proposed by an administration for one edition."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Decision(models.TextChoices):
        PENDING = "pending", _("not decided")
        SELECTED = "selected", _("selected")
        WAITING_LIST = "waiting_list", _("waiting list")
        REJECTED = "rejected", _("not selected")

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="defis")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="defis"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_id = models.CharField(_("source id"), max_length=120, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    demarche = models.ForeignKey(
        Demarche, verbose_name=_("démarche"), null=True, blank=True, on_delete=models.PROTECT, related_name="defis"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    profiles = models.JSONField(_("profiles wanted"), default=list, blank=True)
    positions_count = models.PositiveSmallIntegerField(_("positions"), null=True, blank=True)
    people_count = models.PositiveSmallIntegerField(_("people recruited"), null=True, blank=True)
    mentors_count = models.PositiveSmallIntegerField(_("mentors"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    website_url = models.URLField(_("website"), max_length=500, blank=True)
    source_code_url = models.URLField(_("source code"), max_length=500, blank=True)
    is_historical = models.BooleanField(_("historical record"), default=False)
    source = models.TextField(_("source"), blank=True)
    # The form of the call for défis.
    problem = models.TextField(_("the problem and its users"), blank=True)
    expected_impact = models.TextField(_("expected impact"), blank=True)
    sponsor = models.CharField(_("internal sponsor (name and position)"), max_length=300, blank=True)
    team = models.TextField(_("team and mentors"), blank=True)
    accessibility_plan = models.TextField(_("accessibility plan"), blank=True)
    funding_choice = models.CharField(_("funding"), max_length=30, blank=True)
    # Optimistic concurrency: a save made on an outdated version is refused, never silently merged.
    version = models.PositiveIntegerField(_("version"), default=1)
    # A form submitted twice (double click, retried request) creates one défi.
    creation_token = models.UUIDField(_("creation token"), null=True, blank=True, unique=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ("title",)
        indexes = [
            models.Index(fields=["edition", "status"], name="defi_edition_status"),
            models.Index(fields=["organisation", "edition"], name="defi_organisation_edition"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"pk": self.pk})


class CoEditor(BaseModel):
    """A person who may edit a défi: its author and the colleagues they invited."""

    defi = models.ForeignKey(Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="coeditors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="coedited_defis"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("co-editor")
        verbose_name_plural = _("co-editors")
        ordering = ("created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["defi", "user"],
                name="coeditor_unique",
                violation_error_message=_("This person already edits the challenge."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.defi}"


class Answer(BaseModel):
    """The answer to one of the edition's extra questions."""

    defi = models.ForeignKey(Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "programmes.Question", verbose_name=_("question"), on_delete=models.CASCADE, related_name="defi_answers"
    )
    value = models.JSONField(_("answer"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="defis/answers/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["defi", "question"],
                name="answer_unique",
                violation_error_message=_("This question is already answered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.defi} — {self.question}"

    @property
    def file_name(self) -> str:
        """The name a file answer was sent with (kept as its value)."""
        return str(self.value or "") or "document.pdf"


class Attachment(BaseModel):
    """A PDF joined to a défi, served only through a view that checks permissions."""

    defi = models.ForeignKey(Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="defis/attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.name


class DefiVersion(BaseModel):
    """A snapshot of a défi at each submission, withdrawal and reopening: every version is kept."""

    class Reason(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REOPENED = "reopened", _("reopened")

    defi = models.ForeignKey(Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    snapshot = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ("defi", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["defi", "number"],
                name="defiversion_unique",
                violation_error_message=_("This version already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.defi} v{self.number}"
