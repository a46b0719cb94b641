from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.audit.services import record_event
from defis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def team(client):
    member = ProgrammeTeamFactory()
    client.force_login(member)
    return member


@pytest.fixture
def dgfip() -> Organisation:
    return Organisation.objects.create(slug="dgfip", name="Direction générale des finances publiques")


@pytest.mark.parametrize("n", [10, 200])
def test_event_list_query_count_is_flat(client, team, dgfip, django_assert_num_queries, n):
    actors = UserFactory.create_batch(3)
    for i in range(n):
        record_event(actor=actors[i % 3], action="organisation.kind_set", target=dgfip, data={"i": i})

    # session, user, the actions and the object types of the filters, count, page of events with their actors
    with django_assert_num_queries(6):
        response = client.get(reverse("audit:list"))

    assert response.status_code == 200
    assert len(response.context["events"]) == min(n, 50)
    assert response.context["paginator"].count == n


def test_event_list_filters_by_action_object_actor_and_date(client, team, dgfip):
    alice, bob = UserFactory(email="alice@exemple.gouv.fr"), UserFactory(email="bob@exemple.gouv.fr")
    other = Organisation.objects.create(slug="ants", name="Agence nationale des titres sécurisés")
    record_event(
        actor=alice, action="organisation.kind_set", target=dgfip, at=datetime(2020, 6, 19, 23, 59, tzinfo=PARIS)
    )
    wanted = record_event(
        actor=alice, action="organisation.kind_set", target=dgfip, at=datetime(2020, 6, 20, 0, 0, tzinfo=PARIS)
    )
    record_event(actor=bob, action="organisation.kind_set", target=dgfip, at=datetime(2020, 6, 20, 9, 0, tzinfo=PARIS))
    record_event(actor=alice, action="membership.requested", target=dgfip, at=datetime(2020, 6, 20, 9, 0, tzinfo=PARIS))
    record_event(
        actor=alice, action="organisation.kind_set", target=other, at=datetime(2020, 6, 20, 9, 0, tzinfo=PARIS)
    )

    response = client.get(
        reverse("audit:list"),
        {
            "action": "organisation.kind_set",
            "target_type": "organisations.organisation",
            "target_id": str(dgfip.pk),
            "actor": "alice@",
            "since": "2020-06-20",
            "until": "2020-06-20",
        },
    )

    assert [event.pk for event in response.context["events"]] == [wanted.pk]


def test_event_list_filters_by_action_prefix(client, team, dgfip):
    requested = record_event(actor=None, action="membership.requested", target=dgfip)
    approved = record_event(actor=None, action="membership.approved", target=dgfip)
    record_event(actor=None, action="organisation.kind_set", target=dgfip)

    response = client.get(reverse("audit:list"), {"action": "membership."})

    assert {event.pk for event in response.context["events"]} == {requested.pk, approved.pk}


def test_event_list_refuses_inverted_dates_in_french(client, team):
    response = client.get(reverse("audit:list"), {"since": "2020-06-20", "until": "2020-06-19"})

    assert response.context["filter_form"].errors == {"until": ["La date de fin précède la date de début."]}


def test_event_history_shows_every_row_about_one_object_oldest_first(client, team, dgfip):
    other = Organisation.objects.create(slug="ants", name="Agence nationale des titres sécurisés")
    first = record_event(
        actor=team, action="organisation.kind_set", target=dgfip, at=datetime(2020, 6, 1, tzinfo=PARIS)
    )
    second = record_event(
        actor=team, action="membership.requested", target=dgfip, at=datetime(2020, 6, 2, tzinfo=PARIS)
    )
    record_event(actor=team, action="organisation.kind_set", target=other)

    response = client.get(reverse("audit:history", args=["organisations.organisation", dgfip.pk]))

    assert [event.pk for event in response.context["events"]] == [first.pk, second.pk]
    assert "<h1>Historique de Direction générale des finances publiques</h1>" in response.content.decode()


@pytest.mark.parametrize("url", ["/equipe/journal/", "/equipe/journal/objet/accounts.user/1/"])
def test_audit_pages_are_for_the_programme_team_only(client, url):
    record_event(actor=None, action="account.secret", data={"password": "ne-doit-pas-fuir"})
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 403
    assert "ne-doit-pas-fuir" not in response.content.decode()


def test_audit_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/equipe/journal/")

    assert (response.status_code, response["Location"]) == (302, "/compte/login/?next=/equipe/journal/")


def test_audit_log_offers_no_way_to_change_a_row(client, team, dgfip):
    event = record_event(actor=team, action="organisation.kind_set", target=dgfip)

    page = client.get(reverse("audit:list")).content.decode()
    post = client.post(reverse("audit:list"))

    assert '<form method="post"' not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert post.status_code == 405
    assert Event.objects.get(pk=event.pk).action == "organisation.kind_set"
