"""The one definition of a one-shot job (docs/one-shot-jobs.md): which words name a task."""

from __future__ import annotations

import pytest
from docker_standard.model.compose import says_task


@pytest.mark.parametrize(
    ("name", "command", "profiles", "task"),
    [
        ("migrate", None, (), True),
        ("db-migrations", None, (), True),
        ("initContainer", None, (), True),
        ("minio-createbuckets", None, (), True),
        ("kafka-setup", None, (), True),
        ("app", None, ("seed",), True),
        ("telemetrystore-migrator", None, (), True),
        ("css", "../run yarn:build:css", ("assets",), True),
        ("collector", "/collector migrate bootstrap && /collector migrate sync up", (), True),
        ("app", "sh -c 'python manage.py migrate'", (), True),
        ("mysql", "/bin/true", (), True),
        ("app", "alembic upgrade head; echo done", (), True),
        ("job", "echo done", (), True),
        ("create-site", None, (), True),
        ("app", "if [ -z \"$X\" ]; then alembic upgrade head; fi", (), True),
        # Not tasks
        ("api", None, (), False),
        ("temporal", None, (), False),
        ("web", "sh -c 'python manage.py migrate && gunicorn app:app'", (), False),
        # The variable names a task, the command does not (laradock's mailu server).
        ("mailu", "sh -c 'echo ${MAILU_INIT_ADMIN_USERNAME} > /data/admin; /start.py'", (), False),
        ("buildkitd", None, (), False),
        # A test profile holds servers too (langfuse's AWS emulator), not only test runs.
        ("floci", None, ("test",), False),
        ("worker", "celery -A app worker", (), False),
    ],
)
def test_says_task(name: str, command: str | None, profiles: tuple[str, ...], task: bool) -> None:
    assert says_task(name, command, profiles) is task
