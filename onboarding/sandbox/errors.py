"""The sandbox's error answers: the envelope of UPSTREAM_API.md section 5, as WattShift's own.

Only the deliberately broken trigger answers (a proxy's HTML page, a body that is not JSON)
are not enveloped, so the client's tolerance of older shapes stays exercised.
"""

import secrets
from enum import StrEnum

from django.http import JsonResponse


class ErrorCode(StrEnum):
    """The documented error codes the sandbox gives."""

    AUTH_MISSING_API_KEY = "AUTH_MISSING_API_KEY"
    AUTH_INVALID_API_KEY = "AUTH_INVALID_API_KEY"
    AUTH_EXPIRED_CREDENTIAL = "AUTH_EXPIRED_CREDENTIAL"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    RATE_LIMITED = "RATE_LIMITED"
    NOT_FOUND = "NOT_FOUND"
    INTERNAL_ERROR = "INTERNAL_ERROR"


CODE_OF_STATUS = {
    400: ErrorCode.VALIDATION_FAILED,
    401: ErrorCode.AUTH_INVALID_API_KEY,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.VALIDATION_FAILED,
    409: ErrorCode.NOT_FOUND,
    429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.INTERNAL_ERROR,
    503: ErrorCode.INTERNAL_ERROR,
}
TRY_LATER = (
    "Try again in a few minutes; if it keeps failing, give WattShift support the request_id."
)
RECOVERY_OF_CODE = {
    ErrorCode.AUTH_MISSING_API_KEY: (
        "Send the API key in the x-ws-api-key header (session tokens are minted with it)."
    ),
    ErrorCode.AUTH_INVALID_API_KEY: (
        "Check the API key, or send a session token from onboarding/session-token/generate "
        "as Authorization: Bearer."
    ),
    ErrorCode.AUTH_EXPIRED_CREDENTIAL: (
        "Generate a new session token with onboarding/session-token/generate."
    ),
    ErrorCode.RATE_LIMITED: "Wait retry_after_seconds before sending another request.",
    ErrorCode.INTERNAL_ERROR: TRY_LATER,
}


class ApiError(Exception):
    """A refusal or failure a handler raises; `field` is the request field it is about."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str = "",
        code: ErrorCode | None = None,
        recovery: str = "",
        retry_after: int | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.field = field
        self.code = code or CODE_OF_STATUS.get(status, ErrorCode.INTERNAL_ERROR)
        self.recovery = recovery or RECOVERY_OF_CODE.get(self.code, "")
        self.retry_after = retry_after
        super().__init__(message)

    def response(self) -> JsonResponse:
        body: dict[str, object] = {
            "request_id": f"req_{secrets.token_hex(8)}",
            "error_code": self.code.value,
            "message": self.message,
        }
        if self.recovery:
            body["recovery_action"] = self.recovery
        if self.field:
            body["field_errors"] = [{"field": self.field, "message": self.message}]
        if self.retry_after is not None:
            body["retry_after_seconds"] = self.retry_after
        response = JsonResponse(body, status=self.status)
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response
