"""Whose personal data an edition's retention policy erases, rule by rule.

A rule takes an edition whose retention period is over and returns what to erase: people (their
account is anonymised by `services.erase_person`) and défis (the names they hold are blanked). Nobody
is erased who consented to be kept for that edition, who belongs to the programme team, or who is
still tied to the platform otherwise (another défi, a later edition, a sign-in since the edition ended).

Today's rule covers what exists: the co-editors of défis that were not selected. When the
applications app lands, add its rule here, e.g. `unsuccessful_candidates(edition)` returning the
candidates of the edition who were neither hired nor put on a waiting list, and their documents.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from defis.accounts.models import User
from defis.challenges.models import CoEditor, Defi
from defis.privacy.models import RetentionConsent
from defis.privacy.selectors import edition_end
from defis.programmes.models import Edition

# Decisions that keep a défi and its people: it goes on (or may), so its data is still needed.
KEPT_DECISIONS = (Defi.Decision.SELECTED, Defi.Decision.WAITING_LIST)


@dataclass
class RetentionScope:
    user_ids: set[int] = field(default_factory=set)
    defi_ids: set[int] = field(default_factory=set)

    def __or__(self, other: "RetentionScope") -> "RetentionScope":
        return RetentionScope(self.user_ids | other.user_ids, self.defi_ids | other.defi_ids)


def unselected_defis(edition: Edition) -> RetentionScope:
    """Défis of the edition that were not selected (rejected, withdrawn, never submitted or decided),
    and their co-editors who have no other tie to the platform."""
    defis = Defi.objects.filter(edition=edition, is_historical=False).exclude(decision__in=KEPT_DECISIONS)
    defi_ids = set(defis.values_list("pk", flat=True))
    end = edition_end(edition=edition)
    coeditors = set(CoEditor.objects.filter(defi_id__in=defi_ids).values_list("user_id", flat=True))
    other_ties = set(
        CoEditor.objects.filter(user_id__in=coeditors).exclude(defi_id__in=defi_ids).values_list("user_id", flat=True)
    )
    consented = set(
        RetentionConsent.objects.filter(edition=edition, user_id__in=coeditors).values_list("user_id", flat=True)
    )
    privileged = Q(is_programme_team=True) | Q(is_staff=True) | Q(is_superuser=True)
    if end is not None:
        privileged |= Q(last_login__gt=end)  # still active since: not "data kept for nothing"
    kept = set(User.objects.filter(pk__in=coeditors).filter(privileged).values_list("pk", flat=True))
    return RetentionScope(user_ids=coeditors - other_ties - consented - kept, defi_ids=defi_ids)


RetentionRule = Callable[[Edition], RetentionScope]
RULES: Sequence[RetentionRule] = (unselected_defis,)


def scope_of(edition: Edition) -> RetentionScope:
    """What every rule erases for the edition."""
    scope = RetentionScope()
    for rule in RULES:
        scope = scope | rule(edition)
    return scope
