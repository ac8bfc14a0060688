"""How loosely WattShift may write one value and still be read: the tolerances of `schema`.

Each is a plain reader, and a `BeforeValidator` that applies it to a model's field. A value
that cannot be read raises `problem(...)`, whose text is what the log says of the answer.
"""

from datetime import UTC, datetime
from decimal import Decimal
from math import ceil

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

PROBLEM = "invalid_answer"


def problem(text: str) -> PydanticCustomError:
    return PydanticCustomError(PROBLEM, "{problem}", {"problem": text})


def read_id(value: object, name: str) -> str:
    if isinstance(value, bool):
        raise problem(f"{name} is a boolean")
    if isinstance(value, int):
        return str(value)  # a sloppy integer id becomes its digits
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise problem(f"{name} missing or not a string")


def read_text(value: object, name: str, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise problem(f"{name} missing or not a string")


def read_zipcode(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 99999:
        return f"{value:05d}"  # an integer ZIP lost its leading zeros upstream
    raise problem("zipcode is not a string")


def read_time(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise problem(f"{name} missing or not a string")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise problem(f"{name} is not an ISO-8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_optional_time(value: object) -> datetime | None:
    """A time shown to a person (homes/list createdAt): unreadable is None, not an error."""
    try:
        return read_time(value, "time")
    except PydanticCustomError:
        return None


def read_number(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise problem(f"{name} is not a number")
    number = Decimal(str(value))
    if not number.is_finite():
        raise problem(f"{name} is not finite")
    return number


def read_numbers(value: object, name: str) -> tuple[Decimal, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise problem(f"{name} is not a list")
    return tuple(read_number(item, name) for item in value)


def read_lenient_text(value: object) -> str:
    """Text whose absence costs little (an error's code or advice): garbled is empty."""
    return value.strip() if isinstance(value, str) else ""


def read_seconds(value: object) -> int | None:
    """A wait in whole seconds, rounded up; anything unreadable is no wait given."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if not Decimal(value).is_finite() or value < 0:
        return None
    return ceil(value)


def a_list(problem_text: str) -> BeforeValidator:
    def read(value: object) -> object:
        if not isinstance(value, list):
            raise problem(problem_text)
        return value

    return BeforeValidator(read)


def an_id(name: str) -> BeforeValidator:
    return BeforeValidator(lambda value: read_id(value, name))


def text(name: str, *, required: bool = False) -> BeforeValidator:
    return BeforeValidator(lambda value: read_text(value, name, required=required))


def a_time(name: str) -> BeforeValidator:
    return BeforeValidator(lambda value: read_time(value, name))


def a_number(name: str) -> BeforeValidator:
    return BeforeValidator(lambda value: read_number(value, name))


def numbers(name: str) -> BeforeValidator:
    return BeforeValidator(lambda value: read_numbers(value, name))


ZIPCODE = BeforeValidator(read_zipcode)
OPTIONAL_TIME = BeforeValidator(read_optional_time)
LENIENT_TEXT = BeforeValidator(read_lenient_text)
SECONDS = BeforeValidator(read_seconds)
