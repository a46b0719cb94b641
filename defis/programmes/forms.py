"""Forms of the programme team's workspace: they parse and check formats; the services decide and write."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from dsfr.forms import DsfrBaseForm

from defis.demarches.models import ObservatoryEdition
from defis.notifications.errors import InvalidMessageTemplate
from defis.notifications.models import OutboxMessage
from defis.notifications.templating import check_template_text
from defis.organisations.models import Organisation
from defis.programmes.models import Edition, Phase, Question
from defis.programmes.templatetags.programmes_tags import PROFILE_LABELS

PARIS_INPUT = "%Y-%m-%dT%H:%M"
KNOWN_KINDS = [(value, label) for value, label in Organisation.Kind.choices if value != Organisation.Kind.UNKNOWN]


def initial_from(instance: Model | None, names: Sequence[str]) -> dict[str, Any]:
    """The form's initial values read from a model instance (foreign keys as the related object)."""
    return {name: getattr(instance, name) for name in names} if instance is not None else {}


def paris_datetime_field(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[PARIS_INPUT, "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=PARIS_INPUT),
        error_messages={"invalid": _("Enter a date and a time, e.g. 19/06/2020 23:59.")},
    )


class CreateEditionForm(DsfrBaseForm):
    source = forms.TypedChoiceField(
        label=_("Start from"),
        coerce=int,
        help_text=_(
            "Its rules, offer, texts, questions, criteria and e-mails are copied; its phases move to the new year."
        ),
    )
    name = forms.CharField(label=_("Name of the new edition"), max_length=200)
    slug = forms.SlugField(
        label=_("Code"), max_length=80, help_text=_("Used in the addresses: lower-case letters, digits and hyphens.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, templates: Sequence[Edition], others: Sequence[Edition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, list[tuple[int, str]]]] = [(str(_("Templates")), [(e.pk, e.name) for e in templates])]
        if others:
            choices.append((str(_("Other editions")), [(e.pk, e.name) for e in others]))
        self.fields["source"].choices = choices


class PhaseForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Phase"), choices=Phase.Kind.choices)
    opens_at = paris_datetime_field(_("Opens at (Paris time)"))
    closes_at = paris_datetime_field(
        _("Closes at (Paris time)"),
        required=False,
        help_text=_("The last minute still on time, as published: 23:59 accepts 23:59:59 and refuses midnight."),
    )
    precision = forms.ChoiceField(label=_("Dates published"), choices=Phase.Precision.choices)
    published_label = forms.CharField(
        label=_("Published wording (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELDS = ("kind", "opens_at", "closes_at", "precision", "published_label")


class RulesForm(DsfrBaseForm):
    allowed_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds that may propose"),
        choices=KNOWN_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An organisation whose kind is unknown never passes: the team establishes it first."),
    )
    requires_demarche = forms.BooleanField(label=_("A démarche of the observatory is required"), required=False)
    requires_top250 = forms.BooleanField(label=_("The démarche must be in the top 250"), required=False)
    observatory_edition = forms.ModelChoiceField(
        label=_("Observatory edition of the top-250 rule"),
        required=False,
        queryset=ObservatoryEdition.objects.order_by("-published_on"),
    )
    full_funding_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds funded at 100 %"),
        choices=KNOWN_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: every organisation is funded at 100 %."),
    )
    funding_alternative = forms.CharField(
        label=_("Funding for the other kinds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. an agreement with a ministry, or self-funding."),
    )

    FIELDS = (
        "allowed_kinds",
        "requires_demarche",
        "requires_top250",
        "observatory_edition",
        "full_funding_kinds",
        "funding_alternative",
    )


def _count(label: StrOrPromise, *, help_text: StrOrPromise = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=1000, help_text=help_text)


class OfferForm(DsfrBaseForm):
    profiles_offered = forms.MultipleChoiceField(
        label=_("Profiles offered"),
        required=False,
        choices=list(PROFILE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    positions_per_defi_max = _count(_("Maximum positions per challenge"))
    defis_to_select_min = _count(_("Challenges to select (minimum)"))
    defis_to_select_max = _count(_("Challenges to select (maximum)"))
    contract_type = forms.CharField(label=_("Contract type"), max_length=120, required=False)
    contract_months_min = _count(_("Contract length, minimum (months)"))
    contract_months_max = _count(_("Contract length, maximum (months)"))
    salary = forms.CharField(
        label=_("Salary"), max_length=120, required=False, help_text=_("As published, e.g. 3,500 € net per month.")
    )
    attachment_max_mb = forms.IntegerField(label=_("Maximum size of an attachment (MB)"), min_value=1, max_value=100)

    FIELDS = (
        "profiles_offered",
        "positions_per_defi_max",
        "defis_to_select_min",
        "defis_to_select_max",
        "contract_type",
        "contract_months_min",
        "contract_months_max",
        "salary",
        "attachment_max_mb",
    )


MARKDOWN_HELP = _("Markdown: **bold**, *italics*, lists starting with “- ”, links as [text](https://…).")


class TextsForm(DsfrBaseForm):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Plain text, shown under the title."),
    )
    presentation = forms.CharField(
        label=_("Public presentation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    offer = forms.CharField(
        label=_("What is offered"), required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKDOWN_HELP
    )

    FIELDS = ("summary", "presentation", "offer")


class QuestionForm(DsfrBaseForm):
    form = forms.ChoiceField(label=_("Form"), choices=Question.Form.choices)
    label = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Answer required"), required=False)
    choices = forms.CharField(
        label=_("Options of a choice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One option per line."),
    )
    max_length = forms.IntegerField(
        label=_("Maximum length (characters)"), required=False, min_value=1, max_value=20000
    )

    FIELDS = ("form", "label", "help_text", "kind", "required", "choices", "max_length")

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        initial = initial_from(question, self.FIELDS)
        if question is not None:
            initial["choices"] = "\n".join(question.choices)
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class FaqEntryForm(DsfrBaseForm):
    question = forms.CharField(label=_("Question"), max_length=300)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), help_text=MARKDOWN_HELP)

    FIELDS = ("question", "answer")


class InterviewCriterionForm(DsfrBaseForm):
    label = forms.CharField(label=_("Criterion"), max_length=200)
    guidance = forms.CharField(
        label=_("Guidance for the interviewers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    scale_max = forms.IntegerField(label=_("Scale: from 1 to"), min_value=2, max_value=10, initial=4)

    FIELDS = ("label", "guidance", "weight", "scale_max")


class MessageTemplateForm(DsfrBaseForm):
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def _checked(self, name: str) -> str:
        text: str = self.cleaned_data[name]
        try:
            check_template_text(text, kind=self.kind)
        except InvalidMessageTemplate as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return text

    def clean_subject(self) -> str:
        return self._checked("subject")

    def clean_body(self) -> str:
        return self._checked("body")


class ExtensionForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    phase_kind = forms.ChoiceField(label=_("Phase"), choices=Phase.Kind.choices, initial=Phase.Kind.CALL_FOR_DEFIS)
    closes_at = paris_datetime_field(_("New closing moment (Paris time, last minute on time)"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log with your name."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OutboxSearchForm(DsfrBaseForm):
    q = forms.CharField(label=_("Recipient or subject contains"), required=False, max_length=200)
    template = forms.ChoiceField(label=_("Template"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *OutboxMessage.Status.choices]
    )

    def __init__(self, *args: Any, templates: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("Any template")), *((name, name) for name in templates)]


def question_preview_field(data: Mapping[str, Any]) -> forms.Field:
    """The field an agent or a candidate will see for a question, built from unsaved form data."""
    label, help_text = data.get("label") or _("(question)"), data.get("help_text") or ""
    required, kind = bool(data.get("required")), data.get("kind")
    if kind == Question.Kind.LONG_TEXT:
        return forms.CharField(
            label=label, help_text=help_text, required=required, widget=forms.Textarea(attrs={"rows": 3})
        )
    if kind == Question.Kind.CHOICE:
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=required,
            widget=forms.RadioSelect,
            choices=[(option, option) for option in data.get("choices") or []],
        )
    if kind == Question.Kind.NUMBER:
        return forms.IntegerField(label=label, help_text=help_text, required=required)
    if kind == Question.Kind.DATE:
        return forms.DateField(
            label=label, help_text=help_text, required=required, widget=forms.DateInput(attrs={"type": "date"})
        )
    if kind == Question.Kind.FILE:
        return forms.FileField(
            label=label,
            help_text=help_text,
            required=required,
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        )
    return forms.CharField(
        label=label, help_text=help_text, required=required, max_length=data.get("max_length") or None
    )


class QuestionPreviewForm(DsfrBaseForm):
    """One question as it will be asked, under a prefix so that its ids never clash with the editor's."""

    def __init__(self, *args: Any, data_for_preview: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, prefix="preview", **kwargs)
        self.fields["answer"] = question_preview_field(data_for_preview)
