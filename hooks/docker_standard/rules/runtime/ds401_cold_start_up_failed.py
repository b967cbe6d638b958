"""DS401: Compose could not create the stack of a fresh clone."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.coldstart.run import ColdStartRun
from docker_standard.findings import Hit, Severity
from docker_standard.registry import rule
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@rule(code="DS401", name="cold-start-up-failed", severity=Severity.ERROR, target=ColdStartRun)
def check(run: ColdStartRun, project: Any) -> Iterator[Hit]:
    """## What it does

    Runs only under `docker-standard cold-start`. Reports that Compose could not create the
    stack of a fresh clone after the documented setup step (each template copied to its env
    file): a required variable the template does not provide, an image that does not build
    (a `COPY` of an untracked file), an invalid file, a missing image. The message carries
    Compose's own reason and, for a build, the failing step. It also reports, before anything
    starts, each way a service would reach the host (`privileged`, host network/pid/ipc,
    `cap_add: SYS_ADMIN`/`ALL`, the Docker socket, bind mounts outside the project) unless
    `--allow-host-access` is given.

    ## Why is this bad?

    The standard's first promise is that `docker compose down -v && docker compose up` works
    from a fresh clone. A variable only your own `.env` sets, or a file only your working
    tree has, breaks it for the next developer and for CI.

    ## Example

    ```yaml
    # compose.yaml (.env.example does not define API_TOKEN)
    services:
      api:
        image: registry.example.com/api:1.4
        environment:
          API_TOKEN: ${API_TOKEN:?set API_TOKEN in .env}
    ```

    ## Use instead

    ```yaml
    # compose.yaml (.env.example has a placeholder: API_TOKEN=change-me)
    services:
      api:
        image: registry.example.com/api:1.4
        environment:
          API_TOKEN: ${API_TOKEN:?set API_TOKEN in .env}
    ```
    """
    yield from run.hits("DS401")
