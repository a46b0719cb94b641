from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class DemarcheSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Search a démarche"),
        required=False,
        max_length=200,
        help_text=_("Words of its title, administration or ministry, or its observatory number."),
    )
