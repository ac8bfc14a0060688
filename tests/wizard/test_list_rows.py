"""The dashboard's rows, written in Python: every value escaped, each column where it belongs."""

import re

import pytest
from django.contrib.auth.models import User

from onboarding.wizard.list_rows import ListRows, row_for
from tests.wizard import factories

pytestmark = pytest.mark.django_db

HOSTILE = '<b onclick="x()">O\'Brien & Co</b>'
ESCAPED = "&lt;b onclick=&#34;x()&#34;&gt;O&#39;Brien &amp; Co&lt;/b&gt;"


def _lists(*, support: bool, owner_names: dict[int, str]) -> ListRows:
    return ListRows(support=support, owner_names=owner_names, newest_started_first=False)


def test_every_value_a_person_typed_is_escaped_in_both_lists(installer: User) -> None:
    draft = factories.onboarding(installer, through="zip", home_name=HOSTILE, last_error="x")
    stuck = factories.onboarding(installer, home_name=HOSTILE, status="needs_attention")
    lists = _lists(support=True, owner_names={installer.pk: HOSTILE})

    rows = str(lists.table_rows([row_for(draft)]))
    items = str(lists.attention_items([stuck]))

    assert "<b " not in rows + items
    # The title, the cell, the installer, the resume and discard links' hidden text.
    assert rows.count(ESCAPED) == 5
    assert f'data-label="Installer">{ESCAPED}</td>' in rows
    assert re.search(
        r"<span>\d of 4 steps <span class=\"hint hint--inline\">Last attempt failed<", rows
    )
    assert items.count(ESCAPED) == 3  # the link, "by …", and the Resolve link's hidden text


def test_an_installers_rows_have_no_installer_column_and_no_resolve_link(installer: User) -> None:
    sent = factories.onboarding(installer, status="complete", home_id="ws_home_1")
    stuck = factories.onboarding(installer, status="needs_attention")
    lists = _lists(support=False, owner_names={installer.pk: "ina"})

    rows = str(lists.table_rows([row_for(sent)]))
    items = str(lists.attention_items([stuck]))

    assert 'data-label="Installer"' not in rows and "ws_home_1" in rows and "View home" in rows
    assert "Resolve" not in items and " by " not in items
