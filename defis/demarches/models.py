from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from defis.common.models import BaseModel
from defis.demarches.enums import IndicatorCode
from defis.organisations.models import Ministry

# Labels the two files publish for "no value": the PDF writes "A venir" and "n/a", the export
# "À venir", "-" and "Non renseigné" (data/SOURCES-observatoire.md, Known quirks).
PUBLISHED_LABEL_CODES = {
    "n/a": IndicatorCode.NOT_APPLICABLE,
    "-": IndicatorCode.NOT_APPLICABLE,
    "n/c": IndicatorCode.NOT_COMMUNICATED,
    "non renseigné": IndicatorCode.NOT_COMMUNICATED,
    "a venir": IndicatorCode.TO_COME,
    "à venir": IndicatorCode.TO_COME,
    "sansidentification": IndicatorCode.NO_IDENTIFICATION,
}


def _published(label: str) -> str:
    code = PUBLISHED_LABEL_CODES.get(label.strip().casefold())
    return str(code.label) if code is not None else label


def _coded(code: str, label: str) -> str:
    return str(IndicatorCode(code).label) if code in IndicatorCode.values else _published(label)


def _percent(value: Decimal | None, label: str) -> str:
    if value is None:
        return _published(label)
    if value == value.to_integral_value():
        value = value.to_integral_value()
    return gettext("%(percent)s%%") % {"percent": formats.number_format(value)}


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
    ministry = models.ForeignKey(
        Ministry, verbose_name=_("ministry"), null=True, blank=True, on_delete=models.SET_NULL, related_name="demarches"
    )
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

    edition = models.ForeignKey(
        ObservatoryEdition,
        verbose_name=_("observatory edition"),
        on_delete=models.CASCADE,
        related_name="indicator_sets",
    )
    demarche = models.ForeignKey(
        Demarche, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="indicator_sets"
    )
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
            models.UniqueConstraint(
                fields=["edition", "demarche"],
                name="indicatorset_unique",
                violation_error_message=_("This démarche is already in this edition."),
            ),
        ]
        indexes = [models.Index(fields=["edition", "in_top250"], name="indicatorset_top250")]

    def __str__(self) -> str:
        return f"{self.demarche} ({self.edition})"

    # What a page shows for each indicator: the code's translated label where the file gives a
    # code, the number where it gives one, so that "A venir" and "À venir" read the same.
    def online_status_display(self) -> str:
        return _coded(self.online_status_code, self.online_status)

    def volume_display(self) -> str:
        if self.volume is None:
            return str(IndicatorCode.NOT_COMMUNICATED.label)
        return formats.number_format(self.volume, force_grouping=True)

    def digital_share_display(self) -> str:
        return _percent(self.digital_share_pct, self.digital_share_label)

    def satisfaction_display(self) -> str:
        return _percent(self.satisfaction_pct, self.satisfaction_label)

    def franceconnect_display(self) -> str:
        return _coded(self.franceconnect_code, self.franceconnect)

    def mobile_display(self) -> str:
        return _coded(self.mobile_code, self.mobile)

    def support_quality_display(self) -> str:
        return _coded(self.support_quality_code, self.support_quality)

    def availability_display(self) -> str:
        if self.availability_score is not None:
            return gettext("%(score)s out of 10") % {"score": self.availability_score}
        return _published(self.availability_label)
