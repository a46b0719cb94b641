"""The stages of a bench run, in order: prepare, surge, pages, in-process measures (bench/run.py)."""

import hashlib
import json
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import django

django.setup()

import psycopg  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import checks, measure  # noqa: E402
from bench.config import Config  # noqa: E402
from bench.seed import Seeded, as_dict, has_reviews, seed  # noqa: E402
from defis.challenges.models import Defi  # noqa: E402
from defis.programmes.models import Edition  # noqa: E402

if TYPE_CHECKING:
    from bench.run import Run

ROOT = Path(__file__).resolve().parent.parent
LIST_P95_MS = 150
SEEDED: dict[str, Seeded] = {}


def drop_database(config: Config) -> None:
    connections.close_all()
    with psycopg.connect(f"{config.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config.database}" WITH (FORCE)')


def _analyze() -> None:
    """Planner statistics after a bulk change, as autovacuum keeps them in production: without
    them PostgreSQL plans for empty tables (a nested loop over 2,000 défis per démarche)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _static_fingerprint() -> str:
    """What collectstatic would produce depends on these files and on the storage: skip it if unchanged."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def prepare(run: "Run", env: dict[str, str]) -> None:
    since = time.perf_counter()
    config = run.config
    drop_database(config)
    with psycopg.connect(f"{config.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{config.database}"')
    for number in (14, 15):  # the bench's own Redis databases: RQ's queue and the cache
        redis.Redis.from_url(f"{config.redis}/{number}").flushdb()
    static_root = Path(settings.STATIC_ROOT)
    stamp, fingerprint = static_root / ".bench-fingerprint", _static_fingerprint()
    collect = None
    if not stamp.exists() or stamp.read_text() != fingerprint:
        collect = subprocess.Popen(  # noqa: S603  # our own commands, no shell
            [
                str(ROOT / ".venv/bin/python"),
                "manage.py",
                "collectstatic",
                "--noinput",  # noqa: S603
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )
    call_command("migrate", verbosity=0, interactive=False)
    run.phase("database created and migrated", since)
    since = time.perf_counter()
    seeded = seed(
        defis=config.defis,
        organisations=config.organisations,
        jurors=config.jurors,
        per_defi=config.reviews_per_defi,
        drafts=config.drafts,
        surge_file=Path(env["STATIC_ROOT"]).parent / "surge.json",
    )
    SEEDED["edition"] = seeded
    _analyze()
    run.details["seed"] = as_dict(seeded)
    run.phase(
        f"seeded {seeded.defis} défis, {seeded.organisations} organisations, {seeded.jurors} jurors, "
        f"{seeded.reviews} reviews",
        since,
    )
    since = time.perf_counter()
    if collect is not None:
        if collect.wait() != 0:
            raise RuntimeError("collectstatic failed")
        stamp.write_text(fingerprint)
    # The same HTML as a static file served by the same server: the reference of the page figures.
    copies = static_root / "bench"
    copies.mkdir(exist_ok=True)
    client = Client()
    for name, url in _public_pages(seeded).items():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: status {response.status_code}")
        (copies / f"{name}.html").write_bytes(response.content)
    connections.close_all()
    run.phase("static files collected", since)
    since = time.perf_counter()
    run.serve(env)
    run.phase(f"site served on {run.host}", since)


def _public_pages(seeded: Seeded) -> dict[str, str]:
    return {"call_page": f"/editions/{seeded.edition_slug}/", "catalogue": "/demarches/"}


def surge(run: "Run", env: dict[str, str]) -> None:
    since = time.perf_counter()
    config, seeded = run.config, SEEDED["edition"]
    ledger_file = Path(env["STATIC_ROOT"]).parent / "surge-ledger.json"
    ledger_file.unlink(missing_ok=True)
    web_cpu, worker_cpu, database_before = run.cpu_seconds("gunicorn"), run.cpu_seconds("worker"), run.database_cpu()
    stats = run.locust(
        "surge",
        "bench/locust_surge.py",
        users=config.agents + config.visitors,
        seconds=config.surge_seconds,
        env={
            **env,
            "BENCH_SURGE_FILE": seeded.surge_file,
            "BENCH_LEDGER_FILE": str(ledger_file),
            "BENCH_CALL_PAGE": _public_pages(seeded)["call_page"],
            "BENCH_AGENTS": str(config.agents),
            "BENCH_VISITORS": str(config.visitors),
        },
    )
    ended = time.time()
    web_cpu, worker_cpu = run.cpu_seconds("gunicorn") - web_cpu, run.cpu_seconds("worker") - worker_cpu
    database_cpu = run.database_cpu() - database_before
    run.phase("surge", since)
    ledger = json.loads(ledger_file.read_text(encoding="utf-8"))
    queued_at_end = checks.pending_tasks()
    since = time.perf_counter()
    drained = _drain(run.config.drain_timeout)
    run.phase("drain", since)
    submitted = ledger["submitted"]
    first = ledger["first_request_at"] or ended
    last = max(submitted.values(), default=first)
    window = max(last - first, 1e-3)
    timings: dict[str, list[float]] = ledger["timings"]
    timings["all"] = [value for values in timings.values() for value in values]
    errors = sum(ledger["errors"].values())
    run.details["surge"] = {"locust_stats": stats, "window_s": round(window, 1), "errors": ledger["errors"]}
    run.figure(
        "surge.submissions_ok",
        len(submitted),
        f"of {config.drafts}",
    )
    run.figure("surge.window", round(window, 1), "s")
    run.figure(
        "surge.submissions_per_s",
        round(len(submitted) / window, 1),
        "/s",
        target="≥ 150",
        ok=len(submitted) / window >= 150,
    )
    run.figure("surge.requests_per_s", round(len(timings["all"]) / window, 1), "/s")
    for name in ("autosave", "submit", "call page", "all"):
        values = timings.get(name) or [0.0]
        label = name.replace(" ", "_")
        run.figure(f"surge.{label}.requests", len(timings.get(name, [])), "")
        for share in (0.5, 0.95, 0.99):
            value = round(measure.percentile(values, share))
            aim = name == "all" and share == 0.99
            run.figure(
                f"surge.{label}.p{round(share * 100)}",
                value,
                "ms",
                target="< 500" if aim else "",
                ok=value < 500 if aim else None,
            )
    run.figure("surge.errors", errors, "", target="0", ok=errors == 0)
    # Where the CPU went: what one submission (with its two autosaves and its share of call page
    # views) costs, hence the cores 150 submissions a second would need at this cost.
    if submitted:
        per_submission = (web_cpu + database_cpu) / len(submitted)
        run.figure("surge.web_cpu_ms_per_submission", round(1000 * web_cpu / len(submitted), 1), "ms")
        run.figure("surge.database_cpu_ms_per_submission", round(1000 * database_cpu / len(submitted), 1), "ms")
        run.figure("surge.cores_for_150_per_s", round(150 * per_submission, 1), "cores")
    run.figure("surge.task_workers_cpu_s", round(worker_cpu, 1), "s")
    run.figure("surge.receipts_queued_at_end", queued_at_end, "tasks")
    run.figure("surge.drain_seconds", drained, "s")
    failed = checks.failed_tasks()
    run.figure("surge.failed_tasks", failed, "", target="0", ok=failed == 0)
    outcome = checks.check_surge(ledger=ledger, edition_id=seeded.edition_id, expected_defis=seeded.defis)
    run.details["surge"]["check"] = outcome
    run.figure(
        "check.acknowledged_stored_once",
        outcome["stored_once"],
        "",
        target=f"= {outcome['acknowledged']}",
        ok=outcome["stored_once"] == outcome["acknowledged"],
    )
    run.figure("check.lost", outcome["missing"], "", target="0", ok=outcome["missing"] == 0)
    run.figure("check.duplicated", outcome["duplicated"], "", target="0", ok=outcome["duplicated"] == 0)
    run.figure(
        "check.receipts_not_exactly_one",
        outcome["receipts_per_coeditor_not_one"],
        "",
        target=f"0 of {outcome['receipts_expected']}",
        ok=outcome["receipts_per_coeditor_not_one"] == 0,
    )
    run.figure("check.draft_content_lost", outcome["drafts_lost"], "", target="0", ok=outcome["drafts_lost"] == 0)
    connections.close_all()


def _drain(timeout: int) -> float | None:
    """Seconds until no task is left to run, or None past the timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if checks.pending_tasks() == 0:
            return round(time.perf_counter() - started, 1)
        time.sleep(0.2)
    return None


def pages(run: "Run", env: dict[str, str]) -> None:
    since = time.perf_counter()
    config = run.config
    rates: dict[str, float] = {}
    for name, url in _public_pages(SEEDED["edition"]).items():
        for variant, path in (
            ("cached", url),
            ("uncached", url + "?bench=uncached"),
            ("static", f"{settings.STATIC_URL}bench/{name}.html"),
        ):
            label = f"{name}.{variant}"
            stats = run.locust(
                f"page-{name}-{variant}",
                "bench/locust_pages.py",
                users=config.page_users,
                seconds=config.page_seconds,
                env={**env, "BENCH_PAGE": path, "BENCH_PAGE_NAME": label},
            )
            row = stats.get(label, {})
            run.details.setdefault("pages", {})[label] = row
            rates[label] = row.get("rps", 0.0)
            run.figure(f"pages.{label}.rps", row.get("rps"), "/s")
            run.figure(f"pages.{label}.p95", row.get("p95_ms"), "ms")
            run.figure(f"pages.{label}.errors", row.get("failures"), "", target="0", ok=row.get("failures") == 0)
        static = rates[f"{name}.static"] or float("nan")
        ratio = round(rates[f"{name}.cached"] / static, 2)
        run.figure(f"pages.{name}.cached_vs_static", ratio, "×", target="≥ 0.5", ok=ratio >= 0.5)
        run.figure(f"pages.{name}.uncached_vs_static", round(rates[f"{name}.uncached"] / static, 2), "×")
    run.phase("anonymous pages", since)


def in_process(run: "Run") -> None:
    """With the web server and the workers stopped: lists, ranking, exports, assignment."""
    since = time.perf_counter()
    seeded = SEEDED["edition"]
    edition = Edition.objects.get(pk=seeded.edition_id)
    # Drafts the surge did not reach are submitted here, so that the lists hold every défi.
    late = Defi.objects.filter(edition=edition, status=Defi.Status.DRAFT).update(
        status=Defi.Status.SUBMITTED, submitted_at=timezone.now()
    )
    run.details["submitted_after_surge"] = late
    _analyze()
    juror_user = _first_juror_user(seeded) if has_reviews() else None
    results = measure.lists(
        edition=edition,
        team_user_id=seeded.team_user_id,
        juror_user_id=juror_user or None,
        runs=run.config.list_runs,
        budget_s=20,
    )
    run.details["lists"] = results
    counts = {}
    for name, row in results.items():
        if "error" in row:
            run.figure(f"lists.{name}", row["error"], "", ok=False)
            continue
        run.figure(f"lists.{name}.p50", row["p50_ms"], "ms")
        run.figure(f"lists.{name}.p95", row["p95_ms"], "ms", target=f"< {LIST_P95_MS}", ok=row["p95_ms"] < LIST_P95_MS)
        run.figure(f"lists.{name}.queries", row["queries"], "")
        counts[name] = row["queries"]
    # A list's queries do not grow with its rows: 50 rows of 2,000 (page 1 and page 20) and 10 rows.
    same = {counts.get(name) for name in ("team_list", "team_list_page_20", "team_list_ten_rows")}
    run.figure("lists.team_list.queries_constant_50_or_10_rows", len(same) == 1, "", target="true", ok=len(same) == 1)
    if not juror_user:
        say_missing(run, "lists.juror_queue / lists.ranking", "defis.reviews is not available")
    run.phase("authenticated lists", since)
    since = time.perf_counter()
    algorithms(run, edition, with_reviews=bool(juror_user))
    run.phase("algorithms", since)


def say_missing(run: "Run", name: str, why: str) -> None:
    run.figure(name, "not available", "", target=why)


def _first_juror_user(seeded: Seeded) -> int | None:
    from defis.reviews.models import Juror

    return (
        Juror.objects.filter(pk=seeded.juror_ids[0]).values_list("user_id", flat=True).first()
        if seeded.juror_ids
        else None
    )


def algorithms(run: "Run", edition: Edition, *, with_reviews: bool) -> None:
    seeded = SEEDED["edition"]
    for name, row in measure.exports(edition=edition, team_user_id=seeded.team_user_id).items():
        run.details[name] = row
        run.figure(f"algorithms.{name}.seconds", row["seconds"], "s", target="< 10", ok=row["seconds"] < 10)
        run.figure(f"algorithms.{name}.peak_mb", row["peak_mb"], "MB", target="< 300", ok=row["peak_mb"] < 300)
        run.figure(f"algorithms.{name}.peak_mb_tenth_of_rows", row["peak_mb_tenth_of_rows"], "MB")
    if not with_reviews:
        say_missing(run, "algorithms.ranking / algorithms.assignment", "defis.reviews is not available")
        return
    for name, row in measure.ranking(edition=edition).items():
        run.details[name] = row
        run.figure(f"algorithms.{name}.seconds", row["seconds"], "s", target="< 0.5", ok=row["seconds"] < 0.5)
        run.figure(f"algorithms.{name}.peak_mb", row["peak_mb"], "MB")
    outcome: dict[str, Any] = measure.assignment(
        edition=edition,
        k=run.config.reviews_per_defi,
        team_user_id=seeded.team_user_id,
        timeout_s=run.config.assign_timeout,
    )
    run.details["assignment"] = outcome
    run.figure("algorithms.assignment.read_seconds", outcome.get("read_seconds"), "s")
    if "seconds" not in outcome:
        run.figure("algorithms.assignment.seconds", f"> {run.config.assign_timeout}", "s", target="< 2", ok=False)
        return
    run.figure("algorithms.assignment.seconds", outcome["seconds"], "s", target="< 2", ok=outcome["seconds"] < 2)
    run.figure("algorithms.assignment.solver_seconds", outcome["solver_seconds"], "s")
    run.figure("algorithms.assignment.peak_rss_growth_mb", outcome["peak_rss_growth_mb"], "MB")
    run.figure("algorithms.assignment.load_spread", outcome["spread"], "", target="≤ 1", ok=outcome["spread"] <= 1)
    if outcome.get("state") != "done":
        stopped = f"> {run.config.assign_timeout}"
        run.figure("algorithms.assignment_service.seconds", stopped, "s", target="< 2", ok=False)
        return
    run.figure(
        "algorithms.assignment_service.seconds",
        outcome["service_seconds"],
        "s",
        target="< 2",
        ok=outcome["service_seconds"] < 2,
    )
