import django_filters
from django import forms
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from defis.challenges.models import Defi
from defis.demarches.models import IndicatorSet
from defis.organisations.models import Ministry, Organisation
from defis.programmes.models import Edition


def annotate_rules(queryset: QuerySet[Defi], *, edition: Edition) -> QuerySet[Defi]:
    """Annotate the rules a list can filter on, in SQL: kind allowed, démarche in the top 250."""
    kind_ok = ~Q(organisation__kind=Organisation.Kind.UNKNOWN)
    if edition.allowed_kinds:
        kind_ok &= Q(organisation__kind__in=edition.allowed_kinds)
    top250 = IndicatorSet.objects.filter(
        demarche=OuterRef("demarche"), edition=edition.observatory_edition_id, in_top250=True
    )
    return queryset.annotate(
        kind_allowed=ExpressionWrapper(kind_ok, output_field=BooleanField()),
        demarche_in_top250=Exists(top250),
    )


class TeamDefiFilter(django_filters.FilterSet):
    """The programme team's filters over the défis of one edition."""

    ELIGIBILITY_CHOICES = (("eligible", _("eligible")), ("not_eligible", _("not eligible")))

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Defi.Status.choices, empty_label=_("Any"))
    ministry = django_filters.ModelChoiceFilter(
        label=_("Ministry"),
        queryset=Ministry.objects.all(),
        empty_label=_("Any"),
        field_name="organisation__parent_ministries",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of organisation"),
        choices=Organisation.Kind.choices,
        empty_label=_("Any"),
        field_name="organisation__kind",
    )
    demarche = django_filters.NumberFilter(label=_("Démarche (observatory id)"), field_name="demarche__observatory_id")
    eligibility = django_filters.ChoiceFilter(
        label=_("Eligibility"), choices=ELIGIBILITY_CHOICES, empty_label=_("Any"), method="filter_eligibility"
    )

    class Meta:
        model = Defi
        fields = ["q", "status", "ministry", "kind", "demarche", "eligibility"]

    def __init__(self, *args: object, edition: Edition, **kwargs: object) -> None:
        self.edition = edition
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs["class"] = css

    def filter_search(self, queryset: QuerySet[Defi], name: str, value: str) -> QuerySet[Defi]:
        return queryset.filter(Q(title__icontains=value) | Q(organisation__name__icontains=value))

    def filter_eligibility(self, queryset: QuerySet[Defi], name: str, value: str) -> QuerySet[Defi]:
        ok = Q(kind_allowed=True)
        if self.edition.requires_top250:
            ok &= Q(demarche_in_top250=True)
        elif self.edition.requires_demarche:
            ok &= Q(demarche__isnull=False)
        return queryset.filter(ok) if value == "eligible" else queryset.exclude(ok)
