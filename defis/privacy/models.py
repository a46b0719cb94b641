from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel


class RetentionPolicy(BaseModel):
    """How long an edition keeps the personal data of those it did not retain.

    `months_after_end` months after the end of the edition's last phase, the personal data tied to the
    edition only through an unsuccessful outcome (today: the co-editors and the named people of
    unselected défis; once applications land: unsuccessful candidates) is erased, unless the person
    consented to be kept (`RetentionConsent`).
    """

    edition = models.OneToOneField(
        "programmes.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="retention_policy"
    )
    months_after_end = models.PositiveSmallIntegerField(
        _("months kept after the edition"),
        default=24,
        help_text=_("Counted from the end of the edition's last phase."),
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ("edition",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months_after_end__gte=1),
                name="retention_at_least_a_month",
                violation_error_message=_("Keep the data at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.months_after_end}"


class RetentionConsent(BaseModel):
    """A person's consent to keep their data beyond an edition's retention period (e.g. for the next call)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="retention_consents"
    )
    edition = models.ForeignKey(
        "programmes.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="retention_consents"
    )

    class Meta:
        verbose_name = _("consent to keep data")
        verbose_name_plural = _("consents to keep data")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "edition"],
                name="retention_consent_unique",
                violation_error_message=_("This consent is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.edition}"


class RetentionRun(BaseModel):
    """What one application of an edition's policy erased; `key` makes it run once per policy length."""

    edition = models.ForeignKey(
        "programmes.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="retention_runs"
    )
    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    ran_at = models.DateTimeField(_("ran at"))
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ("-ran_at",)

    def __str__(self) -> str:
        return self.key


class ErasureRequest(BaseModel):
    """A person's request to erase their personal data, which the programme team confirms or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("erased")
        DECLINED = "declined", _("declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="erasure_requests"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.TextField(_("answer to the person"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ("-requested_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="erasure_request_one_pending",
                violation_error_message=_("You have already asked for the erasure of your data."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.requested_at:%Y-%m-%d}"
