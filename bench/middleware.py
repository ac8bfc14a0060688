import logging
import os
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

SQL_HEADER = "X-Bench-SQL"
# BENCH_SQL_LOG=1: each statement is also logged (the app's log), to see what a step runs.
LOG_STATEMENTS = bool(os.environ.get("BENCH_SQL_LOG"))
logger = logging.getLogger("bench.sql")


def count_sql(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Counts the SQL statements each request runs, on every database, into X-Bench-SQL:
    every statement Django sends through a cursor (SQLite's BEGIN and savepoints included;
    PostgreSQL's implicit BEGIN and every COMMIT are not statements sent, so not counted)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(execute: Callable[..., Any], *args: Any) -> Any:
            nonlocal count
            count += 1
            if LOG_STATEMENTS:
                logger.info("%s %s: %s", request.method, request.get_full_path(), args[0])
            return execute(*args)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counted))
            response = get_response(request)
        response[SQL_HEADER] = str(count)
        return response

    return middleware
