"""Settings for the onboarding wizard.

Every value comes from an environment variable with a safe development default;
the README's configuration table lists them all.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from onboarding.log_lines import PLAIN_FORMAT

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "onboarding.accounts",
    "onboarding.wizard",
    "onboarding.sandbox",
]

# The request id first, so every other middleware's log lines carry it. GZip comes after
# WhiteNoise (static files are compressed ahead of time) and before anything that reads or
# writes a body. Axes last, as its documentation asks: it turns a lockout into its page.
MIDDLEWARE = [
    "onboarding.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "onboarding.middleware.PermissionsPolicyMiddleware",
    "onboarding.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onboarding.urls"
WSGI_APPLICATION = "onboarding.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onboarding.context_processors.upstream",
                "onboarding.context_processors.field_conditions",
            ],
        },
    },
]

# Background work (checking WattShift again after an unknown outcome) goes through Django's
# Tasks framework, stored in the database; `manage.py worker` runs it (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Forms render through the project's Jinja2 templates (templates/jinja2/django/forms/):
# GOV.UK-shaped questions, with the inline error markup written once.
FORM_RENDERER = "onboarding.forms_renderer.FormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server's threads and the worker share the file: readers never wait for a writer
    # (WAL), and a writer waits its turn instead of failing. The tests use a file too, as their
    # live server and worker threads would otherwise trip over an in-memory database's locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache (one ZIP code's lookup, prices, the list of homes, the single-flight
# lock): Redis when REDIS_URL is set, else the database (its table made by migrate), sized for
# every ZIP code a company may use. Either fails soft (onboarding/cache.py). "local" is each
# process's own memory, in front of it for answers that cannot change within their window (a
# ZIP code's utilities): a step then needs no query to read them.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
SHARED_CACHE = (
    {
        "BACKEND": "onboarding.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that is down must not hold a page for long.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
    if REDIS_URL
    else {
        "BACKEND": "onboarding.cache.FailSoftDatabaseCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 10},
    }
)
CACHES = {
    "default": SHARED_CACHE,
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "onboarding-local",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# With Redis, sessions are read from it and kept in the database too (they survive a Redis
# restart; a Redis that is down falls back to the database).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "onboarding.accounts.roles.RoleAwareBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins (django-axes): after AXES_FAILURE_LIMIT failures within AXES_COOLOFF_MINUTES,
# sign-in is refused for that username, and for that address whatever the username, until the
# cool-off has passed or support unlocks it (admin: Axes > Access attempts, or
# `manage.py axes_reset_username NAME`). Every failure is kept in the admin's Access failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "onboarding.refusals.lockout"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, unless TRUSTED_PROXIES says how many proxies in front of
# the app append to X-Forwarded-For (1 by default behind a TLS-terminating proxy).
AXES_CLIENT_IP_CALLABLE = "onboarding.accounts.addresses.client_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "wizard:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
# English only, so the translation machinery stays off, as Django's docs advise: every page
# renders noticeably faster without it. The words stay marked for translation (translate,
# gettext); offering another language means USE_I18N = True, LANGUAGES and its .po files.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic gathers the files WhiteNoise serves with DEBUG off.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
# In development (and tests) files are served straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Production runs behind TLS; each of these can be relaxed by its variable.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXIES = int(
    os.environ.get("TRUSTED_PROXIES", "1" if env_bool("SECURE_PROXY_SSL_HEADER", False) else "0")
)
# The load balancer's health check, and the app calling its own sandbox over plain HTTP on the
# loopback (a staging copy behind TLS would otherwise answer its own API calls with a 301).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^sandbox/"]
# Features the app never uses are denied to every page; the home page's Copy button writes to
# the clipboard.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "bluetooth": [],
    "camera": [],
    "clipboard-read": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
}

# The WattShift upstream. Without WS_API_URL the app talks to its own sandbox over HTTP.
PORT = os.environ.get("PORT", "8000")
WS_USING_SANDBOX = not os.environ.get("WS_API_URL", "").strip()
# Where the app finds its own sandbox: this server's port, unless named. Under honcho every
# Procfile line gets its own PORT (the worker's is the web's + 100): `make serve` names it.
WS_SANDBOX_URL = os.environ.get("WS_SANDBOX_URL", "").strip().rstrip("/") or (
    f"http://127.0.0.1:{PORT}/sandbox"
)
WS_API_URL = os.environ.get("WS_API_URL", "").strip().rstrip("/") or WS_SANDBOX_URL
# The sandbox is served only while it is the upstream, unless asked for explicitly.
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", WS_USING_SANDBOX)
WS_SANDBOX_API_KEY = os.environ.get("WS_SANDBOX_API_KEY", "")
if not WS_SANDBOX_API_KEY:
    if SANDBOX_ENABLED and not DEBUG:
        raise ImproperlyConfigured(
            "With DEBUG off, set WS_API_URL and WS_API_KEY for the WattShift API, "
            "or WS_SANDBOX_API_KEY to serve the built-in sandbox on purpose."
        )
    WS_SANDBOX_API_KEY = "sandbox-key-not-a-secret"  # development only
WS_API_KEY = os.environ.get("WS_API_KEY", "")
if not WS_API_KEY:
    if not WS_USING_SANDBOX:
        raise ImproperlyConfigured("WS_API_KEY must be set when WS_API_URL names a real upstream.")
    WS_API_KEY = WS_SANDBOX_API_KEY
WS_API_AUTH = os.environ.get("WS_API_AUTH", "api-key")
if WS_API_AUTH not in {"api-key", "session-token"}:
    raise ImproperlyConfigured("WS_API_AUTH must be 'api-key' or 'session-token'.")
WS_API_TIMEOUT = float(os.environ.get("WS_API_TIMEOUT", "10"))
# Extra attempts for calls a repeat cannot harm (never homes/create), and the first pause (s).
WS_API_RETRIES = int(os.environ.get("WS_API_RETRIES", "2"))
WS_API_BACKOFF = float(os.environ.get("WS_API_BACKOFF", "0.2"))
# A call with all its retries ends within this many seconds; 0 means 2.5 x WS_API_TIMEOUT.
WS_API_DEADLINE = float(os.environ.get("WS_API_DEADLINE", "0"))
# After a create with an unknown outcome, homes/list finding no match proves the home was not
# created only once this many seconds have passed since the create was sent. Unset (None)
# means 2 x WS_API_TIMEOUT, read at call time.
WS_RECONCILE_GRACE_SECONDS = (
    float(os.environ["WS_RECONCILE_GRACE_SECONDS"])
    if os.environ.get("WS_RECONCILE_GRACE_SECONDS", "").strip()
    else None
)
# Background checks (manage.py worker): how long one check may hold its onboarding before
# another worker may take it over (a worker that died mid-check), and how often each worker
# says it is alive (/healthz) and puts such lost checks back in the queue.
WS_CHECK_LEASE_SECONDS = float(os.environ.get("WS_CHECK_LEASE_SECONDS", "120"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
# A person waits at most this long for a ZIP code's utilities (seconds, retries included),
# however slow WattShift is; a create keeps its own, longer WS_API_TIMEOUT.
WS_LOOKUP_TIMEOUT = float(os.environ.get("WS_LOOKUP_TIMEOUT", str(min(WS_API_TIMEOUT, 5.0))))
WS_LOOKUP_DEADLINE = float(os.environ.get("WS_LOOKUP_DEADLINE", str(WS_LOOKUP_TIMEOUT + 0.5)))
# How long one ZIP code's utilities are cached (seconds).
WS_UTILITY_CACHE_SECONDS = int(os.environ.get("WS_UTILITY_CACHE_SECONDS", "3600"))
# After this many seconds still waiting on WattShift, a button's slow message shows (app.js).
SLOW_NOTICE_SECONDS = float(os.environ.get("SLOW_NOTICE_SECONDS", "4"))
# How long the sandbox's "slow" test triggers wait before answering (seconds).
WS_SANDBOX_SLOW_SECONDS = float(os.environ.get("WS_SANDBOX_SLOW_SECONDS", str(WS_API_TIMEOUT + 2)))
# Seconds the sandbox waits before answering every call, to play a distant upstream (make bench).
WS_SANDBOX_LATENCY_SECONDS = float(os.environ.get("WS_SANDBOX_LATENCY_SECONDS", "0"))

# Error pages show the request id (templates/403.html, 404.html, 500.html, 403_csrf.html).
CSRF_FAILURE_VIEW = "onboarding.refusals.csrf_failure"

# One line per request on onboarding.requests (with its id on every line of that request);
# LOG_FORMAT=json writes one JSON object per line. Secrets are redacted on every handler.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "onboarding.request_id.RequestIdFilter"},
        "redact_secrets": {"()": "onboarding.logging.RedactSecrets"},
        "server_errors_only": {"()": "onboarding.log_lines.ServerErrorsOnly"},
    },
    "formatters": {
        "plain": {"format": PLAIN_FORMAT},
        "json": {"()": "onboarding.log_lines.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (a second console in development) go: every line leaves by the
        # console above, with its filters.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["server_errors_only"]},
        "django.security.csrf": {"filters": ["server_errors_only"]},
        "django.server": {"level": "WARNING", "filters": ["server_errors_only"]},
        # A failed sign-in is the request's own line; axes keeps the details in its tables.
        "axes": {"level": "ERROR"},
    },
}
