from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.challenges.models import Defi
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.models import Edition
from defis.programmes.tests.factories import EditionFactory
from defis.reviews.models import Assignment, ConflictOfInterest, Criterion, Juror, JurySettings, Review, Score
from defis.reviews.selectors import EpochSeconds, Microseconds, ranking
from defis.reviews.services import jury as jury_services
from defis.reviews.services.decisions import decide
from defis.reviews.services.scoring import ScoreInput, save_review_draft, submit_review
from defis.reviews.tests.factories import (
    DURING_SELECTION,
    assign,
    criterion,
    juror,
    member_of,
    ministry,
    selection_edition,
    submitted_defi,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _without_cached_rankings() -> Iterator[None]:
    """The ranking page keeps rankings in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team_client(client: Client) -> Client:
    client.force_login(ProgrammeTeamFactory())
    return client


def test_queue_shows_progress_and_the_deadline_in_french(client: Client) -> None:
    edition = selection_edition()
    criterion(edition)
    seat = juror(edition)
    done, todo = submitted_defi(edition, title="Déclarer ses revenus"), submitted_defi(edition, title="Carte grise")
    assignment = assign(seat, done)
    assign(seat, todo)
    submit_review(
        actor=seat.user,
        assignment=assignment,
        scores={edition.criteria.get().pk: ScoreInput(3)},  # type: ignore[arg-type]
        at=DURING_SELECTION,
    )
    client.force_login(seat.user)  # type: ignore[arg-type]

    with time_machine.travel(DURING_SELECTION, tick=False):
        response = client.get(reverse("reviews:queue", kwargs={"edition_slug": edition.slug}))

    content = response.content.decode()
    assert "1 évaluation soumise sur 2 défis affectés" in content
    assert "Vous pouvez noter et réviser vos évaluations jusqu’au 26 juin 2020 à 23:59 (heure de Paris)." in content
    assert [(row[0].defi.title, row[1].status if row[1] else None) for row in response.context["rows"]] == [
        ("Carte grise", None),
        ("Déclarer ses revenus", "submitted"),
    ]
    assert "Relire ou réviser" in content


def test_review_page_shows_the_defi_its_demarche_indicators_and_the_guidance(client: Client) -> None:
    observatory = ObservatoryEdition.objects.create(slug="2019-06", label="Juin 2019")
    edition = selection_edition(observatory_edition=observatory)
    criterion(edition, guidance="Le nombre d’usagers concernés chaque année.")
    demarche = Demarche.objects.create(observatory_id=823, title="Déclaration de revenus")
    IndicatorSet.objects.create(
        edition=observatory, demarche=demarche, in_top250=True, title=demarche.title, volume=38_000_000
    )
    seat = juror(edition)
    defi = submitted_defi(edition, title="Simplifier la déclaration", demarche=demarche)
    assign(seat, defi)
    client.force_login(seat.user)  # type: ignore[arg-type]

    with time_machine.travel(DURING_SELECTION, tick=False):
        response = client.get(reverse("reviews:review", kwargs={"edition_slug": edition.slug, "defi_pk": defi.pk}))

    content = response.content.decode()
    assert "Indicateurs de « Déclaration de revenus » dans l’Observatoire" in content
    assert "<td>38\xa0000\xa0000</td>" in content
    assert "Le nombre d’usagers concernés chaque année." in content
    assert "4 — Bon" in content
    assert "Soumettre mon évaluation" in content
    assert "Enregistrer le brouillon" in content
    assert "Vous verrez les notes des autres jurés une fois votre propre évaluation soumise." in content


def test_review_form_saves_a_draft_then_refuses_an_incomplete_submission_in_french(client: Client) -> None:
    edition = selection_edition()
    impact = criterion(edition, "Impact pour les usagers", position=1)
    implication = criterion(edition, "Implication de l’équipe", position=2)
    seat = juror(edition)
    defi = submitted_defi(edition)
    assign(seat, defi)
    client.force_login(seat.user)  # type: ignore[arg-type]
    url = reverse("reviews:review", kwargs={"edition_slug": edition.slug, "defi_pk": defi.pk})

    with time_machine.travel(DURING_SELECTION, tick=False):
        saved = client.post(
            url, {f"score_{impact.pk}": "4", f"comment_{impact.pk}": "Fort impact", "save": ""}, follow=True
        )
        refused = client.post(url, {f"score_{impact.pk}": "4", "submit": ""})

    assert [str(message) for message in saved.context["messages"]] == ["Brouillon enregistré."]
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        f"score_{implication.pk}": ["Notez chaque critère avant de soumettre : Implication de l’équipe."]
    }
    assert Score.objects.get(criterion=impact).comment == "Fort impact"


def test_other_jurors_scores_appear_once_the_juror_submitted(client: Client) -> None:
    edition = selection_edition()
    impact = criterion(edition)
    defi = submitted_defi(edition)
    first, second = juror(edition), juror(edition)
    for seat, value in ((first, 2), (second, 5)):
        submit_review(
            actor=seat.user,
            assignment=assign(seat, defi),
            scores={impact.pk: ScoreInput(value, "Motif")},  # type: ignore[arg-type]
            at=DURING_SELECTION,
        )
    JurySettings.objects.create(edition=edition, scores_visibility=JurySettings.ScoresVisibility.NEVER)
    client.force_login(first.user)  # type: ignore[arg-type]
    url = reverse("reviews:review", kwargs={"edition_slug": edition.slug, "defi_pk": defi.pk})

    with time_machine.travel(DURING_SELECTION, tick=False):
        hidden = client.get(url)
        JurySettings.objects.filter(edition=edition).update(
            scores_visibility=JurySettings.ScoresVisibility.AFTER_OWN_REVIEW
        )
        shown = client.get(url)

    assert hidden.context["others"] == []
    assert "Dans cette édition, les jurés ne voient pas les notes des autres." in hidden.content.decode()
    assert [review.assignment.juror_id for review in shown.context["others"]] == [second.pk]
    assert "5 — Excellent" in shown.content.decode()


def test_review_page_after_the_selection_phase_is_read_only(client: Client) -> None:
    edition = selection_edition()
    criterion(edition)
    seat = juror(edition)
    defi = submitted_defi(edition)
    assign(seat, defi)
    client.force_login(seat.user)  # type: ignore[arg-type]

    with time_machine.travel("2020-06-27 00:00:00+02:00", tick=False):
        response = client.get(reverse("reviews:review", kwargs={"edition_slug": edition.slug, "defi_pk": defi.pk}))

    content = response.content.decode()
    assert (
        "La phase de sélection est close depuis le 26 juin 2020 à 23:59 (heure de Paris) : les évaluations ne "
        "peuvent plus être modifiées."
    ) in content
    assert "Soumettre mon évaluation" not in content


def test_team_jury_page_invites_and_lists_in_french(team_client: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    edition = selection_edition()
    url = reverse("reviews:team", kwargs={"edition_slug": edition.slug})

    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("reviews:team-invite", kwargs={"edition_slug": edition.slug}),
            {"invite-email": "experte@design.example", "invite-expertise": "Accessibilité"},
            follow=True,
        )

    assert response.redirect_chain == [(url, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "experte@design.example est invité : l’invitation est partie."
    ]
    content = response.content.decode()
    assert "<h1>Jury de Commando UX 2020</h1>" in content
    assert "1 juré invité" in content
    assert [juror.email for juror in response.context["jurors"]] == ["experte@design.example"]


def test_team_criteria_page_checks_one_label_per_level(team_client: Client) -> None:
    edition = selection_edition()
    url = reverse("reviews:team-criteria", kwargs={"edition_slug": edition.slug})

    refused = team_client.post(
        url, {"label": "Accessibilité", "weight": "1", "scale_min": "0", "scale_max": "5", "level_labels": "Nul\nBon"}
    )
    added = team_client.post(
        url,
        {
            "label": "Accessibilité",
            "weight": "1.5",
            "scale_min": "1",
            "scale_max": "3",
            "level_labels": "Faible\nMoyen\nFort",
            "guidance": "RGAA",
        },
    )

    assert refused.context["form"].errors == {"level_labels": ["Donnez un libellé par niveau : 6 lignes."]}
    assert added.status_code == 302
    assert list(Criterion.objects.values_list("label", "scale_min", "scale_max", "level_labels")) == [
        ("Accessibilité", 1, 3, ["Faible", "Moyen", "Fort"])
    ]


def test_team_runs_the_automatic_assignment_from_the_page(team_client: Client) -> None:
    edition = selection_edition()
    home = OrganisationFactory(name="Direction du juré")
    seats = [juror(edition, organisation=home), juror(edition)]
    submitted_defi(edition, home, title="Défi de la direction du juré")
    submitted_defi(edition, title="Défi sans conflit")

    response = team_client.post(
        reverse("reviews:team-assign-auto", kwargs={"edition_slug": edition.slug}), {"k": "2"}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Affectation automatique faite : 3 affectations créées, 0 conservées.",
        "1 défis ne peuvent pas avoir 2 jurés sans conflit d’intérêts : voir la liste ci-dessous.",
    ]
    content = response.content.decode()
    assert "1 défi ne peut pas avoir 2 jurés" in content
    assert (
        "« Défi de la direction du juré » : 1 juré a un conflit d’intérêts avec lui ; il en reste 1 pour l’évaluer."
    ) in content
    assert Assignment.objects.filter(juror__in=seats).count() == 3


def test_assignment_page_names_a_jury_too_small(team_client: Client) -> None:
    edition = selection_edition()
    juror(edition)
    submitted_defi(edition, title="Déclarer ses revenus")
    JurySettings.objects.create(edition=edition, reviewers_per_defi=3)

    response = team_client.get(reverse("reviews:team-assignment", kwargs={"edition_slug": edition.slug}))

    assert "« Déclarer ses revenus » : le jury ne compte que 1 juré." in response.content.decode()


def test_ranking_page_toggles_normalisation_and_answers_htmx_with_the_table(team_client: Client) -> None:
    edition = selection_edition()
    impact = criterion(edition)
    defi = submitted_defi(edition, title="Déclarer ses revenus")
    seat = juror(edition)
    submit_review(
        actor=seat.user,
        assignment=assign(seat, defi),
        scores={impact.pk: ScoreInput(4, "Utile")},  # type: ignore[arg-type]
        comment="À retenir",
        at=DURING_SELECTION,
    )
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": edition.slug})

    page = team_client.get(url)
    partial = team_client.get(url, {"normalise": "on"}, headers={"HX-Request": "true"})

    assert page.context["rows"][0].ranked.score == 80.0
    content = page.content.decode()
    assert "Classement par note moyenne pondérée" in content
    assert "<td>80,0</td>" in content
    assert "Utile" in content
    assert "À retenir" in content
    partial_content = partial.content.decode()
    assert partial_content.lstrip().startswith('<div id="ranking-table"')
    assert "Classement avec les notes normalisées par juré" in partial_content
    assert "À retenir" in partial_content  # the comments of the page's challenges follow the table


def make_queue(n: int) -> Juror:
    edition = selection_edition()
    criterion(edition)
    seat = juror(edition)
    for index in range(n):
        assignment = assign(seat, submitted_defi(edition))
        if index % 2:
            Review.objects.create(assignment=assignment)
    return seat


@pytest.mark.parametrize("n", [10, 200])
def test_juror_queue_query_count_is_flat(client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    seat = make_queue(n)
    client.force_login(seat.user)  # type: ignore[arg-type]
    url = reverse("reviews:queue", kwargs={"edition_slug": seat.edition.slug})

    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["rows"]) == n


def make_ranking(n: int) -> str:
    edition = selection_edition()
    criteria = [criterion(edition, "Impact", position=1), criterion(edition, "Implication", weight=2, position=2)]
    seats = [juror(edition) for _ in range(2)]
    defis = [submitted_defi(edition) for _ in range(n)]
    assignments = Assignment.objects.bulk_create(
        [Assignment(juror=seat, defi=defi, source="automatic") for seat in seats for defi in defis]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=DURING_SELECTION, comment="Avis")
            for assignment in assignments
        ]
    )
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=item, value=(review.pk + item.pk) % 6, comment="Motif")
            for review in reviews
            for item in criteria
        ]
    )
    return edition.slug


# The ranking is computed on a miss (19 queries) and read from the cache on a hit (13), whatever the rows.
RANKING_MISS_QUERIES = 19
RANKING_HIT_QUERIES = 13


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("normalise", [False, True])
def test_ranking_query_count_is_flat(
    team_client: Client,
    django_assert_num_queries,
    n: int,  # type: ignore[no-untyped-def]
    normalise: bool,
) -> None:
    slug = make_ranking(n)
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": slug})

    with django_assert_num_queries(RANKING_MISS_QUERIES):
        response = team_client.get(url, {"normalise": "on"} if normalise else {})

    rows = response.context["rows"]
    assert len(rows) == min(n, 50)
    assert response.context["page_obj"].paginator.count == n
    assert {row.ranked.reviews for row in rows} == {2}
    assert {len(row.reviews) for row in rows} == {2}
    assert [row.ranked.rank for row in rows][0] == 1
    assert isinstance(Fraction(rows[0].ranked.score), Fraction)


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("normalise", [False, True])
def test_ranking_from_the_cache_query_count_is_flat(
    team_client: Client,
    django_assert_num_queries,
    n: int,  # type: ignore[no-untyped-def]
    normalise: bool,
) -> None:
    slug = make_ranking(n)
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": slug})
    query = {"normalise": "on"} if normalise else {}

    computed = team_client.get(url, query)  # stored at once, however recent the scores
    with django_assert_num_queries(RANKING_HIT_QUERIES):
        cached = team_client.get(url, query)

    assert rows_of(cached) == rows_of(computed)
    assert len(cached.context["rows"]) == min(n, 50)


def rows_of(response: HttpResponse) -> list[tuple[int, int | None, float | None, float | None, int, int, str]]:
    """What the ranking page shows of each row: challenge, rank, score, spread, reviews counted and shown, decision."""
    return [
        (
            row.defi.pk,
            row.ranked.rank,
            row.ranked.score,
            row.ranked.spread,
            row.ranked.reviews,
            len(row.reviews),
            row.defi.decision,
        )
        for row in response.context["rows"]
    ]


def test_ranking_pages_rank_over_the_whole_edition_and_keep_the_options(team_client: Client) -> None:
    slug = make_ranking(55)
    edition = Edition.objects.get(slug=slug)
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": slug})

    first = team_client.get(url, {"normalise": "on"})
    second = team_client.get(url, {"normalise": "on", "page": 2})

    whole = [(row.defi.pk, row.ranked.rank, row.ranked.tied) for row in ranking(edition=edition, normalise=True)]
    shown = [
        (row.defi.pk, row.ranked.rank, row.ranked.tied) for row in [*first.context["rows"], *second.context["rows"]]
    ]
    assert shown == whole
    assert [len(first.context["rows"]), len(second.context["rows"])] == [50, 5]
    assert second.context["rows"][0].ranked.rank > 1
    assert 'href="?normalise=on&amp;page=2"' in first.content.decode()
    assert "<title>Classement, page 2 sur 2 — Défis</title>" in second.content.decode()


def test_ranking_page_counts_the_whole_edition(team_client: Client) -> None:
    slug = make_ranking(55)
    edition = Edition.objects.get(slug=slug)
    unreviewed = submitted_defi(edition, title="Sans avis")
    ranked = ranking(edition=edition)
    for row in ranked[-3:]:  # the last ones: on the second page
        row.defi.decision = Defi.Decision.SELECTED
        row.defi.save(update_fields=["decision", "updated_at"])
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": slug})

    response = team_client.get(url)

    assert response.context["page_obj"].paginator.count == 56
    assert response.context["ranked_count"] == 55
    assert response.context["capacity"].selected == 3
    assert "3 défis retenus, pour 5 à 10." in response.content.decode()
    assert unreviewed.pk not in {row.defi.pk for row in response.context["rows"]}


Objects = dict[str, Any]


def staleness_edition() -> tuple[Edition, Objects]:
    """Three défis ranked A (90), B (53.3), C (20) by two jurors, x (of an organisation with no défi)
    and y, on two criteria."""
    edition = selection_edition()
    impact = criterion(edition, "Impact", position=1)
    involvement = criterion(edition, "Implication", weight=2, position=2)
    x, y = juror(edition, organisation=OrganisationFactory()), juror(edition)
    a, b, c = (submitted_defi(edition, title=title) for title in ("A", "B", "C"))
    for seat, defi, values in [(x, a, (5, 5)), (y, a, (4, 4)), (x, b, (3, 3)), (y, b, (3, 2)), (x, c, (1, 1))]:
        review = Review.objects.create(
            assignment=assign(seat, defi), status=Review.Status.SUBMITTED, submitted_at=DURING_SELECTION
        )
        Score.objects.bulk_create(
            [
                Score(review=review, criterion=item, value=value)
                for item, value in zip((impact, involvement), values, strict=True)
            ]
        )
    draft = Review.objects.create(assignment=assign(y, c))  # complete, not submitted: it does not count yet
    Score.objects.bulk_create([Score(review=draft, criterion=item, value=5) for item in (impact, involvement)])
    return edition, {"impact": impact, "involvement": involvement, "x": x, "y": y, "a": a, "b": b, "c": c}


def _revise_a_score(team: User, objects: Objects) -> None:
    scores = {objects["impact"].pk: ScoreInput(5, ""), objects["involvement"].pk: ScoreInput(5, "")}
    assignment = Assignment.objects.get(juror=objects["x"], defi=objects["c"])
    submit_review(actor=objects["x"].user, assignment=assignment, scores=scores, at=DURING_SELECTION)  # type: ignore[arg-type]


def _submit_a_saved_draft(team: User, objects: Objects) -> None:  # only the review's status changes
    assignment = Assignment.objects.get(juror=objects["y"], defi=objects["c"])
    submit_review(actor=objects["y"].user, assignment=assignment, scores={}, at=DURING_SELECTION)


def _correct_a_score(team: User, objects: Objects) -> None:  # as the admin or a data fix would, the review untouched
    score = Score.objects.get(
        review__assignment__juror=objects["y"], review__assignment__defi=objects["b"], criterion=objects["impact"]
    )
    score.value = 0
    score.save()


def _reweigh_a_criterion(team: User, objects: Objects) -> None:
    objects["impact"].weight = 10
    objects["impact"].save()


def _declare_a_conflict(team: User, objects: Objects) -> None:
    jury_services.declare_conflict(actor=team, juror=objects["x"], defi=objects["a"], at=DURING_SELECTION)


def _record_a_conflict(team: User, objects: Objects) -> None:  # the review is kept, and no longer counts
    ConflictOfInterest.objects.create(
        juror=objects["x"],
        organisation=objects["a"].organisation,
        source=ConflictOfInterest.Source.DECLARED,
        declared_by=team,
    )


def _approve_a_membership(team: User, objects: Objects) -> None:
    member_of(objects["x"].user, objects["a"].organisation)


def _move_a_juror(team: User, objects: Objects) -> None:
    objects["x"].organisation = objects["b"].organisation
    objects["x"].save()


def _share_a_ministry(team: User, objects: Objects) -> None:
    shared = ministry()
    objects["x"].organisation.parent_ministries.add(shared)
    objects["a"].organisation.parent_ministries.add(shared)


def _withdraw_a_defi(team: User, objects: Objects) -> None:
    objects["b"].status = Defi.Status.WITHDRAWN
    objects["b"].save()


def _decide(team: User, objects: Objects) -> None:
    decide(actor=team, defi=objects["b"], decision=Defi.Decision.SELECTED, at=DURING_SELECTION)


@pytest.mark.parametrize(
    "change",
    [
        _revise_a_score,
        _submit_a_saved_draft,
        _correct_a_score,
        _reweigh_a_criterion,
        _declare_a_conflict,
        _record_a_conflict,
        _approve_a_membership,
        _move_a_juror,
        _share_a_ministry,
        _withdraw_a_defi,
        _decide,
    ],
)
def test_ranking_from_the_cache_is_never_stale(
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    change: Callable[[User, Objects], None],
) -> None:
    team = ProgrammeTeamFactory()
    client.force_login(team)
    edition, objects = staleness_edition()
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": edition.slug})
    before = rows_of(client.get(url))
    with django_assert_num_queries(RANKING_HIT_QUERIES):
        assert rows_of(client.get(url)) == before  # the cached ranking: the change below must reach the page

    change(team, objects)
    after = client.get(url)

    expected = [
        (row.defi.pk, row.ranked.rank, row.ranked.score, row.ranked.spread, row.ranked.reviews, row.ranked.reviews)
        for row in ranking(edition=edition)
    ]
    assert [shown[:6] for shown in rows_of(after)] == expected
    assert rows_of(after) != before


def test_ranking_is_stored_on_its_first_computation_and_computed_again_after_a_change(
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    team = ProgrammeTeamFactory()
    client.force_login(team)
    edition, objects = staleness_edition()
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": edition.slug})
    with django_assert_num_queries(RANKING_MISS_QUERIES):
        client.get(url)
    with django_assert_num_queries(RANKING_HIT_QUERIES):
        client.get(url)

    _revise_a_score(team, objects)  # at once: no delay before the cache may answer again

    with django_assert_num_queries(RANKING_MISS_QUERIES):
        computed = client.get(url)
    with django_assert_num_queries(RANKING_HIT_QUERIES):
        cached = client.get(url)
    assert [row.defi.title for row in computed.context["rows"]] == ["C", "A", "B"]
    assert rows_of(cached) == rows_of(computed)


# Each late commit below stands for a transaction that read its clock an hour ago and commits only
# now, after a ranking was cached: its `updated_at` is older than the newest one already stamped.
LATE = timedelta(hours=1)


def _late_score_revision(objects: Objects) -> None:
    Score.objects.filter(review__assignment__juror=objects["x"], review__assignment__defi=objects["c"]).update(
        value=5, updated_at=timezone.now() - LATE
    )


def _late_review_submission(objects: Objects) -> None:  # y's complete draft on C
    Review.objects.filter(assignment__juror=objects["y"], assignment__defi=objects["c"]).update(
        status=Review.Status.SUBMITTED, submitted_at=DURING_SELECTION, updated_at=timezone.now() - LATE
    )


def _late_review_replacement(objects: Objects) -> None:  # x's review of B deleted, then written again lower
    assignment = Assignment.objects.get(juror=objects["x"], defi=objects["b"])
    Review.objects.filter(assignment=assignment).delete()
    review = Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=DURING_SELECTION)
    Score.objects.bulk_create(
        [Score(review=review, criterion=item, value=0) for item in (objects["impact"], objects["involvement"])]
    )
    Review.objects.filter(pk=review.pk).update(updated_at=timezone.now() - LATE)
    Score.objects.filter(review=review).update(updated_at=timezone.now() - LATE)


def _rows_and_newest() -> list[tuple[int, datetime | None]]:
    """Per table the ranking reads, its rows and newest `updated_at`: what the stamp held before."""
    return [
        (model.objects.count(), model.objects.aggregate(newest=Max("updated_at"))["newest"])
        for model in (Criterion, Review, Score, Juror, ConflictOfInterest, Organisation)
    ]


@pytest.mark.parametrize("commit", [_late_score_revision, _late_review_submission, _late_review_replacement])
def test_ranking_from_the_cache_sees_a_change_committed_late_with_an_older_timestamp(
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    commit: Callable[[Objects], None],
) -> None:
    team = ProgrammeTeamFactory()
    client.force_login(team)
    edition, objects = staleness_edition()
    newest = Review.objects.get(assignment__juror=objects["x"], assignment__defi=objects["a"])
    newest.save()  # the newest review and score are others than those the late commits write
    newest.scores.first().save()  # type: ignore[union-attr]
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": edition.slug})
    before = rows_of(client.get(url))
    with django_assert_num_queries(RANKING_HIT_QUERIES):
        assert rows_of(client.get(url)) == before
    stamped = _rows_and_newest()

    commit(objects)

    assert _rows_and_newest() == stamped  # no more rows, no newer change: invisible to a stamp of those
    after = client.get(url)
    expected = [
        (row.defi.pk, row.ranked.rank, row.ranked.score, row.ranked.spread, row.ranked.reviews, row.ranked.reviews)
        for row in ranking(edition=edition)
    ]
    assert [shown[:6] for shown in rows_of(after)] == expected
    assert rows_of(after) != before


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2020, 6, 1, 12, 34, 56, 789012, tzinfo=UTC),
        datetime(2020, 6, 1, 12, 34, 56, tzinfo=UTC),  # stored without a fraction on SQLite
        datetime(2038, 1, 19, 3, 14, 8, 999999, tzinfo=UTC),
    ],
)
def test_the_stamp_reads_timestamps_as_exact_whole_seconds_and_microseconds(moment: datetime) -> None:
    edition, _objects = staleness_edition()
    Criterion.objects.filter(edition=edition).update(updated_at=moment)

    parts = set(
        Criterion.objects.filter(edition=edition).values_list(EpochSeconds("updated_at"), Microseconds("updated_at"))
    )

    assert parts == {(int(moment.timestamp()), moment.microsecond)}


def test_a_draft_saved_keeps_the_cached_ranking(
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    team = ProgrammeTeamFactory()
    client.force_login(team)
    edition, objects = staleness_edition()
    url = reverse("reviews:team-ranking", kwargs={"edition_slug": edition.slug})
    before = rows_of(client.get(url))
    draft = Assignment.objects.get(juror=objects["y"], defi=objects["c"])

    save_review_draft(
        actor=objects["y"].user,
        assignment=draft,
        scores={objects["impact"].pk: ScoreInput(0, "Revu")},
        at=DURING_SELECTION,
    )

    assert Score.objects.get(review__assignment=draft, criterion=objects["impact"]).value == 0
    with django_assert_num_queries(RANKING_HIT_QUERIES):  # jurors saving drafts do not empty the cache
        assert rows_of(client.get(url)) == before


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize(
    ("name", "queries"), [("team-assignment", 16), ("team-deliberation", 14), ("team-notifications", 13)]
)
def test_team_list_pages_query_count_is_flat(
    team_client: Client,
    django_assert_num_queries,
    n: int,  # type: ignore[no-untyped-def]
    name: str,
    queries: int,
) -> None:
    slug = make_ranking(n)
    Defi.objects.filter(edition__slug=slug).update(decision=Defi.Decision.WAITING_LIST)
    url = reverse(f"reviews:{name}", kwargs={"edition_slug": slug})

    with django_assert_num_queries(queries):
        response = team_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("n", [10, 200])
def test_team_jury_page_query_count_is_flat(team_client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    edition = selection_edition()
    criterion(edition)
    Juror.objects.bulk_create(
        [
            Juror(edition=edition, email=f"jure{index}@exemple.gouv.fr", invited_at=DURING_SELECTION)
            for index in range(n)
        ]
    )
    url = reverse("reviews:team", kwargs={"edition_slug": edition.slug})

    with django_assert_num_queries(11):
        response = team_client.get(url)

    assert len(response.context["jurors"]) == n


@pytest.mark.parametrize("n", [10, 200])
def test_juror_home_query_count_is_flat(client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    first = selection_edition()
    seat = juror(first)
    Juror.objects.bulk_create(
        [
            Juror(
                edition=EditionFactory(),
                email=seat.email,
                user=seat.user,
                status=Juror.Status.ACCEPTED,
                invited_at=DURING_SELECTION,
            )
            for _ in range(n - 1)
        ]
    )
    client.force_login(seat.user)  # type: ignore[arg-type]

    with django_assert_num_queries(3):
        response = client.get(reverse("reviews:mine"))

    assert len(response.context["seats"]) == n
