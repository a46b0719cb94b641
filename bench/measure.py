"""In-process measures on the seeded edition, web server stopped: the authenticated lists (time and
SQL queries through Django's test client) and the algorithms (time and peak memory)."""

import math
import multiprocessing
import resource
import time
import tracemalloc
from collections.abc import Callable
from queue import Empty
from statistics import median
from typing import Any

from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import Client

from defis.accounts.models import User
from defis.challenges.models import Defi
from defis.organisations.models import Ministry
from defis.programmes.models import Edition


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def page(
    client: Client, url: str, *, runs: int, budget_s: float, before: Callable[[], None] | None = None
) -> dict[str, Any]:
    """p50/p95 over `runs` GETs (fewer if over the budget), and the queries of one of them; `before`
    runs before each request, out of the time measured."""
    first = client.get(url, secure=True)
    if first.status_code != 200:
        return {"error": f"status {first.status_code}"}
    executed: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    if before is not None:
        before()
    with connection.execute_wrapper(count):  # counts every query, whatever resets the debug log
        client.get(url, secure=True)
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < runs and (len(times) < 5 or time.perf_counter() < deadline):
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(url, secure=True)
        _ = response.content
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(executed),
        "runs": len(times),
        "bytes": len(first.content),
    }


def lists(
    *, edition: Edition, team_user_id: int, juror_user_id: int | None, runs: int, budget_s: float
) -> dict[str, dict[str, Any]]:
    team, results = Client(), {}
    team.force_login(User.objects.get(pk=team_user_id))
    base = f"/equipe/defis/{edition.slug}/"
    ministry = Ministry.objects.filter(slug="economie-finances").values_list("pk", flat=True).first()
    for name, query in [
        ("team_list", ""),
        ("team_list_page_20", "?page=20"),
        ("team_list_status", "?status=submitted"),
        ("team_list_search", "?q=Pr%C3%A9fecture"),
        ("team_list_ten_rows", "?q=d%C3%A9fi%20000"),
        ("team_list_ministry", f"?ministry={ministry}"),
        ("team_list_eligible", "?eligibility=eligible"),
        (
            "team_list_all_filters",
            f"?status=submitted&ministry={ministry}&kind=deconcentrated_service&eligibility=eligible&q=Direction",
        ),
    ]:
        results[name] = page(team, base + query, runs=runs, budget_s=budget_s)
    if juror_user_id is None:
        return results
    juror = Client()
    juror.force_login(User.objects.get(pk=juror_user_id))
    results["juror_queue"] = page(juror, f"/jury/{edition.slug}/", runs=runs, budget_s=budget_s)
    ranking = f"/jury/equipe/{edition.slug}/classement/"
    # The ranking is cached until one of its inputs changes: warm, then the first request after a change.
    results["ranking"] = page(team, ranking, runs=runs, budget_s=budget_s)
    results["ranking_normalised"] = page(team, ranking + "?normalise=on", runs=runs, budget_s=budget_s)
    results["ranking_page_20"] = page(team, ranking + "?page=20", runs=runs, budget_s=budget_s)
    results["ranking_after_a_change"] = page(team, ranking, runs=runs, budget_s=budget_s, before=_forget_ranking)
    return results


def _forget_ranking() -> None:
    """As after a change of a score: the cached rankings no longer match (their stamp moved)."""
    cache.delete_many([key for key in _ranking_keys()])


def _ranking_keys() -> list[str]:
    from defis.reviews.selectors import RANKING_CACHE_KEY

    editions = Edition.objects.values_list("pk", flat=True)
    return [RANKING_CACHE_KEY.format(edition_id=pk, normalise=normalise) for pk in editions for normalise in (0, 1)]


def timed(function: Callable[[], Any], *, repeat: int = 1) -> dict[str, Any]:
    """Median seconds over `repeat` runs, then the peak of Python's allocations over one more."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = function()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": round(median(seconds), 3), "peak_mb": round(peak / 2**20, 1), "outcome": outcome}


def export(client: Client, url: str) -> Callable[[], int]:
    """Download an export as a browser would, counting bytes without keeping them."""

    def run() -> int:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: status {response.status_code}")
        total = 0
        for chunk in response.streaming_content if response.streaming else [response.content]:  # type: ignore[attr-defined]
            total += len(chunk)
        return total

    return run


def exports(*, edition: Edition, team_user_id: int) -> dict[str, dict[str, Any]]:
    team = Client()
    team.force_login(User.objects.get(pk=team_user_id))
    results = {}
    for fmt in ("csv", "xlsx"):
        url = f"/equipe/defis/{edition.slug}/export.{fmt}"
        full = timed(export(team, url))
        # A tenth of the rows: a streamed export's peak does not grow with the rows.
        tenth = timed(export(team, url + "?q=Pr%C3%A9fecture"))
        results[f"export_{fmt}"] = {
            "seconds": full["seconds"],
            "peak_mb": full["peak_mb"],
            "bytes": full["outcome"],
            "peak_mb_tenth_of_rows": tenth["peak_mb"],
        }
    return results


def ranking(*, edition: Edition) -> dict[str, dict[str, Any]]:
    from defis.reviews import selectors

    results = {}
    for name, normalise in (("ranking_raw", False), ("ranking_normalised", True)):
        outcome = timed(lambda normalise=normalise: selectors.ranking(edition=edition, normalise=normalise), repeat=3)
        rows = outcome.pop("outcome")
        results[name] = {**outcome, "rows": len(rows), "ranked": sum(1 for row in rows if row.ranked.rank is not None)}
    return results


def _assign(edition_id: int, k: int, team_user_id: int, queue: "multiprocessing.Queue[dict[str, Any]]") -> None:
    """In a child process (the parent can stop it): read what the service reads and run the solver,
    then run the whole service as the team would before any review (in a transaction rolled back)."""
    from defis.reviews import selectors
    from defis.reviews.balancing import balanced_assignment
    from defis.reviews.models import Assignment, Review
    from defis.reviews.services.assignment import run_automatic_assignment

    edition = Edition.objects.get(pk=edition_id)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    jurors = selectors.accepted_jurors(edition=edition)
    defis = list(selectors.reviewable_defis(edition=edition))
    conflicts = selectors.conflict_index(jurors=jurors, defis=defis)
    read = time.perf_counter() - started
    queue.put({"read_seconds": round(read, 3), "defis": len(defis), "jurors": len(jurors), "state": "solving"})
    solves = []
    for _ in range(3):  # the median of three
        started = time.perf_counter()
        plan = balanced_assignment(
            defis=[d.pk for d in defis], jurors=[j.pk for j in jurors], conflicts=conflicts.keys(), bids={}, k=k
        )
        solves.append(time.perf_counter() - started)
    solve = median(solves)
    result = {
        "solver_seconds": round(solve, 3),
        "seconds": round(read + solve, 3),
        "conflicts": len(conflicts),
        "pairs": len(plan.added),
        "spread": plan.spread,
        "shortfalls": len(plan.shortfalls),
        "peak_rss_growth_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024, 1),
        "state": "service",
    }
    queue.put(result)
    # The service as the team runs it before the jurors start: conflicts detected again, automatic
    # assignments replaced, the plan written and logged. The seeded reviews are set aside first.
    team = User.objects.get(pk=team_user_id)
    with transaction.atomic():
        Review.objects.filter(assignment__juror__edition=edition).delete()
        Assignment.objects.filter(juror__edition=edition).delete()
        started = time.perf_counter()
        service_plan = run_automatic_assignment(actor=team, edition=edition, k=k)
        service = time.perf_counter() - started
        transaction.set_rollback(True)
    queue.put(
        {
            "state": "done",
            "service_seconds": round(service, 3),
            "service_pairs": len(service_plan.added),
            "service_spread": service_plan.spread,
        }
    )


def assignment(*, edition: Edition, k: int, team_user_id: int, timeout_s: float) -> dict[str, Any]:
    """The automatic assignment on the whole edition (reads and solver, then the whole service),
    stopped after `timeout_s`."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[dict[str, Any]] = context.Queue()
    child = context.Process(target=_assign, args=(edition.pk, k, team_user_id, queue), daemon=True)
    started = time.perf_counter()
    child.start()
    result: dict[str, Any] = {}
    while child.is_alive() or not queue.empty():
        try:
            result.update(queue.get(timeout=0.5))
        except Empty:
            pass  # nothing new yet: check the deadline
        if result.get("state") == "done":
            break
        if time.perf_counter() - started > timeout_s:
            child.terminate()
            result.update(state="timeout", timeout_s=timeout_s)
            break
    child.join(5)
    return result


def submitted_count(edition: Edition) -> int:
    return Defi.objects.filter(edition=edition, status=Defi.Status.SUBMITTED).count()
