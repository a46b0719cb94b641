from django.conf import settings
from django.utils import timezone
from django_tasks import task

from defis.challenges.models import CoEditor, Defi
from defis.notifications.services import render_message, send_once


@task()
def send_receipt_task(*, defi_id: int, version: int) -> None:
    """E-mail the receipt of a submission to each co-editor, once per submitted version."""
    defi = Defi.objects.select_related("edition", "organisation").filter(pk=defi_id).first()
    if defi is None:
        return  # deleted since: nothing to send
    for coeditor in CoEditor.objects.filter(defi=defi).select_related("user"):
        subject, body = render_message(
            template="challenges/mail/receipt",
            context={"defi": defi, "person": coeditor.user, "version": version, "site_url": settings.SITE_URL},
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
    subject, body = render_message(
        template="challenges/mail/coeditor",
        context={
            "defi": coeditor.defi,
            "person": coeditor.user,
            "inviter": coeditor.invited_by,
            "site_url": settings.SITE_URL,
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
            subject, body = render_message(
                template="challenges/mail/reminder",
                context={
                    "defi": defi,
                    "person": coeditor.user,
                    "days_before": days_before,
                    "site_url": settings.SITE_URL,
                },
            )
            send_once(
                key=f"reminder:{defi.pk}:{days_before}:{coeditor.user_id}",
                to=coeditor.user.email,
                subject=subject,
                body=body,
                template="challenges/mail/reminder",
            )
