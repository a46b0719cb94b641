"""Every URL of the selection, for a juror: a défi in conflict or not assigned is a 404 whatever the URL,
the team's pages are a 403, and nothing of the hidden défis leaks."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from defis.challenges.models import Defi
from defis.organisations.tests.factories import OrganisationFactory
from defis.reviews.models import Assignment, Bid, Juror, Review
from defis.reviews.tests.factories import (
    DURING_SELECTION,
    assign,
    criterion,
    juror,
    selection_edition,
    submitted_defi,
)

pytestmark = pytest.mark.django_db
SECRET, UNASSIGNED, MINE = "Défi en conflit confidentiel", "Défi d’un autre juré", "Défi qui m’est affecté"


@pytest.fixture
def world() -> dict[str, object]:
    edition = selection_edition()
    impact = criterion(edition)
    home = OrganisationFactory(name="Direction du juré")
    secret = submitted_defi(edition, home, title=SECRET, summary="Résumé confidentiel")
    unassigned = submitted_defi(edition, title=UNASSIGNED)
    mine = submitted_defi(edition, title=MINE)
    seat = juror(edition, organisation=home)
    # A stale row, as if the conflict had appeared after the assignment: access is still refused.
    stale = assign(seat, secret)
    assign(seat, mine)
    other = juror(edition)
    assign(other, unassigned)
    return {
        "edition": edition,
        "criterion": impact,
        "secret": secret,
        "unassigned": unassigned,
        "mine": mine,
        "seat": seat,
        "stale": stale,
    }


def review_url(world: dict[str, object], defi: Defi) -> str:
    return reverse("reviews:review", kwargs={"edition_slug": world["edition"].slug, "defi_pk": defi.pk})  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["secret", "unassigned"])
@pytest.mark.parametrize("method", ["get", "post_save", "post_submit"])
def test_juror_gets_a_404_on_a_defi_in_conflict_or_not_assigned(
    client: Client, world: dict[str, object], which: str, method: str
) -> None:
    client.force_login(world["seat"].user)  # type: ignore[attr-defined]
    defi = world[which]
    url = review_url(world, defi)  # type: ignore[arg-type]
    data = {f"score_{world['criterion'].pk}": "5", "submit" if method == "post_submit" else "save": ""}  # type: ignore[attr-defined]

    with time_machine.travel(DURING_SELECTION, tick=False):
        response = client.get(url) if method == "get" else client.post(url, data)

    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert UNASSIGNED not in response.content.decode()
    assert Review.objects.count() == 0


def test_juror_reaches_the_defi_assigned_to_them(client: Client, world: dict[str, object]) -> None:
    client.force_login(world["seat"].user)  # type: ignore[attr-defined]

    with time_machine.travel(DURING_SELECTION, tick=False):
        response = client.get(review_url(world, world["mine"]))  # type: ignore[arg-type]

    assert response.status_code == 200
    assert response.context["defi"] == world["mine"]


def test_juror_lists_never_show_a_defi_in_conflict_or_not_assigned(client: Client, world: dict[str, object]) -> None:
    client.force_login(world["seat"].user)  # type: ignore[attr-defined]
    slug = world["edition"].slug  # type: ignore[attr-defined]

    queue = client.get(reverse("reviews:queue", kwargs={"edition_slug": slug})).content.decode()
    preferences = client.get(reverse("reviews:preferences", kwargs={"edition_slug": slug})).content.decode()

    assert MINE in queue
    assert SECRET not in queue
    assert UNASSIGNED not in queue
    assert SECRET not in preferences
    assert "Résumé confidentiel" not in preferences
    assert UNASSIGNED in preferences  # open to a preference, not to a review


def test_a_preference_on_a_defi_in_conflict_is_ignored(client: Client, world: dict[str, object]) -> None:
    client.force_login(world["seat"].user)  # type: ignore[attr-defined]
    url = reverse("reviews:preferences", kwargs={"edition_slug": world["edition"].slug})  # type: ignore[attr-defined]

    client.post(url, {f"bid_{world['secret'].pk}": "want", f"bid_{world['unassigned'].pk}": "want"})  # type: ignore[attr-defined]

    assert list(Bid.objects.values_list("defi_id", "preference")) == [(world["unassigned"].pk, "want")]  # type: ignore[attr-defined]


def test_a_juror_of_another_edition_gets_a_404(client: Client, world: dict[str, object]) -> None:
    outsider = juror(selection_edition())
    client.force_login(outsider.user)  # type: ignore[arg-type]
    slug = world["edition"].slug  # type: ignore[attr-defined]

    with time_machine.travel(DURING_SELECTION, tick=False):
        responses = [
            client.get(reverse("reviews:queue", kwargs={"edition_slug": slug})),
            client.get(reverse("reviews:preferences", kwargs={"edition_slug": slug})),
            client.get(review_url(world, world["mine"])),
        ]  # type: ignore[arg-type]

    assert [response.status_code for response in responses] == [404, 404, 404]


def test_an_invited_juror_who_has_not_accepted_gets_a_404(client: Client, world: dict[str, object]) -> None:
    seat: Juror = world["seat"]  # type: ignore[assignment]
    Juror.objects.filter(pk=seat.pk).update(status=Juror.Status.DECLINED)
    client.force_login(seat.user)  # type: ignore[arg-type]

    response = client.get(review_url(world, world["mine"]))  # type: ignore[arg-type]

    assert response.status_code == 404


def test_a_visitor_is_sent_to_sign_in(client: Client, world: dict[str, object]) -> None:
    url = review_url(world, world["mine"])  # type: ignore[arg-type]

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/compte/login/?next={url}")


def team_urls(world: dict[str, object]) -> list[tuple[str, str]]:
    slug = world["edition"].slug  # type: ignore[attr-defined]
    kwargs = {"edition_slug": slug}
    secret: Defi = world["secret"]  # type: ignore[assignment]
    stale: Assignment = world["stale"]  # type: ignore[assignment]
    names = [
        ("team", "get", {}),
        ("team-invite", "post", {}),
        ("team-settings", "post", {}),
        ("team-conflict", "post", {}),
        ("team-detect", "post", {}),
        ("team-criteria", "get", {}),
        ("team-criteria", "post", {}),
        ("team-criterion-delete", "post", {"pk": world["criterion"].pk}),  # type: ignore[attr-defined]
        ("team-assignment", "get", {}),
        ("team-assign-auto", "post", {}),
        ("team-assign", "post", {}),
        ("team-unassign", "post", {"pk": stale.pk}),
        ("team-ranking", "get", {}),
        ("team-ranking-export", "get", {}),
        ("team-deliberation", "get", {}),
        ("team-decide", "post", {"defi_pk": secret.pk}),
        ("team-notifications", "get", {}),
        ("team-notify", "post", {}),
    ]
    return [(method, reverse(f"reviews:{name}", kwargs={**kwargs, **extra})) for name, method, extra in names]


def test_juror_gets_a_403_on_every_team_page_and_changes_nothing(client: Client, world: dict[str, object]) -> None:
    client.force_login(world["seat"].user)  # type: ignore[attr-defined]
    secret: Defi = world["secret"]  # type: ignore[assignment]

    statuses = {}
    for method, url in team_urls(world):
        response = (
            client.get(url)
            if method == "get"
            else client.post(url, {f"d{secret.pk}-decision": "selected", "k": "1", "invite-email": "x@exemple.gouv.fr"})
        )
        statuses[(method, url)] = response.status_code
        assert SECRET not in response.content.decode()

    assert set(statuses.values()) == {403}
    assert Defi.objects.get(pk=secret.pk).decision == Defi.Decision.PENDING
    assert Juror.objects.count() == 2
    assert Assignment.objects.count() == 3
