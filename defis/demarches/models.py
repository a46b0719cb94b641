from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel
from defis.organisations.models import Ministry


class ObservatoryEdition(BaseModel):
    """One published edition of the Observatoire (e.g. June 2019), as imported from its file."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("observatory edition")
        verbose_name_plural = _("observatory editions")
        ordering = ("-published_on", "-slug")

    def __str__(self) -> str:
        return self.label


class Demarche(BaseModel):
    """An online démarche of the observatory, keyed by the observatory's own id."""

    observatory_id = models.PositiveIntegerField(_("observatory id"), unique=True)
    title = models.CharField(_("title"), max_length=400)
    ministry_label = models.CharField(_("ministry (observatory label)"), max_length=200, blank=True)
    ministry = models.ForeignKey(Ministry, verbose_name=_("ministry"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="demarches")
    administration = models.CharField(_("administration"), max_length=255, blank=True)
    theme = models.CharField(_("group of démarches"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demarches:detail", kwargs={"observatory_id": self.observatory_id})


class IndicatorSet(BaseModel):
    """The indicators of one démarche in one observatory edition, as the file gave them."""

    edition = models.ForeignKey(ObservatoryEdition, verbose_name=_("observatory edition"),
                                on_delete=models.CASCADE, related_name="indicator_sets")
    demarche = models.ForeignKey(Demarche, verbose_name=_("démarche"), on_delete=models.CASCADE,
                                 related_name="indicator_sets")
    in_top250 = models.BooleanField(_("in the top 250"), default=False)
    title = models.CharField(_("title in this edition"), max_length=400)
    ministry_label = models.CharField(_("ministry (observatory label)"), max_length=200, blank=True)
    online_status = models.CharField(_("can be completed online"), max_length=60, blank=True)
    online_status_code = models.CharField(max_length=40, blank=True)
    online_weight = models.PositiveSmallIntegerField(null=True, blank=True)
    online_opening = models.CharField(_("opening of the online service"), max_length=60, blank=True)
    volume = models.BigIntegerField(_("volume per year"), null=True, blank=True)
    digital_share_label = models.CharField(_("share done online"), max_length=40, blank=True)
    digital_share_pct = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    satisfaction_label = models.CharField(_("user satisfaction"), max_length=40, blank=True)
    satisfaction_pct = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    avis_count = models.PositiveIntegerField(_("number of reviews"), null=True, blank=True)
    franceconnect = models.CharField(_("FranceConnect sign-in"), max_length=40, blank=True)
    franceconnect_code = models.CharField(max_length=40, blank=True)
    mobile = models.CharField(_("usable on a smartphone"), max_length=40, blank=True)
    mobile_code = models.CharField(max_length=40, blank=True)
    support_quality = models.CharField(_("quality support"), max_length=40, blank=True)
    support_quality_code = models.CharField(max_length=40, blank=True)
    availability_label = models.CharField(_("availability and response time"), max_length=40, blank=True)
    availability_score = models.SmallIntegerField(null=True, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ("edition", "demarche")
        constraints = [
            models.UniqueConstraint(fields=["edition", "demarche"], name="indicatorset_unique",
                                    violation_error_message=_("This démarche is already in this edition.")),
        ]
        indexes = [models.Index(fields=["edition", "in_top250"], name="indicatorset_top250")]

    def __str__(self) -> str:
        return f"{self.demarche} ({self.edition})"
