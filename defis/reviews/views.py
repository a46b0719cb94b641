"""The juror's pages: invitations, queue, preferences and conflicts, the review of a défi. A défi is
reached only through `selectors.assignment_to_review`: not assigned, not submitted or in conflict is
a 404, whatever the URL."""

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from defis.accounts.models import User
from defis.challenges.services import record_answer_file_download, record_attachment_download
from defis.common.errors import DomainError
from defis.common.middleware import DefisRequest, received_at
from defis.organisations.models import Organisation
from defis.programmes.models import Phase
from defis.reviews import selectors
from defis.reviews.forms import BidsForm, DeclareConflictForm, ReviewForm
from defis.reviews.models import Assignment, Juror, Review
from defis.reviews.services import jury as jury_services
from defis.reviews.services import scoring

REVIEW_TEMPLATE = "reviews/review_form.html"


class JurorHomeView(LoginRequiredMixin, ListView[Juror]):
    """The juror's entry page: invitations to answer and the juries they sit on."""

    template_name = "reviews/juror_home.html"
    context_object_name = "seats"

    def get_queryset(self) -> QuerySet[Juror]:
        return selectors.seats_of(user=cast(User, self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        title = _("My juries")
        context.update(title=title, breadcrumb_data={"current": title})
        return context


class InvitationMixin:
    kwargs: dict[str, Any]

    @cached_property
    def juror(self) -> Juror:
        return get_object_or_404(
            Juror.objects.select_related("edition__programme", "invited_by"), token=self.kwargs["token"]
        )


class InvitationView(InvitationMixin, TemplateView):
    """The page the invitation's link opens, signed in or not."""

    template_name = "reviews/invitation_detail.html"
    request: DefisRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        title = _("Invitation to the jury of %(edition)s") % {"edition": self.juror.edition.name}
        context.update(
            juror=self.juror,
            title=title,
            breadcrumb_data={"current": title},
            other_address=user.is_authenticated and user.email.lower() != self.juror.email.lower(),
        )
        return context


class AcceptInvitationView(InvitationMixin, View):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, token: str) -> HttpResponse:
        signed_in = request.user.is_authenticated
        try:
            juror = jury_services.accept_invitation(
                actor=cast(User, request.user) if signed_in else None, juror=self.juror, at=request.received_at
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("reviews:invitation", token=self.juror.token)
        queue = reverse("reviews:queue", kwargs={"edition_slug": juror.edition.slug})
        if signed_in:
            messages.success(request, _("Welcome to the jury of %(edition)s.") % {"edition": juror.edition.name})
            return redirect(queue)
        # The link proves the address, not the person at the keyboard: they sign in as usual (a code
        # sent to the address works for a new account).
        messages.success(
            request,
            _(
                "You have accepted the invitation. Sign in with %(email)s to reach the "
                "challenges to review: a sign-in code can be sent to this address."
            )
            % {"email": juror.email},
        )
        return redirect(f"{reverse('account_login')}?{urlencode({'next': queue})}")


class DeclineInvitationView(InvitationMixin, View):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, token: str) -> HttpResponse:
        signed_in = request.user.is_authenticated
        try:
            jury_services.decline_invitation(
                actor=cast(User, request.user) if signed_in else None, juror=self.juror, at=request.received_at
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("You have declined the invitation. Thank you for your answer."))
        return redirect("reviews:invitation", token=self.juror.token)


class JurorEditionMixin(LoginRequiredMixin):
    """The juror's accepted seat on the edition named by the URL; anything else is a 404."""

    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def juror(self) -> Juror:
        seat = selectors.accepted_seat(user=cast(User, self.request.user), edition_slug=self.kwargs["edition_slug"])
        if seat is None:
            raise Http404
        return seat

    def juror_context(self, title: str, *, parent: bool = True) -> dict[str, Any]:
        links = [{"url": reverse("reviews:mine"), "title": _("My juries")}]
        if parent:
            links.append(
                {
                    "url": reverse("reviews:queue", kwargs={"edition_slug": self.juror.edition.slug}),
                    "title": self.juror.edition.name,
                }
            )
        return {
            "juror": self.juror,
            "edition": self.juror.edition,
            "title": title,
            "breadcrumb_data": {"links": links, "current": title},
        }


class QueueView(JurorEditionMixin, TemplateView):
    """The défis to review, with the state of each review and the overall progress."""

    template_name = "reviews/review_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = [(assignment, _review(assignment)) for assignment in selectors.queue_of(juror=self.juror)]
        submitted = sum(
            1 for _assignment, review in rows if review is not None and review.status == Review.Status.SUBMITTED
        )
        edition = self.juror.edition
        context.update(self.juror_context(edition.name, parent=False))
        context.update(
            rows=rows,
            submitted=submitted,
            total=len(rows),
            criteria_count=selectors.criteria_of(edition=edition).count(),
            closed=selectors.review_window_error(edition=edition, at=received_at(self.request)),
            phase=edition.phase_of_kind(Phase.Kind.SELECTION),
        )
        return context


def _review(assignment: Assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


class PreferencesView(JurorEditionMixin, PermissionRequiredMixin, View):
    """Before the assignment: which défis the juror would like to review, and their conflicts."""

    template_name = "reviews/preferences.html"
    permission_required = "reviews.state_preferences"
    http_method_names = ["get", "post"]

    def get_permission_object(self) -> Juror:
        return self.juror

    def organisations(self) -> QuerySet[Organisation]:
        ids = selectors.reviewable_defis(edition=self.juror.edition).values("organisation_id")
        return Organisation.objects.filter(pk__in=ids).order_by("name")

    def render_page(
        self, *, bids_form: BidsForm | None = None, conflict_form: DeclareConflictForm | None = None, status: int = 200
    ) -> HttpResponse:
        defis = list(selectors.biddable_defis(juror=self.juror))
        context = self.juror_context(_("Preferences and conflicts of interest"))
        bids_form = bids_form or BidsForm(defis=defis, bids=selectors.bids_of(juror=self.juror))
        context.update(
            defis=defis,
            bids_form=bids_form,
            bid_rows=[(defi, bids_form[f"bid_{defi.pk}"]) for defi in defis],
            conflict_form=conflict_form or DeclareConflictForm(organisations=self.organisations()),
            conflicts=self.juror.conflicts.select_related("organisation", "defi", "ministry").order_by("pk"),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        return self.render_page()

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        defis = list(selectors.biddable_defis(juror=self.juror))
        form = BidsForm(request.POST, defis=defis, bids={})
        if not form.is_valid():
            return self.render_page(bids_form=form, status=400)
        try:
            jury_services.save_bids(
                actor=cast(User, request.user), juror=self.juror, preferences=form.preferences(), at=request.received_at
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your preferences are saved."))
        return redirect("reviews:preferences", edition_slug=edition_slug)


class DeclareConflictView(PreferencesView):
    http_method_names = ["post"]

    def post(self, request: DefisRequest, edition_slug: str) -> HttpResponse:
        form = DeclareConflictForm(request.POST, organisations=self.organisations())
        if not form.is_valid():
            return self.render_page(conflict_form=form, status=400)
        try:
            jury_services.declare_conflict(
                actor=cast(User, request.user),
                juror=self.juror,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
                at=request.received_at,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(conflict_form=form, status=400)
        messages.success(
            request,
            _("Your conflict of interest is recorded: the challenges of %(organisation)s will not be assigned to you.")
            % {"organisation": form.cleaned_data["organisation"].name},
        )
        return redirect("reviews:preferences", edition_slug=edition_slug)


class AssignedDefiMixin(JurorEditionMixin):
    """The juror's assignment to the défi named by the URL; not assigned, not submitted or in conflict
    is a 404, before any rule is checked."""

    @cached_property
    def assignment(self) -> Assignment:
        assignment = selectors.assignment_to_review(juror=self.juror, defi_id=self.kwargs["defi_pk"])
        if assignment is None:
            raise Http404
        return assignment

    def get_permission_object(self) -> Assignment:
        return self.assignment


class ReviewView(AssignedDefiMixin, PermissionRequiredMixin, View):
    """Read an assigned défi (with its démarche's indicators) and score it: save a draft, submit, revise."""

    permission_required = "reviews.review_defi"
    http_method_names = ["get", "post"]

    def render_page(self, *, form: ReviewForm | None = None, status: int = 200) -> HttpResponse:
        assignment, edition = self.assignment, self.juror.edition
        review = selectors.review_of(assignment=assignment)
        criteria = list(selectors.criteria_of(edition=edition))
        settings = selectors.jury_settings_of(edition=edition)
        visible = selectors.others_visible(settings=settings, own=review)
        context = self.juror_context(assignment.defi.title)
        context.update(
            assignment=assignment,
            defi=assignment.defi,
            review=review,
            criteria=criteria,
            form=form or ReviewForm(criteria=criteria, review=review),
            indicators=selectors.indicators_for(defi=assignment.defi, edition=edition),
            closed=selectors.review_window_error(edition=edition, at=received_at(self.request)),
            phase=edition.phase_of_kind(Phase.Kind.SELECTION),
            settings=settings,
            others_visible=visible,
            others=selectors.other_reviews(assignment=assignment) if visible else [],
        )
        return render(self.request, REVIEW_TEMPLATE, context, status=status)

    def get(self, request: DefisRequest, edition_slug: str, defi_pk: int) -> HttpResponse:
        return self.render_page()

    def post(self, request: DefisRequest, edition_slug: str, defi_pk: int) -> HttpResponse:
        criteria = list(selectors.criteria_of(edition=self.juror.edition))
        form = ReviewForm(request.POST, criteria=criteria, review=None)
        if not form.is_valid():
            return self.render_page(form=form, status=400)
        submit = "submit" in request.POST
        service = scoring.submit_review if submit else scoring.save_review_draft
        try:
            service(
                actor=cast(User, request.user),
                assignment=self.assignment,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                at=request.received_at,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(form=form, status=400)
        if submit:
            messages.success(
                request,
                _("Your review of “%(title)s” is submitted. You can revise it until the selection phase ends.")
                % {"title": self.assignment.defi.title},
            )
            return redirect("reviews:queue", edition_slug=edition_slug)
        messages.success(request, _("Draft saved."))
        return redirect("reviews:review", edition_slug=edition_slug, defi_pk=defi_pk)


class AnswerFileDownloadView(AssignedDefiMixin, PermissionRequiredMixin, View):
    """The file answering one of the edition's questions, for an assigned défi, logged as attachments are."""

    permission_required = "reviews.review_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, edition_slug: str, defi_pk: int, answer_pk: int) -> FileResponse:
        defi = self.assignment.defi
        answer = next((item for item in defi.answers.all() if item.pk == answer_pk and item.file), None)  # prefetched
        if answer is None:
            raise Http404
        record_answer_file_download(actor=cast(User, request.user), answer=answer, at=request.received_at)
        return FileResponse(
            answer.file.open("rb"), as_attachment=True, filename=answer.file_name, content_type="application/pdf"
        )


class AttachmentDownloadView(AssignedDefiMixin, PermissionRequiredMixin, View):
    """A file of an assigned défi, in the review page's scope; the download is logged, as on the
    administration's side, since the file may hold personal data."""

    permission_required = "reviews.review_defi"
    http_method_names = ["get"]

    def get(self, request: DefisRequest, edition_slug: str, defi_pk: int, attachment_pk: int) -> FileResponse:
        defi = self.assignment.defi
        attachment = next((item for item in defi.attachments.all() if item.pk == attachment_pk), None)  # prefetched
        if attachment is None:
            raise Http404
        record_attachment_download(actor=cast(User, request.user), attachment=attachment, at=request.received_at)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type="application/pdf"
        )
