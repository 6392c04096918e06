"""Django settings, read from the environment.

Everything an operator may change comes from a ``COMMONGROUND_*`` variable or
``DATABASE_URL``. Development is the default; ``COMMONGROUND_ENV=production``
turns on the hardened defaults and refuses to start without a secret key and
allowed hosts, so a misconfigured deployment fails at start rather than in use.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from commonground.database_config import from_url, sqlite

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str | None = None) -> str | None:
    """Read a setting, also from ``<NAME>_FILE`` (for secrets mounted as files)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


ENVIRONMENT = env("COMMONGROUND_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("COMMONGROUND_ENV must be development, production or test")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env("COMMONGROUND_DATA_DIR", "var") or "var").resolve()


def _secret_key() -> str:
    key = env("COMMONGROUND_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("COMMONGROUND_SECRET_KEY is required in production")
    # Development: a random key kept in the data directory, so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("COMMONGROUND_DEBUG", False)

_hosts = env("COMMONGROUND_ALLOWED_HOSTS")
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured("COMMONGROUND_ALLOWED_HOSTS is required in production")
ALLOWED_HOSTS = [h.strip() for h in (_hosts or "127.0.0.1,localhost,testserver").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (env("COMMONGROUND_CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_countries",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "commonground.core",
    "commonground.access",
    "commonground.participants",
    "commonground.forums",
    "commonground.issues",
    "commonground.recognition",
    "commonground.ledger",
    "commonground.dialogue",
    "commonground.notifications",
    "commonground.contributions",
    "commonground.network",
    "commonground.federation",
    "commonground.outcomes",
    "commonground.meetings",
    "commonground.opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads the database: it chooses where this request's reads go
    # (the read replica, when one is configured) and pins a writer to the primary.
    "commonground.core.replica.ReplicaMiddleware",
    # Before anything that could read the body: an API body over the limit is a 413 (JSON).
    "commonground.api.middleware.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the middleware and views below answer (static files are answered above).
    "commonground.core.middleware.CompressionMiddleware",
    # An anonymous reader's stored page inside the window, before sessions, CSRF and
    # authentication run (commonground.core.read_cache_middleware; the rest on a miss).
    "commonground.core.read_cache_middleware.EarlyReadCacheMiddleware",
    # Django's session, authentication and messages middleware, passed through by an API
    # request with a bearer token, which uses none of them, and its locale middleware, which
    # finds such a request's language once per Accept-Language (commonground.api.token_lane).
    "commonground.api.token_lane.SessionMiddleware",
    "commonground.api.token_lane.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "commonground.api.token_lane.AuthenticationMiddleware",
    "commonground.api.token_lane.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "commonground.api.middleware.BearerTokenMiddleware",
    # A member's chosen language over the cookie and Accept-Language (after both users are known).
    "commonground.participants.middleware.MemberLanguageMiddleware",
    "commonground.core.middleware.SecurityHeadersMiddleware",
    # Last: it runs the view itself on a miss (commonground.core.read_cache_middleware).
    "commonground.core.read_cache_middleware.ReadCacheMiddleware",
]

# Reads served to anonymous readers from the shared cache, keyed by the versions of what
# they show (docs/performance.md, "Read path"): (path regex, key function). 0 seconds
# turns it off.
COMMONGROUND_READ_CACHE_SECONDS = int(env("COMMONGROUND_READ_CACHE_SECONDS", "60") or 60)
# Anonymous readers may be served a page whose versions were read up to this many seconds
# ago (a read replica's lag; members always read the current one); 0: always current.
COMMONGROUND_READ_STALE_SECONDS = float(env("COMMONGROUND_READ_STALE_SECONDS", "2") or 0)
COMMONGROUND_READ_CACHE_ROUTES = [
    (r"/forums/(?P<slug>[-\w]+)/agenda/", "commonground.issues.read_keys.forum_cycle"),
    (r"/api/v1/forums/(?P<slug>[-\w]+)/agenda", "commonground.issues.read_keys.forum_cycle"),
    (r"/forums/(?P<slug>[-\w]+)/issues/", "commonground.issues.read_keys.forum_cycle"),
    (r"/api/v1/forums/(?P<slug>[-\w]+)/issues", "commonground.issues.read_keys.forum_cycle"),
    (r"/issues/(?P<pk>[0-9]+)/", "commonground.recognition.read_keys.issue_page"),
    (r"/api/v1/issues/(?P<pk>[0-9]+)", "commonground.issues.read_keys.issue_only"),
]

# Sections of cached pages kept under versions of their own ({% readcached %},
# commonground.core.templatetags.readcached): name -> key function.
COMMONGROUND_READ_CACHE_SECTIONS = {
    "issue-network": "commonground.issues.read_keys.issue_network_section",
    "issue-contributions": "commonground.issues.read_keys.issue_contributions_section",
}

ROOT_URLCONF = "commonground.urls"
# bench/load.py serves its baselines (a minimal view, the floor write) from a bench-only
# URLconf named here; never in production.
_bench_urlconf = env("COMMONGROUND_BENCH_URLCONF")
if _bench_urlconf:
    if PRODUCTION:
        raise ImproperlyConfigured("COMMONGROUND_BENCH_URLCONF is for benchmarks, not production")
    ROOT_URLCONF = _bench_urlconf
WSGI_APPLICATION = "commonground.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # After Django's built-in csrf processor, so this lazy token is the one
                # templates see: the same token for a sixth of the CPU (core/csrf.py).
                "commonground.core.csrf.csrf",
            ],
        },
    }
]


# How long a gunicorn thread keeps its PostgreSQL connection between requests, in seconds.
# A new connection costs PostgreSQL a backend with cold catalog caches and the hot
# statements prepared and planned again (core/prepared.py): about 0.1 s of its CPU, and
# the threads' connections, made together, all expired together, once a minute with 60
# (docs/performance.md, "A connection kept"). The health check still replaces a broken
# one before a request uses it.
COMMONGROUND_DB_CONN_MAX_AGE = int(env("COMMONGROUND_DB_CONN_MAX_AGE") or 600)
# Sessions share no prepared statements behind a pooler in transaction mode (PgBouncer).
COMMONGROUND_PGBOUNCER = env_bool("COMMONGROUND_PGBOUNCER", False)


def _database() -> dict[str, Any]:
    url = env("DATABASE_URL")
    if url:
        return from_url(url, COMMONGROUND_DB_CONN_MAX_AGE, COMMONGROUND_PGBOUNCER)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = env("COMMONGROUND_SQLITE_PATH") or str(DATA_DIR / "commonground.sqlite3")
    return sqlite(path, DATA_DIR)


DATABASES = {"default": _database()}
# A streaming read replica (docs/deployment.md): read-heavy GETs read it, through
# commonground.core.replica's router, except for a member who wrote in the last
# COMMONGROUND_REPLICA_PIN_SECONDS seconds (read-your-writes).
_replica_url = env("DATABASE_REPLICA_URL")
if _replica_url:
    _replica = from_url(_replica_url, COMMONGROUND_DB_CONN_MAX_AGE, COMMONGROUND_PGBOUNCER)
    _replica["TEST"] = {"MIRROR": "default"}  # tests read the primary through the router
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["commonground.core.replica.ReplicaRouter"]
COMMONGROUND_REPLICA_PIN_SECONDS = int(env("COMMONGROUND_REPLICA_PIN_SECONDS") or 5)
# Path prefixes whose GETs may read the replica: agenda, lists and issue pages, feeds,
# open data and the ledger, and every GET of the API.
COMMONGROUND_REPLICA_PATHS = tuple(
    p.strip()
    for p in (env("COMMONGROUND_REPLICA_PATHS") or "/forums/,/issues/,/ledger/,/api/v1/").split(",")
    if p.strip()
)

# Django's cache holds what several requests share: the login and password-reset rate
# limits (allauth) above all. It must be one store for every server process, or each
# gunicorn worker counts on its own and the limits multiply (docs/security.md). The
# default is the database cache (a table created by a migration, on SQLite and PostgreSQL
# alike; commonground.core.dbcache writes a key in one statement, not five);
# COMMONGROUND_CACHE_URL=redis://host:6379/0 uses Redis instead (with
# the `redis` extra installed). locmem:// is a per-process cache: development only,
# `check --deploy` refuses it.
CACHE_TABLE = "commonground_cache"


def _cache() -> dict[str, object]:
    url = (env("COMMONGROUND_CACHE_URL", "") or "").strip()
    if not url or url == "database":
        return {
            "BACKEND": "commonground.core.dbcache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Culling drops entries once the table is this full; rate-limit counters must
            # not be pushed out by a flood of other keys, so the ceiling is generous.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                "COMMONGROUND_CACHE_URL names Redis but the redis package is missing: "
                "install the 'redis' extra (uv sync --extra redis)"
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        "COMMONGROUND_CACHE_URL must be empty (the database cache), redis://..., "
        "rediss://..., unix://... or locmem://"
    )


CACHES = {"default": _cache()}

# Background tasks (django-tasks; docs/dialogue.md). "immediate" runs a task at once in
# the process that enqueues it (the default: tests, one-off commands); "database"
# (django-tasks-db) queues it in the database for the worker that `commonground serve`
# and `demo` start beside gunicorn (or `commonground worker`). serve and demo choose
# "database" unless told.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks = env("COMMONGROUND_TASKS", "immediate") or "immediate"
if _tasks not in _TASK_BACKENDS:
    raise ImproperlyConfigured("COMMONGROUND_TASKS must be immediate or database")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "participants.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): e-mail is the login, verified before first login.
ACCOUNT_ADAPTER = "commonground.participants.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Adds the display name to sign-up and normalizes the e-mail first (participants/forms.py).
ACCOUNT_SIGNUP_FORM_CLASS = "commonground.participants.forms.SignupDetailsForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("COMMONGROUND_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Brute-force limits (allauth "amount/period/per"; "key" is the e-mail). They are counted
# in Django's cache (CACHES above), which every server process shares (docs/security.md).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",  # every login attempt, whatever the outcome
    "login_failed": "20/h/ip,10/h/key",  # failed logins per IP and per e-mail
    "reset_password": "20/h/ip,5/h/key",  # password-reset requests per IP and per e-mail
}
# Named rate limits on members' writes (notifications/limits.py, docs/permissions.md): a
# count per name overrides the default; 0 switches that limit off.
COMMONGROUND_RATE_LIMITS: dict[str, int] = {}
# The site's public address, for links in e-mails, e.g. https://forum.example. Every link in
# every e-mail is absolute: without the setting, the first allowed host is the address
# (`serve` and `demo` set it to where they listen, outside production).
COMMONGROUND_SITE_URL = (env("COMMONGROUND_SITE_URL", "") or "").rstrip("/") or (
    f"{'https' if PRODUCTION else 'http'}://{ALLOWED_HOSTS[0]}"
)


def _public_url() -> str:
    """This instance's public base URL for other instances (docs/federation.md, "Identity").

    Required in production; ``serve`` and ``demo`` default it to ``http://127.0.0.1:<port>``
    outside production. Kept without a trailing slash.
    """
    raw = (env("COMMONGROUND_PUBLIC_URL", "") or "").strip()
    if not raw:
        if PRODUCTION:
            raise ImproperlyConfigured("COMMONGROUND_PUBLIC_URL is required in production")
        return "http://127.0.0.1:8000"
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            "COMMONGROUND_PUBLIC_URL must be an http(s) base URL such as https://forum.example.org"
        )
    return raw.rstrip("/")


COMMONGROUND_PUBLIC_URL = _public_url()
# The site's name, in the subject and greeting of every e-mail (not the request's host).
COMMONGROUND_SITE_NAME = env("COMMONGROUND_SITE_NAME", "Common Ground") or "Common Ground"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{COMMONGROUND_SITE_NAME}] "
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

EMAIL_BACKEND = (
    env("COMMONGROUND_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend") or ""
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env("COMMONGROUND_EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = int(env("COMMONGROUND_EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("COMMONGROUND_EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("COMMONGROUND_EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("COMMONGROUND_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("COMMONGROUND_FROM_EMAIL", "forum@commonground.invalid") or ""

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("ru", "Русский"),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# `serve` and `demo` collect the static files into STATIC_ROOT at start-up (when they
# changed) under names carrying a hash of their content, with gzip and Brotli copies, and
# set COMMONGROUND_STATIC=collected for their process: WhiteNoise then serves the
# compressed copy a browser accepts, with a far-future, immutable cache lifetime.
# Everywhere else (tests, management commands) the files are served straight from the
# app directories under their plain names: no collectstatic step is needed to run.
STATIC_COLLECTED = env("COMMONGROUND_STATIC", "") == "collected"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "commonground.core.staticfiles.StaticStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # the plain names are served from the app folders

# Hardened defaults. In development over plain HTTP the secure-cookie and
# HSTS settings would lock people out, so they follow PRODUCTION.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# A refused form (a tab left open past its session, a page from another site) gets the
# site's own page in the reader's language, not Django's technical one.
CSRF_FAILURE_VIEW = "commonground.core.views.csrf_failure"
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("COMMONGROUND_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Ledger checkpoints (docs/ledger.md): the Ed25519 signing key is the PEM text in
# COMMONGROUND_LEDGER_KEY if set, else the PEM file COMMONGROUND_LEDGER_KEY_FILE, created
# (mode 0600) on first use. The origin names this ledger in every signed checkpoint.
COMMONGROUND_LEDGER_KEY = os.environ.get("COMMONGROUND_LEDGER_KEY") or None
COMMONGROUND_LEDGER_KEY_FILE = Path(
    os.environ.get("COMMONGROUND_LEDGER_KEY_FILE") or DATA_DIR / "ledger_ed25519.pem"
)
COMMONGROUND_LEDGER_ORIGIN = os.environ.get("COMMONGROUND_LEDGER_ORIGIN") or "commonground"
# `ledger verify` fails when an entry older than this many seconds is covered by no
# checkpoint (deleted checkpoints, or none published); 0 turns the check off.
COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE = int(
    os.environ.get("COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE") or 86_400
)
# How writes reach the ledger (docs/ledger.md, section 7). "inline": each write takes the
# ledger head's lock and its entry's sequence number in its own transaction (all writes of
# the instance run one at a time). "batched": each write appends a pending entry without
# any global lock, and the sequencer (in `commonground worker`, one at a time under a
# PostgreSQL advisory lock) integrates pending entries every MERGE_INTERVAL seconds,
# promising to do so within MAX_MERGE_DELAY seconds. Default: batched on PostgreSQL in
# production (and under `commonground serve` on PostgreSQL), inline otherwise.
_SEQUENCING = {"inline", "batched"}
_db_is_postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
COMMONGROUND_LEDGER_SEQUENCING = env("COMMONGROUND_LEDGER_SEQUENCING") or (
    "batched" if PRODUCTION and _db_is_postgres else "inline"
)
if COMMONGROUND_LEDGER_SEQUENCING not in _SEQUENCING:
    raise ImproperlyConfigured("COMMONGROUND_LEDGER_SEQUENCING must be inline or batched")
COMMONGROUND_LEDGER_MERGE_INTERVAL = float(env("COMMONGROUND_LEDGER_MERGE_INTERVAL") or 0.2)
COMMONGROUND_LEDGER_MAX_MERGE_DELAY = int(env("COMMONGROUND_LEDGER_MAX_MERGE_DELAY") or 10)
# The worker signs a checkpoint and runs `ledger audit` this often (seconds; 0: never).
COMMONGROUND_LEDGER_AUDIT_EVERY = int(os.environ.get("COMMONGROUND_LEDGER_AUDIT_EVERY") or 3600)
# Deliveries to other instances (docs/federation.md): the first retry waits this many
# seconds, each next one twice as long, up to the maximum number of attempts.
COMMONGROUND_FEDERATION_RETRY_BASE_S = float(
    os.environ.get("COMMONGROUND_FEDERATION_RETRY_BASE_S") or 30
)
COMMONGROUND_FEDERATION_MAX_ATTEMPTS = int(
    os.environ.get("COMMONGROUND_FEDERATION_MAX_ATTEMPTS") or 8
)
