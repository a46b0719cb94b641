"""Who may do what with a défi. Scope comes first (`selectors.defis_visible_to`: not visible is a 404),
then these rules (visible but not allowed is a 403); the services still enforce deadlines and states.
Each predicate about a défi is False without one: "challenges.view_defi" and "challenges.change_defi" are
also the names of Django's model permissions, which the admin checks with no object."""

import rules

from defis.accounts.models import User
from defis.accounts.rules import is_programme_team
from defis.challenges.models import Defi
from defis.challenges.selectors import VIEWER_ID, VIEWER_IS_COEDITOR, VIEWER_IS_MEMBER
from defis.organisations.models import Membership

_APPROVED_CACHE = "_challenges_approved_organisation_ids"


def approved_organisation_ids(user: User) -> frozenset[int]:
    """The organisations that accepted the person, read once per request and kept on the user object."""
    cached: frozenset[int] | None = getattr(user, _APPROVED_CACHE, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user_id=user.pk, status=Membership.Status.APPROVED).values_list(
                "organisation_id", flat=True
            )
        )
        setattr(user, _APPROVED_CACHE, cached)
    return cached


def _answered_by_query(user: User, defi: Defi, name: str) -> bool | None:
    """What the query that read the défi already answered for this person (`selectors.defis_to_save`
    annotates it), or None when it was read otherwise or for someone else."""
    if getattr(defi, VIEWER_ID, None) != user.pk:
        return None
    return bool(getattr(defi, name))


@rules.predicate
def is_organisation_member(user: User, defi: Defi | None) -> bool:
    """An approved member of the défi's organisation, today: nobody acts for an organisation that has not
    accepted them, nor for one that has since refused them."""
    if not user.is_authenticated or defi is None:
        return False
    answered = _answered_by_query(user, defi, VIEWER_IS_MEMBER)
    return answered if answered is not None else defi.organisation_id in approved_organisation_ids(user)


@rules.predicate
def is_coeditor(user: User, defi: Defi | None) -> bool:
    if not user.is_authenticated or defi is None:
        return False
    answered = _answered_by_query(user, defi, VIEWER_IS_COEDITOR)
    return answered if answered is not None else any(c.user_id == user.pk for c in defi.coeditors.all())  # prefetched


@rules.predicate
def is_draft(user: User, defi: Defi | None) -> bool:
    return defi is not None and defi.status == Defi.Status.DRAFT


@rules.predicate
def is_submitted(user: User, defi: Defi | None) -> bool:
    return defi is not None and defi.status == Defi.Status.SUBMITTED


@rules.predicate
def is_historical(user: User, defi: Defi | None) -> bool:
    """A défi of a past edition loaded as it was decided: nobody changes it."""
    return defi is not None and defi.is_historical


may_edit = is_coeditor & is_organisation_member & ~is_historical

rules.add_perm("challenges.view_defi", is_programme_team | is_organisation_member)
rules.add_perm("challenges.change_defi", may_edit & is_draft)
# A repeated submission is harmless (the service returns the défi unchanged), so a retried request on a
# défi that is already submitted is let through rather than refused.
rules.add_perm("challenges.submit_defi", may_edit & (is_draft | is_submitted))
rules.add_perm("challenges.withdraw_defi", may_edit)
rules.add_perm("challenges.reopen_defi", may_edit)
