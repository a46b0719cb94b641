"""`make bench`: seed a large edition in its own PostgreSQL database, serve it as production would,
load it with locust on 127.0.0.1, check the database, measure the lists and the algorithms, print
one line per figure and write bench/results.json. See bench/README.md.

Run from the repository's root: `.venv/bin/python -m bench.run` (BENCH_TASKS=rq for RQ on Redis).
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.config import Config

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results.json"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Run:
    """The processes the bench started, the figures it measured."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.port = _free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.figures: dict[str, dict[str, Any]] = {}
        self.details: dict[str, Any] = {}
        self.phases: dict[str, float] = {}
        self.started = time.perf_counter()
        self.load_at_start = round(os.getloadavg()[0], 2)

    # Figures ---------------------------------------------------------------------------------------

    def figure(self, name: str, value: Any, unit: str = "", *, target: str = "", ok: bool | None = None) -> None:
        self.figures[name] = {"value": value, "unit": unit, "target": target, "ok": ok}
        verdict = "" if ok is None else ("  ok" if ok else "  MISSED")
        aim = f"  (target {target})" if target else ""
        say(f"  {name:<44} {value!s:>12} {unit:<6}{aim}{verdict}")

    def phase(self, name: str, since: float) -> None:
        self.phases[name] = round(time.perf_counter() - since, 1)
        say(f"[{time.perf_counter() - self.started:6.0f} s] {name}: {self.phases[name]} s")

    # Processes -------------------------------------------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (VAR / f"{name}.log").open("wb")
        self.children[name] = subprocess.Popen(  # noqa: S603  # our own commands, no shell
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,  # noqa: S603  # our own commands
            start_new_session=True,
        )

    def stop(self, *names: str) -> None:
        for name in names or list(self.children):
            child = self.children.pop(name, None)
            if child is None or child.poll() is not None:
                continue
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait(5)

    def cpu_seconds(self, prefix: str) -> float:
        """CPU time used so far by the processes started under `prefix` and their children."""
        import psutil

        total = 0.0
        for name, child in self.children.items():
            if not name.startswith(prefix):
                continue
            try:
                root = psutil.Process(child.pid)
                for process in [root, *root.children(recursive=True)]:
                    times = process.cpu_times()
                    total += times.user + times.system + times.children_user + times.children_system
            except psutil.NoSuchProcess:
                continue
        return total

    @staticmethod
    def database_cpu() -> float:
        """CPU time used so far by the PostgreSQL server: its live processes, and the backends that
        exited (counted in the postmaster's children). Other databases of the server count too."""
        import psutil

        total = 0.0
        for process in psutil.process_iter(["name", "username"]):
            try:
                if process.info["username"] != "postgres" and not (process.info["name"] or "").startswith("postgres"):
                    continue
                times = process.cpu_times()
                total += times.user + times.system
                if process.ppid() == 1 or process.parent() is None or process.parent().username() != "postgres":
                    total += times.children_user + times.children_system  # the postmaster: exited backends
            except psutil.Error:
                continue
        return total

    def serve(self, env: dict[str, str]) -> None:
        """gunicorn with N sync workers, and the task workers of the configured backend."""
        self.spawn(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "defis.wsgi:application",
                "--workers",
                str(self.config.web_workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--preload",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            env,
        )
        for index in range(self.config.task_workers):
            if self.config.tasks == "rq":
                command = [
                    str(BIN / "python"),
                    "manage.py",
                    "rqworker",
                    "default",
                    "--job-class",
                    "django_tasks_rq.Job",
                    "--with-scheduler",
                    "--name",
                    f"bench-{index}-{self.port}",
                ]
            else:
                command = [str(BIN / "python"), "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"]
            self.spawn(f"worker-{index}", command, env)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                request = urllib.request.Request(self.host + "/", headers={"X-Forwarded-Proto": "https"})  # noqa: S310  # 127.0.0.1
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  # 127.0.0.1
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"the site did not answer on {self.host}: see {VAR / 'gunicorn.log'}")

    def locust(self, name: str, locustfile: str, *, users: int, seconds: int, env: dict[str, str]) -> dict[str, Any]:
        """Run locust headless for a bounded time; return its stats per request name."""
        command = [
            str(BIN / "locust"),
            "-f",
            locustfile,
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "15",
            "--host",
            self.host,
            "--csv",
            str(VAR / name),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ]
        with (VAR / f"{name}.log").open("wb") as log:
            subprocess.run(  # noqa: S603  # our own commands, no shell
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,  # noqa: S603
                timeout=seconds + 60,
            )
        return _stats(VAR / f"{name}_stats.csv")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stats(path: Path) -> dict[str, Any]:
    stats = {}
    if not path.exists():
        return stats
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):

            def number(key: str, row: dict[str, str] = row) -> float | None:
                value = row.get(key, "N/A")
                return None if value in ("N/A", "") else float(value)

            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": number("50%"),
                "p95_ms": number("95%"),
                "p99_ms": number("99%"),
                "max_ms": number("Max Response Time"),
            }
    return stats


def main() -> int:
    config = Config.from_env()
    VAR.mkdir(parents=True, exist_ok=True)
    env = config.environment(ROOT, VAR)
    os.environ.update(env)
    run = Run(config)
    say(
        f"Défis bench: tasks on {config.tasks}, {config.defis} défis, {config.web_workers} web workers, "
        f"{config.task_workers} task workers, load average {os.getloadavg()[0]:.1f}"
    )
    from bench import stages  # Django is configured from here on

    try:
        stages.prepare(run, env)
        stages.surge(run, env)
        stages.pages(run, env)
        run.stop()
        stages.in_process(run)
    finally:
        run.stop()
        if not config.keep_db:
            stages.drop_database(config)
    write(run)
    missed = [name for name, figure in run.figures.items() if figure["ok"] is False]
    say(
        f"{len(run.figures)} figures in {RESULTS.relative_to(ROOT)} ({time.perf_counter() - run.started:.0f} s); "
        f"targets missed: {', '.join(missed) or 'none'}"
    )
    return 0


def write(run: Run) -> None:
    """bench/results.json keeps one section per task backend: a run replaces its own."""
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    previous[run.config.tasks] = {
        "meta": {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": round(time.perf_counter() - run.started),
            "cpus": os.cpu_count(),
            "load_average_at_start": run.load_at_start,
            "load_average_at_end": round(os.getloadavg()[0], 2),
            "config": run.config.public(),
            "phases": run.phases,
        },
        "figures": run.figures,
        "details": run.details,
    }
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
