"""The deadline surge, for locust: signed-in agents autosave their draft twice, then submit it, each
agent once, while anonymous visitors read the call page.

Read from the environment (bench/run.py sets it): BENCH_SURGE_FILE, the pool that bench/seed.py
wrote (a session, a CSRF secret and the form of each draft); BENCH_LEDGER_FILE, where the ledger
of what the server acknowledged is written at the end (the database check reads it);
BENCH_CALL_PAGE, the path of the call page; BENCH_AGENTS and BENCH_VISITORS, how many of each.

Requests carry X-Forwarded-Proto: https and a matching Origin, as behind production's TLS proxy.
"""

import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, constant, constant_pacing, events, task
from locust.exception import StopUser

VERSION = re.compile(r'name="version" value="(\d+)"')
POOL: list[dict[str, Any]] = json.loads(open(os.environ["BENCH_SURGE_FILE"], encoding="utf-8").read())  # noqa: SIM115
DRAFTS: Iterator[dict[str, Any]] = iter(POOL)
# defi id → the texts sent, in order, each with whether the server acknowledged it.
SENT: dict[int, list[tuple[str, bool]]] = {}
SUBMITTED: dict[int, float] = {}  # défi id → when the server acknowledged the submission
CLOCK: dict[str, float] = {}
ACTIVE = {"agents": 0}
TIMINGS: dict[str, list[float]] = {}  # request name → every response time (ms), failures included
ERRORS: dict[str, int] = {}


def _proxy_headers(host: str) -> dict[str, str]:
    netloc = urlsplit(host).netloc
    return {"X-Forwarded-Proto": "https", "Origin": f"https://{netloc}", "Accept-Encoding": "identity"}


def _form(draft: dict[str, Any], version: int, problem: str) -> str:
    fields = {
        **draft["fields"],
        "problem": problem,
        "accessibility_plan": draft["accessibility_plan"],
        "version": str(version),
    }
    return urlencode(fields, doseq=True)


class Agent(FastHttpUser):
    """One agent after another from the pool: two autosaves, then the submission."""

    fixed_count = int(os.environ.get("BENCH_AGENTS", "12"))
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.client.cookiejar = None  # cookies are set by hand: one signed-in agent per draft
        self.proxy = _proxy_headers(self.host or "")
        ACTIVE["agents"] += 1

    @task
    def surge(self) -> None:
        draft = next(DRAFTS, None)
        if draft is None:
            ACTIVE["agents"] -= 1
            if ACTIVE["agents"] == 0:  # the pool is done: the surge is over, visitors included
                CLOCK["pool_done"] = time.time()
                gevent.spawn(self.environment.runner.quit)  # type: ignore[union-attr]
            raise StopUser()
        CLOCK.setdefault("first", time.time())
        defi = draft["defi"]
        headers = {
            **self.proxy,
            "Cookie": f"sessionid={draft['session']}; csrftoken={draft['csrf']}",
            "X-CSRFToken": draft["csrf"],
            "Content-Type": "application/x-www-form-urlencoded",
        }
        sent = SENT.setdefault(defi, [])
        version = draft["version"]
        for number in (1, 2):
            text = f"{draft['problem']} [brouillon {number}]"
            sent.append((text, False))
            with self.client.post(
                f"/defis/{defi}/brouillon/",
                data=_form(draft, version, text),
                headers={**headers, "HX-Request": "true"},
                name="autosave",
                catch_response=True,
            ) as response:
                found = VERSION.search(response.text or "") if response.status_code == 200 else None
                if found is None:
                    response.failure(f"autosave not saved ({response.status_code})")
                    return
                version = int(found.group(1))
                sent[-1] = (text, True)
                response.success()
        text = f"{draft['problem']} [soumis]"
        sent.append((text, False))
        with self.client.post(
            f"/defis/{defi}/soumettre/",
            data=_form(draft, version, text),
            headers=headers,
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code == 302 and location.endswith(f"/defis/{defi}/recepisse/"):
                sent[-1] = (text, True)
                SUBMITTED[defi] = time.time()
                response.success()
            else:
                response.failure(f"submission refused ({response.status_code})")


class Visitor(FastHttpUser):
    """An anonymous visitor reading the call page, four times a second."""

    fixed_count = int(os.environ.get("BENCH_VISITORS", "4"))
    wait_time = constant_pacing(0.25)

    def on_start(self) -> None:
        self.client.client.cookiejar = None
        self.proxy = _proxy_headers(self.host or "")

    @task
    def call_page(self) -> None:
        with self.client.get(
            os.environ["BENCH_CALL_PAGE"], headers=self.proxy, name="call page", catch_response=True
        ) as response:
            if response.status_code == 200:
                response.success()
            else:
                response.failure(f"status {response.status_code}")


@events.request.add_listener
def record(name: str, response_time: float, exception: BaseException | None, **_kwargs: Any) -> None:
    TIMINGS.setdefault(name, []).append(response_time)
    if exception is not None:
        ERRORS[name] = ERRORS.get(name, 0) + 1


@events.test_stop.add_listener
def write_ledger(**_kwargs: Any) -> None:
    ledger = {
        "first_request_at": CLOCK.get("first"),
        "pool_done_at": CLOCK.get("pool_done"),
        "submitted": SUBMITTED,
        "sent": {defi: texts for defi, texts in SENT.items()},
        "timings": TIMINGS,
        "errors": ERRORS,
    }
    with open(os.environ["BENCH_LEDGER_FILE"], "w", encoding="utf-8") as handle:
        json.dump(ledger, handle)
