from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db.models import Exists, Field, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from defis.accounts.models import User
from defis.challenges.models import Answer, Attachment, CoEditor, Defi
from defis.demarches.selectors import is_in_top250
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


def defis_visible_to(*, user: User) -> QuerySet[Defi]:
    """Défis a person may open: the team sees all; an agent, those of organisations that accepted them."""
    base = Defi.objects.select_related(
        "edition__programme", "edition__observatory_edition", "organisation", "demarche"
    ).prefetch_related(
        Prefetch("coeditors", queryset=CoEditor.objects.select_related("user")),
        "organisation__parent_ministries",
    )
    if not user.is_authenticated:
        return base.none()
    if user.is_programme_team:
        return base
    approved = Membership.objects.filter(
        user=user, organisation=OuterRef("organisation"), status=Membership.Status.APPROVED
    )
    return base.filter(Exists(approved))


def defis_of_agent(*, user: User) -> QuerySet[Defi]:
    """The agent's own space: défis of their organisations, newest first, historical records left out."""
    return defis_visible_to(user=user).filter(is_historical=False).order_by("-updated_at")


def defi_for_edit(*, defi_id: int) -> Defi:
    return (
        Defi.objects.select_related("edition__observatory_edition", "organisation", "demarche")
        .prefetch_related(
            "organisation__parent_ministries",
            "edition__phases",
            "edition__questions",
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at")),
            Prefetch("coeditors", queryset=CoEditor.objects.select_related("user")),
        )
        .get(pk=defi_id)
    )


def call_deadline(*, edition: Edition, organisation: Organisation | None, user: User | None = None) -> datetime | None:
    """The first late instant of the call for this organisation: the phase's, or a later extension's."""
    phase = edition.phase_of_kind(Phase.Kind.CALL_FOR_DEFIS)
    if phase is None:
        return None
    deadlines = [phase.deadline] if phase.deadline is not None else []
    extensions = DeadlineExtension.objects.filter(edition=edition, phase_kind=Phase.Kind.CALL_FOR_DEFIS).filter(
        Q(organisation=organisation) | Q(user=user) if user is not None else Q(organisation=organisation)
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
    if is_in_top250(demarche=defi.demarche, edition=observatory):
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


def _funding(edition: Edition, defi: Defi) -> tuple[str, bool | None, list[Check]]:
    kind = defi.organisation.kind
    if defi.organisation.kind_is_unknown:
        return _("Funding will be known once the kind of the organisation is established."), None, []
    if not edition.full_funding_kinds or kind in edition.full_funding_kinds:
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
