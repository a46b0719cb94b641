"""E-mail texts written by the programme team, rendered by Django's template engine in a sandbox.

A team template may hold text and the documented variables of its kind, with a few harmless
filters: no tag (so no `{% load %}`, `{% include %}` or `{% url %}`), no attribute lookup, and
the variables are plain strings, so rendering reads nothing else and calls no method.
"""

from collections.abc import Iterator, Mapping

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Node, TextNode, Variable, VariableNode
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from defis.notifications.errors import InvalidMessageTemplate
from defis.notifications.models import MessageKind, MessageTemplate

ALLOWED_FILTERS = frozenset({"upper", "lower", "capfirst", "title", "default"})

VARIABLES: dict[str, Promise] = {
    "person": _("the full name of the person who receives the e-mail"),
    "edition": _("the name of the edition"),
    "phase": _("the phase whose deadline comes (e.g. call for challenges)"),
    "deadline": _("the last minute still on time, in Paris time"),
    "days": _("the number of days left before the deadline"),
    "defi": _("the title of the challenge (or challenges)"),
    "inviter": _("the full name of the person who invited them"),
    "decision": _("the decision on the challenge"),
    "url": _("the address of the page to open"),
}

KIND_VARIABLES: dict[str, tuple[str, ...]] = {
    MessageKind.DEADLINE_REMINDER: ("person", "edition", "phase", "deadline", "days", "defi", "url"),
    MessageKind.DEFI_RECEIPT: ("person", "edition", "defi", "url"),
    MessageKind.COEDITOR_INVITATION: ("person", "inviter", "edition", "defi", "url"),
    MessageKind.SELECTION_DECISION: ("person", "edition", "defi", "decision", "url"),
}

DEFAULT_TEXTS: dict[str, tuple[Promise, Promise]] = {
    MessageKind.DEADLINE_REMINDER: (
        _("{{ edition }}: {{ days }} day(s) left to submit"),
        _(
            "Hello {{ person }},\n\nYour challenge {{ defi }} is still a draft. The {{ phase }} closes on "
            "{{ deadline }} (Paris time): submit it before then.\n\n{{ url }}\n\nThe programme team"
        ),
    ),
    MessageKind.DEFI_RECEIPT: (
        _("{{ edition }}: your challenge is submitted"),
        _(
            "Hello {{ person }},\n\nWe have received the challenge {{ defi }}. Thank you!\n\n{{ url }}\n\n"
            "The programme team"
        ),
    ),
    MessageKind.COEDITOR_INVITATION: (
        _("{{ inviter }} invites you to edit a challenge"),
        _(
            "Hello {{ person }},\n\n{{ inviter }} invites you to edit the challenge {{ defi }} for "
            "{{ edition }}.\n\n{{ url }}\n\nThe programme team"
        ),
    ),
    MessageKind.SELECTION_DECISION: (
        _("{{ edition }}: the decision on your challenge"),
        _(
            "Hello {{ person }},\n\nThe jury has decided on the challenge {{ defi }}: {{ decision }}.\n\n"
            "{{ url }}\n\nThe programme team"
        ),
    ),
}

# Plain text: nothing to escape; `string_if_invalid` stays empty so a typo renders nothing.
ENGINE = Engine(autoescape=False, debug=False, libraries={}, loaders=[])


def _nodes(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        for attribute in node.child_nodelists:
            yield from _nodes(getattr(node, attribute, None) or [])


def check_template_text(text: str, *, kind: str, field: str | None = None) -> None:
    """Refuse a text that the sandbox would not render: a tag, an unknown variable, a lookup, a filter."""
    allowed = KIND_VARIABLES[kind]
    try:
        template = ENGINE.from_string(text)
    except TemplateSyntaxError as error:  # Django's own message is English and technical
        raise InvalidMessageTemplate(
            str(_("the text cannot be read: check the double braces and remove any tag.")), field=field
        ) from error
    for node in _nodes(template.nodelist):
        if isinstance(node, TextNode):
            continue
        if not isinstance(node, VariableNode):
            raise InvalidMessageTemplate(str(_("only variables between {{ and }} are allowed, no tag.")), field=field)
        variable = node.filter_expression.var
        if not isinstance(variable, Variable) or variable.lookups is None:
            continue  # a literal string
        name = ".".join(variable.lookups)
        if name not in allowed:
            raise InvalidMessageTemplate(
                str(_("{{ %(name)s }} is not a variable of this message; use %(allowed)s."))
                % {"name": name, "allowed": ", ".join(f"{{{{ {v} }}}}" for v in allowed)},
                field=field,
            )
        for function, _arguments in node.filter_expression.filters:
            if getattr(function, "_filter_name", function.__name__) not in ALLOWED_FILTERS:
                raise InvalidMessageTemplate(
                    str(_("the filter %(name)s is not allowed.")) % {"name": function.__name__}, field=field
                )


def render_text(text: str, *, kind: str, context: Mapping[str, object]) -> str:
    """Render a checked text with the kind's variables only, each as a plain string."""
    check_template_text(text, kind=kind)
    values = {name: "" if context.get(name) is None else str(context[name]) for name in KIND_VARIABLES[kind]}
    return ENGINE.from_string(text).render(Context(values, autoescape=False))


def message_texts(*, edition_id: int | None, kind: str, language: str) -> tuple[str, str, bool]:
    """The subject and body the edition uses for this kind and language, and whether the team wrote them."""
    custom = (
        MessageTemplate.objects.filter(edition_id=edition_id, kind=kind, language=language).first()
        if edition_id is not None
        else None
    )
    if custom is not None:
        return custom.subject, custom.body, True
    subject, body = DEFAULT_TEXTS[kind]
    with translation.override(language):
        return str(subject), str(body), False


def render_kind(*, edition_id: int | None, kind: str, language: str, context: Mapping[str, object]) -> tuple[str, str]:
    """The e-mail of that kind for the edition, in the language, rendered with the given variables."""
    subject, body, _custom = message_texts(edition_id=edition_id, kind=kind, language=language)
    with translation.override(language):
        rendered_subject = " ".join(render_text(subject, kind=kind, context=context).split())
        rendered_body = render_text(body, kind=kind, context=context).strip() + "\n"
    return rendered_subject, rendered_body
