"""Shared fixtures of the workspace tests (issue 10). Import them into a test module with
`from defis.programmes.tests.test_workspace_support import *  # noqa: F403`."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.demarches.tests.factories import ObservatoryEditionFactory
from defis.demo.services import DEMO_QUESTIONS, EDITION_RULES
from defis.programmes.models import Edition, FaqEntry, InterviewCriterion, Phase, Question
from defis.programmes.tests.factories import ProgrammeFactory

PARIS = ZoneInfo("Europe/Paris")

__all__ = ["PARIS", "commando_2020", "paris", "team", "team_client"]


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def team() -> User:
    return ProgrammeTeamFactory(first_name="Camille", last_name="Équipe")


@pytest.fixture
def team_client(client: Client, team: User) -> Client:
    client.force_login(team)
    return client


@pytest.fixture
def commando_2020() -> Edition:
    """The real Commando UX 2020 as the demo loads it: its rules, calendar (Paris time) and questions."""
    programme = ProgrammeFactory(slug="commando-ux", name="Commando UX")
    edition = Edition.objects.create(
        programme=programme,
        slug="commando-ux-2020",
        name="Commando UX 2020",
        year=2020,
        is_published=True,
        is_historical=True,
        observatory_edition=ObservatoryEditionFactory(),
        presentation="Des designers pour **les démarches les plus utilisées**.",
        **EDITION_RULES["commando-ux"],
    )
    for kind, opens, closes, precision in [
        (Phase.Kind.CALL_FOR_DEFIS, paris(2020, 6, 8), paris(2020, 6, 19, 23, 59), Phase.Precision.MINUTE),
        (Phase.Kind.SELECTION, paris(2020, 6, 22), paris(2020, 6, 26, 23, 59), Phase.Precision.DAY),
        (Phase.Kind.CALL_FOR_APPLICATIONS, paris(2020, 6, 29), paris(2020, 7, 17, 23, 59), Phase.Precision.DAY),
        (Phase.Kind.RECRUITMENT, paris(2020, 7, 20), paris(2020, 7, 31, 23, 59), Phase.Precision.DAY),
        (Phase.Kind.PROMOTION, paris(2020, 9, 7), paris(2020, 12, 31, 23, 59), Phase.Precision.DAY),
    ]:
        Phase.objects.create(
            edition=edition,
            kind=kind,
            opens_at=opens,
            closes_at=closes,
            precision=precision,
            published_label="Calendrier publié en 2020",
        )
    for question in DEMO_QUESTIONS:
        Question.objects.create(edition=edition, form=Question.Form.DEFI, **question)
    FaqEntry.objects.create(
        edition=edition, position=1, question="Qui peut proposer un défi ?", answer="Les administrations de l'État."
    )
    InterviewCriterion.objects.create(
        edition=edition, position=1, label="Expérience en recherche utilisateur", weight=2, scale_max=4
    )
    return edition
