"""DS317: logging driver none."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject


@rule(code="DS317", name="compose-logging-disabled", severity=Severity.WARNING, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a service whose `logging.driver` is `none` (also through a variable's default).

    ## Why is this bad?
    `docker compose logs` shows nothing for it, and when it fails at start-up or in
    production there is no trace of why. The Standard requires logs to be visible with
    `docker compose logs`; limit their size with the `json-file` or `local` driver's
    `max-size`/`max-file` options instead.

    ## Example
    ```yaml
    services:
      worker:
        image: ghcr.io/acme/worker:2.0.1
        logging:
          driver: none
    ```

    ## Use instead
    ```yaml
    services:
      worker:
        image: ghcr.io/acme/worker:2.0.1
        logging:
          driver: local
          options:
            max-size: 10m
            max-file: "3"
    ```
    """
    driver = service.logging_driver
    if driver is None:
        return
    if "$" in driver:
        driver = resolve(service.stack, driver)[0]
    if driver.strip().lower() != "none":
        return
    logging = service.data.get("logging")
    span = logging.value_span("driver") if isinstance(logging, YMap) else service.span
    yield Hit(
        f"{subject(service, span)} discards its logs (`logging.driver: none`): "
        "`docker compose logs` shows nothing; use `local` or `json-file` with `max-size`",
        span,
        subject=about("service", service, span, "logging", "driver"),
    )
