"""An onboarding's history in words a support agent can say on the phone.

Each Event is a code (action, outcome) and the values its sentence needs (`params`); this module
is the one place that turns them into sentences, so the words can change (or be translated)
without touching what was recorded. The technical record sits beside it (`technical`).
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from onboarding.wizard.models import Event
from onboarding.wizard.services.history import Action, Outcome

Sentence = Callable[[Event, dict[str, Any], str], str]


def who(event: Event) -> str:
    """The person who did it, as colleagues call them; "" for the app itself."""
    if event.by is None:
        return ""
    return event.by.get_full_name() or event.by.get_username()


def _failed_call(event: Event, p: dict[str, Any], name: str) -> str:
    """What went wrong with a call, by what kind of failure it was."""
    kind = p.get("error", "")
    message = p.get("message", "")
    if kind == "UpstreamUnavailable":
        return _("Could not reach WattShift, so nothing was sent")
    if kind in {"ReadTimedOut", "OutcomeUnknown"} and event.outcome == Outcome.UNKNOWN:
        if kind == "ReadTimedOut":
            return _("Sent to WattShift; no answer within %(seconds)s s") % {
                "seconds": f"{p.get('timeout', 0):g}"
            }
        return _("Sent to WattShift; the connection dropped before its answer")
    if kind == "UpstreamServerError" and event.outcome == Outcome.UNKNOWN:
        return _("Sent to WattShift; it answered with an error, so it may or may not have done it")
    if kind == "bug":
        return _("Sent to WattShift, then this app hit an error; it may or may not have done it")
    if kind == "RateLimited":
        return _("WattShift was too busy and asked to wait: %(message)s") % {"message": message}
    if kind in {"Rejected", "Unauthorized"}:
        if p.get("reason"):
            return _("WattShift refused it: %(reason)s") % {"reason": p["reason"]}
        # An older answer, without WattShift's own words: the message already says it refused.
        return message or _("WattShift refused it")
    return _("%(name)s did not work: %(message)s") % {"name": name, "message": message}


def _submit(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome == Outcome.SKIPPED:
        return _("Nothing was sent: an answer changed while the home was being sent")
    if p.get("solar_only"):
        return _("%(name)s tried adding solar again") % {"name": name}
    return _("%(name)s sent the home to WattShift") % {"name": name}


def _create(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome == Outcome.SUCCEEDED:
        return _("WattShift created the home: %(id)s") % {"id": p.get("home_id", "")}
    if event.outcome == Outcome.NOT_RECORDED:
        return _(
            "WattShift created home %(id)s, but another home id was already recorded: support "
            "must check for a second home"
        ) % {"id": p.get("home_id", "")}
    return _failed_call(event, p, _("Creating the home"))


def _solar(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome == Outcome.SUCCEEDED:
        metering = _("net metered") if p.get("net_metered") else _("not net metered")
        return _("Solar added: %(size)s kW, %(metering)s") % {
            "size": p.get("size_kw", "?"),
            "metering": metering,
        }
    return _failed_call(event, p, _("Adding solar"))


def _change(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome != Outcome.SUCCEEDED:
        return _failed_call(event, p, _("Changing the home"))
    changes = [change for change in p.get("changes", []) if isinstance(change, dict)]
    solar_added = next((c for c in changes if c.get("what") == "solar"), None)
    if solar_added is None:
        return _("%(name)s changed %(changes)s") % {"name": name, "changes": _changed(changes)}
    by_what = {change.get("what"): change for change in changes}
    added = {
        "name": name,
        "size": by_what.get("solar_size", {}).get("new", "?"),
        "metering": _metering(by_what.get("net_metering", {}).get("new")),
    }
    others = [c for c in changes if c.get("what") not in {"solar", "solar_size", "net_metering"}]
    if not others:
        return _("%(name)s added solar panels: %(size)s kW, %(metering)s") % added
    return _("%(name)s added solar panels: %(size)s kW, %(metering)s; and changed %(changes)s") % {
        **added,
        "changes": _changed(others),
    }


def _changed(changes: list[dict[str, Any]]) -> str:
    """Each change as "the rate plan from TOU-D to E-6", joined."""
    return "; ".join(_("the %(what)s from %(old)s to %(new)s") % _words(c) for c in changes)


def _words(change: dict[str, Any]) -> dict[str, str]:
    """One recorded change (services.edits.Change) in words; an unknown one as recorded."""
    what, old, new = change.get("what", ""), change.get("old"), change.get("new")
    if what == "solar_size":
        old, new = (_("%(size)s kW") % {"size": v} if v else _("none") for v in (old, new))
    elif what == "net_metering":
        old, new = _metering(old), _metering(new)
    elif what == "rate_plan" and change.get("was_to_confirm"):
        old = _("%(plan)s (to be confirmed)") % {"plan": old}
    return {"what": str(_CHANGED.get(what, what)), "old": str(old), "new": str(new)}


def _metering(value: object) -> str:
    return _("net metered") if value else _("not net metered")


# What each kind of change is to, as the sentence "changed the ... from ... to ..." names it.
_CHANGED = {
    "name": _lazy("home name"),
    "utility": _lazy("utility"),
    "rate_plan": _lazy("rate plan"),
    "solar_size": _lazy("solar system size"),
    # "changed the solar system from net metered to not net metered"
    "net_metering": _lazy("solar system"),
}


def _listed(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome != Outcome.SUCCEEDED:
        return _failed_call(event, p, _("Checking WattShift's list of homes"))
    matches = int(p.get("matches", 0))
    return ngettext(
        "Checked WattShift's list of homes: %(count)d matching home",
        "Checked WattShift's list of homes: %(count)d matching homes",
        matches,
    ) % {"count": matches}


def _reconcile(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome == Outcome.ADOPTED:
        if not name:
            return _("Found in WattShift's list and recorded automatically: %(id)s") % {
                "id": p.get("home_id", "")
            }
        return _("%(name)s checked again: found in WattShift's list and recorded: %(id)s") % {
            "name": name,
            "id": p.get("home_id", ""),
        }
    if event.outcome == Outcome.TOO_SOON:
        seconds = int(p.get("seconds", 0))
        if seconds < 1:
            return _(
                "Not in WattShift's list yet, but it was checked right after sending: "
                "WattShift may still be creating it"
            )
        return ngettext(
            "Not in WattShift's list yet, but it was checked only %(seconds)d second after "
            "sending: WattShift may still be creating it",
            "Not in WattShift's list yet, but it was checked only %(seconds)d seconds after "
            "sending: WattShift may still be creating it",
            seconds,
        ) % {"seconds": seconds}
    if event.outcome == Outcome.NOT_FOUND:
        return _("Not in WattShift's list, so it was not created: it can be sent again safely")
    if event.outcome == Outcome.SEVERAL:
        count = len(p.get("ids", [])) or 2
        return _("%(count)d homes in WattShift's list match: support must choose") % {
            "count": count
        }
    if event.outcome == Outcome.SKIPPED:
        return _("Could not check WattShift's list of homes; it will be checked again")
    return _("Checked WattShift's list of homes")


def _resolved(event: Event, p: dict[str, Any], name: str) -> str:
    if event.outcome == Outcome.RECORDED_WITHOUT_LIST:
        return _(
            "%(name)s recorded the home id %(id)s after checking it in WattShift themselves "
            "(WattShift's list could not be fetched)"
        ) % {"name": name, "id": p.get("home_id", "")}
    return _("%(name)s recorded the home id %(id)s, checked in WattShift's list") % {
        "name": name,
        "id": p.get("home_id", ""),
    }


SENTENCES: dict[str, Sentence] = {
    Action.SUBMIT: _submit,
    Action.CREATE_HOME: _create,
    Action.ADD_SOLAR: _solar,
    Action.UPDATE_SOLAR: _solar,
    Action.CHANGE_HOME: _change,
    Action.LIST_HOMES: _listed,
    Action.RECONCILE: _reconcile,
    Action.RESOLVE_HOME_ID: _resolved,
    Action.SAFE_TO_RETRY: lambda event, p, name: (
        _("%(name)s confirmed the home was not created: it can be sent again") % {"name": name}
    ),
    Action.INTERRUPTED: lambda event, p, name: (
        _(
            "The change stopped without an answer (the server was restarted or timed out): "
            "WattShift may or may not have applied it"
        )
        if p.get("during") == "change"
        else _("The submission stopped without an answer (the server was restarted or timed out)")
    ),
    Action.PRICE_SIGNAL: lambda event, p, name: (
        _("Prices for the next 24 hours fetched from WattShift")
        if event.outcome == Outcome.SUCCEEDED
        else _failed_call(event, p, _("Fetching the prices"))
    ),
}


def in_words(event: Event) -> str:
    """The event as one sentence."""
    name = who(event) or _("Someone")
    sentence = SENTENCES.get(event.action)
    if sentence is None:
        return f"{event.action}: {event.outcome}"
    return sentence(event, event.params or {}, who(event) if event.action in _BY_APP else name)


# Actions the app itself may take (the background check): no person to name then.
_BY_APP = {Action.RECONCILE}


def technical(event: Event) -> str:
    """The call as WattShift's support wants it: endpoint, status, code, request id, time."""
    parts = []
    if event.action in {a.value for a in Action if "/" in a.value or a == Action.PRICE_SIGNAL}:
        parts.append(f"POST /v1/{event.action}")
    elif event.action == Action.CHANGE_HOME:
        parts.append("POST /v1/homes/{id}/update")
    parts.append(f"{event.action} {event.outcome}")
    if event.http_status:
        parts.append(f"HTTP {event.http_status}")
    if event.error_code:
        parts.append(f"error_code={event.error_code}")
    if event.request_id:
        parts.append(f"request_id={event.request_id}")
    if event.duration_ms is not None:
        parts.append(f"{event.duration_ms} ms")
    if event.detail:
        parts.append(event.detail)
    return " · ".join(parts)
