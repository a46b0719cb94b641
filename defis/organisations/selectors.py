from django.db.models import QuerySet

from defis.accounts.models import User
from defis.organisations.models import Membership, Organisation


def organisations_of_unknown_kind() -> QuerySet[Organisation]:
    """Organisations whose kind nobody has established: eligibility and funding never guess."""
    return Organisation.objects.filter(kind=Organisation.Kind.UNKNOWN).order_by("name")


def pending_memberships() -> QuerySet[Membership]:
    """Requests to join an organisation that wait for a decision."""
    return (
        Membership.objects.filter(status=Membership.Status.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at")
    )


def approved_organisations_of(*, user: User) -> QuerySet[Organisation]:
    """The organisations a person has been accepted into: the only ones they may act for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.APPROVED
    ).prefetch_related("parent_ministries")
