"""Settings of `make bench`: production's (defis.settings_production), every value from the
environment that bench/run.py sets, plus the two things production does not wire yet:

- the public page cache (defis.common.cache), last in MIDDLEWARE, unless BENCH_PUBLIC_CACHE=0;
- RQ when TASKS_BACKEND names django-tasks-rq: the django_rq app and its queue on RQ_URL.

Each is added only if production does not already have it, so the bench measures production's
settings as soon as they include them.
"""

from defis.settings_production import *  # noqa: F403  # production, then what the bench adds
from defis.settings_production import INSTALLED_APPS, MIDDLEWARE, TASKS, env

if env.bool("BENCH_PUBLIC_CACHE", default=True) and "defis.common.cache.PublicPageCacheMiddleware" not in MIDDLEWARE:
    MIDDLEWARE = [*MIDDLEWARE, "defis.common.cache.PublicPageCacheMiddleware"]

if TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
    if "django_rq" not in INSTALLED_APPS:
        INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    if "RQ_QUEUES" not in globals():
        RQ_QUEUES = {"default": {"URL": env.str("RQ_URL", default="redis://127.0.0.1:6379/14"), "DEFAULT_TIMEOUT": 300}}
