"""A défi as it stands, and the receipt of its submission."""

import hashlib
import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from defis.challenges import selectors
from defis.challenges.models import Answer, Defi, DefiVersion
from defis.challenges.views.base import (
    DefiView,
    observatory_of,
)
from defis.common.middleware import DefisRequest


def _moment_to_the_second(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "H:i:s"),
    }


def snapshot_digest(snapshot: object) -> str:
    """The SHA-256 of a version's content in canonical JSON: whoever holds the receipt can check it."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


class DefiDetailView(DefiView):
    """A défi as it stands: its answers, versions, co-editors, attachments and the actions allowed."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get_queryset(self) -> QuerySet[Defi]:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("versions", queryset=DefiVersion.objects.select_related("created_by").order_by("-number")),
                Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position")),
                "attachments",
                selectors.edition_phases(),
                selectors.edition_questions(),
            )
        )

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        observatory = observatory_of(defi.edition)
        report = selectors.eligibility(defi=defi) if defi.status == Defi.Status.DRAFT else None
        return self.page(
            "challenges/defi_detail.html",
            defi,
            defi.title,
            observatory=observatory,
            indicators=selectors.demarche_figures(defi=defi, observatory=observatory),
            eligibility=report,
        )


class ReceiptView(DefiView):
    """The printable receipt of the last submission, with the fingerprint of what was submitted."""

    permission_required = "challenges.view_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, pk: int) -> HttpResponse:
        defi = self.get_object()
        version = defi.versions.filter(reason=DefiVersion.Reason.SUBMITTED).order_by("-number").first()
        if version is None or defi.submitted_at is None:
            raise Http404
        return self.page(
            "challenges/defi_receipt.html",
            defi,
            _("Receipt"),
            version=version,
            digest=snapshot_digest(version.snapshot),
            submitted_at=_moment_to_the_second(defi.submitted_at),
        )
