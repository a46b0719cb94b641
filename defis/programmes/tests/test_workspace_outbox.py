"""The outbox: every message the platform sent, searched by recipient, subject or template, opened
and resent as a new message linked to the original."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.audit.models import Event
from defis.notifications.models import OutboxMessage
from defis.programmes.tests.test_workspace_support import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _message(to: str, subject: str, template: str = "", status: str = OutboxMessage.Status.SENT) -> OutboxMessage:
    return OutboxMessage.objects.create(
        to=to, subject=subject, body="Bonjour,\nà bientôt.", template=template, status=status
    )


@pytest.fixture
def messages() -> dict[str, OutboxMessage]:
    return {
        "alice": _message("alice@exemple.gouv.fr", "Votre défi est déposé", "challenges/mail/receipt"),
        "bob": _message("bob@exemple.gouv.fr", "Rappel : l'appel ferme demain", "notifications:deadline_reminder"),
        "failed": _message(
            "claude@exemple.gouv.fr",
            "Rappel : l'appel ferme demain",
            "notifications:deadline_reminder",
            OutboxMessage.Status.FAILED,
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "alice@"}, ["alice"]),
        ({"q": "rappel"}, ["failed", "bob"]),
        ({"template": "challenges/mail/receipt"}, ["alice"]),
        ({"q": "rappel", "status": "failed"}, ["failed"]),
        ({}, ["failed", "bob", "alice"]),
    ],
)
def test_outbox_search(
    team_client: Client, messages: dict[str, OutboxMessage], query: dict[str, str], expected: list[str]
) -> None:
    response = team_client.get(reverse("workspace:outbox"), query)

    assert list(response.context["outbox_messages"]) == [messages[name] for name in expected]


def test_outbox_message_page_shows_the_body(team_client: Client, messages: dict[str, OutboxMessage]) -> None:
    response = team_client.get(reverse("workspace:outbox-message", args=[messages["alice"].pk]))

    html = response.content.decode()
    assert "<h1>Votre défi est déposé</h1>" in html
    assert "Bonjour,<br>à bientôt." in html


def test_resend_creates_a_new_message_linked_to_the_original(  # type: ignore[no-untyped-def]
    team_client: Client, team: User, messages: dict[str, OutboxMessage], django_capture_on_commit_callbacks
) -> None:
    original = messages["failed"]

    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(reverse("workspace:outbox-resend", args=[original.pk]))

    copy = OutboxMessage.objects.get(resent_from=original)
    assert response["Location"] == reverse("workspace:outbox-message", args=[copy.pk])
    assert (copy.to, copy.subject, copy.body, copy.status, copy.key) == (
        original.to,
        original.subject,
        original.body,
        OutboxMessage.Status.SENT,
        None,
    )
    original.refresh_from_db()
    assert original.status == OutboxMessage.Status.FAILED
    assert [m.to for m in mail.outbox] == [["claude@exemple.gouv.fr"]]
    event = Event.objects.get(action="outbox.resent")
    assert (event.actor, event.data) == (team, {"original": original.pk})


def test_a_queued_message_cannot_be_resent(team_client: Client) -> None:
    queued = _message("a@exemple.gouv.fr", "En attente", status=OutboxMessage.Status.QUEUED)

    response = team_client.post(reverse("workspace:outbox-resend", args=[queued.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Seul un message envoyé ou en échec peut être renvoyé."]
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("n", [10, 200])
def test_outbox_query_count_is_flat(team_client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    original = _message("a@exemple.gouv.fr", "Original")
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                to=f"p{i}@exemple.gouv.fr", subject=f"Message {i}", body=".", template=f"t{i % 3}", resent_from=original
            )
            for i in range(n)
        ]
    )

    # session, user, templates of the search form, count, page (with the originals joined)
    with django_assert_num_queries(5):
        response = team_client.get(reverse("workspace:outbox"))

    assert len(response.context["outbox_messages"]) == min(n + 1, 50)
