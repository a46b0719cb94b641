from django.db.models import Q, QuerySet

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


def organisations_matching(*, query: str = "") -> QuerySet[Organisation]:
    """Organisations whose name, acronym or SIRET number contains the query; all of them without one."""
    organisations = Organisation.objects.order_by("name")
    query = query.strip()
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(acronym__icontains=query) | Q(siret__startswith=query.replace(" ", ""))
        )
    return organisations


def organisation_pages() -> QuerySet[Organisation]:
    """Organisations with what their public page shows."""
    return Organisation.objects.prefetch_related("parent_ministries")


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """A person's requests to join organisations, whatever their outcome."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def membership_of(*, user: User, organisation: Organisation) -> Membership | None:
    """The person's request to join this organisation, if they made one."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def approved_members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """The people accepted into an organisation, managers first."""
    return (
        Membership.objects.filter(organisation=organisation, status=Membership.Status.APPROVED)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )


def memberships_decidable_by(*, user: User) -> QuerySet[Membership]:
    """Requests the person may review: all of them for the programme team, those of the
    organisations they manage for an approved manager, none for anybody else."""
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    memberships = Membership.objects.select_related("user", "organisation", "decided_by")
    if user.is_programme_team:
        return memberships
    managed = Membership.objects.filter(
        user=user, role=Membership.Role.MANAGER, status=Membership.Status.APPROVED
    ).values("organisation_id")
    return memberships.filter(organisation_id__in=managed)


def pending_memberships_managed_by(*, user: User) -> QuerySet[Membership]:
    """Requests waiting for a decision in the organisations the person manages."""
    if not user.is_authenticated:
        return Membership.objects.none()
    managed = Membership.objects.filter(
        user=user, role=Membership.Role.MANAGER, status=Membership.Status.APPROVED
    ).values("organisation_id")
    return (
        Membership.objects.filter(organisation_id__in=managed, status=Membership.Status.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at")
    )
