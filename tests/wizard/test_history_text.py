"""The history in words (onboarding/wizard/history_text.py): each kind of event the services
write reads as a sentence a support agent can say on the phone, without code words, and a
failed call keeps its technical record for a ticket to WattShift.

Each event is built as the service that writes it builds it (`history.event`, or
`history.failure` with the error the client raises), then saved and read back.
"""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings

from onboarding.wattshift.errors import (
    InvalidAnswer,
    RateLimited,
    ReadTimedOut,
    Rejected,
    Unauthorized,
    UpstreamServerError,
    UpstreamUnavailable,
)
from onboarding.wattshift.types import ErrorEnvelope, FieldError
from onboarding.wizard import history_text
from onboarding.wizard.models import Event, Onboarding
from onboarding.wizard.services import history
from onboarding.wizard.services.history import Action, Outcome
from tests.wizard import factories
from tests.wizard.upstream import HOME_ID

# What the history used to say, and must never say again.
CODE_WORDS = (
    "submit claimed",
    "reconcile",
    "too_soon",
    "UpstreamServerError",
    "homes listed",
    "0 seconds",
)

REFUSED_NAME = Rejected(
    "The WattShift service refused the request: Request validation failed.",
    status=400,
    envelope=ErrorEnvelope(
        request_id="req_5f2a",
        message="Request validation failed.",
        error_code="VALIDATION_FAILED",
        field_errors=(FieldError("name", "This name is not accepted by WattShift."),),
    ),
)
# An older answer without the envelope: only our own sentence around its reason.
REFUSED_ZIP = Rejected("The WattShift service refused the request: zipcode is not served")

Build = Callable[[User, User], Event]

# (how the service builds the event, from Ina the installer and Sam of support; the sentence)
SENTENCES: dict[str, tuple[Build, str]] = {
    "submit sent": (
        lambda ina, sam: history.event(Action.SUBMIT, Outcome.CLAIMED, by=ina),
        "Ina sent the home to WattShift",
    ),
    "submit sent for solar only": (
        lambda ina, sam: history.event(
            Action.SUBMIT, Outcome.CLAIMED, by=ina, params={"solar_only": True}
        ),
        "Ina tried adding solar again",
    ),
    "submit stopped: an answer changed": (
        lambda ina, sam: history.event(
            Action.SUBMIT, Outcome.SKIPPED, by=ina, params={"fields": ["home_name"]}
        ),
        "Nothing was sent: an answer changed while the home was being sent",
    ),
    "created": (
        lambda ina, sam: history.event(
            Action.CREATE_HOME, Outcome.SUCCEEDED, by=ina, params={"home_id": HOME_ID}
        ),
        f"WattShift created the home: {HOME_ID}",
    ),
    "no answer in time": (
        lambda ina, sam: history.failure(
            Action.CREATE_HOME, ReadTimedOut(outcome_known=False), by=ina
        ),
        "Sent to WattShift; no answer within 10 s",
    ),
    "server error after sending": (
        lambda ina, sam: history.failure(
            Action.CREATE_HOME, UpstreamServerError(status=500, outcome_known=False), by=ina
        ),
        "Sent to WattShift; it answered with an error, so it may or may not have done it",
    ),
    "not reached": (
        lambda ina, sam: history.failure(Action.CREATE_HOME, UpstreamUnavailable(), by=ina),
        "Could not reach WattShift, so nothing was sent",
    ),
    "refused, with WattShift's words": (
        lambda ina, sam: history.failure(Action.CREATE_HOME, REFUSED_NAME, by=ina),
        "WattShift refused it: This name is not accepted by WattShift.",
    ),
    "refused, an older answer": (
        lambda ina, sam: history.failure(Action.CREATE_HOME, REFUSED_ZIP, by=ina),
        "The WattShift service refused the request: zipcode is not served",
    ),
    "credentials refused": (
        lambda ina, sam: history.failure(
            Action.CREATE_HOME,
            Unauthorized(
                status=401,
                envelope=ErrorEnvelope(
                    request_id="req_9",
                    message="Invalid API key.",
                    error_code="AUTH_INVALID_API_KEY",
                ),
            ),
            by=ina,
        ),
        "WattShift refused it: Invalid API key.",
    ),
    "rate limited": (
        lambda ina, sam: history.failure(
            Action.CREATE_HOME, RateLimited(retry_after=120, status=429), by=ina
        ),
        "WattShift was too busy and asked to wait: WattShift is receiving too many requests. "
        "Try again in about 2 minutes.",
    ),
    "a bug after sending": (
        lambda ina, sam: history.event(
            Action.CREATE_HOME, Outcome.UNKNOWN, by=ina, params={"error": "bug"}
        ),
        "Sent to WattShift, then this app hit an error; it may or may not have done it",
    ),
    "created, but another id was recorded": (
        lambda ina, sam: history.event(
            Action.CREATE_HOME,
            Outcome.NOT_RECORDED,
            by=ina,
            params={"home_id": "ws_home_2", "recorded": HOME_ID},
        ),
        "WattShift created home ws_home_2, but another home id was already recorded: support "
        "must check for a second home",
    ),
    "solar added": (
        lambda ina, sam: history.event(
            Action.ADD_SOLAR,
            Outcome.SUCCEEDED,
            by=ina,
            params={"size_kw": "7.6", "net_metered": True},
        ),
        "Solar added: 7.6 kW, net metered",
    ),
    "solar set again with an update": (
        lambda ina, sam: history.event(
            Action.UPDATE_SOLAR,
            Outcome.SUCCEEDED,
            by=ina,
            params={"size_kw": "5", "net_metered": False},
        ),
        "Solar added: 5 kW, not net metered",
    ),
    "solar failed": (
        lambda ina, sam: history.failure(
            Action.ADD_SOLAR, InvalidAnswer(status=200, outcome_known=False), by=ina
        ),
        "Adding solar did not work: The WattShift service sent an answer this app could not "
        "read. Try again; if it keeps happening, contact support.",
    ),
    "price signal": (
        lambda ina, sam: history.event(Action.PRICE_SIGNAL, Outcome.SUCCEEDED),
        "Prices for the next 24 hours fetched from WattShift",
    ),
    "price signal failed": (
        lambda ina, sam: history.failure(
            Action.PRICE_SIGNAL, UpstreamServerError(status=503, outcome_known=True)
        ),
        "Fetching the prices did not work: The WattShift service had a problem and could not "
        "complete the request. Try again in a few minutes.",
    ),
    "homes listed": (
        lambda ina, sam: history.event(
            Action.LIST_HOMES,
            Outcome.SUCCEEDED,
            "1 homes listed.",
            params={"count": 1, "matches": 1},
        ),
        "Checked WattShift's list of homes: 1 matching home",
    ),
    "homes listed, no match": (
        lambda ina, sam: history.event(
            Action.LIST_HOMES, Outcome.SUCCEEDED, by=sam, params={"count": 75, "matches": 0}
        ),
        "Checked WattShift's list of homes: 0 matching homes",
    ),
    "found and recorded automatically": (
        lambda ina, sam: history.event(
            Action.RECONCILE, Outcome.ADOPTED, params={"home_id": HOME_ID}
        ),
        f"Found in WattShift's list and recorded automatically: {HOME_ID}",
    ),
    "found by a person's check": (
        lambda ina, sam: history.event(
            Action.RECONCILE, Outcome.ADOPTED, by=sam, params={"home_id": HOME_ID}
        ),
        f"Sam checked again: found in WattShift's list and recorded: {HOME_ID}",
    ),
    "checked right after sending": (
        lambda ina, sam: history.event(Action.RECONCILE, Outcome.TOO_SOON, params={"seconds": 0}),
        "Not in WattShift's list yet, but it was checked right after sending: WattShift may "
        "still be creating it",
    ),
    "checked soon after sending": (
        lambda ina, sam: history.event(
            Action.RECONCILE, Outcome.TOO_SOON, by=ina, params={"seconds": 12}
        ),
        "Not in WattShift's list yet, but it was checked only 12 seconds after sending: "
        "WattShift may still be creating it",
    ),
    "checked and not found": (
        lambda ina, sam: history.event(Action.RECONCILE, Outcome.NOT_FOUND),
        "Not in WattShift's list, so it was not created: it can be sent again safely",
    ),
    "several found": (
        lambda ina, sam: history.event(
            Action.RECONCILE, Outcome.SEVERAL, params={"ids": ["ws_home_a", "ws_home_b"]}
        ),
        "2 homes in WattShift's list match: support must choose",
    ),
    "the list could not be checked": (
        lambda ina, sam: history.event(Action.RECONCILE, Outcome.SKIPPED),
        "Could not check WattShift's list of homes; it will be checked again",
    ),
    "support recorded a home id": (
        lambda ina, sam: history.event(
            Action.RESOLVE_HOME_ID,
            Outcome.RECORDED,
            by=sam,
            params={"home_id": HOME_ID, "differences": False},
        ),
        f"Sam recorded the home id {HOME_ID}, checked in WattShift's list",
    ),
    "support recorded a home id without the list": (
        lambda ina, sam: history.event(
            Action.RESOLVE_HOME_ID,
            Outcome.RECORDED_WITHOUT_LIST,
            by=sam,
            params={"home_id": HOME_ID, "differences": False},
        ),
        f"Sam recorded the home id {HOME_ID} after checking it in WattShift themselves "
        "(WattShift's list could not be fetched)",
    ),
    "allowed to send again": (
        lambda ina, sam: history.event(
            Action.SAFE_TO_RETRY, Outcome.RECORDED, "Support marked it safe to retry.", by=sam
        ),
        "Sam confirmed the home was not created: it can be sent again",
    ),
    "a submission interrupted": (
        lambda ina, sam: history.event(Action.INTERRUPTED, Outcome.UNKNOWN),
        "The submission stopped without an answer (the server was restarted or timed out)",
    ),
    "a change interrupted": (
        lambda ina, sam: history.event(
            Action.INTERRUPTED, Outcome.UNKNOWN, params={"during": "change"}
        ),
        "The change stopped without an answer (the server was restarted or timed out): "
        "WattShift may or may not have applied it",
    ),
}


def saved(onboarding: Onboarding, entry: Event) -> Event:
    """The event written to the history and read back, as the history pages read it."""
    history.record(onboarding, entry)
    return onboarding.events.select_related("by").get(pk=entry.pk)


def code_words_in(sentence: str) -> list[str]:
    return [word for word in CODE_WORDS if re.search(rf"\b{re.escape(word)}", sentence)]


@pytest.mark.parametrize(("build", "sentence"), SENTENCES.values(), ids=SENTENCES)
def test_each_kind_of_event_reads_as_a_sentence(
    installer: User, support_user: User, settings: Settings, build: Build, sentence: str
) -> None:
    settings.WS_API_TIMEOUT = 10
    draft = factories.onboarding(installer, through="about-home")

    said = history_text.in_words(saved(draft, build(installer, support_user)))

    assert said == sentence
    assert code_words_in(said) == []


def test_the_code_words_are_caught() -> None:
    assert code_words_in("reconcile too_soon: only 0 seconds after; 1 homes listed.") == [
        "reconcile",
        "too_soon",
        "homes listed",
        "0 seconds",
    ]
    assert code_words_in("checked only 10 seconds after sending") == []


def test_a_failed_create_keeps_its_technical_record(installer: User) -> None:
    draft = factories.onboarding(installer, through="solar")
    failed = history.failure(Action.CREATE_HOME, REFUSED_NAME, by=installer)
    failed.duration_ms = 842  # as a Stopwatch round the call would have timed it

    technical = history_text.technical(saved(draft, failed))

    assert technical.split(" · ")[:6] == [
        "POST /v1/homes/create",
        "homes/create failed",
        "HTTP 400",
        "error_code=VALIDATION_FAILED",
        "request_id=req_5f2a",
        "842 ms",
    ]
    assert technical.endswith(
        "Rejected HTTP 400: The WattShift service refused the request: Request validation failed."
    )


def test_a_failed_create_without_an_envelope_says_what_it_knows(installer: User) -> None:
    draft = factories.onboarding(installer, through="solar")
    failed = history.failure(
        Action.CREATE_HOME, UpstreamServerError(status=502, outcome_known=False), by=installer
    )

    technical = history_text.technical(saved(draft, failed))

    assert technical.startswith("POST /v1/homes/create · homes/create unknown · HTTP 502 · ")
    assert "error_code=" not in technical and "request_id=" not in technical
