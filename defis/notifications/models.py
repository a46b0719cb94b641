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

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["to"], name="outbox_to")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
