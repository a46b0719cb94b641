"""The programme team's pages of the selection: jury, criteria, assignment, ranking, deliberation,
notifications. Each parses, calls a service or a selector, and responds."""

from collections.abc import Iterator
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges.models import Defi
from defis.common.errors import DomainError
from defis.common.exports import csv_response
from defis.common.middleware import DefisRequest
from defis.organisations.models import Organisation
from defis.programmes.models import Edition
from defis.reviews import selectors
from defis.reviews.forms import (
    AutomaticAssignmentForm,
    CriterionForm,
    DecisionForm,
    InviteJurorForm,
    JurySettingsForm,
    ManualAssignmentForm,
    RankingForm,
    TeamConflictForm,
)
from defis.reviews.messages import decision_message
from defis.reviews.models import Assignment, Criterion, Juror
from defis.reviews.services import assignment as assignment_services
from defis.reviews.services import decisions as decision_services
from defis.reviews.services import jury as jury_services

DECISIONS = (Defi.Decision.SELECTED, Defi.Decision.WAITING_LIST, Defi.Decision.REJECTED)


class TeamEditionMixin(PermissionRequiredMixin, View):
    """The programme team only (others: 403); the edition named by the URL (or 404)."""

    permission_required = "reviews.manage_jury"
    request: DefisRequest
    section = ""

    @cached_property
    def edition(self) -> Edition:
        return get_object_or_404(
            Edition.objects.select_related("programme").prefetch_related("phases"), slug=self.kwargs["edition_slug"]
        )

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    def page_context(self, title: str) -> dict[str, Any]:
        links = [{"url": reverse("programmes:team"), "title": _("Team space")}]
        if self.section != "jury":
            links.append(
                {
                    "url": reverse("reviews:team", kwargs={"edition_slug": self.edition.slug}),
                    "title": _("Jury of %(edition)s") % {"edition": self.edition.name},
                }
            )
        return {
            "edition": self.edition,
            "title": title,
            "section": self.section,
            "breadcrumb_data": {"links": links, "current": title},
        }

    def back(self, name: str) -> HttpResponse:
        return redirect(name, edition_slug=self.edition.slug)


def _settings_initial(edition: Edition) -> dict[str, Any]:
    settings = selectors.jury_settings_of(edition=edition)
    return {
        "reviewers_per_defi": settings.reviewers_per_defi,
        "scores_visibility": settings.scores_visibility,
        "positions_budget": settings.positions_budget,
        **{f"message_{decision}": settings.message_for(decision) for decision in DECISIONS},
    }


class JuryView(TeamEditionMixin):
    """The team's entry page of an edition's selection: settings, invitations, jurors, conflicts."""

    http_method_names = ["get"]
    section = "jury"

    def conflict_form(self, data: Any = None) -> TeamConflictForm:
        organisations = Organisation.objects.filter(
            pk__in=selectors.reviewable_defis(edition=self.edition).values("organisation_id")
        ).order_by("name")
        jurors = Juror.objects.filter(edition=self.edition, status=Juror.Status.ACCEPTED).order_by("email")
        return TeamConflictForm(data, organisations=organisations, jurors=jurors)

    def render_page(
        self,
        *,
        invite_form: InviteJurorForm | None = None,
        settings_form: JurySettingsForm | None = None,
        conflict_form: TeamConflictForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = self.page_context(_("Jury of %(edition)s") % {"edition": self.edition.name})
        context.update(
            invite_form=invite_form or InviteJurorForm(),
            settings_form=settings_form or JurySettingsForm(initial=_settings_initial(self.edition)),
            conflict_form=conflict_form or self.conflict_form(),
            jurors=list(selectors.jurors_of(edition=self.edition)),
            conflicts=list(selectors.conflicts_of(edition=self.edition)),
            criteria=list(selectors.criteria_of(edition=self.edition)),
        )
        return render(self.request, "reviews/jury_team.html", context, status=status)

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        return self.render_page()


class InviteJurorView(JuryView):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = InviteJurorForm(request.POST)
        if not form.is_valid():
            return self.render_page(invite_form=form, status=400)
        try:
            juror = jury_services.invite_juror(
                actor=self.actor, edition=self.edition, at=request.received_at, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(invite_form=form, status=400)
        messages.success(request, _("%(email)s is invited: the invitation is on its way.") % {"email": juror.email})
        return self.back("reviews:team")


class JurySettingsView(JuryView):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = JurySettingsForm(request.POST)
        if not form.is_valid():
            return self.render_page(settings_form=form, status=400)
        data = form.cleaned_data
        jury_services.save_jury_settings(
            actor=self.actor,
            edition=self.edition,
            reviewers_per_defi=data["reviewers_per_defi"],
            scores_visibility=data["scores_visibility"],
            positions_budget=data["positions_budget"],
            messages=form.messages(),
            at=request.received_at,
        )
        messages.success(request, _("The jury settings are saved."))
        return self.back("reviews:team")


class TeamConflictView(JuryView):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = self.conflict_form(request.POST)
        if not form.is_valid():
            return self.render_page(conflict_form=form, status=400)
        jury_services.declare_conflict(
            actor=self.actor,
            juror=form.cleaned_data["juror"],
            organisation=form.cleaned_data["organisation"],
            reason=form.cleaned_data["reason"],
            at=request.received_at,
        )
        messages.success(request, _("The conflict of interest is recorded."))
        return self.back("reviews:team")


class DetectConflictsView(TeamEditionMixin):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        count = jury_services.record_detected_conflicts(edition=self.edition, actor=self.actor, at=request.received_at)
        messages.success(request, _("Conflicts detected again: %(count)s new.") % {"count": count})
        return self.back("reviews:team")


class CriteriaView(TeamEditionMixin):
    """The criteria jurors score, with their weight, scale and guidance."""

    http_method_names = ["get", "post"]
    section = "criteria"

    def render_page(self, form: CriterionForm | None = None, status: int = 200) -> HttpResponse:
        context = self.page_context(_("Review criteria"))
        context.update(criteria=list(selectors.criteria_of(edition=self.edition)), form=form or CriterionForm())
        return render(self.request, "reviews/criterion_list.html", context, status=status)

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        return self.render_page()

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = CriterionForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            jury_services.add_criterion(
                actor=self.actor, edition=self.edition, at=request.received_at, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(form, status=400)
        messages.success(request, _("The criterion is added."))
        return self.back("reviews:team-criteria")


class DeleteCriterionView(TeamEditionMixin):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str, pk: int) -> HttpResponse:
        criterion = get_object_or_404(Criterion.objects.select_related("edition"), pk=pk, edition=self.edition)
        try:
            jury_services.delete_criterion(actor=self.actor, criterion=criterion, at=request.received_at)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The criterion is deleted."))
        return self.back("reviews:team-criteria")


class AssignmentView(TeamEditionMixin):
    """The matrix of défis and jurors: run the automatic assignment, then adjust it by hand."""

    http_method_names = ["get"]
    section = "assignment"

    def render_page(self, *, manual_form: ManualAssignmentForm | None = None, status: int = 200) -> HttpResponse:
        settings = selectors.jury_settings_of(edition=self.edition)
        matrix = selectors.assignment_matrix(edition=self.edition)
        k = settings.reviewers_per_defi
        counts = [(row, sum(1 for cell in row.cells if cell.conflict is None)) for row in matrix.rows]
        loads = list(matrix.loads.values())
        context = self.page_context(_("Assignment of the challenges"))
        context.update(
            matrix=matrix,
            k=k,
            automatic_form=AutomaticAssignmentForm(initial={"k": k}),
            manual_form=manual_form or self.manual_form(),
            shortfalls=[(row, eligible, len(matrix.jurors) - eligible) for row, eligible in counts if eligible < k],
            spread=(max(loads) - min(loads)) if loads else 0,
        )
        return render(self.request, "reviews/assignment_matrix.html", context, status=status)

    def manual_form(self, data: Any = None) -> ManualAssignmentForm:
        return ManualAssignmentForm(
            data,
            jurors=Juror.objects.filter(edition=self.edition, status=Juror.Status.ACCEPTED).order_by("email"),
            defis=selectors.reviewable_defis(edition=self.edition),
        )

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        return self.render_page()


class AutomaticAssignmentView(AssignmentView):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = AutomaticAssignmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a number of jurors per challenge between 1 and 20."))
            return self.back("reviews:team-assignment")
        try:
            plan = assignment_services.run_automatic_assignment(
                actor=self.actor, edition=self.edition, k=form.cleaned_data["k"], at=request.received_at
            )
        except DomainError as error:
            messages.error(request, error.message)
            return self.back("reviews:team-assignment")
        messages.success(
            request,
            _("Automatic assignment done: %(added)s assignments made, %(kept)s kept.")
            % {"added": len(plan.added), "kept": len(plan.kept)},
        )
        if plan.shortfalls:
            messages.warning(
                request,
                _("%(count)s challenges cannot get %(k)s jurors without a conflict of interest: see the list below.")
                % {"count": len(plan.shortfalls), "k": form.cleaned_data["k"]},
            )
        return self.back("reviews:team-assignment")


class ManualAssignmentView(AssignmentView):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = self.manual_form(request.POST)
        if not form.is_valid():
            return self.render_page(manual_form=form, status=400)
        try:
            assignment_services.assign_juror(
                actor=self.actor,
                juror=form.cleaned_data["juror"],
                defi=form.cleaned_data["defi"],
                at=request.received_at,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(manual_form=form, status=400)
        messages.success(request, _("The challenge is assigned."))
        return self.back("reviews:team-assignment")


class UnassignView(TeamEditionMixin):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str, pk: int) -> HttpResponse:
        assignment = get_object_or_404(Assignment, pk=pk, juror__edition=self.edition)
        try:
            assignment_services.unassign_juror(actor=self.actor, assignment=assignment, at=request.received_at)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The assignment is removed."))
        return self.back("reviews:team-assignment")


class RankingView(TeamEditionMixin):
    """The ranking with its spread and reviews, raw or normalised per juror, comments side by side:
    ranked over the whole edition, shown a page at a time."""

    http_method_names = ["get"]
    section = "ranking"
    paginate_by = 50

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = RankingForm(request.GET)
        normalise = form.is_valid() and form.cleaned_data["normalise"]
        ranking = selectors.edition_ranking(edition=self.edition, normalise=normalise)
        page = Paginator(ranking.rows, self.paginate_by).get_page(request.GET.get("page"))
        # The pages dsfr_pagination links to, as on the other paginated pages.
        page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)  # type: ignore[attr-defined]  # read by the template
        context = self.page_context(_("Ranking"))
        if page.number > 1:
            context["page_title"] = _("%(title)s, page %(number)s of %(count)s") % {
                "title": context["title"],
                "number": page.number,
                "count": page.paginator.num_pages,
            }
        context.update(
            form=form,
            normalise=normalise,
            page_obj=page,
            rows=selectors.ranking_page(edition=self.edition, ranking=ranking, ranked=list(page.object_list)),
            ranked_count=sum(1 for row in ranking.rows if row.rank is not None),
            capacity=selectors.capacity_of(edition=self.edition),
        )
        template = "reviews/ranking.html#ranking-table" if request.htmx else "reviews/ranking.html"  # type: ignore[attr-defined]
        return render(request, template, context)


class RankingExportView(TeamEditionMixin):
    http_method_names = ["get"]

    def get(self, request: DefisRequest, edition_slug: str) -> StreamingHttpResponse:
        normalise = request.GET.get("normalise") == "on"
        rows = selectors.ranking(edition=self.edition, normalise=normalise)
        record_event(
            actor=self.actor,
            action="ranking.exported",
            target=self.edition,
            at=request.received_at,
            data={"normalise": normalise},
        )
        header = ["rank", "id", "title", "organisation", "score", "spread", "reviews", "assigned", "tied", "decision"]

        def lines() -> Iterator[list[Any]]:
            for row in rows:
                yield [
                    row.ranked.rank or "",
                    row.defi.pk,
                    row.defi.title,
                    row.defi.organisation.name,
                    "" if row.ranked.score is None else round(row.ranked.score, 3),
                    "" if row.ranked.spread is None else round(row.ranked.spread, 3),
                    row.ranked.reviews,
                    row.assigned,
                    "1" if row.ranked.tied else "",
                    row.defi.decision,
                ]

        return csv_response(header=header, rows=lines(), filename=f"classement-{self.edition.slug}.csv")


class DeliberationView(TeamEditionMixin):
    """A decision per défi, in ranking order, with the edition's capacity in sight."""

    http_method_names = ["get"]
    section = "deliberation"

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        context = self.page_context(_("Deliberation"))
        rows = selectors.ranking(edition=self.edition)
        context.update(
            rows=[
                (row, DecisionForm(initial={"decision": row.defi.decision}, prefix=f"d{row.defi.pk}")) for row in rows
            ],
            capacity=selectors.capacity_of(edition=self.edition),
        )
        return render(request, "reviews/deliberation.html", context)


class DecideView(TeamEditionMixin):
    http_method_names = ["post"]

    def get_defi(self) -> Defi:
        return get_object_or_404(selectors.reviewable_defis(edition=self.edition), pk=self.kwargs["defi_pk"])

    def post(self, request: DefisRequest, edition_slug: str, defi_pk: int) -> HttpResponse:
        defi = self.get_defi()
        form = DecisionForm(request.POST, prefix=f"d{defi.pk}")
        error = None
        if form.is_valid():
            try:
                defi = decision_services.decide(
                    actor=self.actor, defi=defi, decision=form.cleaned_data["decision"], at=request.received_at
                )
            except DomainError as refusal:
                error = refusal.message
        else:
            error = _("Choose a decision.")
        if request.htmx:  # type: ignore[attr-defined]
            row = next(row for row in selectors.ranking(edition=self.edition) if row.defi.pk == defi.pk)
            return render(
                request,
                "reviews/deliberation.html#decision-form",
                {
                    "row": row,
                    "form": DecisionForm(initial={"decision": row.defi.decision}, prefix=f"d{defi.pk}"),
                    "error": error,
                    "saved": error is None,
                    "edition": self.edition,
                    "capacity": selectors.capacity_of(edition=self.edition),
                    "oob": True,
                },
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                _("Decision recorded for “%(title)s”: %(decision)s.")
                % {"title": defi.title, "decision": defi.get_decision_display()},
            )
        return self.back("reviews:team-deliberation")


class NotificationsView(TeamEditionMixin):
    """The message each administration will receive, previewed with real data, then sent in bulk."""

    http_method_names = ["get"]
    section = "notifications"

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        settings = selectors.jury_settings_of(edition=self.edition)
        defis = list(selectors.decided_defis(edition=self.edition))
        sent = selectors.notices_of(edition=self.edition)
        previews = []
        for decision in DECISIONS:
            sample = next((defi for defi in defis if defi.decision == decision), None)
            if sample is not None:
                coeditors = list(sample.coeditors.all())
                person = coeditors[0].user if coeditors else None
                subject, body = decision_message(defi=sample, person=person, settings=settings)
                previews.append(
                    {
                        "decision": Defi.Decision(decision).label,
                        "defi": sample,
                        "subject": subject,
                        "body": body,
                        "recipients": [coeditor.user.email for coeditor in coeditors],
                    }
                )
        context = self.page_context(_("Notify the administrations"))
        context.update(
            previews=previews,
            rows=[(defi, defi.decision in sent.get(defi.pk, set())) for defi in defis],
            to_send=sum(1 for defi in defis if defi.decision not in sent.get(defi.pk, set())),
            pending=selectors.capacity_of(edition=self.edition).pending,
        )
        return render(request, "reviews/notification_preview.html", context)


class NotifyView(TeamEditionMixin):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        try:
            notices = decision_services.notify_decisions(actor=self.actor, edition=self.edition, at=request.received_at)
        except DomainError as error:
            messages.error(request, error.message)
            return self.back("reviews:team-notifications")
        if notices:
            messages.success(
                request,
                _("%(count)s notifications are queued: each message is kept in the outbox.") % {"count": len(notices)},
            )
        else:
            messages.info(request, _("Every decided challenge has already been notified."))
        return self.back("reviews:team-notifications")
