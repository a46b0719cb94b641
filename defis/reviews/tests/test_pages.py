from fractions import Fraction

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.challenges.models import Defi
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.tests.factories import EditionFactory
from defis.reviews.models import Assignment, Criterion, Juror, JurySettings, Review, Score
from defis.reviews.services.scoring import ScoreInput, submit_review
from defis.reviews.tests.factories import (
    DURING_SELECTION,
    assign,
    criterion,
    juror,
    selection_edition,
    submitted_defi,
)

pytestmark = pytest.mark.django_db


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
    assert "Utile" in content
    assert "À retenir" in content
    partial_content = partial.content.decode()
    assert partial_content.lstrip().startswith('<div id="ranking-table"')
    assert "Classement avec les notes normalisées par juré" in partial_content


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

    with django_assert_num_queries(12):
        response = team_client.get(url, {"normalise": "on"} if normalise else {})

    rows = response.context["rows"]
    assert len(rows) == n
    assert {row.ranked.reviews for row in rows} == {2}
    assert [row.ranked.rank for row in rows][0] == 1
    assert isinstance(Fraction(rows[0].ranked.score), Fraction)


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
