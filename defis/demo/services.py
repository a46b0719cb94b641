"""Load the demo: real programmes, editions, organisations and défis from the project's open data,
one current edition whose call for défis is open now, and one account per role.

Every step is idempotent (looked up by a stable key, then updated), so `make run` may load it
again and again.
"""

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NotRequired, TypedDict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.models import Event
from defis.audit.services import record_event
from defis.challenges.models import Defi, DefiVersion
from defis.common.cache import invalidate_edition_pages_on_commit
from defis.demarches.models import Demarche, ObservatoryEdition
from defis.demarches.services import import_observatory_file
from defis.demo.calendar import PARIS, PhaseDates, extensions_from_rows, phases_from_rows, read_rows
from defis.organisations.ministries import ministries_for_labels, sync_ministries
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import Edition, Phase, Programme, Question
from defis.reviews.demo import load_review_demo

KINDS_BY_LABEL = {
    "ministère": Organisation.Kind.MINISTRY,
    "administration centrale": Organisation.Kind.CENTRAL_ADMINISTRATION,
    "opérateur sous tutelle": Organisation.Kind.OPERATOR,
    "service déconcentré": Organisation.Kind.DECONCENTRATED_SERVICE,
    "autorité administrative indépendante": Organisation.Kind.INDEPENDENT_ADMINISTRATIVE_AUTHORITY,
    "autorité publique indépendante": Organisation.Kind.INDEPENDENT_PUBLIC_AUTHORITY,
    "établissement de santé": Organisation.Kind.HEALTH_ESTABLISHMENT,
    "organisme de sécurité sociale": Organisation.Kind.SOCIAL_SECURITY_BODY,
    "juridiction": Organisation.Kind.JURISDICTION,
    "collectivité territoriale": Organisation.Kind.LOCAL_AUTHORITY,
    "autre": Organisation.Kind.OTHER,
}

PROGRAMMES = {
    "commando-ux": {
        "name": "Commando UX",
        "acronym": "CUX",
        "summary": "Des designers et des développeurs rejoignent pour quelques mois une administration pour "
        "améliorer l'expérience de l'une des démarches en ligne les plus utilisées.",
        "website_url": "https://design.numerique.gouv.fr/commando-ux/",
    },
    "designers-interet-general": {
        "name": "Designers d'Intérêt Général",
        "acronym": "DIG",
        "summary": "Des designers rejoignent les administrations pour 6 à 12 mois, avec des mentors internes, "
        "pour améliorer des services publics numériques.",
        "website_url": "https://www.numerique.gouv.fr/",
    },
}

# The real past editions: (programme slug, edition slug, name, year, calendar keys, défis promotion).
PAST_EDITIONS = [
    ("commando-ux", "commando-ux-2020", "Commando UX 2020", 2020, ("Commando UX", "Commando UX saison 1")),
    ("designers-interet-general", "dig-2019", "Designers d'Intérêt Général 2019", 2019, ("DIG", "DIG 2019")),
]
STATE_KINDS = sorted(Organisation.STATE_KINDS)
PROFILES = ["designer", "ux_engineer", "developer"]

# Each edition's rules, as its call published them: configuration, never code.
EDITION_RULES: dict[str, dict[str, object]] = {
    "commando-ux": {
        # "only State administrations"; "the online service must be one of the 250 most-used démarches".
        "allowed_kinds": STATE_KINDS,
        "requires_demarche": True,
        "requires_top250": True,
        "full_funding_kinds": STATE_KINDS,
        "funding_alternative": "",
        "profiles_offered": PROFILES,
        "positions_per_defi_max": 3,
        "defis_to_select_min": 5,
        "defis_to_select_max": 10,
        "contract_type": "Contrat à durée déterminée",
        "contract_months_min": 4,
        "contract_months_max": 4,
        "salary": "",
        "offer": "- 1 à 2 designers par défi, et si besoin 1 développeur ou développeuse ;\n"
        "- un contrat de 4 mois, financé à 100 % par le programme ;\n"
        "- un accompagnement par l'équipe du programme et la communauté des designers de l'État.",
    },
    "designers-interet-general": {
        "allowed_kinds": [
            *STATE_KINDS,
            Organisation.Kind.INDEPENDENT_ADMINISTRATIVE_AUTHORITY,
            Organisation.Kind.HEALTH_ESTABLISHMENT,
        ],
        "requires_demarche": False,
        "requires_top250": False,
        "full_funding_kinds": STATE_KINDS,
        "funding_alternative": "les autres structures passent une convention avec un ministère ou "
        "autofinancent les postes.",
        "profiles_offered": ["designer"],
        "positions_per_defi_max": 2,
        "defis_to_select_min": None,
        "defis_to_select_max": None,
        "contract_type": "Contrat à durée déterminée",
        "contract_months_min": 6,
        "contract_months_max": 12,
        "salary": "3 500 € net par mois",
        "offer": "- 1 à 2 designers par projet, avec des mentors internes ;\n"
        "- un contrat de 6 à 12 mois à partir de juin, 3 500 € net par mois ;\n"
        "- 100 % du coût employeur financé pour les administrations de l'État.",
    },
}


class DemoQuestion(TypedDict):
    """A question of the demo edition's défi form, as `Question` fields."""

    position: int
    label: str
    kind: str
    required: bool
    help_text: NotRequired[str]
    choices: NotRequired[list[str]]


DEMO_QUESTIONS: list[DemoQuestion] = [
    # From the Commando UX 2020 selection criteria: objectives and the number of users impacted,
    # and the team's involvement (time given to the défi, sponsorship).
    {
        "position": 1,
        "label": "Combien d'usagers seront concernés par ces améliorations chaque année ?",
        "kind": "number",
        "required": True,
        "help_text": "Un ordre de grandeur suffit.",
    },
    {
        "position": 2,
        "label": "Quel temps l'équipe interne consacrera-t-elle au défi ?",
        "kind": "choice",
        "required": True,
        "choices": ["Moins d'un jour par semaine", "1 à 2 jours par semaine", "Plus de 2 jours par semaine"],
    },
    {
        "position": 3,
        "label": "Document complémentaire (facultatif)",
        "kind": "file",
        "required": False,
        "help_text": "Un PDF : note de cadrage, parcours usager, statistiques…",
    },
]
DEMO_PASSWORD = "defis-demo-2026"  # noqa: S105  # printed on the console; demo accounts only


@dataclass
class DemoReport:
    lines: list[str] = field(default_factory=list)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_observatory(report: DemoReport) -> ObservatoryEdition:
    """The June 2019 edition, the demo's reference list of the top 250 (no later one has rows)."""
    result = import_observatory_file(path=data_dir() / "observatoire" / "editions" / "2019-06.csv")
    edition = ObservatoryEdition.objects.get(slug="2019-06")
    if edition.label != "Juin 2019" or edition.published_on != date(2019, 6, 19):
        edition.label, edition.published_on = "Juin 2019", date(2019, 6, 19)
        edition.save(update_fields=["label", "published_on", "updated_at"])
    report.lines.append(f"Observatory June 2019: {result.summary()}")
    return edition


def load_organisations(report: DemoReport) -> dict[str, Organisation]:
    organisations = {}
    for row in _csv(data_dir() / "programmes" / "organisations.csv"):
        organisation, _ = Organisation.objects.update_or_create(
            slug=row["organisation_id"],
            defaults={
                "name": row["name"],
                "acronym": row["acronym"],
                # A kind the sources do not state stays unknown: flagged, never guessed.
                "kind": KINDS_BY_LABEL.get(row["kind"], Organisation.Kind.UNKNOWN),
                "kind_basis": row["kind_basis"][:255],
                "source": row["source"],
            },
        )
        organisation.parent_ministries.set(ministries_for_labels(row["parent_ministry"]))
        organisations[organisation.slug] = organisation
    unknown = sum(1 for organisation in organisations.values() if organisation.kind_is_unknown)
    report.lines.append(f"Organisations: {len(organisations)} ({unknown} of unknown kind, flagged for the team)")
    return organisations


def _save_phases(edition: Edition, phases: list[PhaseDates]) -> None:
    kinds = {phase.kind for phase in phases}
    edition.phases.exclude(kind__in=kinds).delete()
    for phase in phases:
        Phase.objects.update_or_create(
            edition=edition,
            kind=phase.kind,
            defaults={
                "opens_at": phase.opens_at,
                "closes_at": phase.closes_at,
                "precision": phase.precision,
                "published_label": phase.label,
                "source": phase.source,
            },
        )


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    return moment.replace(year=moment.year + year, month=month + 1)


def load_past_edition(
    report: DemoReport,
    *,
    programme: Programme,
    observatory: ObservatoryEdition,
    organisations: dict[str, Organisation],
    slug: str,
    name: str,
    year: int,
    keys: tuple[str, str],
) -> Edition:
    """A real past edition with its published calendar and its défis, as they were decided."""
    edition, _ = Edition.objects.update_or_create(
        slug=slug,
        defaults={
            "programme": programme,
            "name": name,
            "year": year,
            "observatory_edition": observatory,
            "is_published": True,
            "is_historical": True,
            **EDITION_RULES[programme.slug],
        },
    )
    rows = read_rows(data_dir() / "programmes" / "calendars.csv", programme=keys[0], promotion=keys[1])
    phases = phases_from_rows(rows)
    defi_rows = [
        row
        for row in _csv(data_dir() / "programmes" / "defis.csv")
        if row["programme"] == keys[0] and row["promotion"] == keys[1]
    ]
    durations = [int(row["duration_months"]) for row in defi_rows if row["duration_months"]]
    if phases and phases[-1].kind == Phase.Kind.PROMOTION and phases[-1].closes_at is None and durations:
        # "from June 2019, for 6 to 12 months": the promotion ends with its longest contract.
        last = phases[-1]
        end = _add_months(last.opens_at, max(durations)) - timedelta(minutes=1)
        phases[-1] = PhaseDates(last.kind, last.opens_at, end, Phase.Precision.MONTH, last.label, last.source)
    _save_phases(edition, phases)
    for extension in extensions_from_rows(rows):
        if not Event.objects.filter(
            action="phase.extended",
            target_type="programmes.edition",
            target_id=str(edition.pk),
            data__kind=extension.kind,
        ).exists():
            record_event(
                actor=None,
                action="phase.extended",
                target=edition,
                at=extension.new_closes_at,
                data={
                    "kind": extension.kind,
                    "from": extension.old_closes_at.isoformat(),
                    "to": extension.new_closes_at.isoformat(),
                    "note": extension.note,
                },
            )
    for row in defi_rows:
        _load_defi(edition, organisations[row["organisation_id"]], row)
    report.lines.append(f"{name}: {len(phases)} phases, {len(defi_rows)} défis")
    return edition


def _number(value: str) -> int | None:
    return int(value) if value.strip() else None


def _load_defi(edition: Edition, organisation: Organisation, row: dict[str, str]) -> Defi:
    submitted_at = None
    call = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if call is not None:
        submitted_at = call.closes_at
    defi, _ = Defi.objects.update_or_create(
        external_id=row["defi_id"],
        defaults={
            "edition": edition,
            "organisation": organisation,
            "title": row["title"][:200],
            "summary": row["summary"][:300],
            "description": row["description"],
            "status": Defi.Status.SUBMITTED,
            "decision": Defi.Decision.SELECTED,
            "submitted_at": submitted_at,
            "profiles": [token for token in row["profiles"].split(";") if token],
            "positions_count": _number(row["positions_count"]),
            "people_count": _number(row["people_count"]),
            "mentors_count": _number(row["mentors_count"]),
            "duration_months": _number(row["duration_months"]),
            "location": row["location"][:200],
            "website_url": row["website_url"],
            "source_code_url": row["source_code_url"],
            "is_historical": True,
            "source": row["source"],
        },
    )
    return defi


def load_current_edition(
    report: DemoReport, *, programme: Programme, observatory: ObservatoryEdition, today: date
) -> Edition:
    """An edition shaped like Commando UX 2020 whose call for défis is open now."""
    year = today.year
    edition, _ = Edition.objects.update_or_create(
        slug=f"commando-ux-{year}-demo",
        defaults={
            "programme": programme,
            "name": f"Commando UX {year} (démonstration)",
            "year": year,
            "observatory_edition": observatory,
            "is_published": True,
            "is_historical": False,
            "summary": "Édition de démonstration, calquée sur Commando UX 2020 : son appel à défis est "
            "ouvert aujourd'hui. Les dates sont calculées à partir de la date du jour.",
            **EDITION_RULES["commando-ux"],
        },
    )
    for question in DEMO_QUESTIONS:
        Question.objects.update_or_create(
            edition=edition, form=Question.Form.DEFI, position=question["position"], defaults=question
        )

    def day(offset: int, hour: int = 0, minute: int = 0) -> datetime:
        return datetime.combine(today + timedelta(days=offset), time(hour, minute), tzinfo=PARIS)

    label = "Calendrier de démonstration, calculé à partir de la date du jour"
    phases = [
        PhaseDates(Phase.Kind.CALL_FOR_DEFIS, day(-7), day(14, 23, 59), Phase.Precision.MINUTE, label, ""),
        PhaseDates(Phase.Kind.SELECTION, day(15), day(21, 23, 59), Phase.Precision.DAY, label, ""),
        PhaseDates(Phase.Kind.CALL_FOR_APPLICATIONS, day(22), day(42, 23, 59), Phase.Precision.MINUTE, label, ""),
        PhaseDates(Phase.Kind.RECRUITMENT, day(43), day(56, 23, 59), Phase.Precision.DAY, label, ""),
        PhaseDates(Phase.Kind.PROMOTION, day(70), day(70 + 120, 23, 59), Phase.Precision.DAY, label, ""),
    ]
    _save_phases(edition, phases)
    report.lines.append(f"{edition.name}: call for défis open until {phases[0].closes_at:%Y-%m-%d %H:%M} Paris")
    return edition


# The real Commando UX 2020 défi on the démarche "Autres demandes concernant l'immatriculation de
# véhicule" (SOURCES-observatoire.md); the other défis' démarches are not in the data.
KNOWN_DEMARCHES = {"commando-ux-2020-defi-immatriculation": 1894}


def load_demo_proposals(report: DemoReport, *, edition: Edition, organisations: dict[str, Organisation]) -> int:
    """The demo edition's submitted défis: the ten real Commando UX 2020 défis, proposed again by their
    own administrations, so that the selection has real material. Their démarche is linked only where
    the sources name it: the others show how the top-250 rule flags a missing démarche."""
    call = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    submitted_at = call.opens_at + timedelta(days=2) if call else timezone.now()
    rows = [
        row
        for row in _csv(data_dir() / "programmes" / "defis.csv")
        if row["programme"] == "Commando UX" and row["promotion"] == "Commando UX saison 1"
    ]
    for row in rows:
        demarche_id = KNOWN_DEMARCHES.get(row["defi_id"])
        defi, _ = Defi.objects.update_or_create(
            external_id=f"demo-{edition.year}-{row['defi_id']}",
            defaults={
                "edition": edition,
                "organisation": organisations[row["organisation_id"]],
                "title": row["title"][:200],
                "summary": row["summary"][:300],
                "problem": row["description"],
                "demarche": Demarche.objects.filter(observatory_id=demarche_id).first() if demarche_id else None,
                "status": Defi.Status.SUBMITTED,
                "submitted_at": submitted_at,
                "profiles": [token for token in row["profiles"].split(";") if token],
                "positions_count": _number(row["positions_count"]),
                "location": row["location"][:200],
                "source": row["source"],
            },
        )
        # What a submission through the site keeps: the version its receipt shows.
        DefiVersion.objects.get_or_create(
            defi=defi,
            number=1,
            defaults={
                "reason": DefiVersion.Reason.SUBMITTED,
                "snapshot": {
                    "title": defi.title,
                    "summary": defi.summary,
                    "problem": defi.problem,
                    "demarche": demarche_id,
                    "profiles": defi.profiles,
                    "positions_count": defi.positions_count,
                },
            },
        )
    report.lines.append(f"{edition.name}: {len(rows)} submitted défis (the real Commando UX 2020 ones)")
    return len(rows)


def assign_demo_jury(report: DemoReport, *, edition: Edition, team: User) -> None:
    """Give the demo juror the demo edition's défis, through the same assignment as the team's button."""
    from defis.reviews.models import Assignment
    from defis.reviews.services.assignment import run_automatic_assignment

    if Assignment.objects.filter(defi__edition=edition).exists():
        return  # assigned by an earlier load, or by the team since: left as it is
    plan = run_automatic_assignment(actor=team, edition=edition, k=1)
    report.lines.append(
        f"{edition.name}: jury assignment, {len(plan.added)} added, {len(plan.kept)} kept, "
        f"{len(plan.shortfalls)} défis short of jurors"
    )


def _account(email: str, *, first_name: str, last_name: str, team: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name)
    user.is_programme_team = user.is_staff = team
    user.save(update_fields=["is_programme_team", "is_staff"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load_accounts(report: DemoReport, *, organisations: dict[str, Organisation]) -> None:
    team = _account("equipe@defis.example", first_name="Camille", last_name="Équipe", team=True)
    agent = _account("agent@defis.example", first_name="Dominique", last_name="Agent")
    _account("jure@defis.example", first_name="Alex", last_name="Juré")
    _account("candidat@defis.example", first_name="Sacha", last_name="Candidat")
    dgfip = organisations["direction-generale-des-finances-publiques"]
    Membership.objects.update_or_create(
        user=agent,
        organisation=dgfip,
        defaults={
            "role": Membership.Role.MANAGER,
            "status": Membership.Status.APPROVED,
            "decided_by": team,
            "decided_at": timezone.now(),
            "job_title": "Cheffe de projet numérique",
        },
    )
    report.accounts = [
        ("programme team", "equipe@defis.example", DEMO_PASSWORD),
        (f"administration agent ({dgfip.name})", "agent@defis.example", DEMO_PASSWORD),
        ("juror", "jure@defis.example", DEMO_PASSWORD),
        ("candidate", "candidat@defis.example", DEMO_PASSWORD),
    ]


@transaction.atomic
def load_demo(*, today: date | None = None) -> DemoReport:
    """Load (or refresh) the whole demo in one transaction."""
    today = today or timezone.localdate()
    report = DemoReport()
    counts = sync_ministries()
    report.lines.append(f"Ministries: {counts}")
    observatory = load_observatory(report)
    organisations = load_organisations(report)
    programmes = {
        slug: Programme.objects.update_or_create(slug=slug, defaults=values)[0] for slug, values in PROGRAMMES.items()
    }
    for programme_slug, slug, name, year, keys in PAST_EDITIONS:
        load_past_edition(
            report,
            programme=programmes[programme_slug],
            observatory=observatory,
            organisations=organisations,
            slug=slug,
            name=name,
            year=year,
            keys=keys,
        )
    current = load_current_edition(report, programme=programmes["commando-ux"], observatory=observatory, today=today)
    load_demo_proposals(report, edition=current, organisations=organisations)
    load_accounts(report, organisations=organisations)
    report.lines += load_review_demo(edition_slugs=[slug for _, slug, *_ in PAST_EDITIONS] + [current.slug])
    assign_demo_jury(report, edition=current, team=User.objects.get(email="equipe@defis.example"))
    # The demo writes its editions directly: their public pages (and the home page) are stale.
    for edition_slug in Edition.objects.values_list("slug", flat=True):
        invalidate_edition_pages_on_commit(edition_slug=edition_slug)
    return report
