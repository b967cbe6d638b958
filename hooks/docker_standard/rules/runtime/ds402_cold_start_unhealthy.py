"""DS402: a service with a healthcheck never became healthy."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.coldstart.run import ColdStartRun
from docker_standard.findings import Hit, Severity
from docker_standard.registry import rule
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@rule(code="DS402", name="cold-start-unhealthy", severity=Severity.ERROR, target=ColdStartRun)
def check(run: ColdStartRun, project: Any) -> Iterator[Hit]:
    """## What it does

    Runs only under `docker-standard cold-start`. Reports a running service whose healthcheck
    never passed within the timeout, with the output of its last check (from
    `State.Health.Log`, secrets masked).

    ## Why is this bad?

    Services that wait on it with `condition: service_healthy` never start, and a healthcheck
    that fails on a fresh clone usually means the service cannot do its work there: a
    non-root user that cannot write where it tries to, a port that differs from the one probed,
    a dependency that is missing.

    ## Example

    ```yaml
    # compose.yaml
    services:
      web:
        image: registry.example.com/web:2.1
        user: "1000"
        command: ["sh", "-c", "echo ok > /srv/ready; exec httpd -f -p 8080"]
        healthcheck:
          test: ["CMD", "test", "-f", "/srv/ready"]
    ```

    ## Use instead

    ```yaml
    # compose.yaml (the user writes to a volume it owns)
    services:
      web:
        image: registry.example.com/web:2.1
        user: "1000"
        command: ["sh", "-c", "echo ok > /tmp/ready; exec httpd -f -p 8080"]
        healthcheck:
          test: ["CMD", "test", "-f", "/tmp/ready"]
    ```
    """
    yield from run.hits("DS402")
