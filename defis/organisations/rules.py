"""Who may do what with an organisation. Nobody acts for an organisation they have not been accepted
into (DESIGN.md): every right below starts from an approved membership, or the programme team."""

import rules

from defis.accounts.models import User
from defis.accounts.rules import is_programme_team
from defis.organisations.models import Membership, Organisation


def _has_approved_membership(user: User, organisation_id: int, *roles: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    memberships = Membership.objects.filter(
        user=user, organisation_id=organisation_id, status=Membership.Status.APPROVED
    )
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


@rules.predicate
def is_approved_member(user: User, organisation: Organisation) -> bool:
    return _has_approved_membership(user, organisation.pk)


@rules.predicate
def is_approved_manager(user: User, organisation: Organisation) -> bool:
    return _has_approved_membership(user, organisation.pk, Membership.Role.MANAGER)


@rules.predicate
def manages_membership_organisation(user: User, membership: Membership) -> bool:
    return _has_approved_membership(user, membership.organisation_id, Membership.Role.MANAGER)


# The team, or a manager already accepted into the organisation the request is for.
can_decide_membership = is_programme_team | manages_membership_organisation

rules.add_perm("organisations.request_membership", rules.is_authenticated)
rules.add_perm("organisations.decide_membership", can_decide_membership)
rules.add_perm("organisations.view_members", is_programme_team | is_approved_member)
rules.add_perm("organisations.act_for_organisation", is_approved_member)
rules.add_perm("organisations.set_membership_role", is_programme_team)
rules.add_perm("organisations.set_organisation_kind", is_programme_team)
