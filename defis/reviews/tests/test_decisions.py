import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.audit.models import Event
from defis.challenges.models import Defi
from defis.notifications.models import OutboxMessage
from defis.reviews.errors import CapacityExceeded, HistoricalEdition, NotDecidable, PositionsBudgetExceeded
from defis.reviews.models import DecisionNotice, JurySettings
from defis.reviews.services.decisions import decide, notify_decisions
from defis.reviews.tests.factories import DURING_SELECTION, selection_edition, submitted_defi

pytestmark = pytest.mark.django_db


def test_decide_records_the_decision_and_its_history() -> None:
    team = ProgrammeTeamFactory()
    defi = submitted_defi(selection_edition())

    decide(actor=team, defi=defi, decision=Defi.Decision.WAITING_LIST, at=DURING_SELECTION)
    decide(actor=team, defi=defi, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)
    decide(actor=team, defi=defi, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)

    defi.refresh_from_db()
    assert defi.decision == Defi.Decision.SELECTED
    assert [event.data for event in Event.objects.filter(action="defi.decided").order_by("pk")] == [
        {"from": "pending", "to": "waiting_list"},
        {"from": "waiting_list", "to": "selected"},
    ]


def test_selecting_beyond_the_edition_maximum_is_refused() -> None:
    team = ProgrammeTeamFactory()
    edition = selection_edition(defis_to_select_max=2)
    first, second, third = (submitted_defi(edition) for _ in range(3))
    decide(actor=team, defi=first, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)
    decide(actor=team, defi=second, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)

    with pytest.raises(CapacityExceeded) as refusal:
        decide(actor=team, defi=third, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)

    assert refusal.value.message == (
        "L’édition retient 2 défis au plus, et 2 sont déjà retenus : placez-en d’abord un sur liste d’attente."
    )
    decide(actor=team, defi=third, decision=Defi.Decision.WAITING_LIST, at=DURING_SELECTION)
    assert Defi.objects.get(pk=third.pk).decision == Defi.Decision.WAITING_LIST


def test_selecting_beyond_the_positions_budget_is_refused() -> None:
    team = ProgrammeTeamFactory()
    edition = selection_edition(positions_per_defi_max=3)
    JurySettings.objects.create(edition=edition, positions_budget=4)
    big, small = submitted_defi(edition, positions_count=5), submitted_defi(edition, positions_count=2)
    decide(actor=team, defi=big, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)  # 5 asked, 3 at most

    with pytest.raises(PositionsBudgetExceeded) as refusal:
        decide(actor=team, defi=small, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)

    assert refusal.value.message == ("Retenir ce défi ouvrirait 5 postes, au-delà du budget de 4 (3 déjà pris).")


def test_a_draft_cannot_receive_a_decision() -> None:
    edition = selection_edition()
    draft = Defi.objects.create(edition=edition, organisation=submitted_defi(edition).organisation, title="Brouillon")

    with pytest.raises(NotDecidable):
        decide(actor=ProgrammeTeamFactory(), defi=draft, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)


def test_a_historical_edition_is_never_changed() -> None:
    defi = submitted_defi(selection_edition(is_historical=True))

    with pytest.raises(HistoricalEdition):
        decide(actor=ProgrammeTeamFactory(), defi=defi, decision=Defi.Decision.REJECTED, at=DURING_SELECTION)


def test_notify_decisions_sends_each_decision_once_to_every_coeditor(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    team = ProgrammeTeamFactory()
    edition = selection_edition()
    JurySettings.objects.create(edition=edition, message_selected="Rendez-vous le 29 juin pour la suite.")
    selected = submitted_defi(edition, title="Simplifier la déclaration de revenus")
    rejected = submitted_defi(edition, title="Refaire le portail")
    submitted_defi(edition, title="Pas encore décidé")
    decide(actor=team, defi=selected, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)
    decide(actor=team, defi=rejected, decision=Defi.Decision.REJECTED, at=DURING_SELECTION)

    with django_capture_on_commit_callbacks(execute=True):
        notices = notify_decisions(actor=team, edition=edition, at=DURING_SELECTION)
    with django_capture_on_commit_callbacks(execute=True):
        again = notify_decisions(actor=team, edition=edition, at=DURING_SELECTION)

    assert (len(notices), again) == (2, [])
    messages = {message.subject: message for message in OutboxMessage.objects.all()}
    assert set(messages) == {
        "Votre défi « Simplifier la déclaration de revenus » est retenu",
        "Votre défi « Refaire le portail » n’est pas retenu",
    }
    body = messages["Votre défi « Simplifier la déclaration de revenus » est retenu"].body
    assert (
        "Le jury de Commando UX 2020 a retenu le défi « Simplifier la déclaration de revenus » proposé par "
        f"{selected.organisation.name}. Félicitations !"
    ) in body
    assert "Rendez-vous le 29 juin pour la suite." in body
    assert messages["Votre défi « Simplifier la déclaration de revenus » est retenu"].to == (
        selected.coeditors.get().user.email
    )
    assert DecisionNotice.objects.count() == 2


def test_a_changed_decision_is_notified_again() -> None:
    team = ProgrammeTeamFactory()
    edition = selection_edition()
    defi = submitted_defi(edition)
    decide(actor=team, defi=defi, decision=Defi.Decision.WAITING_LIST, at=DURING_SELECTION)
    notify_decisions(actor=team, edition=edition, at=DURING_SELECTION)
    decide(actor=team, defi=defi, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)

    notices = notify_decisions(actor=team, edition=edition, at=DURING_SELECTION)

    assert [notice.decision for notice in notices] == [Defi.Decision.SELECTED]


def test_notification_page_previews_the_real_message(client: Client) -> None:
    team = ProgrammeTeamFactory()
    edition = selection_edition()
    defi = submitted_defi(edition, title="Simplifier la déclaration de revenus")
    decide(actor=team, defi=defi, decision=Defi.Decision.WAITING_LIST, at=DURING_SELECTION)
    client.force_login(team)

    response = client.get(reverse("reviews:team-notifications", kwargs={"edition_slug": edition.slug}))

    [preview] = response.context["previews"]
    assert preview["subject"] == "Votre défi « Simplifier la déclaration de revenus » est sur liste d’attente"
    assert preview["recipients"] == [defi.coeditors.get().user.email]
    content = response.content.decode()
    assert "Envoyer 1 notification" in content
    assert "Décision : Liste d’attente" in content


def test_deliberation_over_htmx_answers_the_decision_and_the_capacity(client: Client) -> None:
    team = ProgrammeTeamFactory()
    edition = selection_edition(defis_to_select_min=1, defis_to_select_max=1)
    first, second = submitted_defi(edition), submitted_defi(edition)
    decide(actor=team, defi=first, decision=Defi.Decision.SELECTED, at=DURING_SELECTION)
    client.force_login(team)

    response = client.post(
        reverse("reviews:team-decide", kwargs={"edition_slug": edition.slug, "defi_pk": second.pk}),
        {f"d{second.pk}-decision": "selected"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert "L’édition retient 1 défi au plus, et il est déjà retenu : placez-le d’abord sur liste d’attente." in (
        content
    )
    assert 'id="capacity"' in content
    assert 'hx-swap-oob="true"' in content
    assert "1 défi retenu, pour 1 à 1." in content
    assert Defi.objects.get(pk=second.pk).decision == Defi.Decision.PENDING
