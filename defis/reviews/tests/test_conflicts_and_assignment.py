import pytest

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.audit.models import Event
from defis.organisations.tests.factories import OrganisationFactory
from defis.reviews import selectors
from defis.reviews.errors import InConflict, ReviewStarted
from defis.reviews.models import Assignment, Bid, ConflictOfInterest, Review
from defis.reviews.services.assignment import assign_juror, run_automatic_assignment, unassign_juror
from defis.reviews.services.jury import declare_conflict, record_detected_conflicts
from defis.reviews.tests.factories import (
    DURING_SELECTION,
    assign,
    juror,
    member_of,
    ministry,
    selection_edition,
    submitted_defi,
)

pytestmark = pytest.mark.django_db


def test_detection_finds_the_same_organisation_and_a_shared_parent_ministry() -> None:
    edition = selection_edition()
    finances = ministry("Ministère de l’Économie et des Finances")
    dgfip = OrganisationFactory(name="DGFiP", parent_ministries=[finances])
    douane = OrganisationFactory(name="Douane", parent_ministries=[finances])
    ants = OrganisationFactory(name="ANTS", parent_ministries=[ministry("Ministère de l’Intérieur")])
    for organisation in (dgfip, douane, ants):
        submitted_defi(edition, organisation)
    seat = juror(edition)
    member_of(seat.user, dgfip)  # type: ignore[arg-type]

    recorded = record_detected_conflicts(edition=edition, actor=None, at=DURING_SELECTION)

    assert recorded == 2
    assert {
        (conflict.organisation.name, conflict.ministry_id, conflict.source)
        for conflict in ConflictOfInterest.objects.all()
    } == {("DGFiP", None, "detected"), ("Douane", finances.pk, "detected")}


def test_detection_reads_a_co_supervision() -> None:
    edition = selection_edition()
    culture, education = ministry("Ministère de la Culture"), ministry("Ministère de l’Éducation nationale")
    cotutelle = OrganisationFactory(name="Établissement sous cotutelle", parent_ministries=[culture, education])
    defi = submitted_defi(edition, cotutelle)
    seat = juror(edition, organisation=OrganisationFactory(name="Rectorat", parent_ministries=[education]))

    conflicts = selectors.conflict_index(jurors=[seat], defis=[defi])

    assert conflicts == {(seat.pk, defi.pk): selectors.Conflict("same_ministry", education.pk)}


def test_detection_drops_a_conflict_whose_membership_ended() -> None:
    edition = selection_edition()
    organisation = OrganisationFactory()
    submitted_defi(edition, organisation)
    seat = juror(edition)
    membership = member_of(seat.user, organisation)  # type: ignore[arg-type]
    record_detected_conflicts(edition=edition, actor=None, at=DURING_SELECTION)
    membership.delete()

    record_detected_conflicts(edition=edition, actor=None, at=DURING_SELECTION)

    assert ConflictOfInterest.objects.count() == 0


def test_a_declared_conflict_removes_the_assignments_it_touches() -> None:
    edition = selection_edition()
    organisation = OrganisationFactory(name="Agence nationale des titres sécurisés")
    defi, other = submitted_defi(edition, organisation), submitted_defi(edition)
    seat = juror(edition)
    assign(seat, defi)
    assign(seat, other)

    declare_conflict(
        actor=seat.user,
        juror=seat,
        organisation=organisation,
        reason="J’y ai travaillé.",  # type: ignore[arg-type]
        at=DURING_SELECTION,
    )

    assert list(Assignment.objects.values_list("defi_id", flat=True)) == [other.pk]
    assert set(Event.objects.values_list("action", flat=True)) == {
        "conflict.declared",
        "assignment.removed_for_conflict",
    }


def test_assign_by_hand_refuses_a_conflict() -> None:
    edition = selection_edition()
    organisation = OrganisationFactory()
    defi = submitted_defi(edition, organisation)
    seat = juror(edition, organisation=organisation)

    with pytest.raises(InConflict) as refusal:
        assign_juror(actor=ProgrammeTeamFactory(), juror=seat, defi=defi, at=DURING_SELECTION)

    assert refusal.value.message == ("Ce juré a un conflit d’intérêts avec ce défi : il ne peut pas lui être affecté.")
    assert Assignment.objects.count() == 0


def test_automatic_assignment_covers_balances_and_reports_what_conflicts_prevent() -> None:
    edition = selection_edition()
    team = ProgrammeTeamFactory()
    blocked_organisation = OrganisationFactory(name="Organisation des jurés")
    blocked = submitted_defi(edition, blocked_organisation, title="Défi des jurés")
    defis = [submitted_defi(edition) for _ in range(5)]
    seats = [juror(edition, organisation=blocked_organisation if index < 2 else None) for index in range(4)]

    plan = run_automatic_assignment(actor=team, edition=edition, k=3, at=DURING_SELECTION)

    per_defi = {defi.pk: Assignment.objects.filter(defi=defi).count() for defi in [blocked, *defis]}
    assert per_defi == {blocked.pk: 2, **{defi.pk: 3 for defi in defis}}
    loads = sorted(Assignment.objects.filter(juror=seat).count() for seat in seats)
    assert loads == [4, 4, 4, 5]
    assert [(shortfall.defi_id, shortfall.eligible, shortfall.conflicted) for shortfall in plan.shortfalls] == [
        (blocked.pk, 2, 2)
    ]
    assert not Assignment.objects.filter(defi=blocked, juror__in=seats[:2]).exists()
    event = Event.objects.get(action="assignment.automatic")
    assert (event.data["k"], event.data["added"], event.data["shortfalls"]) == (3, 17, [blocked.pk])


def test_automatic_assignment_keeps_manual_and_started_ones_and_replaces_the_others() -> None:
    edition = selection_edition()
    team = ProgrammeTeamFactory()
    first, second = submitted_defi(edition), submitted_defi(edition)
    one, two = juror(edition), juror(edition)
    manual = assign(one, first)
    started = assign(two, first, source=Assignment.Source.AUTOMATIC)
    Review.objects.create(assignment=started)
    untouched = assign(two, second, source=Assignment.Source.AUTOMATIC)

    run_automatic_assignment(actor=team, edition=edition, k=1, at=DURING_SELECTION)

    assert Assignment.objects.filter(pk__in=[manual.pk, started.pk]).count() == 2
    assert not Assignment.objects.filter(pk=untouched.pk).exists()
    assert Assignment.objects.filter(defi=second).count() == 1


def test_automatic_assignment_honours_bids() -> None:
    edition = selection_edition()
    first, second = submitted_defi(edition), submitted_defi(edition)
    one, two = juror(edition), juror(edition)
    Bid.objects.create(juror=one, defi=second, preference=Bid.Preference.WANT)
    Bid.objects.create(juror=two, defi=second, preference=Bid.Preference.AVOID)

    run_automatic_assignment(actor=ProgrammeTeamFactory(), edition=edition, k=1, at=DURING_SELECTION)

    assert set(Assignment.objects.values_list("juror_id", "defi_id")) == {(one.pk, second.pk), (two.pk, first.pk)}


def test_unassign_refuses_once_the_review_is_submitted() -> None:
    edition = selection_edition()
    assignment = assign(juror(edition), submitted_defi(edition))
    Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=DURING_SELECTION)

    with pytest.raises(ReviewStarted):
        unassign_juror(actor=ProgrammeTeamFactory(), assignment=assignment, at=DURING_SELECTION)

    assert Assignment.objects.count() == 1
