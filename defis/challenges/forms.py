"""Forms of the call for défis: they parse and check formats; the services decide and write."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from defis.challenges.models import Answer, Defi
from defis.challenges.selectors import REQUIRED_FIELDS, FundingChoice, is_fully_funded
from defis.demarches.models import Demarche
from defis.organisations.models import Organisation
from defis.programmes.models import Edition, Question
from defis.programmes.templatetags.programmes_tags import PROFILE_LABELS

# When an edition names no profiles, the three of Commando UX 2020.
DEFAULT_PROFILES = ("designer", "developer", "ux_engineer")
PDF_ACCEPT = ".pdf,application/pdf"
AnswerValue = str | int | float | list[str] | UploadedFile[bytes] | None


class CreateDefiForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the organisations that accepted you as a member.")},
    )
    title = forms.CharField(
        label=_("Title of the challenge"),
        max_length=200,
        help_text=_("You can change it later. 200 characters at most."),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["token"].initial = uuid.uuid4()


class DefiForm(DsfrBaseForm):
    """The call's form for one défi: the fixed fields, then the edition's own questions."""

    title = forms.CharField(label=_("Title of the challenge"), max_length=200, help_text=_("200 characters at most."))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences, 300 characters at most."),
    )
    demarche = forms.CharField(label=_("Online démarche improved by the challenge"), required=False, max_length=12)
    problem = forms.CharField(
        label=_("The problem and its users"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Who uses the service, what goes wrong for them, what you know of it."),
    )
    expected_impact = forms.CharField(
        label=_("Expected impact"),
        required=False,
        widget=forms.Textarea,
        help_text=_("What will change for the users, and how you will measure it."),
    )
    sponsor = forms.CharField(
        label=_("Internal sponsor"),
        max_length=300,
        required=False,
        help_text=_("Name and position of the high-level sponsor of the challenge."),
    )
    team = forms.CharField(
        label=_("Team and mentors"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Who will work with the recruits every week, and who will mentor them."),
    )
    profiles = forms.MultipleChoiceField(
        label=_("Profiles wanted"), required=False, widget=forms.CheckboxSelectMultiple
    )
    positions_count = forms.IntegerField(label=_("Number of positions"), required=False, min_value=1, max_value=99)
    accessibility_plan = forms.CharField(
        label=_("Accessibility plan"),
        required=False,
        widget=forms.Textarea,
        help_text=_("How the service will reach and keep accessibility (RGAA audits, statement, multi-year plan)."),
    )
    funding_choice = forms.ChoiceField(
        label=_("Funding of the positions"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (FundingChoice.AGREEMENT, _("An agreement with a ministry")),
            (FundingChoice.SELF_FUNDING, _("The organisation funds the positions")),
        ],
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _("The form is incomplete: reload the page.")},
    )

    def __init__(
        self,
        *args: Any,
        edition: Edition,
        questions: Sequence[Question],
        asks_funding: bool,
        current_demarche: Demarche | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current_demarche = current_demarche
        self.questions = [question for question in questions if question.form == Question.Form.DEFI]
        profiles = edition.profiles_offered or DEFAULT_PROFILES
        self.fields["profiles"].choices = [(profile, str(PROFILE_LABELS.get(profile, profile))) for profile in profiles]
        if edition.positions_per_defi_max:
            self.fields["positions_count"].help_text = _("At most %(limit)s for this edition.") % {
                "limit": edition.positions_per_defi_max
            }
        if asks_funding:
            self.fields["funding_choice"].help_text = edition.funding_alternative
        else:
            del self.fields["funding_choice"]
        for name in (*REQUIRED_FIELDS, "profiles", "positions_count"):
            self._mark_required_to_submit(self.fields[name])
        for question in self.questions:
            self.fields[question.field_name] = question_field(question)
        # The version travels last, after every visible field.
        self.order_fields([name for name in self.fields if name != "version"] + ["version"])
        # DsfrBaseForm styled the fields it had, and their bound fields kept the help texts of then.
        self._bound_fields_cache.clear()
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    @staticmethod
    def _mark_required_to_submit(field: forms.Field) -> None:
        required = _("Required to submit.")
        field.help_text = f"{field.help_text} {required}" if field.help_text else required

    def clean_demarche(self) -> Demarche | None:
        value = self.cleaned_data["demarche"].strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError(
                _("Choose a démarche in the list, or type its number in the observatory."), code="format"
            )
        if self.current_demarche is not None and self.current_demarche.observatory_id == int(value):
            return self.current_demarche  # unchanged: the défi's query read it already
        demarche = Demarche.objects.filter(observatory_id=int(value)).first()
        if demarche is None:
            raise forms.ValidationError(
                _("No démarche of the observatory has the number %(number)s."), code="unknown", params={"number": value}
            )
        return demarche

    @property
    def file_field_names(self) -> list[str]:
        return [q.field_name for q in self.questions if q.kind == Question.Kind.FILE]

    def show_current_files(self, answers: Iterable[Answer]) -> None:
        """Name under each file question the file already sent: for the page only, so that a form that is
        just checked and saved (autosave, submission) does not read the answers for it."""
        sent = {answer.question_id: str(answer.value or "") for answer in answers if answer.file}
        for question in self.questions:
            if question.kind == Question.Kind.FILE and sent.get(question.pk):
                help_text = _with_current_file(_question_help_text(question), sent[question.pk])
                self.fields[question.field_name].help_text = help_text
                self[question.field_name].help_text = help_text  # the bound field copied the old one

    def defi_data(self) -> dict[str, Any]:
        """The défi's own fields, as services.save_draft takes them."""
        names = (
            "title",
            "summary",
            "problem",
            "expected_impact",
            "sponsor",
            "team",
            "accessibility_plan",
            "profiles",
            "positions_count",
            "demarche",
            "funding_choice",
        )
        return {name: self.cleaned_data[name] for name in names if name in self.fields}

    def answers(self) -> dict[int, AnswerValue]:
        """The answers to the edition's questions; a file question without a new upload is left as it is."""
        answers: dict[int, AnswerValue] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if question.kind == Question.Kind.FILE:
                if isinstance(value, UploadedFile):
                    answers[question.pk] = value
                continue
            answers[question.pk] = _json_value(value)
        return answers

    def differences_from(self, current: Defi) -> list[tuple[str, str]]:
        """(label, saved value) wherever the saved défi differs from what was typed: shown on a conflict."""
        differences = []
        saved_answers = {answer.question_id: answer.value for answer in current.answers.all()}
        typed_answers = {f"question_{pk}": value for pk, value in self.answers().items()}
        for name, typed in [*self.defi_data().items(), *typed_answers.items()]:
            if name.startswith("question_"):
                saved = saved_answers.get(int(name.removeprefix("question_")))
            else:
                saved = getattr(current, name)
            if isinstance(typed, UploadedFile) or saved == typed or (_empty(saved) and _empty(typed)):
                continue
            if name == "profiles":
                saved = ", ".join(str(PROFILE_LABELS.get(profile, profile)) for profile in current.profiles)
            differences.append((str(self.fields[name].label), "" if saved is None else str(saved)))
        return differences

    def add_missing_for_submission(self, names: Iterable[str]) -> None:
        for name in names:
            if name in self.fields and name not in self.errors:
                self.add_error(name, _("Required to submit the challenge."))

    def missing_for_submission(self) -> list[str]:
        """Fields still empty that the call asks for before submission (selectors.REQUIRED_FIELDS and the
        edition's required questions), so that each gets its message next to it."""
        data = getattr(self, "cleaned_data", {})
        names = [*REQUIRED_FIELDS, "profiles", "positions_count"]
        names += [q.field_name for q in self.questions if q.required and q.kind != Question.Kind.FILE]
        return [name for name in names if _empty(data.get(name))]


def _empty(value: object) -> bool:
    return value in (None, "", [])


def _json_value(value: object) -> str | int | float | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _with_current_file(help_text: str, name: str) -> str:
    current = str(_("Current file: %(name)s.") % {"name": name})
    return f"{help_text} {current}" if help_text else current


def _question_help_text(question: Question) -> str:
    help_text = question.help_text
    if question.required:
        required = str(_("Required to submit."))
        help_text = f"{help_text} {required}" if help_text else required
    return help_text


def question_field(question: Question) -> forms.Field:
    """The form field of one of the edition's questions, by its kind; required answers are checked at
    submission, so that a draft saves whatever is filled in."""
    common: dict[str, Any] = {"label": question.label, "help_text": _question_help_text(question), "required": False}
    match question.kind:
        case Question.Kind.LONG_TEXT:
            return forms.CharField(max_length=question.max_length, widget=forms.Textarea, **common)
        case Question.Kind.CHOICE:
            return forms.ChoiceField(
                choices=[(choice, choice) for choice in question.choices], widget=forms.RadioSelect, **common
            )
        case Question.Kind.NUMBER:
            return forms.DecimalField(max_digits=15, decimal_places=2, **common)
        case Question.Kind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
        case Question.Kind.FILE:
            return forms.FileField(widget=forms.FileInput(attrs={"accept": PDF_ACCEPT}), **common)
        case _:
            return forms.CharField(max_length=question.max_length or 1000, **common)


def defi_initial(defi: Defi) -> dict[str, Any]:
    """What the form shows of a défi as it is stored."""
    initial: dict[str, Any] = {
        name: getattr(defi, name)
        for name in (
            "title",
            "summary",
            "problem",
            "expected_impact",
            "sponsor",
            "team",
            "accessibility_plan",
            "profiles",
            "positions_count",
            "funding_choice",
            "version",
        )
    }
    initial["demarche"] = defi.demarche.observatory_id if defi.demarche else ""
    questions = {question.pk: question for question in defi.edition.questions.all()}
    for answer in defi.answers.all():
        question = questions.get(answer.question_id)
        if question is not None and question.kind != Question.Kind.FILE:
            initial[question.field_name] = answer.value
    return initial


class AttachmentForm(DsfrBaseForm):
    file = forms.FileField(label=_("PDF document"), widget=forms.FileInput(attrs={"accept": PDF_ACCEPT}))

    def __init__(self, *args: Any, limit_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF file of %(limit)s MB at most.") % {"limit": limit_mb}


class CoeditorForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("E-mail address of the colleague"), help_text=_("They must be an accepted member of the organisation.")
    )


class DemarcheSearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False)
    edition = forms.SlugField(max_length=80, required=False)


def defi_form(defi: Defi, data: Any = None, files: Any = None) -> DefiForm:
    """The call's form showing the défi as stored; bound to `data` when given (then it reads neither the
    answers nor the indicators: the autosave and the submission only check and save it). The funding
    question is asked only of an organisation outside the 100 % rule."""
    return DefiForm(
        data,
        files,
        edition=defi.edition,
        questions=list(defi.edition.questions.all()),
        asks_funding=is_fully_funded(edition=defi.edition, organisation=defi.organisation) is False,
        current_demarche=defi.demarche,
        initial=defi_initial(defi) if data is None else None,
    )


def bound_to_saved(defi: Defi) -> DefiForm:
    """The form bound to the défi as it is stored, so that a refusal can sit next to each field."""
    form = defi_form(defi, data=defi_initial(defi))
    form.is_valid()
    return form


def rebased(data: QueryDict, files: MultiValueDict[str, UploadedFile[bytes]], current: Defi) -> DefiForm:
    """What the person typed, on top of the version a co-editor saved: their next save is based on it."""
    data = data.copy()
    data["version"] = str(current.version)
    form = defi_form(current, data, files)
    form.is_valid()
    return form
