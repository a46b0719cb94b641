"""`ReceivedAtMiddleware` stamps each request with the moment it arrived (deadlines read it)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from defis.common.middleware import ReceivedAtMiddleware

ARRIVAL = datetime(2020, 6, 19, 21, 59, 59, tzinfo=UTC)  # 23:59:59 in Paris


def test_received_at_is_the_arrival_not_the_moment_the_view_runs() -> None:
    seen: list[tuple[datetime, datetime]] = []
    with time_machine.travel(ARRIVAL, tick=False) as traveller:

        def slow_view(request: HttpRequest) -> HttpResponse:
            traveller.shift(2)  # the view reaches its check two seconds later, past midnight
            seen.append((request.received_at, datetime.now(tz=UTC)))  # type: ignore[attr-defined]
            return HttpResponse()

        ReceivedAtMiddleware(slow_view)(RequestFactory().get("/"))

    assert seen == [(ARRIVAL, datetime(2020, 6, 19, 22, 0, 1, tzinfo=UTC))]


@pytest.mark.django_db
def test_received_at_is_set_on_every_request_through_the_stack(client: Client) -> None:
    with time_machine.travel(ARRIVAL, tick=False):
        response = client.get(reverse("home"))

    assert response.wsgi_request.received_at == ARRIVAL  # type: ignore[attr-defined]
