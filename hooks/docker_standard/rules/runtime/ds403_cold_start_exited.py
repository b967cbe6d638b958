"""DS403: a long-running service exited or restarts in a loop."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.coldstart.run import ColdStartRun
from docker_standard.findings import Hit, Severity
from docker_standard.registry import rule
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@rule(code="DS403", name="cold-start-exited", severity=Severity.ERROR, target=ColdStartRun)
def check(run: ColdStartRun, project: Any) -> Iterator[Hit]:
    """## What it does

    Runs only under `docker-standard cold-start`. Reports a long-running service (not a
    one-shot job) that exited with a non-zero code, or that restarted during the start and the
    settle period, with its exit code, restart count and last log lines (secrets masked).

    ## Why is this bad?

    `docker compose up --wait` reports success for a container in a restart loop when it has
    no healthcheck: it is "running" whenever Compose looks. The stack looks up and does
    nothing.

    ## Example

    ```yaml
    # compose.yaml
    services:
      worker:
        image: registry.example.com/worker:3.0
        restart: unless-stopped
        command: ["sh", "-c", "echo connecting to $$QUEUE_URL; exit 1"]
    ```

    ## Use instead

    ```yaml
    # compose.yaml
    services:
      worker:
        image: registry.example.com/worker:3.0
        restart: unless-stopped
        environment:
          QUEUE_URL: amqp://queue:5672
        command: ["sh", "-c", "echo connecting to $$QUEUE_URL; exec worker"]
    ```
    """
    yield from run.hits("DS403")
