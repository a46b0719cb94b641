"""`send_once` records every e-mail in the outbox and sends it at most once per key."""

from collections.abc import Sequence

import pytest
from django.conf import LazySettings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from defis.notifications.models import OutboxMessage
from defis.notifications.services import send_once

pytestmark = pytest.mark.django_db


class UnreachableSmtpBackend(BaseEmailBackend):
    """The world outside failing: the mail server refuses the connection."""

    def send_messages(self, email_messages: Sequence[mail.EmailMessage]) -> int:
        raise ConnectionRefusedError("SMTP server unreachable")


def _send(key: str | None = "receipt:1") -> OutboxMessage:
    return send_once(
        key=key,
        to="agent@interieur.gouv.fr",
        subject="Accusé de réception",
        body="Votre défi est bien déposé.\n",
        template="challenges/mail/receipt",
    )


def test_send_once_records_and_sends_the_message(mailoutbox: list[mail.EmailMessage], settings: LazySettings) -> None:
    message = _send()

    stored = OutboxMessage.objects.get()
    assert stored.pk == message.pk
    assert (stored.key, stored.template, stored.to, stored.subject, stored.body, stored.status, stored.error) == (
        "receipt:1",
        "challenges/mail/receipt",
        "agent@interieur.gouv.fr",
        "Accusé de réception",
        "Votre défi est bien déposé.\n",
        OutboxMessage.Status.SENT,
        "",
    )
    assert stored.sent_at is not None
    assert [(m.subject, m.body, m.to, m.from_email) for m in mailoutbox] == [
        (
            "Accusé de réception",
            "Votre défi est bien déposé.\n",
            ["agent@interieur.gouv.fr"],
            settings.DEFAULT_FROM_EMAIL,
        ),
    ]


def test_send_once_twice_with_the_same_key_sends_one_email(mailoutbox: list[mail.EmailMessage]) -> None:
    first = _send()

    second = _send()

    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mailoutbox) == 1


def test_send_once_with_other_keys_sends_each(mailoutbox: list[mail.EmailMessage]) -> None:
    _send(key="receipt:1")
    _send(key="receipt:2")

    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == ["receipt:1", "receipt:2"]
    assert len(mailoutbox) == 2


def test_send_once_without_key_sends_every_time(mailoutbox: list[mail.EmailMessage]) -> None:
    _send(key=None)
    _send(key=None)

    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [None, None]
    assert len(mailoutbox) == 2


def test_send_once_records_a_failed_delivery(settings: LazySettings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableSmtpBackend"

    message = _send()

    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.status, stored.error, stored.sent_at) == (
        OutboxMessage.Status.FAILED,
        "SMTP server unreachable",
        None,
    )
