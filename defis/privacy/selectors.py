import calendar
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db.models import Q, QuerySet
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.models import Event
from defis.challenges.models import Attachment, CoEditor
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership
from defis.privacy.models import ErasureRequest, RetentionConsent, RetentionPolicy
from defis.programmes.models import Edition


def edition_end(*, edition: Edition) -> datetime | None:
    """When the edition's last phase ends (its closing time, or its opening for an open-ended phase)."""
    moments = [phase.closes_at or phase.opens_at for phase in edition.phases.all()]
    return max(moments) if moments else None


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28 Feb)."""
    moment = timezone.localtime(moment)  # months are counted on the Paris calendar
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def retention_due_at(*, policy: RetentionPolicy) -> datetime | None:
    """The moment an edition's policy applies; None while the edition has no phase."""
    end = edition_end(edition=policy.edition)
    return add_months(end, policy.months_after_end) if end is not None else None


def editions_with_policies() -> QuerySet[Edition]:
    """Every edition, with its policy if it has one and the phases that date it."""
    return (
        Edition.objects.select_related("programme", "retention_policy")
        .prefetch_related("phases")
        .order_by("-year", "name")
    )


def erasure_requests_for_team() -> QuerySet[ErasureRequest]:
    """Requests to erase personal data, pending first, then the newest."""
    return ErasureRequest.objects.select_related("user", "decided_by").order_by("-status", "-requested_at", "-pk")


def pending_erasure_request_of(*, user: User) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).first()


def editions_of(*, user: User) -> QuerySet[Edition]:
    """The editions a person took part in (today: as co-editor of a défi), for their consents."""
    return Edition.objects.filter(defis__coeditors__user=user).distinct().order_by("-year", "name")


def consented_edition_ids(*, user: User) -> set[int]:
    return set(RetentionConsent.objects.filter(user=user).values_list("edition_id", flat=True))


def audit_rows_about(*, user: User) -> QuerySet[Event]:
    """Audit rows the person made, and those about their account."""
    return Event.objects.filter(Q(actor=user) | Q(target_type=User._meta.label_lower, target_id=str(user.pk))).order_by(
        "at", "pk"
    )


def uploads_of(*, user: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(uploaded_by=user).select_related("defi").order_by("created_at", "pk")


def personal_data_of(*, user: User) -> dict[str, object]:
    """Everything the platform holds about a person, as plain data (the JSON of their export)."""
    return {
        "generated_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "is_programme_team": user.is_programme_team,
            "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
            "proconnect": list(
                SocialAccount.objects.filter(user=user).values("provider", "uid", "date_joined", "last_login")
            ),
        },
        "memberships": list(
            Membership.objects.filter(user=user)
            .order_by("created_at")
            .values(
                "organisation__name", "organisation__siret", "role", "status", "job_title", "created_at", "decided_at"
            )
        ),
        "defis_coedited": list(
            CoEditor.objects.filter(user=user)
            .order_by("created_at")
            .values(
                "defi_id",
                "defi__title",
                "defi__edition__name",
                "defi__organisation__name",
                "defi__status",
                "defi__decision",
                "defi__sponsor",
                "defi__team",
                "created_at",
            )
        ),
        "messages_received": list(
            OutboxMessage.objects.filter(to__iexact=user.email)
            .order_by("created_at")
            .values("created_at", "subject", "body", "status", "sent_at")
        ),
        "audit": list(
            audit_rows_about(user=user).values(
                "at", "action", "target_type", "target_id", "target_repr", "data", "actor_id"
            )
        ),
        "erasure_requests": list(
            ErasureRequest.objects.filter(user=user).values("requested_at", "status", "reason", "decided_at", "answer")
        ),
        "retention_consents": list(RetentionConsent.objects.filter(user=user).values("edition__name", "created_at")),
        "files": [
            {
                "defi_id": attachment.defi_id,
                "name": attachment.name,
                "size": attachment.size,
                "in_archive": archive_path(attachment),
            }
            for attachment in uploads_of(user=user)
        ],
    }


def archive_path(attachment: Attachment) -> str:
    """Where an uploaded file sits in the export: one folder per défi, the name the person gave it."""
    return f"fichiers/defi-{attachment.defi_id}/{attachment.pk}-{attachment.name}"
