"""Builders for the tests of the selection: an edition shaped like Commando UX 2020 (selection from
22 June 2020 00:00 to 26 June 2020 23:59, Paris), its criteria, jurors and submitted défis."""

from datetime import datetime
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress

from defis.accounts.models import User
from defis.accounts.tests.factories import UserFactory
from defis.challenges.models import CoEditor, Defi
from defis.challenges.tests.factories import DefiFactory
from defis.organisations.models import Membership, Ministry, Organisation
from defis.organisations.tests.factories import MinistryFactory, OrganisationFactory
from defis.programmes.models import Edition, Phase
from defis.programmes.tests.factories import EditionFactory
from defis.reviews.models import Assignment, Criterion, Juror

PARIS = ZoneInfo("Europe/Paris")
LEVELS = ["Absent", "Très insuffisant", "Insuffisant", "Satisfaisant", "Bon", "Excellent"]
# A moment inside the selection phase.
DURING_SELECTION = datetime(2020, 6, 24, 10, 0, tzinfo=PARIS)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def selection_edition(**overrides: object) -> Edition:
    values: dict[str, object] = {
        "name": "Commando UX 2020",
        "defis_to_select_min": 5,
        "defis_to_select_max": 10,
        "positions_per_defi_max": 3,
        **overrides,
    }
    edition: Edition = EditionFactory(**values)
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=paris(2020, 6, 8, 0, 0),
        closes_at=paris(2020, 6, 19, 23, 59),
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.SELECTION,
        opens_at=paris(2020, 6, 22, 0, 0),
        closes_at=paris(2020, 6, 26, 23, 59),
    )
    return edition


def criterion(
    edition: Edition, label: str = "Impact pour les usagers", weight: int = 1, position: int = 1, **kwargs: object
) -> Criterion:
    return Criterion.objects.create(
        edition=edition,
        label=label,
        weight=weight,
        position=position,
        level_labels=LEVELS,
        guidance=kwargs.pop("guidance", "Combien d’usagers ?"),
        **kwargs,
    )


def submitted_defi(edition: Edition, organisation: Organisation | None = None, **kwargs: object) -> Defi:
    defi: Defi = DefiFactory(
        edition=edition,
        organisation=organisation or OrganisationFactory(),
        status=Defi.Status.SUBMITTED,
        submitted_at=paris(2020, 6, 19, 12, 0),
        complete=True,
        **kwargs,
    )
    author: User = UserFactory()
    Membership.objects.create(user=author, organisation=defi.organisation, status=Membership.Status.APPROVED)
    CoEditor.objects.create(defi=defi, user=author)
    return defi


def juror(edition: Edition, *, organisation: Organisation | None = None, email: str | None = None) -> Juror:
    """An accepted juror with an account."""
    user: User = UserFactory(**({"email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return Juror.objects.create(
        edition=edition,
        email=user.email,
        user=user,
        status=Juror.Status.ACCEPTED,
        organisation=organisation,
        invited_at=paris(2020, 6, 20, 9, 0),
    )


def assign(seat: Juror, defi: Defi, source: str = Assignment.Source.MANUAL) -> Assignment:
    return Assignment.objects.create(juror=seat, defi=defi, source=source)


def ministry(name: str = "Ministère de l’Économie") -> Ministry:
    return MinistryFactory(name=name)


def member_of(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.create(user=user, organisation=organisation, status=Membership.Status.APPROVED)
