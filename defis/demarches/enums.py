from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorCode(models.TextChoices):
    """The observatory's values for its yes/no indicators, as the `*_code` columns give them."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PARTIAL = "partial", _("Partial")
    PARTIAL_DEPLOYMENT = "partial_deployment", _("Partial deployment")
    EXPERIMENTATION = "experimentation", _("Experimentation")
    NO_IDENTIFICATION = "no_identification", _("No sign-in needed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_COMMUNICATED = "not_communicated", _("Not communicated")
    TO_COME = "to_come", _("To come")
