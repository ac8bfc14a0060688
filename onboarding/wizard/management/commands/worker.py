"""The background worker: django-tasks-db's `db_worker`, plus a heartbeat every few seconds
(/healthz reports its age) that also enqueues again any background check that was lost (its
worker died mid-check, or its task vanished). Run one or many, on any machines: tasks are
claimed with row locks (SKIP LOCKED on PostgreSQL) and each check with a compare-and-set."""

import logging
import socket
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from onboarding.wizard.models import WorkerHeartbeat
from onboarding.wizard.services import checks

logger = logging.getLogger(__name__)


def beat(worker_id: str) -> None:
    """Say this worker is alive, and put lost checks back in the queue."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": socket.gethostname(), "beat_at": now}
    )
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    checks.sweep()


class Command(db_worker.Command):
    help = "Run background tasks (checks of unknown outcomes) and report a heartbeat."

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        stopped = threading.Event()
        beat(worker_id)  # alive from the start, and lost checks queued before the first task

        def heartbeat() -> None:
            while not stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    beat(worker_id)
                except Exception:  # a database hiccup must not stop the worker's heartbeat
                    logger.exception("Heartbeat failed")
                finally:
                    close_old_connections()

        thread = threading.Thread(target=heartbeat, name="heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stopped.set()
