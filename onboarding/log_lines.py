"""What a log line looks like (plain, or one JSON object a line with LOG_FORMAT=json) and which
of Django's own lines are written. Loaded by logging's configuration, before the apps: it
imports nothing of Django's, so gunicorn.conf.py can use it too."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

# Every attribute a LogRecord has of its own; the rest came in `extra` (ws_endpoint, status...).
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
# Extras that are objects, not facts: Django's `request`, the dev server's socket.
_SKIPPED_EXTRAS = frozenset({"request", "server_time"})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, message, request_id, then the extra
    fields the code logged (the WattShift client's ws_*, the request line's status...)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and key not in _SKIPPED_EXTRAS:
                line[key] = value
        if record.exc_info:
            record.exc_text = record.exc_text or self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class ServerErrorsOnly(logging.Filter):
    """Django warns, with a traceback, about every 4xx it answers (a 404, a 403, a failed CSRF
    check, a lockout's 429). Those are expected refusals, already the request's own INFO line
    (onboarding.requests); only 5xx stay, at ERROR with their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return status is None or status >= 500
