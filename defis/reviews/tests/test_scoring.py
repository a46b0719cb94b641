import pytest

from defis.audit.models import Event
from defis.reviews.errors import (
    IncompleteReview,
    InConflict,
    NotAJuror,
    ReviewAlreadySubmitted,
    ScoreOutOfScale,
    SelectionClosed,
    SelectionNotOpen,
)
from defis.reviews.models import Assignment, Criterion, Review, Score
from defis.reviews.services.scoring import ScoreInput, save_review_draft, submit_review
from defis.reviews.tests.factories import (
    DURING_SELECTION,
    assign,
    criterion,
    juror,
    member_of,
    paris,
    selection_edition,
    submitted_defi,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> tuple[Assignment, Criterion, Criterion]:
    edition = selection_edition()
    impact = criterion(edition, "Impact pour les usagers", weight=2, position=1)
    implication = criterion(edition, "Implication de l’équipe", weight=1, position=2)
    return assign(juror(edition), submitted_defi(edition)), impact, implication


def test_save_review_draft_keeps_partial_scores(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, implication = setup

    review = save_review_draft(
        actor=assignment.juror.user,
        assignment=assignment,
        scores={impact.pk: ScoreInput(4, "Beaucoup d’usagers."), implication.pk: ScoreInput(None, "À préciser")},
        comment="Prometteur",
        at=DURING_SELECTION,
    )

    assert review.status == Review.Status.DRAFT
    assert set(Score.objects.values_list("criterion__label", "value", "comment")) == {
        ("Impact pour les usagers", 4, "Beaucoup d’usagers."),
        ("Implication de l’équipe", None, "À préciser"),
    }


def test_submit_review_with_a_criterion_missing_is_refused_with_its_name(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, implication = setup

    with pytest.raises(IncompleteReview) as refusal:
        submit_review(
            actor=assignment.juror.user, assignment=assignment, scores={impact.pk: ScoreInput(4)}, at=DURING_SELECTION
        )

    assert refusal.value.message == "Notez chaque critère avant de soumettre : Implication de l’équipe."
    assert refusal.value.field == f"score_{implication.pk}"
    assert Review.objects.filter(status=Review.Status.SUBMITTED).count() == 0


def test_submit_review_completes_a_draft_and_a_repeat_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, implication = setup
    save_review_draft(
        actor=assignment.juror.user, assignment=assignment, scores={impact.pk: ScoreInput(4)}, at=DURING_SELECTION
    )

    review = submit_review(
        actor=assignment.juror.user, assignment=assignment, scores={implication.pk: ScoreInput(2)}, at=DURING_SELECTION
    )
    submit_review(
        actor=assignment.juror.user,
        assignment=assignment,
        scores={implication.pk: ScoreInput(2)},
        at=paris(2020, 6, 25, 9, 0),
    )

    review.refresh_from_db()
    assert (review.status, review.submitted_at) == (Review.Status.SUBMITTED, DURING_SELECTION)
    assert list(Event.objects.filter(action__startswith="review.").values_list("action", flat=True)) == [
        "review.submitted",
        "review.draft_saved",
    ]


def test_a_submitted_review_is_revised_by_submitting_again(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, implication = setup
    scores = {impact.pk: ScoreInput(4), implication.pk: ScoreInput(2)}
    submit_review(actor=assignment.juror.user, assignment=assignment, scores=scores, at=DURING_SELECTION)

    with pytest.raises(ReviewAlreadySubmitted):
        save_review_draft(actor=assignment.juror.user, assignment=assignment, scores=scores, at=DURING_SELECTION)
    review = submit_review(
        actor=assignment.juror.user,
        assignment=assignment,
        scores={impact.pk: ScoreInput(5)},
        at=paris(2020, 6, 26, 23, 59, 59),
    )

    assert (review.submitted_at, Score.objects.get(criterion=impact).value) == (paris(2020, 6, 26, 23, 59, 59), 5)
    assert Event.objects.filter(action="review.revised").count() == 1


def test_reviews_close_with_the_last_minute_of_the_selection_phase(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, implication = setup
    scores = {impact.pk: ScoreInput(4), implication.pk: ScoreInput(2)}

    with pytest.raises(SelectionClosed) as refusal:
        submit_review(actor=assignment.juror.user, assignment=assignment, scores=scores, at=paris(2020, 6, 27, 0, 0, 0))

    assert refusal.value.message == (
        "La phase de sélection est close depuis le 26 juin 2020 à 23:59 (heure de "
        "Paris) : les évaluations ne peuvent plus être modifiées."
    )


def test_reviews_open_with_the_selection_phase(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, _implication = setup

    with pytest.raises(SelectionNotOpen) as refusal:
        save_review_draft(
            actor=assignment.juror.user,
            assignment=assignment,
            scores={impact.pk: ScoreInput(1)},
            at=paris(2020, 6, 21, 23, 59),
        )

    assert refusal.value.message == (
        "Les évaluations ouvrent avec la phase de sélection, le 22 juin 2020 à 00:00 (heure de Paris)."
    )


def test_a_score_out_of_the_scale_is_refused_next_to_its_field(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, _implication = setup

    with pytest.raises(ScoreOutOfScale) as refusal:
        save_review_draft(
            actor=assignment.juror.user, assignment=assignment, scores={impact.pk: ScoreInput(6)}, at=DURING_SELECTION
        )

    assert (refusal.value.message, refusal.value.field) == (
        "La note de « Impact pour les usagers » est un nombre entier de 0 à 5.",
        f"score_{impact.pk}",
    )


def test_another_person_cannot_write_the_review(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, _implication = setup
    other = juror(assignment.juror.edition)

    with pytest.raises(NotAJuror):
        save_review_draft(
            actor=other.user,
            assignment=assignment,
            scores={impact.pk: ScoreInput(1)},  # type: ignore[arg-type]
            at=DURING_SELECTION,
        )


def test_a_juror_who_joined_the_defis_organisation_since_cannot_score_it(setup) -> None:  # type: ignore[no-untyped-def]
    assignment, impact, _implication = setup
    member_of(assignment.juror.user, assignment.defi.organisation)  # type: ignore[arg-type]

    with pytest.raises(InConflict):
        save_review_draft(
            actor=assignment.juror.user, assignment=assignment, scores={impact.pk: ScoreInput(1)}, at=DURING_SELECTION
        )
