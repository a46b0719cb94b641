from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def paris_moment(value: datetime | None, precision: str = "minute") -> str:
    """A moment in Paris time as a person reads it: "19 juin 2020 à 23:59", or the day or
    month alone when that is all that was published."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if precision == "month":
        return formats.date_format(local, "YEAR_MONTH_FORMAT")
    if precision == "day":
        return formats.date_format(local, "DATE_FORMAT")
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code", "br"}


@register.filter
def markdown_safe(text: str | None) -> str:
    """Markdown written by the programme team, rendered then sanitised (no script, no style)."""
    import markdown
    import nh3
    from django.utils.safestring import mark_safe

    html = nh3.clean(
        markdown.markdown(text or ""), tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer"
    )
    return mark_safe(html)  # noqa: S308  # sanitised by nh3 just above
