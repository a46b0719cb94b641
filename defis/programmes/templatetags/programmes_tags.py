from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from defis.organisations.models import Organisation
from defis.programmes.models import Edition, Phase

register = template.Library()


@dataclass(frozen=True)
class EditionStatus:
    label: str
    badge_class: str
    phase: Phase | None
    next_phase: Phase | None


@register.simple_tag
def edition_status(edition: Edition, at: datetime) -> EditionStatus:
    """What a visitor should read of an edition at `at`: its open phase, or what comes next."""
    phase = edition.current_phase(at)
    next_phase = edition.next_phase(at)
    if phase is not None:
        return EditionStatus(phase.get_kind_display(), "fr-badge--success", phase, next_phase)
    if next_phase is not None:
        return EditionStatus(_("upcoming"), "fr-badge--info", None, next_phase)
    return EditionStatus(_("finished"), "fr-badge--new", None, None)


@register.simple_tag
def phase_state(phase: Phase, at: datetime) -> str:
    if phase.is_open(at):
        return _("open")
    if phase.has_closed(at):
        return _("closed")
    return _("upcoming")


@register.filter
def phase_kind(edition: Edition, kind: str) -> Phase | None:
    return edition.phase_of_kind(kind)


PROFILE_LABELS = {
    "designer": gettext_lazy("UX/UI designer"),
    "ux_engineer": gettext_lazy("UX engineer"),
    "developer": gettext_lazy("developer"),
    "data_scientist": gettext_lazy("data scientist"),
}


@register.simple_tag
def profile_label(profile: str) -> str:
    return str(PROFILE_LABELS.get(profile, profile))


@register.simple_tag
def kind_label(kind: str) -> str:
    return str(Organisation.Kind(kind).label) if kind in Organisation.Kind.values else kind


@register.simple_tag
def phase_code(phase: Phase, at: datetime) -> str:
    """The state of a phase as a stable code, for templates to branch on."""
    if phase.is_open(at):
        return "open"
    return "closed" if phase.has_closed(at) else "upcoming"
