"""Every page and action of the workspace is the programme team's: anybody else gets a 403."""

import pytest
from django.test import Client
from django.urls import reverse

from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory
from defis.programmes.models import Edition
from defis.programmes.tests.test_workspace_support import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _urls(edition: Edition, message: OutboxMessage) -> list[tuple[str, str]]:
    slug = edition.slug
    phase, question = edition.phases.first(), edition.questions.first()
    faq, criterion = edition.faq_entries.first(), edition.interview_criteria.first()
    gets = ["index", "create", "attention", "outbox"]
    urls = [("get", reverse(f"workspace:{name}")) for name in gets]
    urls += [
        ("get", reverse("workspace:outbox-message", args=[message.pk])),
        ("post", reverse("workspace:outbox-resend", args=[message.pk])),
    ]
    for name in ["edition", "phases", "rules", "offer", "texts", "faq", "questions", "criteria", "messages", "extend"]:
        urls.append(("get", reverse(f"workspace:{name}", args=[slug])))
    for name in ["publish", "unpublish", "template-flag", "remind", "texts-preview", "question-preview"]:
        urls.append(("post", reverse(f"workspace:{name}", args=[slug])))
    urls += [
        ("get", reverse("workspace:phase", args=[slug, phase.pk])),
        ("post", reverse("workspace:phase-delete", args=[slug, phase.pk])),
        ("get", reverse("workspace:question", args=[slug, question.pk])),
        ("post", reverse("workspace:question-move", args=[slug, question.pk])),
        ("post", reverse("workspace:question-delete", args=[slug, question.pk])),
        ("get", reverse("workspace:faq-entry", args=[slug, faq.pk])),
        ("post", reverse("workspace:faq-delete", args=[slug, faq.pk])),
        ("get", reverse("workspace:criterion", args=[slug, criterion.pk])),
        ("post", reverse("workspace:criterion-delete", args=[slug, criterion.pk])),
    ]
    for name in ["message", "message-preview", "message-reset"]:
        urls.append(
            (
                "get" if name == "message" else "post",
                reverse(f"workspace:{name}", args=[slug, "deadline_reminder", "fr"]),
            )
        )
    return urls


def test_every_workspace_url_is_forbidden_to_an_agent(client: Client, commando_2020: Edition) -> None:
    message = OutboxMessage.objects.create(to="agent@exemple.gouv.fr", subject="Rappel", body="Bonjour")
    agent = MembershipFactory(status=Membership.Status.APPROVED, role=Membership.Role.MANAGER).user
    client.force_login(agent)

    statuses = {url: getattr(client, method)(url).status_code for method, url in _urls(commando_2020, message)}

    assert set(statuses.values()) == {403}
    assert len(statuses) == 34
    assert Edition.objects.get(pk=commando_2020.pk).is_published is True  # nothing changed


def test_every_workspace_page_opens_for_the_team(team_client: Client, commando_2020: Edition) -> None:
    message = OutboxMessage.objects.create(to="agent@exemple.gouv.fr", subject="Rappel", body="Bonjour")
    pages = [url for method, url in _urls(commando_2020, message) if method == "get"]

    statuses = {url: team_client.get(url).status_code for url in pages}

    assert statuses == dict.fromkeys(pages, 200)


def test_the_workspace_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(reverse("workspace:index"))

    assert response["Location"] == f"{reverse('account_login')}?next=/equipe/editions/"


def test_a_missing_edition_is_a_403_for_an_agent_not_a_404(client: Client) -> None:
    agent = MembershipFactory(status=Membership.Status.APPROVED).user
    client.force_login(agent)

    response = client.get(reverse("workspace:phases", args=["n-existe-pas"]))

    assert response.status_code == 403
