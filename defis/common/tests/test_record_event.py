"""`record_event` appends one audit row; audit rows can never be changed nor deleted."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from defis.accounts.models import User
from defis.audit.models import AppendOnlyError, Event
from defis.audit.services import record_event
from defis.demarches.models import Demarche
from defis.programmes.models import Programme

pytestmark = pytest.mark.django_db

AT = datetime(2020, 6, 19, 21, 59, tzinfo=UTC)


@pytest.fixture
def agent() -> User:
    return User.objects.create_user(email="agent@interieur.gouv.fr", password="mot-de-passe-solide")


@pytest.fixture
def event(agent: User) -> Event:
    programme = Programme.objects.create(slug="commando-ux", name="Commando UX")
    return record_event(actor=agent, action="programme.created", target=programme, data={"year": 2020}, at=AT)


def test_record_event_writes_who_what_when_and_which_object(agent: User) -> None:
    programme = Programme.objects.create(slug="commando-ux", name="Commando UX")

    event = record_event(actor=agent, action="programme.created", target=programme, data={"year": 2020}, at=AT)

    stored = Event.objects.get()
    assert stored.pk == event.pk
    assert (stored.at, stored.actor, stored.action) == (AT, agent, "programme.created")
    assert (stored.target_type, stored.target_id, stored.target_repr) == (
        "programmes.programme",
        str(programme.pk),
        "Commando UX",
    )
    assert stored.data == {"year": 2020}


def test_record_event_without_actor_target_or_time_is_stamped_now() -> None:
    with time_machine.travel(AT, tick=False):
        event = record_event(actor=None, action="import.finished")

    stored = Event.objects.get(pk=event.pk)
    assert (stored.at, stored.actor, stored.target_type, stored.target_id, stored.target_repr, stored.data) == (
        AT,
        None,
        "",
        "",
        "",
        {},
    )


def test_record_event_by_anonymous_visitor_has_no_actor() -> None:
    event = record_event(actor=AnonymousUser(), action="page.viewed", at=AT)  # type: ignore[arg-type]

    assert Event.objects.get(pk=event.pk).actor is None


def test_record_event_cuts_a_long_target_name_to_255_characters() -> None:
    demarche = Demarche.objects.create(observatory_id=1, title="D" * 300)

    event = record_event(actor=None, action="demarche.imported", target=demarche, at=AT)

    assert Event.objects.get(pk=event.pk).target_repr == "D" * 255


def test_event_cannot_be_saved_again(event: Event) -> None:
    event.action = "programme.deleted"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert Event.objects.get(pk=event.pk).action == "programme.created"


def test_event_cannot_be_deleted(event: Event) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert list(Event.objects.values_list("pk", flat=True)) == [event.pk]


def test_event_queryset_cannot_update(event: Event) -> None:
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(action="programme.deleted")
    with pytest.raises(AppendOnlyError):
        Event.objects.update(action="programme.deleted")

    assert Event.objects.get(pk=event.pk).action == "programme.created"


def test_event_queryset_cannot_delete(event: Event) -> None:
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()

    assert list(Event.objects.values_list("pk", flat=True)) == [event.pk]
