"""DS405: a running service wrote nothing to its logs."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.coldstart.run import ColdStartRun
from docker_standard.findings import Hit, Severity
from docker_standard.registry import rule
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@rule(code="DS405", name="cold-start-no-logs", severity=Severity.INFO, target=ColdStartRun)
def check(run: ColdStartRun, project: Any) -> Iterator[Hit]:
    """## What it does

    Runs only under `docker-standard cold-start`. Reports a service that was running at the
    end of the settle period but had written nothing to `docker compose logs`.

    ## Why is this bad?

    The standard says logs are visible with `docker compose logs`. A service that logs to a
    file inside the container, or not at all, leaves the next developer blind when it fails.

    ## Example

    ```yaml
    # compose.yaml
    services:
      web:
        image: registry.example.com/web:2.1
        command: ["sh", "-c", "exec httpd -f -p 8080 >/var/log/httpd.log 2>&1"]
    ```

    ## Use instead

    ```yaml
    # compose.yaml
    services:
      web:
        image: registry.example.com/web:2.1
        command: ["sh", "-c", "echo listening on 8080; exec httpd -f -vv -p 8080"]
    ```
    """
    yield from run.hits("DS405")
