"""Production settings: the project's settings, hardened, every value from the environment.

Run with DJANGO_SETTINGS_MODULE=defis.settings_production behind a TLS-terminating proxy that sets
X-Forwarded-Proto. Required: SECRET_KEY, DATABASE_URL (PostgreSQL), ALLOWED_HOSTS, SITE_URL and
CACHE_URL (Redis, or `dbcache://defis_cache` after `manage.py createcachetable`): the cache holds the
sign-in rate limits and lockouts, which must be shared by every web process.
"""

from defis.settings import *  # noqa: F403  # the project's settings, then what production changes
from defis.settings import CONTENT_SECURITY_POLICY, MIDDLEWARE, STORAGES, env

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SITE_URL = env.str("SITE_URL")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CACHES = {"default": env.cache("CACHE_URL")}
# Any web process reads any session: stored in the database, read through the shared cache (one
# query less per signed-in request; a cache miss or a flushed cache falls back on the database).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# TLS: the proxy terminates it and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63_072_000)  # two years, as HSTS preload asks
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},
}

# Static files: collected at deploy time, served hashed and compressed by WhiteNoise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Anonymous GETs of the public pages (home, call pages, catalogue) answered from the shared cache;
# a change shows within PUBLIC_PAGE_CACHE_SECONDS (60 s by default).
if env.bool("PUBLIC_PAGE_CACHE", default=True):
    MIDDLEWARE = [*MIDDLEWARE, "defis.common.cache.PublicPageCacheMiddleware"]
