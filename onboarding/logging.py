"""A last line of defence: no log line may carry the upstream API key or a session token."""

import logging

from django.conf import settings

REDACTED = "[redacted]"


def secret_values() -> list[str]:
    """The secrets that must never be written anywhere a person can read."""
    values = [settings.WS_API_KEY]
    # Imported late: settings load this module before the client exists.
    from onboarding.wattshift.tokens import current_session_tokens

    values.extend(current_session_tokens())
    return [value for value in values if value and len(value) >= 4]


def redact(text: str) -> str:
    for value in secret_values():
        text = text.replace(value, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
