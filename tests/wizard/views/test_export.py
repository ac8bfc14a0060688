"""The CSV export of a list longer than one chunk: every row once, in the dashboard's order."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from onboarding.wizard import export
from onboarding.wizard.models import Onboarding
from tests.wizard import factories


def test_a_list_longer_than_a_chunk_is_exported_whole_in_the_list_order(
    support_client: Client, installer: User, other_installer: User, monkeypatch: pytest.MonkeyPatch
):
    """Rows changed at the same moment are ordered by id, including across the end of a chunk,
    so none is read twice or skipped; the export follows the dashboard's pages row for row."""
    monkeypatch.setattr(export, "CHUNK_SIZE", 10)
    for number in range(25):
        owner = installer if number % 3 else other_installer
        factories.onboarding(owner, home_name=f"Home {number:02}", home_id=f"ws_home_{number}")
    # Groups of 7 changed at the same moment: the chunk ends (the 10th and 20th rows) fall
    # inside a group, so the next chunk starts between two rows with the same updated_at.
    changed = datetime(2026, 11, 27, 17, 14, tzinfo=UTC)
    for number, pk in enumerate(Onboarding.objects.order_by("pk").values_list("pk", flat=True)):
        Onboarding.objects.filter(pk=pk).update(updated_at=changed - timedelta(hours=number // 7))

    response = support_client.get(reverse("wizard:export"))
    text = b"".join(response.streaming_content).decode("utf-8")
    names = [line[1] for line in list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]]

    rows = sorted(Onboarding.objects.all(), key=lambda row: (row.updated_at, row.pk), reverse=True)
    assert names == [row.home_name for row in rows]
    assert len(set(names)) == 25
    # The dashboard's own pages, Next link after Next link, list the same rows in that order.
    listed: list[str] = []
    url = reverse("wizard:dashboard")
    while url:
        page = support_client.get(url).context
        listed += [row["onboarding"].home_name for row in page["rows"]]
        url = page["next_url"] and reverse("wizard:dashboard") + page["next_url"]
    assert names == listed
