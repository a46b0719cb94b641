from django.db import models
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel


class OutboxMessage(BaseModel):
    """Every e-mail the platform sends, as it was sent. `key` makes a send happen once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True, null=True, blank=True)
    template = models.CharField(_("template"), max_length=120, blank=True)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    resent_from = models.ForeignKey(
        "self", verbose_name=_("resent from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="resends"
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["to"], name="outbox_to")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class MessageKind(models.TextChoices):
    """Each kind of e-mail whose text the programme team may write, per edition and language."""

    DEADLINE_REMINDER = "deadline_reminder", _("reminder before a deadline")
    DEFI_RECEIPT = "defi_receipt", _("receipt of a submitted challenge")
    COEDITOR_INVITATION = "coeditor_invitation", _("invitation to co-edit a challenge")
    SELECTION_DECISION = "selection_decision", _("decision on a challenge")


class MessageTemplate(BaseModel):
    """The team's wording of one kind of e-mail for one edition, in one language."""

    class Language(models.TextChoices):
        FR = "fr", _("French")
        EN = "en", _("English")

    edition = models.ForeignKey(
        "programmes.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="message_templates"
    )
    kind = models.CharField(_("message"), max_length=40, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.FR)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        ordering = ("edition", "kind", "language")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "language"],
                name="message_template_unique",
                violation_error_message=_("This message already has a text in this language."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class ScheduledReminder(BaseModel):
    """A reminder due before a deadline: enqueued with `run_after`, and checked again when it runs.

    `source` is the dotted path of the function that says whether it is still due and to whom it
    goes; the app that owns the deadline provides it, so that notifications calls no other app.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled (the date changed)")
        SKIPPED = "skipped", _("skipped (no longer due)")

    source = models.CharField(_("source"), max_length=200)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object id"), max_length=64)
    deadline = models.DateTimeField(_("deadline (first late instant)"))
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    ran_at = models.DateTimeField(_("ran at"), null=True, blank=True)
    messages_count = models.PositiveIntegerField(_("messages queued"), default=0)

    class Meta:
        verbose_name = _("scheduled reminder")
        verbose_name_plural = _("scheduled reminders")
        ordering = ("due_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_type", "target_id", "deadline", "days_before"],
                name="scheduled_reminder_unique",
                violation_error_message=_("This reminder is already scheduled."),
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="scheduled_reminder_target")]

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_id} J-{self.days_before}"
