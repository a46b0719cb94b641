from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

PARIS = ZoneInfo("Europe/Paris")


class EventFilterForm(DsfrBaseForm):
    """The filters of the audit log; dates are Paris days, both ends included."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    target_type = forms.ChoiceField(label=_("Object type"), required=False)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor (e-mail or name)"), required=False, max_length=254)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, actions: list[str], target_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        prefixes = sorted({action.split(".", 1)[0] + "." for action in actions if "." in action})
        self.fields["action"].choices = (
            every + [(prefix, prefix + "*") for prefix in prefixes] + [(action, action) for action in actions]
        )
        self.fields["target_type"].choices = every + [(kind, kind) for kind in target_types]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if isinstance(since, date) and isinstance(until, date) and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned

    def criteria(self) -> dict[str, object]:
        """The selector's arguments; an invalid form filters nothing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        since: date | None = data.get("since")
        until: date | None = data.get("until")
        return {
            "action": data.get("action") or "",
            "target_type": data.get("target_type") or "",
            "target_id": (data.get("target_id") or "").strip(),
            "actor": (data.get("actor") or "").strip(),
            "since": datetime.combine(since, time.min, tzinfo=PARIS) if since else None,
            "until": datetime.combine(until + timedelta(days=1), time.min, tzinfo=PARIS) if until else None,
        }
