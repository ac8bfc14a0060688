"""The CSV export of a list longer than one chunk: every row exactly once, newest started
first, even when rows change while the file is read."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onboarding.wizard import export
from onboarding.wizard.models import Onboarding
from tests.wizard import factories


def _names(content: Iterator[bytes]) -> list[str]:
    text = b"".join(content).decode("utf-8")
    return [line[1] for line in list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]]


@pytest.fixture
def twenty_five(installer: User, other_installer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """25 onboardings read 10 at a time, in groups of 7 changed at the same moment."""
    monkeypatch.setattr(export, "CHUNK_SIZE", 10)
    monkeypatch.setattr(export, "LINES_PER_WRITE", 1)
    for number in range(25):
        owner = installer if number % 3 else other_installer
        factories.onboarding(owner, home_name=f"Home {number:02}", home_id=f"ws_home_{number}")
    changed = datetime(2026, 11, 27, 17, 14, tzinfo=UTC)
    for number, pk in enumerate(Onboarding.objects.order_by("pk").values_list("pk", flat=True)):
        Onboarding.objects.filter(pk=pk).update(updated_at=changed - timedelta(hours=number // 7))


@pytest.mark.usefixtures("twenty_five")
def test_a_list_longer_than_a_chunk_is_exported_whole_newest_started_first(
    support_client: Client,
):
    names = _names(support_client.get(reverse("wizard:export")).streaming_content)

    assert names == [f"Home {number:02}" for number in range(24, -1, -1)]
    # The same rows as the dashboard's own pages, Next link after Next link.
    listed: list[str] = []
    url = reverse("wizard:dashboard")
    while url:
        page = support_client.get(url).context
        listed += [row["onboarding"].home_name for row in page["rows"]]
        url = page["next_url"] and reverse("wizard:dashboard") + page["next_url"]
    assert sorted(names) == sorted(listed) and len(listed) == 25


@pytest.mark.usefixtures("twenty_five")
def test_rows_changed_while_the_file_is_read_are_in_it_once(support_client: Client):
    """An order by change would lose them: a row changed after the first chunk moves above the
    part already read."""
    content = iter(support_client.get(reverse("wizard:export")).streaming_content)
    first = [next(content) for _ in range(10)]  # the first chunk: the header comes with its row
    Onboarding.objects.update(updated_at=timezone.now(), home_name="Changed")

    names = _names(iter([*first, *content]))

    assert len(names) == 25
    assert names[:10] == [f"Home {number:02}" for number in range(24, 14, -1)]
    assert names[10:] == ["Changed"] * 15
