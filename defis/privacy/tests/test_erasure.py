from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD, ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.audit.services import record_event
from defis.challenges.models import CoEditor
from defis.challenges.tests.factories import CoEditorFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory
from defis.privacy.errors import ErasureRefused, TeamMemberErasure
from defis.privacy.models import ErasureRequest
from defis.privacy.services import confirm_erasure, request_erasure

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2021, 3, 1, 10, 0, tzinfo=PARIS)


@pytest.fixture
def person() -> User:
    user = UserFactory(email="camille@exemple.gouv.fr", first_name="Camille", last_name="Durand")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    SocialAccount.objects.create(user=user, provider="proconnect", uid="pc-sub-camille")
    MembershipFactory(user=user, job_title="Cheffe de bureau")
    OutboxMessage.objects.create(to=user.email, subject="Bonjour Camille", body="Votre code : 123456")
    return user


def test_request_erasure_twice_records_one_request(person):
    first = request_erasure(actor=person, reason="Je quitte l’administration.", at=AT)
    second = request_erasure(actor=person, at=AT)

    assert first == second
    assert list(ErasureRequest.objects.values_list("status", flat=True)) == [ErasureRequest.Status.PENDING]
    assert list(Event.objects.values_list("action", flat=True)) == ["privacy.erasure_requested"]


def test_confirmed_erasure_anonymises_the_person_and_keeps_the_audit_trail(person, client):
    team = ProgrammeTeamFactory()
    defi_link = CoEditorFactory(user=person)
    earlier = record_event(actor=person, action="defi.submitted", target=defi_link.defi)
    erasure_request = request_erasure(actor=person, reason="Merci d’effacer Camille Durand.", at=AT)

    confirm_erasure(actor=team, erasure_request=erasure_request, at=AT)

    person.refresh_from_db()
    assert (person.email, person.first_name, person.last_name, person.is_active) == (
        f"erased-{person.pk}@erased.invalid",
        "",
        "",
        False,
    )
    assert person.has_usable_password() is False
    assert EmailAddress.objects.filter(user=person).exists() is False
    assert SocialAccount.objects.filter(user=person).exists() is False
    assert list(Membership.objects.filter(user=person).values_list("job_title", flat=True)) == [""]
    assert list(OutboxMessage.objects.values_list("to", "subject", "body")) == [(person.email, "", "")]
    assert CoEditor.objects.filter(pk=defi_link.pk).exists()  # the défi stays its administration's
    assert Event.objects.get(pk=earlier.pk).actor == person  # the row stays, its actor reads as a pseudonym
    erased = Event.objects.get(action="privacy.person_erased")
    assert (erased.actor, erased.target_repr) == (team, f"erased-{person.pk}@erased.invalid")
    assert ErasureRequest.objects.get().reason == ""
    assert client.login(email="camille@exemple.gouv.fr", password=PASSWORD) is False


def test_confirming_twice_erases_once(person):
    team = ProgrammeTeamFactory()
    erasure_request = request_erasure(actor=person, at=AT)

    confirm_erasure(actor=team, erasure_request=erasure_request, at=AT)
    confirm_erasure(actor=team, erasure_request=erasure_request, at=AT)

    assert Event.objects.filter(action="privacy.person_erased").count() == 1


def test_only_the_team_confirms_an_erasure(person):
    erasure_request = request_erasure(actor=person, at=AT)

    with pytest.raises(ErasureRefused) as refused:
        confirm_erasure(actor=UserFactory(), erasure_request=erasure_request, at=AT)

    assert refused.value.message == "Seule l’équipe du programme peut effacer les données d’une personne."
    assert User.objects.get(pk=person.pk).email == "camille@exemple.gouv.fr"


def test_a_team_member_is_not_erased_while_in_the_team():
    member = ProgrammeTeamFactory()
    erasure_request = request_erasure(actor=member, at=AT)

    with pytest.raises(TeamMemberErasure) as refused:
        confirm_erasure(actor=ProgrammeTeamFactory(), erasure_request=erasure_request, at=AT)

    assert refused.value.message == (
        "Retirez d’abord cette personne de l’équipe du programme : ses données servent à la piste d’audit."
    )


def test_erasure_request_from_the_page_then_confirmed_by_the_team(person, client):
    client.force_login(person)
    response = client.post(reverse("privacy:request-erasure"), {"reason": ""}, follow=True)
    assert "Votre demande est enregistrée" in response.content.decode()
    erasure_request = ErasureRequest.objects.get()

    client.force_login(ProgrammeTeamFactory())
    listing = client.get(reverse("privacy:erasure-requests"))
    response = client.post(reverse("privacy:confirm-erasure", args=[erasure_request.pk]), follow=True)

    assert [r.pk for r in listing.context["erasure_requests"]] == [erasure_request.pk]
    assert "Les données de la personne sont effacées." in response.content.decode()
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.DONE


def test_team_declines_an_erasure_with_a_reason(person, client):
    erasure_request = request_erasure(actor=person, at=AT)
    client.force_login(ProgrammeTeamFactory())

    client.post(
        reverse("privacy:decline-erasure", args=[erasure_request.pk]),
        {"answer": "Votre contrat nous oblige à conserver ces données cinq ans."},
    )

    erasure_request.refresh_from_db()
    assert (erasure_request.status, erasure_request.answer) == (
        ErasureRequest.Status.DECLINED,
        "Votre contrat nous oblige à conserver ces données cinq ans.",
    )
    assert User.objects.get(pk=person.pk).is_active is True


@pytest.mark.parametrize("name", ["privacy:erasure-requests", "privacy:retention"])
def test_team_pages_of_personal_data_are_refused_to_others(client, person, name):
    request_erasure(actor=person, reason="Confidentiel : ne doit pas fuir", at=AT)
    client.force_login(UserFactory())

    response = client.get(reverse(name))

    assert response.status_code == 403
    assert "ne doit pas fuir" not in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_erasure_request_list_query_count_is_flat(client, django_assert_num_queries, n):
    for user in UserFactory.create_batch(n):
        request_erasure(actor=user, at=AT)
    client.force_login(ProgrammeTeamFactory())

    # session, user, count, page of requests with their people and deciders
    with django_assert_num_queries(4):
        response = client.get(reverse("privacy:erasure-requests"))

    assert len(response.context["erasure_requests"]) == min(n, 50)
