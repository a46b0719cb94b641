"""The selection of défis: jury, conflicts of interest, assignment, scores. Decisions live on
`Defi.decision`, their history in the audit log."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from defis.challenges.models import Defi
from defis.common.models import BaseModel
from defis.organisations.models import Ministry, Organisation
from defis.programmes.models import Edition


class JurySettings(BaseModel):
    """How an edition's jury works: configuration, never code."""

    class ScoresVisibility(models.TextChoices):
        AFTER_OWN_REVIEW = "after_own_review", _("once they have submitted their own review")
        NEVER = "never", _("never")
        ALWAYS = "always", _("at any time")

    edition = models.OneToOneField(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="jury_settings"
    )
    reviewers_per_defi = models.PositiveSmallIntegerField(
        _("jurors per challenge"),
        default=3,
        help_text=_("The automatic assignment gives each challenge at least this many jurors."),
    )
    scores_visibility = models.CharField(
        _("jurors see the other jurors' scores"),
        max_length=20,
        choices=ScoresVisibility.choices,
        default=ScoresVisibility.AFTER_OWN_REVIEW,
    )
    positions_budget = models.PositiveSmallIntegerField(
        _("positions budget"),
        null=True,
        blank=True,
        help_text=_("The total number of positions the selected challenges may open. Empty: no limit."),
    )
    message_selected = models.TextField(_("message to the selected administrations"), blank=True)
    message_waiting_list = models.TextField(_("message to the administrations on the waiting list"), blank=True)
    message_rejected = models.TextField(_("message to the administrations not selected"), blank=True)

    class Meta:
        verbose_name = _("jury settings")
        verbose_name_plural = _("jury settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewers_per_defi__gte=1),
                name="jurysettings_k_positive",
                violation_error_message=_("Each challenge needs at least one juror."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)

    def message_for(self, decision: str) -> str:
        """The team's own words for the administrations that received this decision."""
        messages: dict[str, str] = {
            Defi.Decision.SELECTED: self.message_selected,
            Defi.Decision.WAITING_LIST: self.message_waiting_list,
            Defi.Decision.REJECTED: self.message_rejected,
        }
        return messages.get(decision, "")


class Criterion(BaseModel):
    """A criterion jurors score, on a scale with a label per level, weighted in the ranking."""

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("criterion"), max_length=300)
    guidance = models.TextField(_("guidance for jurors"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    level_labels = models.JSONField(
        _("label of each level"),
        default=list,
        help_text=_("One label per level, from the lowest score to the highest."),
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ("edition", "position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("A weight is greater than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min"))
                & models.Q(scale_max__lte=models.F("scale_min") + 10),
                name="criterion_scale_range",
                violation_error_message=_("The highest score is above the lowest, by ten levels at most."),
            ),
            models.UniqueConstraint(
                fields=["edition", "label"],
                name="criterion_unique_label",
                violation_error_message=_("This edition already has this criterion."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.scale_max is not None and self.scale_min is not None:
            expected = self.scale_max - self.scale_min + 1
            labels = self.level_labels if isinstance(self.level_labels, list) else []
            if len(labels) != expected or not all(isinstance(label, str) and label.strip() for label in labels):
                raise ValidationError(
                    {"level_labels": _("Give one label per level: %(count)s labels.") % {"count": expected}},
                    code="level_labels",
                )

    @property
    def levels(self) -> list[tuple[int, str]]:
        """(score, label) from the lowest to the highest."""
        return list(zip(range(self.scale_min, self.scale_max + 1), self.level_labels, strict=False))

    def label_of(self, value: int | None) -> str:
        return next((label for score, label in self.levels if score == value), "")


class Juror(BaseModel):
    """A seat on an edition's jury, offered by e-mail; the account is linked when the person accepts."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="jurors")
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jury_seats",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED, db_index=True)
    token = models.UUIDField(_("invitation token"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jurors",
        help_text=_("The administration the juror works for, if any."),
    )
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ("edition", "email")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email"],
                name="juror_unique_email",
                violation_error_message=_("This person is already invited to this jury."),
            ),
            models.UniqueConstraint(
                fields=["edition", "user"],
                condition=models.Q(user__isnull=False),
                name="juror_unique_user",
                violation_error_message=_("This person already sits on this jury."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(user__isnull=False),
                name="juror_accepted_has_user",
                violation_error_message=_("An accepted juror has an account."),
            ),
        ]

    def __str__(self) -> str:
        if self.user is not None:
            return str(self.user)
        return self.email


class ConflictOfInterest(BaseModel):
    """A juror may not review the défis of an organisation, or one défi: declared, or detected
    (same organisation, or a parent ministry shared with the défi's organisation)."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("declared")
        DETECTED = "detected", _("detected")

    juror = models.ForeignKey(Juror, verbose_name=_("juror"), on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jury_conflicts",
    )
    defi = models.ForeignKey(
        Defi,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jury_conflicts",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    ministry = models.ForeignKey(
        Ministry, verbose_name=_("shared ministry"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ("juror", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, defi__isnull=True)
                    | models.Q(organisation__isnull=True, defi__isnull=False)
                ),
                name="conflict_one_target",
                violation_error_message=_("A conflict names an organisation or a challenge, not both."),
            ),
            models.UniqueConstraint(
                fields=["juror", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="conflict_unique_organisation",
                violation_error_message=_("This conflict is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["juror", "defi"],
                condition=models.Q(defi__isnull=False),
                name="conflict_unique_defi",
                violation_error_message=_("This conflict is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} — {self.organisation or self.defi}"


class Bid(BaseModel):
    """A juror's wish to review a défi, or not, stated before the automatic assignment."""

    class Preference(models.TextChoices):
        WANT = "want", _("I would like to review it")
        NEUTRAL = "neutral", _("No preference")
        AVOID = "avoid", _("I would rather not review it")

    juror = models.ForeignKey(Juror, verbose_name=_("juror"), on_delete=models.CASCADE, related_name="bids")
    defi = models.ForeignKey(Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="bids")
    preference = models.CharField(
        _("preference"), max_length=10, choices=Preference.choices, default=Preference.NEUTRAL
    )

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "defi"],
                name="bid_unique",
                violation_error_message=_("This juror already stated a preference."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} — {self.defi}: {self.preference}"


class Assignment(BaseModel):
    """A défi given to a juror to review, by the automatic assignment or by hand."""

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("automatic")
        MANUAL = "manual", _("by hand")

    juror = models.ForeignKey(Juror, verbose_name=_("juror"), on_delete=models.CASCADE, related_name="assignments")
    defi = models.ForeignKey(
        Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="jury_assignments"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ("defi", "juror")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "defi"],
                name="assignment_unique",
                violation_error_message=_("This challenge is already assigned to this juror."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} — {self.defi}"


class Review(BaseModel):
    """A juror's review of an assigned défi: a draft, then submitted (and revisable until the
    selection phase ends)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="review"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="review_submitted_has_date",
                violation_error_message=_("A submitted review has a submission date."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(BaseModel):
    """The score and comment of one criterion in a review; the value may wait in a draft."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.SmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ("review", "criterion__position", "criterion_id")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="score_unique",
                violation_error_message=_("This criterion is already scored in this review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} — {self.criterion}: {self.value}"

    @property
    def level_label(self) -> str:
        return self.criterion.label_of(self.value)


class DecisionNotice(BaseModel):
    """The administration of a défi was (or is being) told of a decision: once per défi and decision."""

    defi = models.ForeignKey(
        Defi, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="decision_notices"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Defi.Decision.choices)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queued_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("decision notice")
        verbose_name_plural = _("decision notices")
        ordering = ("-queued_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["defi", "decision"],
                name="decisionnotice_unique",
                violation_error_message=_("This decision was already sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.defi} — {self.decision}"
