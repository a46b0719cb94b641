from collections.abc import Callable
from datetime import datetime
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation


class DefisRequest(HttpRequest):
    """The request as our views see it: stamped with the moment it arrived."""

    received_at: datetime


def received_at(request: HttpRequest) -> datetime:
    """The moment the request arrived, for views whose `request` is typed as Django's."""
    return cast(DefisRequest, request).received_at  # ReceivedAtMiddleware stamps every request


class ReceivedAtMiddleware:
    """Stamp each request on arrival: deadlines are judged on that moment, not on when a
    slow view reaches the check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.received_at = timezone.now()  # type: ignore[attr-defined]  # our request attribute
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """French unless the person chose another language with the switch (its cookie).

    Django's LocaleMiddleware would also follow the browser's Accept-Language; a State service
    speaks French by default, so an English browser alone does not switch the site."""

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
