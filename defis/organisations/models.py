from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel


class Ministry(BaseModel):
    """One table of ministries: observatory labels and parent ministries map onto it."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class MinistryLabel(BaseModel):
    """A label used by a source (the observatory, a call's page) for a ministry of our table."""

    label = models.CharField(_("label"), max_length=200, unique=True)
    ministry = models.ForeignKey(Ministry, verbose_name=_("ministry"), on_delete=models.CASCADE, related_name="labels")

    class Meta:
        verbose_name = _("ministry label")
        verbose_name_plural = _("ministry labels")
        ordering = ("label",)

    def __str__(self) -> str:
        return self.label


class Organisation(BaseModel):
    """An administration that may host défis."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        CENTRAL_ADMINISTRATION = "central_administration", _("central administration")
        OPERATOR = "operator", _("operator under supervision")
        DECONCENTRATED_SERVICE = "deconcentrated_service", _("deconcentrated service")
        INDEPENDENT_ADMINISTRATIVE_AUTHORITY = (
            "independent_administrative_authority",
            _("independent administrative authority"),
        )
        INDEPENDENT_PUBLIC_AUTHORITY = "independent_public_authority", _("independent public authority")
        HEALTH_ESTABLISHMENT = "health_establishment", _("health establishment")
        SOCIAL_SECURITY_BODY = "social_security_body", _("social security body")
        JURISDICTION = "jurisdiction", _("jurisdiction")
        LOCAL_AUTHORITY = "local_authority", _("local authority")
        OTHER = "other", _("other")
        UNKNOWN = "unknown", _("unknown (to be checked by the team)")

    # "State administration" in the words of the DIG 2019 call: a ministry, a central
    # administration, an operator under its supervision or a deconcentrated service.
    STATE_KINDS = frozenset({Kind.MINISTRY, Kind.CENTRAL_ADMINISTRATION, Kind.OPERATOR, Kind.DECONCENTRATED_SERVICE})

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, default=Kind.UNKNOWN, db_index=True)
    kind_basis = models.CharField(_("basis of the kind"), max_length=255, blank=True)
    parent_ministries = models.ManyToManyField(
        Ministry,
        verbose_name=_("parent ministries"),
        blank=True,
        related_name="organisations",
        help_text=_("One, or two under co-supervision."),
    )
    siret = models.CharField(_("SIRET number"), max_length=14, blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="organisation_siret_unique",
                violation_error_message=_("An organisation with this SIRET number already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def kind_is_unknown(self) -> bool:
        return self.kind == self.Kind.UNKNOWN

    @property
    def is_state_administration(self) -> bool:
        return self.kind in self.STATE_KINDS


class Membership(BaseModel):
    """A person's request to act for an organisation, and its outcome."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        MANAGER = "manager", _("manager")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("organisation__name", "user__email")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique",
                violation_error_message=_("This person already asked to join."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"
