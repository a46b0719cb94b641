"""What a ProConnect sign-in changes on our side, beyond allauth's account and link."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.organisations.models import Membership, Organisation
from defis.organisations.services import request_membership


@transaction.atomic
def apply_proconnect_claims(*, user: User, claims: Mapping[str, Any]) -> Membership | None:
    """Keep the names ProConnect sends, and when its SIRET names one of our organisations that the
    person has never asked to join, ask on their behalf: a pending request that the team or a manager
    decides, never an approval (nobody acts for an organisation that has not accepted them)."""
    first_name, last_name = str(claims.get("given_name") or ""), str(claims.get("usual_name") or "")
    changed = [
        name
        for name, value in (("first_name", first_name), ("last_name", last_name))
        if value and getattr(user, name) != value
    ]
    if changed:
        user.first_name, user.last_name = first_name or user.first_name, last_name or user.last_name
        user.save(update_fields=changed)
    siret = str(claims.get("siret") or "").replace(" ", "")
    if not siret:
        return None
    organisation = Organisation.objects.filter(siret=siret).first()
    if organisation is None or Membership.objects.filter(user=user, organisation=organisation).exists():
        return None  # unknown SIRET, or a request already made (even refused: the person asks again)
    membership = request_membership(actor=user, organisation=organisation)
    record_event(actor=user, action="membership.requested_by_proconnect", target=membership, data={"siret": siret})
    return membership
