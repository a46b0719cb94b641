"""DSFR markup for forms we do not own (allauth's), which cannot inherit DsfrBaseForm."""

from typing import TypedDict

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# Widgets DSFR styles through their own group markup rather than a class on the input.
_UNSTYLED_WIDGETS = frozenset({"checkbox", "radioselect", "checkboxselectmultiple", "file", "clearablefile"})
_SELECT_WIDGETS = frozenset({"select", "selectmultiple"})


class FieldContext(TypedDict):
    field: BoundField
    widget: SafeString
    group: str
    hint_id: str
    error_id: str
    hint_in_label: bool
    is_checkbox: bool


@register.inclusion_tag("account/_field.html")
def dsfr_field(field: BoundField) -> FieldContext:
    """One field as the DSFR draws it: label and hint, the widget, then its errors, the hint and the
    errors named by the widget's aria-describedby so that a screen reader reads them with it."""
    hint_id, error_id = f"{field.auto_id}-hint", f"{field.auto_id}-desc-error"
    # allauth repeats each label as a placeholder; the DSFR keeps hints out of placeholders. The
    # form's fields are its own copies, so this changes no other form.
    field.field.widget.attrs.pop("placeholder", None)
    described_by = [
        html_id for html_id, shown in ((hint_id, bool(field.help_text)), (error_id, bool(field.errors))) if shown
    ]
    attrs: dict[str, str | bool] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    css = "fr-select" if field.widget_type in _SELECT_WIDGETS else "fr-input"
    if field.widget_type not in _UNSTYLED_WIDGETS:
        attrs["class"] = f"{css} {css}--error" if field.errors else css
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "group": "fr-select-group" if css == "fr-select" else "fr-input-group",
        "hint_id": hint_id,
        "error_id": error_id,
        # A hint holding markup (the password rules' list, a link) cannot sit inside a <label>.
        "hint_in_label": "<" not in str(field.help_text),
        "is_checkbox": field.widget_type == "checkbox",
    }
