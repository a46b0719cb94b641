from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db.models import Exists, Field, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _

from defis.accounts.models import User
from defis.challenges.models import Answer, Attachment, CoEditor, Defi
from defis.demarches import selectors as demarche_selectors
from defis.demarches.models import IndicatorSet, ObservatoryEdition
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import DeadlineExtension, Edition, Phase, Question

# The fields of the call's form an agent must fill before submitting.
REQUIRED_FIELDS = ("title", "summary", "problem", "expected_impact", "sponsor", "team", "accessibility_plan")


def field_label(name: str) -> str:
    """The verbose name of one of the défi's own fields, as the form labels it."""
    return str(cast("Field[Any, Any]", Defi._meta.get_field(name)).verbose_name)  # a column, never a relation


class FundingChoice:
    """The alternatives an organisation outside the 100 % rule declares (DIG 2019's call)."""

    AGREEMENT = "agreement"
    SELF_FUNDING = "self_funding"


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    message: str
    field: str | None = None


@dataclass(frozen=True)
class Eligibility:
    """What the call's rules say of a défi now: shown live while typing and enforced at submission."""

    checks: list[Check] = field(default_factory=list)
    funding: str = ""
    fully_funded: bool | None = None

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    @property
    def ok(self) -> bool:
        return not self.failures


def _approved_membership(user: User) -> QuerySet[Membership]:
    """The person's approved membership of the organisation of the défi of the outer query."""
    return Membership.objects.filter(
        user_id=user.pk, organisation=OuterRef("organisation"), status=Membership.Status.APPROVED
    )


def _scoped(defis: QuerySet[Defi], user: User) -> QuerySet[Defi]:
    if not user.is_authenticated:
        return defis.none()
    if user.is_programme_team:
        return defis
    return defis.filter(Exists(_approved_membership(user)))


def defis_visible_to(*, user: User) -> QuerySet[Defi]:
    """Défis a person may open: the team sees all; an agent, those of organisations that accepted them."""
    base = Defi.objects.select_related(
        "edition__programme", "edition__observatory_edition", "organisation", "demarche"
    ).prefetch_related(
        Prefetch("coeditors", queryset=CoEditor.objects.select_related("user")),
        "organisation__parent_ministries",
    )
    return _scoped(base, user)


def edition_questions(prefix: str = "edition__") -> "Prefetch[str, QuerySet[Question]]":
    """An edition's questions in the order of its Meta.ordering, without the join to the edition that the
    Meta.ordering's leading "edition" adds (its columns are the same for every question of one edition)."""
    return Prefetch(f"{prefix}questions", queryset=Question.objects.order_by("form", "position", "pk"))


def edition_phases(prefix: str = "edition__") -> "Prefetch[str, QuerySet[Phase]]":
    """An edition's phases by opening, without the join to the edition (as `edition_questions`)."""
    return Prefetch(f"{prefix}phases", queryset=Phase.objects.order_by("opens_at", "pk"))


# Annotations of `defis_to_save`, read by the rules (challenges.rules) instead of a query of their own.
VIEWER_ID = "viewer_id"
VIEWER_IS_COEDITOR = "viewer_is_coeditor"
VIEWER_IS_MEMBER = "viewer_is_member"


def defis_to_save(*, user: User) -> QuerySet[Defi]:
    """The défis of `defis_visible_to`, each read in one query with what saving and submitting its form
    reads: edition (and its questions), organisation, démarche, and whether the person co-edits it and is
    an approved member of its organisation (the rules read these instead of querying again). The answers,
    attachments and phases are read by the service, under the lock."""
    if not user.is_authenticated:
        return Defi.objects.none()
    coeditor = CoEditor.objects.filter(defi=OuterRef("pk"), user_id=user.pk)
    # An agent sees only défis of organisations that approved them (`_scoped`): asking again is moot.
    member = Exists(_approved_membership(user)) if user.is_programme_team else Value(True)
    defis = (
        Defi.objects.select_related("edition__observatory_edition", "organisation", "demarche")
        .prefetch_related(edition_questions())
        .annotate(**{VIEWER_ID: Value(user.pk), VIEWER_IS_COEDITOR: Exists(coeditor), VIEWER_IS_MEMBER: member})
    )
    return _scoped(defis, user)


def defis_of_agent(*, user: User) -> QuerySet[Defi]:
    """The agent's own space: défis of their organisations, newest first, historical records left out."""
    return defis_visible_to(user=user).filter(is_historical=False).order_by("-updated_at")


def defi_for_edit(*, defi_id: int) -> Defi:
    return (
        Defi.objects.select_related("edition__observatory_edition", "organisation", "demarche")
        .prefetch_related(
            "organisation__parent_ministries",
            edition_phases(),
            edition_questions(),
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at")),
            Prefetch("coeditors", queryset=CoEditor.objects.select_related("user")),
        )
        .get(pk=defi_id)
    )


_FIGURES = "_challenges_demarche_figures"


def demarche_figures(*, defi: Defi, observatory: ObservatoryEdition | None) -> IndicatorSet | None:
    """The observatory edition's figures for the défi's démarche, read once per défi object and démarche:
    the top-250 check and the figures shown beside the démarche are the same row."""
    if defi.demarche_id is None or observatory is None:
        return None
    cache: dict[tuple[int, int], IndicatorSet | None] = getattr(defi, _FIGURES, {})
    key = (defi.demarche_id, observatory.pk)
    if key not in cache:
        cache[key] = demarche_selectors.indicator_set(demarche_id=defi.demarche_id, edition=observatory)
        setattr(defi, _FIGURES, cache)
    return cache[key]


def call_deadline(*, edition: Edition, organisation: Organisation | None, user: User | None = None) -> datetime | None:
    """The first late instant of the call for this organisation: the phase's, or a later extension's."""
    phase = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if phase is None:
        return None
    deadlines = [phase.deadline] if phase.deadline is not None else []
    extensions = (
        DeadlineExtension.objects.filter(edition=edition, phase_kind=Phase.Kind.CALL_FOR_DEFIS)
        .filter(Q(organisation=organisation) | Q(user=user) if user is not None else Q(organisation=organisation))
        .order_by()  # the latest is taken below: no sort, and no join to the edition for its Meta.ordering
    )
    deadlines += [extension.deadline for extension in extensions]
    return max(deadlines) if deadlines else None


def call_is_open_for(
    *, edition: Edition, organisation: Organisation | None, at: datetime, user: User | None = None
) -> bool:
    phase = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if phase is None or at < phase.opens_at:
        return False
    deadline = call_deadline(edition=edition, organisation=organisation, user=user)
    return deadline is None or at < deadline


def _kind_check(edition: Edition, organisation: Organisation) -> Check:
    if organisation.kind_is_unknown:
        return Check(
            "organisation_kind",
            False,
            _(
                "The kind of %(organisation)s is not known yet: the programme team must establish it before "
                "eligibility can be checked."
            )
            % {"organisation": organisation.name},
            "organisation",
        )
    if not edition.kind_may_propose(organisation.kind):
        return Check(
            "organisation_kind",
            False,
            _("This edition is open to %(kinds)s only; %(organisation)s is a %(kind)s.")
            % {
                "kinds": ", ".join(str(Organisation.Kind(kind).label) for kind in edition.allowed_kinds),
                "organisation": organisation.name,
                "kind": organisation.get_kind_display(),
            },
            "organisation",
        )
    return Check(
        "organisation_kind",
        True,
        _("%(organisation)s may propose a challenge (%(kind)s).")
        % {"organisation": organisation.name, "kind": organisation.get_kind_display()},
        "organisation",
    )


def _demarche_checks(edition: Edition, defi: Defi) -> list[Check]:
    if defi.demarche is None:
        if edition.requires_demarche or edition.requires_top250:
            return [Check("demarche", False, _("Choose the online démarche the challenge improves."), "demarche")]
        return []
    if not edition.requires_top250:
        return [Check("demarche", True, _("Démarche: %(title)s.") % {"title": defi.demarche.title}, "demarche")]
    observatory = edition.observatory_edition
    if observatory is None:
        return [
            Check(
                "demarche",
                False,
                _("The edition names no observatory edition for its top-250 rule: the programme team must set it."),
                "demarche",
            )
        ]
    figures = demarche_figures(defi=defi, observatory=observatory)
    if figures is not None and figures.in_top250:  # one row per démarche and edition (indicatorset_unique)
        return [
            Check(
                "demarche",
                True,
                _("The démarche is in the top 250 of the observatory (%(edition)s).") % {"edition": observatory.label},
                "demarche",
            )
        ]
    return [
        Check(
            "demarche",
            False,
            _(
                "This edition accepts only démarches of the observatory's top 250 "
                "(%(edition)s), and this one is not in it."
            )
            % {"edition": observatory.label},
            "demarche",
        )
    ]


def is_fully_funded(*, edition: Edition, organisation: Organisation) -> bool | None:
    """Whether the edition funds the organisation's recruits at 100 %; None while its kind is unknown."""
    if organisation.kind_is_unknown:
        return None
    return not edition.full_funding_kinds or organisation.kind in edition.full_funding_kinds


def _funding(edition: Edition, defi: Defi) -> tuple[str, bool | None, list[Check]]:
    fully_funded = is_fully_funded(edition=edition, organisation=defi.organisation)
    if fully_funded is None:
        return _("Funding will be known once the kind of the organisation is established."), None, []
    if fully_funded:
        return _("The employer cost of the recruits is funded at 100 %."), True, []
    text = _("The 100 %% funding is reserved to State administrations: %(alternative)s") % {
        "alternative": edition.funding_alternative or _("the organisation funds the positions.")
    }
    if defi.funding_choice in (FundingChoice.AGREEMENT, FundingChoice.SELF_FUNDING):
        return text, False, [Check("funding", True, _("Funding declared."), "funding_choice")]
    return (
        text,
        False,
        [
            Check(
                "funding",
                False,
                _("Say how the positions will be funded: an agreement with a ministry or self-funding."),
                "funding_choice",
            )
        ],
    )


def _completeness_checks(edition: Edition, defi: Defi) -> list[Check]:
    checks = []
    missing = [field_label(name) for name in REQUIRED_FIELDS if not getattr(defi, name)]
    if not defi.profiles:
        missing.append(field_label("profiles"))
    if not defi.positions_count:
        missing.append(field_label("positions_count"))
    answered = {
        answer.question_id for answer in defi.answers.all() if answer.value not in (None, "", []) or answer.file
    }
    missing += [
        question.label
        for question in edition.questions.all()
        if question.form == Question.Form.DEFI and question.required and question.pk not in answered
    ]
    if missing:
        checks.append(Check("complete", False, _("Still to fill in: %(fields)s.") % {"fields": ", ".join(missing)}))
    else:
        checks.append(Check("complete", True, _("Every required answer is filled in.")))
    limit = edition.positions_per_defi_max
    if defi.positions_count and limit and defi.positions_count > limit:
        checks.append(
            Check(
                "positions",
                False,
                _("This edition offers at most %(limit)s positions per challenge.") % {"limit": limit},
                "positions_count",
            )
        )
    return checks


def eligibility(*, defi: Defi) -> Eligibility:
    """Every rule of the edition applied to the défi as it stands (historical records are not re-checked)."""
    edition = defi.edition
    kind = _kind_check(edition, defi.organisation)
    checks = [kind, *_demarche_checks(edition, defi)]
    funding, fully_funded, funding_checks = _funding(edition, defi)
    if kind.passed:  # funding is moot for an organisation that may not propose
        checks += funding_checks
    checks += _completeness_checks(edition, defi)
    return Eligibility(checks=checks, funding=funding, fully_funded=fully_funded)
