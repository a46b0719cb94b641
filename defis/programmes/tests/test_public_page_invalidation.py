"""A change made by the programme team, in its workspace or in Django's admin, shows on the very next
anonymous visit of the cached public pages (home, edition page), once its transaction commits; a
page whose content turns at a phase boundary is not served past it."""

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.conf import LazySettings
from django.forms import BoundField
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.common.tests.page_cache import page_cache, visit  # noqa: F401  # the fixture, by name
from defis.programmes import services
from defis.programmes.models import Edition, FaqEntry, Phase, Programme
from defis.programmes.tests.test_workspace_support import *  # noqa: F403
from defis.programmes.tests.test_workspace_support import PARIS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
HOME = "/"


def status_of(url: str) -> int:
    return Client().get(url).status_code


def cached(url: str) -> str:
    """Visit twice: the second visit is answered by the cache, as every visit until a change."""
    visit(url)
    return visit(url)


# --- The workspace's services --------------------------------------------------------------------


def test_rules_saved_in_the_workspace_show_on_the_next_visit(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    before = cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("workspace:rules", args=[commando_2020.slug]),
            {
                "allowed_kinds": ["ministry", "operator"],
                "requires_demarche": "on",
                "full_funding_kinds": ["ministry"],
                "funding_alternative": "une convention avec un ministère",
            },
        )

    assert response.status_code == 302
    assert "Autres organisations : une convention avec un ministère" not in before
    assert "Autres organisations : une convention avec un ministère" in visit(url)


def test_offer_saved_in_the_workspace_shows_on_the_next_visit(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    before = cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            reverse("workspace:offer", args=[commando_2020.slug]),
            {"profiles_offered": ["designer"], "positions_per_defi_max": 2, "salary": "3 500 € net par mois"}
            | {"attachment_max_mb": 10},
        )

    assert "<dd>3 500 € net par mois</dd>" not in before
    assert "<dd>3 500 € net par mois</dd>" in visit(url)


def test_texts_saved_in_the_workspace_show_on_the_next_visit(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    before = cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            reverse("workspace:texts", args=[commando_2020.slug]),
            {"summary": "Dix défis, dix équipes.", "presentation": "Une **nouvelle** présentation", "offer": "- 2"},
        )

    after = visit(url)
    assert ("Dix défis, dix équipes." in before, "<strong>nouvelle</strong>" in before) == (False, False)
    assert ("Dix défis, dix équipes." in after, "<strong>nouvelle</strong>" in after) == (True, True)


def test_phase_moved_in_the_workspace_shows_on_the_next_visit(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    call = commando_2020.phases.get(kind=Phase.Kind.CALL_FOR_DEFIS)
    before = cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            reverse("workspace:phase", args=[commando_2020.slug, call.pk]),
            {"kind": "call_for_defis", "opens_at": "2020-06-08T00:00", "closes_at": "2020-06-21T23:59"}
            | {"precision": "minute", "published_label": ""},
        )

    assert "<td>21 juin 2020 à 23:59</td>" not in before
    assert "<td>21 juin 2020 à 23:59</td>" in visit(url)


def test_phase_added_in_the_workspace_shows_on_the_home_page(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    commando_2020.phases.filter(kind=Phase.Kind.PROMOTION).delete()
    before = cached(HOME)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            reverse("workspace:phases", args=[commando_2020.slug]),
            {"kind": "promotion", "opens_at": "2020-09-07T00:00", "closes_at": "", "precision": "month"},
        )

    assert ("4 phases" in before, "5 phases" in visit(HOME)) == (True, True)


def test_phase_deleted_in_the_workspace_leaves_both_pages(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    promotion = commando_2020.phases.get(kind=Phase.Kind.PROMOTION)
    home_before, edition_before = cached(HOME), cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(reverse("workspace:phase-delete", args=[commando_2020.slug, promotion.pk]))

    assert ("5 phases" in home_before, "4 phases" in visit(HOME)) == (True, True)
    assert ("Promotion en action" in edition_before, "Promotion en action" in visit(url)) == (True, False)


def test_faq_entry_added_and_changed_in_the_workspace_shows_on_the_next_visit(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    entry = commando_2020.faq_entries.get()
    before = cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            reverse("workspace:faq", args=[commando_2020.slug]),
            {"question": "Combien de défis seront retenus ?", "answer": "Entre 5 et 10."},
        )
    added = cached(url)
    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            reverse("workspace:faq-entry", args=[commando_2020.slug, entry.pk]),
            {"question": "Qui peut proposer un défi ?", "answer": "Les administrations et leurs opérateurs."},
        )
    changed = visit(url)

    assert "Combien de défis seront retenus ?" not in before
    assert ("Combien de défis seront retenus ?" in added, "Les administrations de l'État." in added) == (True, True)
    assert "Les administrations et leurs opérateurs." in changed


def test_faq_entry_deleted_in_the_workspace_leaves_the_page(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    entry = commando_2020.faq_entries.get()
    before = cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(reverse("workspace:faq-delete", args=[commando_2020.slug, entry.pk]))

    assert ("Qui peut proposer un défi ?" in before, "Qui peut proposer un défi ?" in visit(url)) == (True, False)


def test_edition_published_in_the_workspace_appears_on_the_home_page(
    team_client: Client, team: User, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    edition = services.create_edition(
        actor=team, source=commando_2020, name="Commando UX 2026", slug="commando-ux-2026", year=2026
    )
    before = cached(HOME)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(reverse("workspace:publish", args=[edition.slug]))

    assert ("Commando UX 2026" in before, "Commando UX 2026" in visit(HOME)) == (False, True)


def test_edition_unpublished_in_the_workspace_leaves_the_public_pages(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    home_before, _edition_before = cached(HOME), cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(reverse("workspace:unpublish", args=[commando_2020.slug]))

    assert "Commando UX 2020" in home_before
    assert ("Commando UX 2020" in visit(HOME), status_of(url)) == (False, 404)


def test_workspace_change_waits_for_the_commit(
    team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    cached(url)

    with django_capture_on_commit_callbacks() as callbacks:
        team_client.post(
            reverse("workspace:texts", args=[commando_2020.slug]),
            {"summary": "Dix défis, dix équipes.", "presentation": "", "offer": ""},
        )
    before_commit = visit(url)
    for callback in callbacks:
        callback()

    assert ("Dix défis, dix équipes." in before_commit, "Dix défis, dix équipes." in visit(url)) == (False, True)


# --- Django's admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_team_client(client: Client) -> Client:
    client.force_login(ProgrammeTeamFactory(is_superuser=True))
    return client


def _field_data(bound: BoundField) -> dict[str, Any]:
    """What the browser posts for a field as the admin renders it (split date and time included)."""
    widget = bound.field.widget
    widget = getattr(widget, "widget", widget)  # inside the admin's wrapper of related fields (+, edit)
    context = widget.get_context(bound.html_name, bound.value(), {})["widget"]
    data: dict[str, Any] = {}
    for rendered in context.get("subwidgets") or [context]:
        if rendered.get("type") == "checkbox":
            if rendered["attrs"].get("checked"):
                data[rendered["name"]] = "on"
        elif rendered["value"] is not None:
            data[rendered["name"]] = rendered["value"]
    return data


def admin_form_data(response: HttpResponse) -> dict[str, Any]:
    """The change form as the admin sends it, inlines and their management forms included."""
    context: Any = response.context  # type: ignore[attr-defined]  # set by the test client
    data: dict[str, Any] = {}
    for bound in context["adminform"].form:
        data |= _field_data(bound)
    for inline in context["inline_admin_formsets"]:
        for form in [inline.formset.management_form, *inline.formset.forms]:
            for bound in form:
                data |= _field_data(bound)
    return data


def test_edition_renamed_in_the_admin_shows_on_both_pages(
    admin_team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    change_url = reverse("admin:programmes_edition_change", args=[commando_2020.pk])
    home_before, edition_before = cached(HOME), cached(url)
    data = admin_form_data(admin_team_client.get(change_url))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_team_client.post(change_url, data | {"name": "Commando UX 2020, saison 2"})

    assert response.status_code == 302
    assert ("saison 2" in home_before, "saison 2" in edition_before) == (False, False)
    assert ("saison 2" in visit(HOME), "saison 2" in visit(url)) == (True, True)


def test_faq_entry_added_in_an_admin_inline_shows_on_the_next_visit(
    admin_team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    change_url = reverse("admin:programmes_edition_change", args=[commando_2020.pk])
    before = cached(url)
    data = admin_form_data(admin_team_client.get(change_url))
    prefix = "faq_entries"
    data |= {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-1-position": "2",
        f"{prefix}-1-question": "Combien de défis seront retenus ?",
        f"{prefix}-1-answer": "Entre 5 et 10.",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_team_client.post(change_url, data)

    assert response.status_code == 302
    assert FaqEntry.objects.filter(edition=commando_2020).count() == 2
    assert ("Combien de défis seront retenus ?" in before, "Combien de défis seront retenus ?" in visit(url)) == (
        False,
        True,
    )


def test_edition_code_changed_in_the_admin_retires_the_old_address(
    admin_team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    old_url = commando_2020.get_absolute_url()
    change_url = reverse("admin:programmes_edition_change", args=[commando_2020.pk])
    cached(old_url)
    data = admin_form_data(admin_team_client.get(change_url))

    with django_capture_on_commit_callbacks(execute=True):
        admin_team_client.post(change_url, data | {"slug": "commando-ux-2020-bis"})

    assert (status_of(old_url), status_of("/editions/commando-ux-2020-bis/")) == (404, 200)


def test_edition_deleted_in_the_admin_leaves_the_public_pages(
    admin_team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    home_before, _edition_before = cached(HOME), cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_team_client.post(
            reverse("admin:programmes_edition_delete", args=[commando_2020.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert "Commando UX 2020" in home_before
    assert ("Commando UX 2020" in visit(HOME), status_of(url)) == (False, 404)


def test_editions_deleted_by_an_admin_action_leave_the_public_pages(
    admin_team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    url = commando_2020.get_absolute_url()
    cached(url)

    with django_capture_on_commit_callbacks(execute=True):
        admin_team_client.post(
            reverse("admin:programmes_edition_changelist"),
            {"action": "delete_selected", "_selected_action": [commando_2020.pk], "post": "yes"},
        )

    assert (Edition.objects.filter(pk=commando_2020.pk).exists(), status_of(url)) == (False, 404)


def test_programme_renamed_in_the_admin_shows_on_the_home_page(
    admin_team_client: Client, commando_2020: Edition, django_capture_on_commit_callbacks: Any
) -> None:
    programme = commando_2020.programme
    change_url = reverse("admin:programmes_programme_change", args=[programme.pk])
    before = cached(HOME)

    with django_capture_on_commit_callbacks(execute=True):
        admin_team_client.post(
            change_url, {"name": "Commando UX, le programme", "slug": programme.slug, "acronym": "CUX", "summary": ""}
        )

    assert Programme.objects.get(pk=programme.pk).name == "Commando UX, le programme"
    assert ("Commando UX, le programme" in before, "Commando UX, le programme" in visit(HOME)) == (False, True)


# --- Phase boundaries: the page changes with no write --------------------------------------------


def test_edition_page_is_not_served_past_the_call_deadline(
    settings: LazySettings, commando_2020: Edition, time_machine: time_machine.TimeMachineFixture
) -> None:
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0  # the process memo reads a clock that time-machine does not move
    url = commando_2020.get_absolute_url()
    time_machine.move_to(datetime(2020, 6, 19, 23, 59, 30, tzinfo=PARIS), tick=False)
    open_call = cached(url)

    time_machine.move_to(datetime(2020, 6, 20, 0, 0, 5, tzinfo=PARIS), tick=False)  # 35 s later
    closed_call = visit(url)

    assert ("Proposer un défi" in open_call, "Proposer un défi" in closed_call) == (True, False)
    assert "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)." in closed_call


def test_home_page_is_not_served_past_the_call_deadline(
    settings: LazySettings, commando_2020: Edition, time_machine: time_machine.TimeMachineFixture
) -> None:
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0
    time_machine.move_to(datetime(2020, 6, 19, 23, 59, 30, tzinfo=PARIS), tick=False)
    open_call = cached(HOME)

    time_machine.move_to(datetime(2020, 6, 20, 0, 0, 5, tzinfo=PARIS), tick=False)
    closed_call = visit(HOME)

    assert "Appel à défis — ferme le 19 juin 2020 à 23:59 (heure de Paris)" in open_call
    assert "Prochaine étape : sélection des défis, ouvre le 22 juin 2020" in closed_call
