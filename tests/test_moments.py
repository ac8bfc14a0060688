from datetime import UTC, datetime

import pytest
from django.utils import dateformat, timezone

from onboarding.moments import when

THIS_YEAR = timezone.localdate().year


@pytest.mark.parametrize(
    "moment",
    [
        datetime(THIS_YEAR, 1, 1, 8, 5, tzinfo=UTC),  # midnight in California: 12:05 AM
        datetime(THIS_YEAR, 6, 15, 19, 0, tzinfo=UTC),  # noon there: 12:00 PM
        datetime(THIS_YEAR, 11, 27, 17, 14, 9, tzinfo=UTC),  # 9:14 AM
        datetime(THIS_YEAR - 1, 12, 31, 23, 59, tzinfo=UTC),  # another year: it is said
        datetime(THIS_YEAR - 3, 3, 9, 4, 30, tzinfo=UTC),
    ],
)
def test_a_moment_reads_as_django_s_date_format_would_write_it(moment: datetime) -> None:
    local = timezone.localtime(moment)
    shape = "j M, g:i A" if local.year == THIS_YEAR else "j M Y, g:i A"

    assert (
        when(moment)
        == f'<time datetime="{local.isoformat()}">{dateformat.format(local, shape)}</time>'
    )


def test_no_moment_is_nothing() -> None:
    assert when(None) == ""
