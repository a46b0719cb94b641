"""Forms of the selection: they parse and check formats; the services decide and write."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from defis.challenges.models import Defi
from defis.organisations.models import Organisation
from defis.reviews.models import Bid, Criterion, Juror, JurySettings, Review
from defis.reviews.services.scoring import ScoreInput, score_field


class InviteJurorForm(DsfrBaseForm):
    prefix = "invite"  # several forms share the jury page: distinct field ids
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The invitation goes to this address."))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("The administration the juror works for, if any: its challenges will be in conflict."),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=200,
        required=False,
        help_text=_("E.g. UX design, accessibility, public policy."),
    )


class JurySettingsForm(DsfrBaseForm):
    prefix = "settings"
    reviewers_per_defi = forms.IntegerField(label=_("Jurors per challenge"), min_value=1, max_value=20)
    scores_visibility = forms.ChoiceField(
        label=_("Jurors see the other jurors' scores"),
        choices=JurySettings.ScoresVisibility.choices,
        widget=forms.RadioSelect,
    )
    positions_budget = forms.IntegerField(
        label=_("Positions budget"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("The total number of positions the selected challenges may open. Empty: no limit."),
    )
    message_selected = forms.CharField(
        label=_("Message to the selected administrations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    message_waiting_list = forms.CharField(
        label=_("Message to the administrations on the waiting list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    message_rejected = forms.CharField(
        label=_("Message to the administrations not selected"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def messages(self) -> dict[str, str]:
        return {
            decision: self.cleaned_data[f"message_{decision}"]
            for decision in (Defi.Decision.SELECTED, Defi.Decision.WAITING_LIST, Defi.Decision.REJECTED)
        }


class CriterionForm(DsfrBaseForm):
    label = forms.CharField(label=_("Criterion"), max_length=300)
    guidance = forms.CharField(label=_("Guidance for jurors"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weight = forms.DecimalField(label=_("Weight"), min_value=Decimal("0.01"), max_digits=5, decimal_places=2, initial=1)
    scale_min = forms.IntegerField(label=_("Lowest score"), initial=0, min_value=-10, max_value=10)
    scale_max = forms.IntegerField(label=_("Highest score"), initial=5, min_value=-9, max_value=20)
    level_labels = forms.CharField(
        label=_("Label of each level"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per level, from the lowest score to the highest."),
    )

    def clean_level_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["level_labels"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high, labels = data.get("scale_min"), data.get("scale_max"), data.get("level_labels")
        if low is not None and high is not None:
            if high <= low:
                self.add_error("scale_max", _("The highest score is above the lowest."))
            elif labels is not None and len(labels) != high - low + 1:
                self.add_error(
                    "level_labels", _("Give one label per level: %(count)s lines.") % {"count": high - low + 1}
                )
        return data


class DeclareConflictForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose an organisation of the list.")},
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, help_text=_("E.g. I worked there until last year.")
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class TeamConflictForm(DeclareConflictForm):
    prefix = "conflict"
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=Juror.objects.none())

    field_order = ("juror", "organisation", "reason")

    def __init__(self, *args: Any, jurors: QuerySet[Juror], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors


class BidsForm(DsfrBaseForm):
    """One choice per défi the juror may review."""

    def __init__(self, *args: Any, defis: Sequence[Defi], bids: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for defi in defis:
            self.fields[f"bid_{defi.pk}"] = forms.ChoiceField(
                label=defi.title,
                choices=Bid.Preference.choices,
                required=False,
                initial=bids.get(defi.pk, Bid.Preference.NEUTRAL),
            )

    def preferences(self) -> dict[int, str]:
        """The preferences sent; a défi left out keeps its bid."""
        return {int(name.removeprefix("bid_")): value for name, value in self.cleaned_data.items() if value}


class AutomaticAssignmentForm(DsfrBaseForm):
    k = forms.IntegerField(label=_("Jurors per challenge"), min_value=1, max_value=20)


class ManualAssignmentForm(DsfrBaseForm):
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=Juror.objects.none())
    defi = forms.ModelChoiceField(label=_("Challenge"), queryset=Defi.objects.none())

    def __init__(self, *args: Any, jurors: QuerySet[Juror], defis: QuerySet[Defi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors
        self.fields["defi"].queryset = defis


class ReviewForm(DsfrBaseForm):
    """A score (a level of the criterion's scale) and a comment per criterion, then an overall comment."""

    def __init__(self, *args: Any, criteria: Sequence[Criterion], review: Review | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        stored = {score.criterion_id: score for score in review.scores.all()} if review is not None else {}
        for criterion in self.criteria:
            score = stored.get(criterion.pk)
            self.fields[score_field(criterion)] = forms.TypedChoiceField(
                label=criterion.label,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                choices=[(value, f"{value} — {label}") for value, label in criterion.levels],
                help_text=conditional_escape(criterion.guidance),  # DSFR prints help texts unescaped
                initial=score.value if score is not None else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.label},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=score.comment if score is not None else "",
            )
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment"),
            required=False,
            max_length=10000,
            widget=forms.Textarea(attrs={"rows": 4}),
            initial=review.comment if review is not None else "",
        )

    def scores(self) -> dict[int, ScoreInput]:
        return {
            criterion.pk: ScoreInput(
                value=self.cleaned_data.get(score_field(criterion)),
                comment=self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }


class DecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Defi.Decision.choices)


class RankingForm(forms.Form):
    normalise = forms.BooleanField(label=_("Normalise each juror's scores (z-score)"), required=False)
