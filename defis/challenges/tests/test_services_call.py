import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from defis.challenges import services
from defis.challenges.errors import (
    CallClosed,
    InvalidAttachment,
    NotAMember,
    NotEligible,
    OutdatedVersion,
)
from defis.challenges.models import Defi, DefiVersion
from defis.challenges.selectors import eligibility
from defis.challenges.tasks import send_draft_reminders_task
from defis.challenges.tests.builders import (
    COMPLETE,
    agent_of,
    commando_ux_2020,
    dig_2019,
    organisation,
    paris,
)
from defis.demarches.models import Demarche
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Organisation
from defis.programmes.models import DeadlineExtension, Phase

pytestmark = pytest.mark.django_db


def draft(edition, org, *, demarche_id=823, email="agent@finances.gouv.fr", at=None, **fields):  # type: ignore[no-untyped-def]
    agent = agent_of(org, email=email)
    defi = services.create_defi(
        actor=agent,
        edition=edition,
        organisation=org,
        title="Défi",
        at=at or paris(2020, 6, 10, 9, 0) if edition.year == 2020 else paris(2019, 3, 20, 9, 0),
    )
    data = {**COMPLETE, **fields}
    if demarche_id is not None:
        data["demarche"] = Demarche.objects.get_or_create(
            observatory_id=demarche_id, defaults={"title": f"Démarche {demarche_id}"}
        )[0]
    defi = services.save_draft(actor=agent, defi=defi, data=data, version=defi.version)
    return agent, defi


def test_commando_ux_submission_at_235959_is_on_time_and_at_midnight_refused() -> None:
    edition = commando_ux_2020()
    agent, defi = draft(edition, organisation())
    services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 19, 23, 59, 59))
    late_agent, late = draft(
        edition, organisation(slug="dsr", name="Délégation à la sécurité routière"), email="agent@interieur.gouv.fr"
    )
    with pytest.raises(CallClosed) as error:
        services.submit_defi(actor=late_agent, defi=late, at=paris(2020, 6, 20, 0, 0, 0))
    assert error.value.message == "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)."
    assert (Defi.objects.get(pk=defi.pk).status, Defi.objects.get(pk=late.pk).status) == ("submitted", "draft")


def test_dig_submission_accepted_at_170059_refused_at_1701() -> None:
    edition = dig_2019()
    agent, defi = draft(edition, organisation(), demarche_id=None)
    other_agent, other = draft(
        edition, organisation(slug="dsr", name="DSR"), demarche_id=None, email="b@interieur.gouv.fr"
    )
    services.submit_defi(actor=agent, defi=defi, at=paris(2019, 4, 2, 17, 0, 59))
    with pytest.raises(CallClosed):
        services.submit_defi(actor=other_agent, defi=other, at=paris(2019, 4, 2, 17, 1, 0))


def test_commando_ux_refuses_a_demarche_outside_the_top_250() -> None:
    edition = commando_ux_2020()
    agent, defi = draft(edition, organisation(), demarche_id=1207)  # only in the August 2019 export
    report = eligibility(defi=defi)
    assert [check.code for check in report.failures] == ["demarche"]
    assert report.failures[0].message == (
        "Cette édition n’accepte que les démarches du top 250 de l’Observatoire "
        "(Juin 2019), et celle-ci n’en fait pas partie."
    )
    with pytest.raises(NotEligible):
        services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 15, 12, 0))


def test_commando_ux_accepts_immatriculation_1894_from_the_top_250() -> None:
    edition = commando_ux_2020()
    agent, defi = draft(edition, organisation(), demarche_id=1894)
    assert eligibility(defi=defi).ok is True
    assert services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 15, 12, 0)).status == "submitted"


def test_commando_ux_is_only_for_state_administrations() -> None:
    edition = commando_ux_2020()
    has = organisation(kind=Organisation.Kind.INDEPENDENT_PUBLIC_AUTHORITY, slug="has", name="Haute Autorité de Santé")
    _, defi = draft(edition, has)
    assert [check.code for check in eligibility(defi=defi).failures] == ["organisation_kind"]


def test_unknown_kind_is_never_guessed() -> None:
    edition = dig_2019()
    _, defi = draft(edition, organisation(kind=Organisation.Kind.UNKNOWN, slug="x", name="Mission X"), demarche_id=None)
    report = eligibility(defi=defi)
    assert report.failures[0].message == (
        "La nature de Mission X n’est pas encore connue : l’équipe du programme "
        "doit l’établir avant que l’éligibilité puisse être vérifiée."
    )
    assert report.fully_funded is None


def test_dig_funds_state_administrations_fully_and_asks_others_for_an_alternative() -> None:
    edition = dig_2019()
    _, state = draft(edition, organisation(), demarche_id=None)
    assert eligibility(defi=state).fully_funded is True
    hospital = organisation(kind=Organisation.Kind.HEALTH_ESTABLISHMENT, slug="chu", name="CHU de Lyon")
    agent, defi = draft(edition, hospital, demarche_id=None, email="a@chu-lyon.fr")
    report = eligibility(defi=defi)
    assert (report.fully_funded, [check.code for check in report.failures]) == (False, ["funding"])
    defi = services.save_draft(actor=agent, defi=defi, data={"funding_choice": "agreement"}, version=defi.version)
    assert eligibility(defi=defi).ok is True


def test_extension_lets_one_organisation_submit_after_the_deadline() -> None:
    edition = commando_ux_2020()
    dgfip = organisation()
    DeadlineExtension.objects.create(
        edition=edition,
        phase_kind=Phase.Kind.CALL_FOR_DEFIS,
        organisation=dgfip,
        closes_at=paris(2020, 6, 21, 23, 59),
        reason="Panne du 19 juin",
    )
    agent, defi = draft(edition, dgfip)
    other_agent, other = draft(edition, organisation(slug="dsr", name="DSR"), email="b@interieur.gouv.fr")
    services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 21, 23, 59, 59))
    with pytest.raises(CallClosed):
        services.submit_defi(actor=other_agent, defi=other, at=paris(2020, 6, 20, 10, 0))


def test_submission_is_idempotent_with_one_receipt(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    edition = commando_ux_2020()
    agent, defi = draft(edition, organisation())
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 15, 12, 0))
        second = services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 15, 12, 0, 1))
    assert (first.pk, first.submitted_at) == (second.pk, second.submitted_at)
    assert DefiVersion.objects.filter(defi=defi).count() == 1
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [agent.email]
    assert len(mail.outbox) == 1
    assert "Récépissé" in mail.outbox[0].subject


def test_create_with_the_same_token_creates_one_defi() -> None:
    edition = commando_ux_2020()
    dgfip = organisation()
    agent = agent_of(dgfip)
    token = uuid.uuid4()
    first = services.create_defi(
        actor=agent, edition=edition, organisation=dgfip, title="A", token=token, at=paris(2020, 6, 10, 9, 0)
    )
    second = services.create_defi(
        actor=agent, edition=edition, organisation=dgfip, title="A", token=token, at=paris(2020, 6, 10, 9, 0)
    )
    assert first.pk == second.pk
    assert Defi.objects.count() == 1


def test_nobody_creates_for_an_organisation_that_did_not_accept_them() -> None:
    edition = commando_ux_2020()
    agent = agent_of(organisation())
    other = organisation(slug="dsr", name="DSR")
    with pytest.raises(NotAMember):
        services.create_defi(actor=agent, edition=edition, organisation=other, title="A", at=paris(2020, 6, 10, 9))


def test_save_on_an_outdated_version_is_refused_with_what_changed() -> None:
    edition = commando_ux_2020()
    dgfip = organisation()
    agent, defi = draft(edition, dgfip)
    colleague = agent_of(dgfip, email="collegue@finances.gouv.fr")
    services.invite_coeditor(actor=agent, defi=defi, email=colleague.email)
    stale_version = defi.version
    services.save_draft(actor=agent, defi=defi, data={"title": "Titre d’Alice"}, version=stale_version)
    with pytest.raises(OutdatedVersion) as error:
        services.save_draft(actor=colleague, defi=defi, data={"title": "Titre de Bob"}, version=stale_version)
    assert error.value.changed_fields == ["intitulé"]
    assert Defi.objects.get(pk=defi.pk).title == "Titre d’Alice"


def test_withdraw_reopen_resubmit_keeps_every_version() -> None:
    edition = commando_ux_2020()
    agent, defi = draft(edition, organisation())
    services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 15, 12, 0))
    services.withdraw_defi(actor=agent, defi=defi, at=paris(2020, 6, 16, 12, 0))
    services.reopen_defi(actor=agent, defi=defi, at=paris(2020, 6, 17, 12, 0))
    services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 18, 12, 0))
    assert list(DefiVersion.objects.filter(defi=defi).values_list("number", "reason")) == [
        (1, "submitted"),
        (2, "withdrawn"),
        (3, "reopened"),
        (4, "submitted"),
    ]


def test_attachment_is_checked_by_content_and_size() -> None:
    edition = commando_ux_2020(attachment_max_mb=1)
    agent, defi = draft(edition, organisation())
    fake = SimpleUploadedFile("note.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidAttachment) as error:
        services.add_attachment(actor=agent, defi=defi, upload=fake)
    assert error.value.message == ("Le fichier n’est pas un document PDF (son contenu a été vérifié, pas son nom).")
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(InvalidAttachment):
        services.add_attachment(actor=agent, defi=defi, upload=big)
    good = SimpleUploadedFile("cadrage.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf")
    assert services.add_attachment(actor=agent, defi=defi, upload=good).name == "cadrage.pdf"


def test_draft_reminder_is_sent_once_per_person(time_machine) -> None:  # type: ignore[no-untyped-def]
    edition = commando_ux_2020()
    draft(edition, organisation())
    time_machine.move_to(paris(2020, 6, 12, 9, 0))
    send_draft_reminders_task.enqueue(edition_id=edition.pk, days_before=7)
    send_draft_reminders_task.enqueue(edition_id=edition.pk, days_before=7)
    assert OutboxMessage.objects.filter(template="challenges/mail/reminder").count() == 1
    time_machine.move_to(paris(2020, 6, 20, 9, 0))
    send_draft_reminders_task.enqueue(edition_id=edition.pk, days_before=1)
    assert OutboxMessage.objects.filter(template="challenges/mail/reminder").count() == 1  # closed: not sent


def test_receipt_uses_the_teams_wording_when_the_edition_has_one(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from defis.notifications.models import MessageKind, MessageTemplate

    edition = commando_ux_2020()
    MessageTemplate.objects.create(
        edition=edition,
        kind=MessageKind.DEFI_RECEIPT,
        language="fr",
        subject="Bien reçu : {{ defi }}",
        body="Bonjour {{ person }}, votre défi « {{ defi }} » pour {{ edition }} est bien arrivé.",
    )
    agent, defi = draft(edition, organisation())
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_defi(actor=agent, defi=defi, at=paris(2020, 6, 15, 12, 0))
    message = OutboxMessage.objects.get(template="challenges/mail/receipt")
    assert message.subject == "Bien reçu : Simplifier la déclaration de revenus"
    assert message.body == (
        "Bonjour agent@finances.gouv.fr, votre défi « Simplifier la déclaration de revenus » pour Commando UX 2020 "
        "est bien arrivé.\n"
    )
