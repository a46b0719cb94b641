from django_tasks import task

from defis.challenges.models import CoEditor
from defis.notifications.services import send_once
from defis.reviews import selectors
from defis.reviews.messages import decision_message, decision_template, invitation_message
from defis.reviews.models import DecisionNotice, Juror


@task()
def send_juror_invitation_task(*, juror_id: int) -> None:
    """E-mail the invitation to a jury, once per invitation link."""
    juror = Juror.objects.select_related("edition", "invited_by").filter(pk=juror_id).first()
    if juror is None or juror.status != Juror.Status.INVITED:
        return  # answered or removed since: nothing to send
    subject, body = invitation_message(juror=juror)
    send_once(
        key=f"jury-invitation:{juror.pk}:{juror.token}",
        to=juror.email,
        subject=subject,
        body=body,
        template="reviews/mail/invitation",
    )


@task()
def send_decision_notice_task(*, notice_id: int) -> None:
    """E-mail a décision to each co-editor of the défi, once per défi, decision and person."""
    notice = DecisionNotice.objects.select_related("defi__edition", "defi__organisation").filter(pk=notice_id).first()
    if notice is None or notice.defi.decision != notice.decision:
        return  # the decision changed before the message left: the new one has its own notice
    defi = notice.defi
    settings = selectors.jury_settings_of(edition=defi.edition)
    for coeditor in CoEditor.objects.filter(defi=defi).select_related("user").order_by("pk"):
        subject, body = decision_message(defi=defi, person=coeditor.user, settings=settings)
        send_once(
            key=f"decision:{defi.pk}:{notice.decision}:{coeditor.user_id}",
            to=coeditor.user.email,
            subject=subject,
            body=body,
            template=decision_template(notice.decision),
        )
