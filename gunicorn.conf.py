"""gunicorn in production (the Procfile's web process): `gunicorn --config gunicorn.conf.py
onboarding.wsgi`. Every number can be changed from the environment; see the README."""

import multiprocessing
import os

# The WattShift client's rule (onboarding.wattshift.transport): a call and its retries end
# within WS_API_DEADLINE seconds, 0 meaning this many times WS_API_TIMEOUT.
DEADLINE_FACTOR = 2.5
# The most WattShift calls one request waits on, one after the other: a Create home's
# homes/create and homes/solar/create, and a session token first with WS_API_AUTH=session-token.
CALLS_PER_REQUEST = 3
MARGIN_SECONDS = 15
MAX_WORKERS = 12


def _number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def upstream_deadline() -> float:
    timeout = _number("WS_API_TIMEOUT", 10)
    return _number("WS_API_DEADLINE", 0) or timeout * DEADLINE_FACTOR


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Processes for the CPU, threads for the waiting: most of a request is spent on WattShift.
workers = int(_number("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS)))
threads = int(_number("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A worker is killed only when stuck past the longest request that can be healthy: three calls
# that each use their whole deadline, and the page around them (90 s with the defaults).
timeout = int(CALLS_PER_REQUEST * upstream_deadline() + MARGIN_SECONDS)
# On a restart or a deploy, requests in flight (a Create home among them) get as long to finish.
graceful_timeout = timeout
# Behind a load balancer, connections are reused between requests.
keepalive = 5
# Restarts and reloads go through signals (HUP, TERM); no socket in $HOME that two servers on
# one machine would fight over.
control_socket_disable = True

loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
errorlog = "-"
accesslog = "-"
# Method and path only (a query string may hold a search for a customer's name), the status, the
# size, the milliseconds, and the request id the app put on the response.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # gunicorn's own lines as the app's are: one JSON object per line.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "onboarding.log_lines.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper()},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
