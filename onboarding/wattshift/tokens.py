"""Session tokens: minted with the API key, cached per client, renewed once when refused; and
every token minted lately, so the log filter can redact it."""

import threading
from collections import deque
from collections.abc import Callable

from django.views.decorators.debug import sensitive_variables

from onboarding.wattshift.errors import Unauthorized, WattShiftError

EXPIRED_CREDENTIAL = "AUTH_EXPIRED_CREDENTIAL"

# Every session token this process has minted recently, so the log filter can redact it.
_known_tokens: deque[str] = deque(maxlen=32)
_known_tokens_lock = threading.Lock()


def current_session_tokens() -> list[str]:
    """Session tokens minted recently by any client in this process (for log redaction)."""
    with _known_tokens_lock:
        return list(_known_tokens)


@sensitive_variables("token")
def remember_token(token: str) -> None:
    with _known_tokens_lock:
        if token not in _known_tokens:
            _known_tokens.append(token)


def refuses_the_token(error: WattShiftError) -> bool:
    """A 401, or WattShift saying the credential expired: the call was not processed."""
    if isinstance(error, Unauthorized) and error.status == 401:
        return True
    return error.error_code == EXPIRED_CREDENTIAL


class SessionTokens:
    """One client's token: minted on first use, shared by its threads, renewed when refused."""

    def __init__(self, mint: Callable[[], str]) -> None:
        self._mint = mint
        self._token: str | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "<SessionTokens>"

    @sensitive_variables("token", "fresh")
    def send[T](self, post: Callable[[str], T]) -> T:
        """post(token), and once more with a fresh token if that one was refused."""
        token = self._current()
        try:
            return post(token)
        except WattShiftError as error:
            if not refuses_the_token(error):
                raise
        # A refused token means the call was not processed, so one repeat is safe.
        fresh = self._renew(token)
        return post(fresh)

    def _current(self) -> str:
        with self._lock:
            if self._token is None:
                self._token = self._mint()
            return self._token

    @sensitive_variables("rejected")
    def _renew(self, rejected: str) -> str:
        with self._lock:
            # Another thread may already have replaced the rejected token.
            if self._token is None or self._token == rejected:
                self._token = self._mint()
            return self._token
