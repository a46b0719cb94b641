from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class ErasureRequestForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Anything to add (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ErasureDeclineForm(DsfrBaseForm):
    answer = forms.CharField(
        label=_("Why the data must be kept (told to the person)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RetentionPolicyForm(DsfrBaseForm):
    months_after_end = forms.IntegerField(
        label=_("Months kept after the edition"),
        min_value=1,
        max_value=120,
        help_text=_("Counted from the end of the edition's last phase."),
    )
