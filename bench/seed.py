"""Seed the bench's edition in its own database: an edition shaped like Commando UX 2020 whose call
closes in two hours, 2,000 défis from 500 organisations on the real démarches of the observatory
(June 2019 top 250), their agents and co-editors, 120 jurors with 3 reviews per défi, and a signed-in
session for each agent of a draft that the surge will submit.

Bulk inserts, no password hashing (accounts get an unusable password and a session row made
directly), deterministic (one seeded random generator).
"""

import csv
import json
import random
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.challenges.models import Answer, CoEditor, Defi, DefiVersion
from defis.demarches.models import IndicatorSet, ObservatoryEdition
from defis.demarches.services import import_observatory_file
from defis.demo.services import DEMO_QUESTIONS, EDITION_RULES, DemoReport, load_organisations
from defis.organisations.ministries import sync_ministries
from defis.organisations.models import Membership, Ministry, Organisation
from defis.programmes.models import Edition, Phase, Programme, Question

DATA = Path(settings.BASE_DIR) / "data"
EDITION_SLUG = "commando-ux-banc-essai"
# Deconcentrated services of the State, one per département and network, to reach 500 organisations
# beside the real ones of data/programmes/organisations.csv (synthetic names, real ministries).
NETWORKS = [
    ("Direction départementale des finances publiques", "economie-finances"),
    ("Préfecture", "interieur"),
    ("Direction départementale des territoires", "transition-ecologique"),
    ("Direction départementale de l’emploi, du travail et des solidarités", "travail"),
    ("Direction des services départementaux de l’éducation nationale", "education-nationale"),
]
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
PROFILES = ["designer", "ux_engineer", "developer"]


@dataclass
class Seeded:
    """What the rest of the bench needs to know of the seed."""

    edition_id: int
    edition_slug: str
    team_user_id: int
    juror_ids: list[int]
    organisations: int
    defis: int
    drafts: int
    coeditors: int
    jurors: int
    reviews: int
    scores: int
    surge_file: str
    seconds: float


def has_reviews() -> bool:
    """Whether the jury app is there to seed and measure (the bench skips it, saying so, if not)."""
    from django.apps import apps

    if not apps.is_installed("defis.reviews"):
        return False
    try:
        from defis.reviews import balancing, models, selectors  # noqa: F401
    except ImportError:
        return False
    return True


def _observatory() -> ObservatoryEdition:
    sync_ministries()
    import_observatory_file(path=DATA / "observatoire" / "editions" / "2019-06.csv")
    return ObservatoryEdition.objects.get(slug="2019-06")


def _organisations(count: int) -> list[Organisation]:
    """The real organisations of State kinds, then deconcentrated services up to `count`."""
    real = load_organisations(DemoReport())
    chosen = sorted((o for o in real.values() if o.is_state_administration), key=lambda o: o.slug)
    ministries = {m.slug: m for m in Ministry.objects.all()}
    synthetic: list[tuple[Organisation, Ministry]] = []
    for departement in DEPARTEMENTS:
        for network, ministry_slug in NETWORKS:
            if len(chosen) + len(synthetic) >= count:
                break
            slug = f"banc-{ministry_slug}-{departement}".lower()
            name = f"{network} ({departement})"
            synthetic.append(
                (
                    Organisation(
                        slug=slug, name=name, kind=Organisation.Kind.DECONCENTRATED_SERVICE, kind_basis="banc d’essai"
                    ),
                    ministries[ministry_slug],
                )
            )
    created = Organisation.objects.bulk_create([organisation for organisation, _ in synthetic])
    through = Organisation.parent_ministries.through
    through.objects.bulk_create(
        [
            through(organisation_id=organisation.pk, ministry_id=ministry.pk)
            for organisation, (_, ministry) in zip(created, synthetic, strict=True)
        ]
    )
    return (chosen + created)[:count]


def _edition(observatory: ObservatoryEdition, now: datetime) -> Edition:
    programme, _ = Programme.objects.get_or_create(slug="commando-ux", defaults={"name": "Commando UX"})
    rules = EDITION_RULES["commando-ux"]
    edition = Edition.objects.create(
        programme=programme,
        slug=EDITION_SLUG,
        name="Commando UX — banc d’essai",
        year=now.year,
        observatory_edition=observatory,
        is_published=True,
        is_historical=False,
        summary="Édition du banc d’essai : 2 000 défis, 120 membres du jury.",
        **rules,
    )
    for question in DEMO_QUESTIONS:
        Question.objects.create(edition=edition, form=Question.Form.DEFI, **question)
    closes = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=now - timedelta(days=14),
        closes_at=closes,
        precision=Phase.Precision.MINUTE,
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.SELECTION,
        opens_at=closes + timedelta(minutes=1),
        closes_at=closes + timedelta(days=7),
        precision=Phase.Precision.DAY,
    )
    return edition


def _users(emails: list[str], **fields: Any) -> list[User]:
    return User.objects.bulk_create([User(email=email, password=make_password(None), **fields) for email in emails])


def _content(index: int, organisation: Organisation, demarche_title: str) -> dict[str, Any]:
    return {
        "title": f"Simplifier « {demarche_title[:120]} » — défi {index:04d}",
        "summary": f"Moins d’abandons et d’erreurs sur « {demarche_title[:150]} ».",
        "problem": f"Les usagers de {organisation.name} abandonnent la démarche en cours de route.",
        "expected_impact": "Moins d’appels au support, un taux de complétion en hausse.",
        "sponsor": "Directrice du numérique",
        "team": "Deux agents du service et un mentor de la direction.",
        "accessibility_plan": "Audit RGAA, puis corrections et déclaration d’accessibilité.",
        "profiles": PROFILES[: 1 + index % 3],
        "positions_count": 1 + index % 3,
    }


def _defis(
    edition: Edition, organisations: list[Organisation], count: int, drafts: int, rng: random.Random, now: datetime
) -> tuple[list[Defi], dict[int, list[int]]]:
    """The défis, their agents (one author each, approved members), co-editors and answers."""
    demarches = list(
        IndicatorSet.objects.filter(edition=edition.observatory_edition, in_top250=True)
        .select_related("demarche")
        .order_by("demarche__observatory_id")
    )
    agents = _users(
        [f"agent-{index:04d}@banc.defis.example" for index in range(count)], first_name="Agent", last_name="Banc"
    )
    owners = [organisations[index % len(organisations)] for index in range(count)]
    Membership.objects.bulk_create(
        [
            Membership(user=agent, organisation=organisation, status=Membership.Status.APPROVED, decided_at=now)
            for agent, organisation in zip(agents, owners, strict=True)
        ]
    )
    questions = {q.position: q for q in edition.questions.all()}
    defis = []
    for index, (agent, organisation) in enumerate(zip(agents, owners, strict=True)):
        indicator = demarches[rng.randrange(len(demarches))]
        content = _content(index, organisation, indicator.title or indicator.demarche.title)
        is_draft = index < drafts
        if is_draft:  # the surge's agents fill in the rest as they type
            content.update(problem="", accessibility_plan="")
        defis.append(
            Defi(
                edition=edition,
                organisation=organisation,
                created_by=agent,
                demarche=indicator.demarche,
                status=Defi.Status.DRAFT if is_draft else Defi.Status.SUBMITTED,
                submitted_at=None if is_draft else now - timedelta(days=1, minutes=index),
                **content,
            )
        )
    defis = Defi.objects.bulk_create(defis)
    # Each author edits their défi; one défi in three also has a colleague of the same organisation.
    coeditors: dict[int, list[int]] = {defi.pk: [agent.pk] for defi, agent in zip(defis, agents, strict=True)}
    step = len(organisations)
    for index, defi in enumerate(defis):
        if index % 3 == 0 and index + step < count:
            coeditors[defi.pk].append(agents[index + step].pk)  # same organisation: index ≡ index + step
    CoEditor.objects.bulk_create(
        [CoEditor(defi_id=defi_id, user_id=user_id) for defi_id, user_ids in coeditors.items() for user_id in user_ids]
    )
    answers = []
    for index, defi in enumerate(defis):
        if defi.status == Defi.Status.SUBMITTED:
            answers += [
                Answer(defi=defi, question=questions[1], value=1000 * (1 + index % 50)),
                Answer(defi=defi, question=questions[2], value=questions[2].choices[index % 3]),
            ]
    Answer.objects.bulk_create(answers)
    DefiVersion.objects.bulk_create(
        [
            DefiVersion(
                defi=defi,
                number=1,
                reason=DefiVersion.Reason.SUBMITTED,
                created_by_id=defi.created_by_id,
                snapshot={"title": defi.title},
            )
            for defi in defis
            if defi.status == Defi.Status.SUBMITTED
        ]
    )
    return defis, coeditors


def _criteria(edition: Edition) -> list[Any]:
    from defis.reviews.models import Criterion

    rows = [
        row
        for row in csv.DictReader((DATA / "programmes" / "selection_criteria.csv").open(encoding="utf-8"))
        if row["stage"] == "defi_selection"
    ]
    wanted = [row for row in rows if row["programme"] == "Commando UX"] + [
        row for row in rows if row["programme"] == "DIG" and "accessibilité" in row["criterion"]
    ]
    labels = ["Insuffisant", "Faible", "Moyen", "Bon", "Très bon", "Excellent"]
    return Criterion.objects.bulk_create(
        [
            Criterion(
                edition=edition,
                position=position,
                label=row["criterion"][:300],
                guidance=row["detail"],
                weight=Decimal(2 if position == 1 else 1),
                scale_min=0,
                scale_max=5,
                level_labels=labels,
                source=row["source"],
            )
            for position, row in enumerate(wanted, start=1)
        ]
    )


def _jury(
    edition: Edition,
    defis: list[Defi],
    organisations: list[Organisation],
    count: int,
    per_defi: int,
    rng: random.Random,
    now: datetime,
) -> tuple[list[int], int, int]:
    """Jurors (one in eight works for an administration: conflicts of interest), a balanced
    conflict-free assignment made here (the algorithm is timed apart), a submitted review each."""
    from defis.reviews import selectors
    from defis.reviews.models import Assignment, Juror, JurySettings, Review, Score

    JurySettings.objects.create(edition=edition, reviewers_per_defi=per_defi)
    criteria = _criteria(edition)
    users = _users(
        [f"jure-{index:03d}@banc.defis.example" for index in range(count)], first_name="Juré", last_name="Banc"
    )
    jurors = Juror.objects.bulk_create(
        [
            Juror(
                edition=edition,
                email=user.email,
                user=user,
                status=Juror.Status.ACCEPTED,
                invited_at=now,
                responded_at=now,
                organisation=organisations[index * 37 % len(organisations)] if index % 8 == 0 else None,
            )
            for index, user in enumerate(users)
        ]
    )
    conflicts = selectors.conflict_index(jurors=jurors, defis=defis)
    loads = {juror.pk: 0 for juror in jurors}
    pairs = []
    for defi in defis:
        free = sorted((loads[j.pk], j.pk) for j in jurors if (j.pk, defi.pk) not in conflicts)
        for _load, juror_id in free[:per_defi]:
            loads[juror_id] += 1
            pairs.append((juror_id, defi.pk))
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(juror_id=juror_id, defi_id=defi_id, source=Assignment.Source.AUTOMATIC)
            for juror_id, defi_id in pairs
        ]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=now, comment="Avis du banc d’essai."
            )
            for assignment in assignments
        ]
    )
    # Scores: the défi's quality, the juror's severity, some noise, so that normalisation matters.
    quality = {defi.pk: rng.gauss(0, 1) for defi in defis}
    severity = {juror.pk: rng.gauss(0, 0.7) for juror in jurors}
    scores = [
        Score(
            review=review,
            criterion=criterion,
            value=max(
                0, min(5, round(2.5 + quality[assignment.defi_id] + severity[assignment.juror_id] + rng.gauss(0, 0.5)))
            ),
        )
        for assignment, review in zip(assignments, reviews, strict=True)
        for criterion in criteria
    ]
    Score.objects.bulk_create(scores, batch_size=5000)
    return [juror.pk for juror in jurors], len(reviews), len(scores)


def _surge_pool(edition: Edition, defis: list[Defi], now: datetime, path: Path) -> int:
    """A session and a CSRF secret for the author of each draft, and the form the surge posts."""
    questions = {q.position: q for q in edition.questions.all()}
    drafts = [defi for defi in defis if defi.status == Defi.Status.DRAFT]
    sessions, pool = [], []
    expire = now + timedelta(days=1)
    users = {user.pk: user for user in User.objects.filter(pk__in=[d.created_by_id for d in drafts])}
    store = SessionStore()
    for index, defi in enumerate(drafts):
        user = users[defi.created_by_id]
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        pool.append(
            {
                "defi": defi.pk,
                "session": key,
                "csrf": secrets.token_hex(16),
                "version": defi.version,
                "fields": {
                    "title": defi.title,
                    "summary": defi.summary,
                    "demarche": str(defi.demarche.observatory_id),
                    "expected_impact": defi.expected_impact,
                    "sponsor": defi.sponsor,
                    "team": defi.team,
                    "profiles": defi.profiles,
                    "positions_count": str(defi.positions_count),
                    questions[1].field_name: str(1000 * (1 + index % 50)),
                    questions[2].field_name: questions[2].choices[index % 3],
                },
                "problem": f"Les usagers abandonnent la démarche (défi {defi.pk}).",
                "accessibility_plan": "Audit RGAA, puis corrections et déclaration d’accessibilité.",
            }
        )
    Session.objects.bulk_create(sessions)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pool), encoding="utf-8")
    return len(pool)


def seed(*, defis: int, organisations: int, jurors: int, per_defi: int, drafts: int, surge_file: Path) -> Seeded:
    """Seed everything in one transaction; the database is new and empty (bench/run.py made it)."""
    started = timezone.now()
    rng = random.Random(13)  # noqa: S311  # reproducible data, not secrets
    with transaction.atomic():
        observatory = _observatory()
        chosen = _organisations(organisations)
        edition = _edition(observatory, started)
        seeded, coeditors = _defis(edition, chosen, defis, drafts, rng, started)
        juror_ids, reviews, scores = (
            _jury(edition, seeded, chosen, jurors, per_defi, rng, started) if has_reviews() else ([], 0, 0)
        )
        team = User.objects.create(
            email="equipe@banc.defis.example", password=make_password(None), is_programme_team=True, is_staff=True
        )
        pool = _surge_pool(edition, seeded, started, surge_file)
    return Seeded(
        edition_id=edition.pk,
        edition_slug=edition.slug,
        team_user_id=team.pk,
        juror_ids=juror_ids,
        organisations=len(chosen),
        defis=len(seeded),
        drafts=pool,
        coeditors=sum(len(users) for users in coeditors.values()),
        jurors=len(juror_ids),
        reviews=reviews,
        scores=scores,
        surge_file=str(surge_file),
        seconds=round((timezone.now() - started).total_seconds(), 1),
    )


def as_dict(seeded: Seeded) -> dict[str, Any]:
    data = asdict(seeded)
    data.pop("juror_ids")
    return data
