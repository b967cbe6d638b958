"""DS404: a one-shot job exited non-zero."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.coldstart.run import ColdStartRun
from docker_standard.findings import Hit, Severity
from docker_standard.registry import rule
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@rule(code="DS404", name="cold-start-job-failed", severity=Severity.ERROR, target=ColdStartRun)
def check(run: ColdStartRun, project: Any) -> Iterator[Hit]:
    """## What it does

    Runs only under `docker-standard cold-start`. Reports a one-shot job (one that other
    services wait on with `service_completed_successfully`, or whose `restart` policy is `"no"`
    or `on-failure` and whose name, command or profile says it is a task: the definition in
    `docs/one-shot-jobs.md`) that exited with a non-zero code, with the code and its last log
    lines (secrets masked).

    ## Why is this bad?

    A migration or seed job that fails on a fresh clone leaves the services that wait on it
    never started, or an empty database behind a service that looks healthy.

    ## Example

    ```yaml
    # compose.yaml
    services:
      migrate:
        image: registry.example.com/api:1.4
        command: ["sh", "-c", "migrate --database $$DATABASE_URL"]
      api:
        image: registry.example.com/api:1.4
        depends_on:
          migrate:
            condition: service_completed_successfully
    ```

    ## Use instead

    ```yaml
    # compose.yaml (the job gets what it needs from the template)
    services:
      migrate:
        image: registry.example.com/api:1.4
        environment:
          DATABASE_URL: postgres://app@db:5432/app
        command: ["sh", "-c", "migrate --database $$DATABASE_URL"]
      api:
        image: registry.example.com/api:1.4
        depends_on:
          migrate:
            condition: service_completed_successfully
    ```
    """
    yield from run.hits("DS404")
