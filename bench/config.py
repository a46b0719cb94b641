"""What a bench run measures and with what, from BENCH_* variables (README: every variable)."""

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Config:
    tasks: str  # "db" (django-tasks-db) or "rq" (django-tasks-rq on Redis)
    defis: int
    organisations: int
    jurors: int
    reviews_per_defi: int
    drafts: int  # the drafts the surge submits; the others are submitted before it
    web_workers: int
    task_workers: int
    agents: int
    visitors: int
    surge_seconds: int
    page_users: int
    page_seconds: int
    drain_timeout: int
    assign_timeout: int
    list_runs: int
    keep_db: bool
    database: str
    postgres: str
    redis: str

    @classmethod
    def from_env(cls) -> "Config":
        tasks = os.environ.get("BENCH_TASKS", "db")
        if tasks not in ("db", "rq"):
            raise SystemExit("BENCH_TASKS is db or rq")
        return cls(
            tasks=tasks,
            defis=_int("BENCH_DEFIS", 2000),
            organisations=_int("BENCH_ORGANISATIONS", 500),
            jurors=_int("BENCH_JURORS", 120),
            reviews_per_defi=_int("BENCH_REVIEWS_PER_DEFI", 3),
            drafts=_int("BENCH_DRAFTS", 1500),
            web_workers=_int("BENCH_WEB_WORKERS", 4),
            task_workers=_int("BENCH_TASK_WORKERS", 2),
            agents=_int("BENCH_AGENTS", 12),
            visitors=_int("BENCH_VISITORS", 4),
            surge_seconds=_int("BENCH_SURGE_SECONDS", 60),
            page_users=_int("BENCH_PAGE_USERS", 8),
            page_seconds=_int("BENCH_PAGE_SECONDS", 15),
            drain_timeout=_int("BENCH_DRAIN_TIMEOUT", 180),
            assign_timeout=_int("BENCH_ASSIGN_TIMEOUT", 60),
            list_runs=_int("BENCH_LIST_RUNS", 20),
            keep_db=os.environ.get("BENCH_KEEP_DB", "") == "1",
            database=os.environ.get("BENCH_DATABASE", "defis_bench"),
            postgres=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
            redis=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379"),
        )

    def public(self) -> dict[str, Any]:
        return asdict(self)

    def environment(self, root: Path, var: Path) -> dict[str, str]:
        """The variables of every process of the run: production's settings, on 127.0.0.1."""
        backend = "django_tasks_rq.RQBackend" if self.tasks == "rq" else "django_tasks_db.DatabaseBackend"
        return {
            **os.environ,
            "PYTHONPATH": str(root),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"{self.postgres}/{self.database}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": "https://127.0.0.1",
            "CACHE_URL": f"{self.redis}/15",
            "RQ_URL": f"{self.redis}/14",
            "TASKS_BACKEND": backend,
            "STATIC_ROOT": str(var / "static"),
            "MEDIA_ROOT": str(var / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "DEFIS_LOG_LEVEL": "WARNING",
        }
