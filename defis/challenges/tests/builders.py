"""Small builders for the service tests: a call shaped like Commando UX 2020 or DIG 2019."""

from datetime import datetime
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress

from defis.accounts.models import User
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import Edition, Phase, Programme

PARIS = ZoneInfo("Europe/Paris")
STATE_KINDS = sorted(Organisation.STATE_KINDS)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def observatory_with(*observatory_ids: int) -> ObservatoryEdition:
    edition, _ = ObservatoryEdition.objects.get_or_create(slug="2019-06", defaults={"label": "Juin 2019"})
    for observatory_id in observatory_ids:
        demarche, _ = Demarche.objects.get_or_create(
            observatory_id=observatory_id, defaults={"title": f"Démarche {observatory_id}"}
        )
        IndicatorSet.objects.get_or_create(
            edition=edition, demarche=demarche, defaults={"in_top250": True, "title": demarche.title}
        )
    return edition


def commando_ux_2020(**overrides: object) -> Edition:
    programme, _ = Programme.objects.get_or_create(slug="commando-ux", defaults={"name": "Commando UX"})
    values = {
        "programme": programme,
        "slug": "commando-ux-2020",
        "name": "Commando UX 2020",
        "year": 2020,
        "is_published": True,
        "allowed_kinds": STATE_KINDS,
        "requires_demarche": True,
        "requires_top250": True,
        "full_funding_kinds": STATE_KINDS,
        "positions_per_defi_max": 3,
        "observatory_edition": observatory_with(823, 1894),
        **overrides,
    }
    edition = Edition.objects.create(**values)
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=paris(2020, 6, 8, 0, 0),
        closes_at=paris(2020, 6, 19, 23, 59),
    )
    return edition


def dig_2019() -> Edition:
    programme, _ = Programme.objects.get_or_create(
        slug="designers-interet-general", defaults={"name": "Designers d'Intérêt Général"}
    )
    edition = Edition.objects.create(
        programme=programme,
        slug="dig-2019",
        name="Designers d'Intérêt Général 2019",
        year=2019,
        is_published=True,
        allowed_kinds=[
            *STATE_KINDS,
            Organisation.Kind.HEALTH_ESTABLISHMENT,
            Organisation.Kind.INDEPENDENT_ADMINISTRATIVE_AUTHORITY,
        ],
        full_funding_kinds=STATE_KINDS,
        funding_alternative="convention avec un ministère ou autofinancement.",
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=paris(2019, 3, 12, 0, 0),
        closes_at=paris(2019, 4, 2, 17, 0),
    )
    return edition


def agent_of(organisation: Organisation, email: str = "agent@finances.gouv.fr") -> User:
    user = User.objects.create_user(email=email, password="un-mot-de-passe-solide")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(user=user, organisation=organisation, status=Membership.Status.APPROVED)
    return user


def organisation(
    kind: str = Organisation.Kind.CENTRAL_ADMINISTRATION,
    slug: str = "dgfip",
    name: str = "Direction générale des finances publiques",
) -> Organisation:
    return Organisation.objects.create(slug=slug, name=name, kind=kind)


COMPLETE = {
    "title": "Simplifier la déclaration de revenus",
    "summary": "Moins d'erreurs à la déclaration",
    "problem": "Les usagers se trompent de case.",
    "expected_impact": "Moins d'appels au support.",
    "sponsor": "Directrice du numérique",
    "team": "Deux agents et un mentor.",
    "accessibility_plan": "Audit RGAA puis corrections.",
    "profiles": ["designer"],
    "positions_count": 2,
}
