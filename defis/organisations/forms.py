from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from defis.organisations.models import Membership, Organisation


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.acronym})" if obj.acronym else obj.name


class MembershipRequestForm(DsfrBaseForm):
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        empty_label=_("Choose an organisation"),
        # A forged or stale id lands here, as a message next to the field, never as a 500.
        error_messages={
            "required": _("Choose the organisation you work for."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    job_title = forms.CharField(
        label=_("Your job title"),
        required=False,
        max_length=200,
        help_text=_("Optional: it helps those who review your request to recognise you."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OrganisationSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Find your organisation"),
        required=False,
        max_length=100,
        help_text=_("Part of its name, its acronym or its SIRET number."),
    )


class OrganisationKindForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=Organisation.Kind.choices,
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )
    basis = forms.CharField(
        label=_("Basis of the kind"),
        required=False,
        max_length=255,
        help_text=_("Where the kind comes from: a statute, a decree, the organisation's own page."),
    )


class MembershipRoleForm(forms.Form):
    """The role a button posts; never shown as a form."""

    role = forms.ChoiceField(choices=Membership.Role.choices)
