"""A reminder before the call's deadline reaches each co-editor of an unsubmitted draft once, in the
edition's own wording, and only while it is still due."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import UserFactory
from defis.audit.models import Event
from defis.challenges.models import Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory
from defis.notifications.models import MessageKind, OutboxMessage, ScheduledReminder
from defis.notifications.services import run_scheduled_reminder
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes import services
from defis.programmes.errors import CallClosed
from defis.programmes.models import DeadlineExtension, Edition, Phase
from defis.programmes.tests.factories import EditionFactory
from defis.programmes.tests.test_workspace_support import *  # noqa: F403
from defis.programmes.tests.test_workspace_support import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(team: User) -> Edition:
    """Commando UX 2026: its call runs from 8 June to 19 June 2026 23:59, Paris."""
    edition = EditionFactory(name="Commando UX 2026", slug="commando-ux-2026", year=2026)
    services.save_phase(
        actor=team,
        edition=edition,
        at=paris(2026, 5, 1),
        data={
            "kind": Phase.Kind.CALL_FOR_DEFIS,
            "opens_at": paris(2026, 6, 8),
            "closes_at": paris(2026, 6, 19, 23, 59),
            "precision": Phase.Precision.MINUTE,
            "published_label": "",
        },
    )
    return edition


def _one_day_reminder() -> ScheduledReminder:
    return ScheduledReminder.objects.get(days_before=1)


def test_reminder_goes_once_to_each_coeditor_of_a_draft(  # type: ignore[no-untyped-def]
    edition: Edition, django_capture_on_commit_callbacks
) -> None:
    alice = UserFactory(first_name="Alice", last_name="Durand", email="alice@exemple.gouv.fr")
    bob = UserFactory(first_name="Bob", last_name="Petit", email="bob@exemple.gouv.fr")
    first = DefiFactory(edition=edition, title="Simplifier la carte grise")
    second = DefiFactory(edition=edition, title="Refondre le simulateur")
    CoEditorFactory(defi=first, user=alice)
    CoEditorFactory(defi=second, user=alice)
    CoEditorFactory(defi=second, user=bob)
    submitted = DefiFactory(edition=edition, status=Defi.Status.SUBMITTED)
    CoEditorFactory(defi=submitted, user=UserFactory(email="deja-soumis@exemple.gouv.fr"))

    with django_capture_on_commit_callbacks(execute=True):
        reminder = run_scheduled_reminder(reminder_id=_one_day_reminder().pk, at=paris(2026, 6, 19, 0, 0))

    assert reminder is not None
    assert (reminder.status, reminder.messages_count) == (ScheduledReminder.Status.SENT, 2)
    assert sorted((m.to, m.subject) for m in OutboxMessage.objects.all()) == [
        ("alice@exemple.gouv.fr", "Commando UX 2026 : plus que 1 jour(s) pour déposer"),
        ("bob@exemple.gouv.fr", "Commando UX 2026 : plus que 1 jour(s) pour déposer"),
    ]
    alice_mail = OutboxMessage.objects.get(to="alice@exemple.gouv.fr")
    assert alice_mail.body == (
        "Bonjour Alice Durand,\n\nVotre défi « Refondre le simulateur », « Simplifier la carte grise » est encore un "
        "brouillon. La phase « appel à défis » se termine le 19 juin 2026 à 23:59 (heure de Paris) : déposez-le "
        "avant.\n\nhttp://127.0.0.1:8000/defis/\n\nL’équipe du programme\n"
    )
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@exemple.gouv.fr", "bob@exemple.gouv.fr"]


def test_reminder_run_twice_sends_nothing_the_second_time(  # type: ignore[no-untyped-def]
    edition: Edition, django_capture_on_commit_callbacks
) -> None:
    CoEditorFactory(defi=DefiFactory(edition=edition))
    reminder_id = _one_day_reminder().pk
    with django_capture_on_commit_callbacks(execute=True):
        run_scheduled_reminder(reminder_id=reminder_id, at=paris(2026, 6, 19, 0, 0))

    with django_capture_on_commit_callbacks(execute=True):
        run_scheduled_reminder(reminder_id=reminder_id, at=paris(2026, 6, 19, 0, 5))

    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_reminder_uses_the_wording_the_team_wrote(edition: Edition, team: User) -> None:
    CoEditorFactory(
        defi=DefiFactory(edition=edition, title="Carte grise"), user=UserFactory(first_name="Alice", last_name="Durand")
    )
    services.save_message_template(
        actor=team,
        edition=edition,
        kind=MessageKind.DEADLINE_REMINDER,
        language="fr",
        subject="Dernier jour pour {{ edition }}",
        body="{{ person }}, déposez {{ defi }} avant le {{ deadline }}.",
    )

    run_scheduled_reminder(reminder_id=_one_day_reminder().pk, at=paris(2026, 6, 19, 0, 0))

    message = OutboxMessage.objects.get()
    assert (message.subject, message.body) == (
        "Dernier jour pour Commando UX 2026",
        "Alice Durand, déposez « Carte grise » avant le 19 juin 2026 à 23:59.\n",
    )


def test_reminder_is_skipped_once_the_call_has_closed(edition: Edition) -> None:
    CoEditorFactory(defi=DefiFactory(edition=edition))

    reminder = run_scheduled_reminder(reminder_id=_one_day_reminder().pk, at=paris(2026, 6, 20, 0, 0))

    assert reminder is not None
    assert reminder.status == ScheduledReminder.Status.SKIPPED
    assert OutboxMessage.objects.count() == 0


def test_reminder_does_not_run_before_it_is_due(edition: Edition) -> None:
    CoEditorFactory(defi=DefiFactory(edition=edition))

    reminder = run_scheduled_reminder(reminder_id=_one_day_reminder().pk, at=paris(2026, 6, 18, 23, 59))

    assert reminder is not None
    assert reminder.status == ScheduledReminder.Status.SCHEDULED
    assert OutboxMessage.objects.count() == 0


def test_reminder_leaves_out_an_organisation_with_a_later_deadline(edition: Edition, team: User) -> None:
    extended, other = OrganisationFactory(), OrganisationFactory()
    CoEditorFactory(
        defi=DefiFactory(edition=edition, organisation=extended), user=UserFactory(email="prolonge@exemple.gouv.fr")
    )
    CoEditorFactory(
        defi=DefiFactory(edition=edition, organisation=other), user=UserFactory(email="autre@exemple.gouv.fr")
    )
    services.grant_deadline_extension(
        actor=team,
        edition=edition,
        organisation=extended,
        phase_kind=Phase.Kind.CALL_FOR_DEFIS,
        closes_at=paris(2026, 6, 26, 23, 59),
        reason="Panne de leur messagerie",
    )

    run_scheduled_reminder(reminder_id=_one_day_reminder().pk, at=paris(2026, 6, 19, 0, 0))

    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["autre@exemple.gouv.fr"]


def test_one_click_reminder_queues_once_a_day(team: User, edition: Edition) -> None:
    CoEditorFactory(defi=DefiFactory(edition=edition), user=UserFactory(email="alice@exemple.gouv.fr"))

    first, queued = services.queue_call_reminder(actor=team, edition=edition, at=paris(2026, 6, 16, 10, 0))
    again, queued_again = services.queue_call_reminder(actor=team, edition=edition, at=paris(2026, 6, 16, 15, 0))

    assert (queued, queued_again, first.pk == again.pk, first.days_before) == (True, False, True, 4)
    assert first.due_at == paris(2026, 6, 16, 10, 0)
    assert Event.objects.filter(action="reminder.queued").count() == 1


def test_one_click_reminder_is_refused_once_the_call_has_closed(team: User, edition: Edition) -> None:
    with pytest.raises(CallClosed):
        services.queue_call_reminder(actor=team, edition=edition, at=paris(2026, 6, 20, 0, 0))


def test_remind_button_tells_the_team_the_reminder_is_queued(team_client: Client, edition: Edition) -> None:
    CoEditorFactory(defi=DefiFactory(edition=edition), user=UserFactory(email="alice@exemple.gouv.fr"))
    Phase.objects.filter(edition=edition).update(opens_at=paris(2020, 1, 1), closes_at=paris(2100, 1, 1))

    response = team_client.post(reverse("workspace:remind", args=[edition.slug]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "La relance est en file d’attente : chaque coéditeur d’un brouillon reçoit un e-mail."
    ]


def test_extension_page_grants_a_reasoned_extension(team_client: Client, edition: Edition, team: User) -> None:
    organisation = OrganisationFactory(name="Direction des impôts")

    response = team_client.post(
        reverse("workspace:extend", args=[edition.slug]),
        {
            "organisation": organisation.pk,
            "phase_kind": "call_for_defis",
            "closes_at": "2026-06-22T12:00",
            "reason": "Panne de leur messagerie le dernier jour",
        },
        follow=True,
    )

    extension = DeadlineExtension.objects.get()
    assert (extension.organisation, extension.closes_at, extension.granted_by) == (
        organisation,
        paris(2026, 6, 22, 12, 0),
        team,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Direction des impôts peut déposer jusqu’au 22 juin 2026 à 12:00."
    ]
    assert Event.objects.get(action="deadline.extended").data["reason"] == "Panne de leur messagerie le dernier jour"


def test_extension_before_the_phase_closes_is_refused(team_client: Client, edition: Edition) -> None:
    organisation = OrganisationFactory()

    response = team_client.post(
        reverse("workspace:extend", args=[edition.slug]),
        {
            "organisation": organisation.pk,
            "phase_kind": "call_for_defis",
            "closes_at": "2026-06-19T12:00",
            "reason": "Erreur",
        },
    )

    assert response.context["form"].errors == {
        "closes_at": ["Une prolongation se termine après la clôture de la phase elle-même."]
    }
    assert DeadlineExtension.objects.count() == 0
