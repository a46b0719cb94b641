from django.conf import settings
from django.urls import reverse
from django_tasks import task

from defis.notifications.services import render_message, send_once
from defis.organisations.models import Membership


@task()
def send_membership_decision_task(*, membership_id: int, status: str, decided_at: str) -> None:
    """Tell the requester the decision on their request, once per decision."""
    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    if membership is None:  # deleted since: nobody to tell
        return
    site_url = settings.SITE_URL.rstrip("/")
    template = f"organisations/mail/membership_{status}"
    subject, body = render_message(
        template=template,
        context={
            "organisation": membership.organisation,
            "organisation_url": site_url + membership.organisation.get_absolute_url(),
            "mine_url": site_url + reverse("organisations:mine"),
        },
        language=settings.LANGUAGE_CODE,
    )
    # The decision time is in the key: a refused person may ask again and be refused again.
    send_once(
        key=f"membership-decision:{membership_id}:{status}:{decided_at}",
        to=membership.user.email,
        subject=subject,
        body=body,
        template=template,
    )
