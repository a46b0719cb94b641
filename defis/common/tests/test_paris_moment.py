"""`paris_moment` shows a stored UTC moment as a person in Paris reads it, at the published precision."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from defis.common.templatetags.defis_tags import paris_moment

CALL_CLOSES = datetime(2020, 6, 19, 21, 59, tzinfo=UTC)  # "19 juin 2020, 23h59", summer time (UTC+2)
WINTER = datetime(2019, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 in Paris, winter time (UTC+1)


def _render(moment: datetime | None, precision: str | None = None) -> str:
    argument = f':"{precision}"' if precision else ""
    template = Template("{% load defis_tags %}{{ moment|paris_moment" + argument + " }}")
    return template.render(Context({"moment": moment}))


@pytest.mark.parametrize(
    ("moment", "precision", "shown"),
    [
        (CALL_CLOSES, None, "19 juin 2020 à 23:59"),
        (WINTER, None, "31 décembre 2019 à 23:59"),
        (CALL_CLOSES, "day", "19 juin 2020"),
        (CALL_CLOSES, "month", "juin 2020"),
        (None, None, ""),
    ],
)
def test_paris_moment_in_french(moment: datetime | None, precision: str | None, shown: str) -> None:
    with translation.override("fr"):
        assert _render(moment, precision) == shown


def test_paris_moment_in_english() -> None:
    with translation.override("en"):
        assert paris_moment(CALL_CLOSES) == "June 19, 2020 at 11:59 p.m."
