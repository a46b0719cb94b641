from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from defis.accounts.models import User
from defis.challenges.models import CoEditor, Defi
from defis.common.templatetags.defis_tags import paris_moment
from defis.notifications.models import MessageKind
from defis.notifications.services import render_message, send_once
from defis.notifications.templating import message_texts, render_kind


def _texts(
    *, edition_id: int, kind: str, template: str, file_context: dict[str, object], team_context: dict[str, object]
) -> tuple[str, str]:
    """The team's wording of this e-mail for the edition when it wrote one, else ours (richer: it
    names the version and the moment of a submission)."""
    if message_texts(edition_id=edition_id, kind=kind, language="fr")[2]:
        return render_kind(edition_id=edition_id, kind=kind, language="fr", context=team_context)
    return render_message(template=template, context=file_context)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


@task()
def send_receipt_task(*, defi_id: int, version: int) -> None:
    """E-mail the receipt of a submission to each co-editor, once per submitted version."""
    defi = Defi.objects.select_related("edition", "organisation").filter(pk=defi_id).first()
    if defi is None:
        return  # deleted since: nothing to send
    for coeditor in CoEditor.objects.filter(defi=defi).select_related("user"):
        subject, body = _texts(
            edition_id=defi.edition_id,
            kind=MessageKind.DEFI_RECEIPT,
            template="challenges/mail/receipt",
            file_context={"defi": defi, "person": coeditor.user, "version": version, "site_url": settings.SITE_URL},
            team_context={
                "person": _name(coeditor.user),
                "edition": defi.edition.name,
                "defi": defi.title,
                "url": settings.SITE_URL + reverse("challenges:receipt", args=[defi.pk]),
            },
        )
        send_once(
            key=f"receipt:{defi_id}:{version}:{coeditor.user_id}",
            to=coeditor.user.email,
            subject=subject,
            body=body,
            template="challenges/mail/receipt",
        )


@task()
def notify_coeditor_task(*, coeditor_id: int) -> None:
    """Tell a colleague they may now edit the défi."""
    coeditor = CoEditor.objects.select_related("defi__edition", "user", "invited_by").filter(pk=coeditor_id).first()
    if coeditor is None:
        return
    subject, body = _texts(
        edition_id=coeditor.defi.edition_id,
        kind=MessageKind.COEDITOR_INVITATION,
        template="challenges/mail/coeditor",
        file_context={
            "defi": coeditor.defi,
            "person": coeditor.user,
            "inviter": coeditor.invited_by,
            "site_url": settings.SITE_URL,
        },
        team_context={
            "person": _name(coeditor.user),
            "inviter": _name(coeditor.invited_by),
            "edition": coeditor.defi.edition.name,
            "defi": coeditor.defi.title,
            "url": settings.SITE_URL + reverse("challenges:edit", args=[coeditor.defi_id]),
        },
    )
    send_once(
        key=f"coeditor:{coeditor_id}",
        to=coeditor.user.email,
        subject=subject,
        body=body,
        template="challenges/mail/coeditor",
    )


@task()
def send_draft_reminders_task(*, edition_id: int, days_before: int) -> None:
    """Remind the co-editors of each unsubmitted draft, once per draft and per reminder."""
    from defis.challenges.services import defis_needing_reminder
    from defis.programmes.models import Edition, Phase

    edition = Edition.objects.filter(pk=edition_id).prefetch_related("phases").first()
    if edition is None:
        return
    call = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if call is None or call.has_closed(timezone.now()):
        return  # the call closed before the task ran: a reminder would be wrong
    for defi in defis_needing_reminder(edition=edition):
        for coeditor in defi.coeditors.all():
            subject, body = _texts(
                edition_id=edition.pk,
                kind=MessageKind.DEADLINE_REMINDER,
                template="challenges/mail/reminder",
                file_context={
                    "defi": defi,
                    "person": coeditor.user,
                    "days_before": days_before,
                    "site_url": settings.SITE_URL,
                },
                team_context={
                    "person": _name(coeditor.user),
                    "edition": edition.name,
                    "phase": call.get_kind_display(),
                    "deadline": paris_moment(call.closes_at),
                    "days": days_before,
                    "defi": defi.title,
                    "url": settings.SITE_URL + reverse("challenges:edit", args=[defi.pk]),
                },
            )
            send_once(
                key=f"reminder:{defi.pk}:{days_before}:{coeditor.user_id}",
                to=coeditor.user.email,
                subject=subject,
                body=body,
                template="challenges/mail/reminder",
            )
