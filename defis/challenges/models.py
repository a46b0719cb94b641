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

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="defis")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="defis")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    external_id = models.CharField(_("source id"), max_length=120, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    demarche = models.ForeignKey(Demarche, verbose_name=_("démarche"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="defis")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices,
                                default=Decision.PENDING, db_index=True)
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

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ("title",)
        indexes = [models.Index(fields=["edition", "status"], name="defi_edition_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"pk": self.pk})
