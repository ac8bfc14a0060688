"""The one way an onboarding's status changes: a compare-and-set UPDATE.

The caller names the statuses it expects the row to be in, and the UPDATE only matches if it
still is. So of two requests (two clicks, two tabs, two servers) that both see a draft,
exactly one claims it (draft -> submitting). The UPDATE hands back the row as it now is
(`RETURNING`, on SQLite and PostgreSQL alike), so the instance is brought up to date without
reading the row again; the move's history entries are written in the same transaction. No
transaction is ever held across an HTTP call: a move is one short transaction of its own.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connections, transaction
from django.db.models import QuerySet, sql
from django.utils import timezone

from onboarding.wizard.models import SEARCH_INPUTS, Event, Onboarding, search_text_for
from onboarding.wizard.services import history

logger = logging.getLogger(__name__)

Status = Onboarding.Status


def move(
    onboarding: Onboarding,
    *,
    expected: Iterable[str],
    to: str,
    events: Iterable[Event] = (),
    events_anyway: bool = False,
    without_home_id: bool = False,
    unchanged_since: datetime | None = None,
    **fields: Any,
) -> bool:
    """Move the row from one of the expected statuses to `to`, setting `fields`, and write
    `events` to its history; the instance then holds the row as written.

    Returns False (and changes nothing, the instance included) when the row is no longer in
    an expected status, or, with without_home_id, when a home id has been recorded on it
    meanwhile, or, with unchanged_since, when it has been written since that updated_at.
    With events_anyway the events are written even then: they record a call that happened.
    Leaving needs_attention ends the wait its checks kept (retry_not_before), unless `fields`
    set one.
    """
    expected = list(expected)
    if Status.NEEDS_ATTENTION in expected and to != Status.NEEDS_ATTENTION:
        # A wait kept while it needed attention is its checks' (homes/list's, one list for the
        # whole account): it ends with them, and never holds back a create or a change.
        fields.setdefault("retry_not_before", None)
    rows = Onboarding.objects.filter(pk=onboarding.pk, status__in=expected)
    if without_home_id:
        rows = rows.filter(home_id="")
    if unchanged_since is not None:
        rows = rows.filter(updated_at=unchanged_since)
    with transaction.atomic():
        moved = update_returning(onboarding, rows, status=to, **fields)
        if moved or events_anyway:
            history.record(onboarding, *events)
    if not moved:
        return False
    logger.info("onboarding %s: %s -> %s", onboarding.public_id, "|".join(expected), to)
    return True


def update_returning(onboarding: Onboarding, rows: QuerySet[Onboarding], **values: Any) -> bool:
    """UPDATE the matching row (at most this onboarding's) and load what it now holds into
    the instance. False, with the instance untouched, when no row matched."""
    values.setdefault("updated_at", timezone.now())
    if values.keys() & set(SEARCH_INPUTS):
        values["search_text"] = search_text_for(
            onboarding, **{name: values[name] for name in SEARCH_INPUTS if name in values}
        )
    query = rows.query.chain(sql.UpdateQuery)
    assert isinstance(query, sql.UpdateQuery)  # noqa: S101 - chain() made it one
    query.add_update_values(values)
    statement, params = query.get_compiler(rows.db).as_sql()
    connection = connections[rows.db]
    columns = ", ".join(
        connection.ops.quote_name(field.column or field.attname)
        for field in Onboarding._meta.concrete_fields
    )
    found = list(Onboarding.objects.raw(f"{statement} RETURNING {columns}", params))
    if not found:
        return False
    (row,) = found
    for field in Onboarding._meta.concrete_fields:
        setattr(onboarding, field.attname, getattr(row, field.attname))
    return True
