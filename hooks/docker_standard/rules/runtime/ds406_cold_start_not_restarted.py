"""DS406: a killed long-running service did not come back."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.coldstart.run import ColdStartRun
from docker_standard.findings import Hit, Severity
from docker_standard.registry import rule
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@rule(code="DS406", name="cold-start-not-restarted", severity=Severity.ERROR, target=ColdStartRun)
def check(run: ColdStartRun, project: Any) -> Iterator[Hit]:
    """## What it does

    Runs only under `docker-standard cold-start --crash-test`. Kills the main process of each
    long-running service the way a crash does (SIGKILL to its host PID; `docker kill` counts
    as a manual stop and never triggers the restart policy) and reports a service that did not
    come back running (and healthy, where it has a healthcheck) within the timeout.

    ## Why is this bad?

    The standard's checklist says services restart on failure. Without a restart policy a
    crash at night leaves the service down until someone notices.

    ## Example

    ```yaml
    # compose.yaml
    services:
      worker:
        image: registry.example.com/worker:3.0
    ```

    ## Use instead

    ```yaml
    # compose.yaml
    services:
      worker:
        image: registry.example.com/worker:3.0
        restart: unless-stopped
    ```
    """
    yield from run.hits("DS406")
