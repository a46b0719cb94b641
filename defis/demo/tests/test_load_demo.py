import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from defis.accounts.models import User
from defis.audit.models import Event
from defis.challenges.models import Defi
from defis.demarches.models import Demarche, ObservatoryEdition
from defis.demarches.selectors import is_in_top250
from defis.demo.services import load_demo
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import Edition, Phase

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_demo_loads_the_real_editions_and_their_calendars() -> None:
    load_demo(today=date(2026, 11, 26))
    assert set(Edition.objects.values_list("slug", flat=True)) == {
        "commando-ux-2020",
        "dig-2019",
        "commando-ux-2026-demo",
    }
    cux = Edition.objects.get(slug="commando-ux-2020")
    call = cux.phases.get(kind=Phase.Kind.CALL_FOR_DEFIS)
    assert (call.opens_at, call.closes_at, call.precision) == (
        paris(2020, 6, 8, 0, 0),
        paris(2020, 6, 19, 23, 59),
        Phase.Precision.MINUTE,
    )
    applications = cux.phases.get(kind=Phase.Kind.CALL_FOR_APPLICATIONS)
    assert applications.closes_at == paris(2020, 7, 19, 23, 59)  # the published extension, not 17 July
    dig_call = Edition.objects.get(slug="dig-2019").phases.get(kind=Phase.Kind.CALL_FOR_DEFIS)
    assert dig_call.closes_at == paris(2019, 4, 2, 17, 0)
    assert dig_call.is_open(paris(2019, 4, 2, 17, 0, 59)) is True
    assert dig_call.is_open(paris(2019, 4, 2, 17, 1, 0)) is False


def test_demo_records_the_moved_closing_date_as_an_extension() -> None:
    load_demo(today=date(2026, 11, 26))
    moves = {
        (event.data["kind"], event.data["from"], event.data["to"])
        for event in Event.objects.filter(action="phase.extended")
    }
    assert moves == {
        ("call_for_applications", "2020-07-17T23:59:00+02:00", "2020-07-19T23:59:00+02:00"),
        ("promotion", "2020-12-31T23:59:00+01:00", "2021-03-31T23:59:00+02:00"),
    }


def test_demo_current_edition_call_is_open_today() -> None:
    load_demo(today=date(2026, 11, 26))
    edition = Edition.objects.get(slug="commando-ux-2026-demo")
    call = edition.phases.get(kind=Phase.Kind.CALL_FOR_DEFIS)
    assert call.is_open(paris(2026, 11, 26, 12, 0)) is True
    assert call.closes_at == paris(2026, 12, 10, 23, 59)
    assert edition.observatory_edition == ObservatoryEdition.objects.get(slug="2019-06")


def test_demo_loads_past_defis_as_decided_and_flags_unknown_kinds() -> None:
    load_demo(today=date(2026, 11, 26))
    assert Defi.objects.filter(edition__slug="commando-ux-2020").count() == 10
    assert Defi.objects.filter(edition__slug="dig-2019").count() == 18
    assert set(Defi.objects.filter(is_historical=True).values_list("decision", flat=True)) == {Defi.Decision.SELECTED}
    assert Organisation.objects.count() == 84
    assert Organisation.objects.filter(kind=Organisation.Kind.UNKNOWN).count() == 31
    dgfip = Organisation.objects.get(slug="direction-generale-des-finances-publiques")
    assert dgfip.kind == Organisation.Kind.CENTRAL_ADMINISTRATION


def test_demo_uses_june_2019_as_the_top_250_reference() -> None:
    load_demo(today=date(2026, 11, 26))
    june = ObservatoryEdition.objects.get(slug="2019-06")
    assert is_in_top250(demarche=Demarche.objects.get(observatory_id=1894), edition=june) is True
    assert not Demarche.objects.filter(observatory_id=1207).exists()  # only in the snapshot, kept out


def test_demo_has_one_account_per_role_that_can_sign_in() -> None:
    report = load_demo(today=date(2026, 11, 26))
    assert [role for role, _, _ in report.accounts][0] == "programme team"
    team = User.objects.get(email="equipe@defis.example")
    assert team.is_programme_team is True
    assert team.check_password("defis-demo-2026") is True
    agent = User.objects.get(email="agent@defis.example")
    assert agent.memberships.get().status == Membership.Status.APPROVED


def test_demo_is_idempotent() -> None:
    load_demo(today=date(2026, 11, 26))
    counts = (
        Edition.objects.count(),
        Phase.objects.count(),
        Defi.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Event.objects.count(),
        Demarche.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    load_demo(today=date(2026, 11, 26))
    assert (
        Edition.objects.count(),
        Phase.objects.count(),
        Defi.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Event.objects.count(),
        Demarche.objects.count(),
    ) == counts


def test_demo_edition_has_the_real_commando_ux_defis_to_review() -> None:
    from defis.reviews.models import Assignment

    load_demo(today=date(2026, 11, 26))
    proposals = Defi.objects.filter(edition__slug="commando-ux-2026-demo")
    assert proposals.count() == 10
    assert set(proposals.values_list("status", flat=True)) == {Defi.Status.SUBMITTED}
    assert proposals.get(title__icontains="immatriculation").demarche.observatory_id == 1894
    assert Assignment.objects.filter(defi__in=proposals, juror__user__email="jure@defis.example").count() == 10
