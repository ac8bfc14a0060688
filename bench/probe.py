"""Questions the benchmark asks a server's Django setup (its settings from the environment),
answered as one JSON object on stdout, keyed by question:
`python -m bench.probe create-user describe`, `python -m bench.probe upstream-log`."""

import json
import os
import platform
import sys

import django


def describe() -> dict[str, object]:
    """What the table says the run used: versions, database, cache backend."""
    from django.conf import settings
    from django.db import connection

    version = ".".join(str(part) for part in connection.get_database_version())
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.display_name} {version}",
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def create_user() -> dict[str, object]:
    from django.contrib.auth.models import User

    User.objects.create_user(os.environ["BENCH_USERNAME"], password=os.environ["BENCH_PASSWORD"])
    return {"created": os.environ["BENCH_USERNAME"]}


def upstream_log() -> list[dict[str, object]]:
    """Every request the sandbox received, with the moment it was recorded (Unix seconds)."""
    from onboarding.sandbox.models import ReceivedRequest

    return [
        {"path": received.path, "status": received.status, "at": received.at.timestamp()}
        for received in ReceivedRequest.objects.order_by("at", "id")
    ]


COMMANDS = {"describe": describe, "create-user": create_user, "upstream-log": upstream_log}

if __name__ == "__main__":
    django.setup()
    json.dump({command: COMMANDS[command]() for command in sys.argv[1:]}, sys.stdout)
