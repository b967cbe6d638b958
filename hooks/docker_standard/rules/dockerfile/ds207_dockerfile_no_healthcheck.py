"""DS207: the stage containers run has no HEALTHCHECK and no compose service supplies one."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span
from docker_standard.model.compose import Service
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import (
    runtime_stages,
    span_of,
    stage_span,
    stage_subject,
)


@rule(
    code="DS207",
    name="dockerfile-no-healthcheck",
    severity=Severity.INFO,
    target=Dockerfile,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a Dockerfile whose final stage has no `HEALTHCHECK` (or disables the base
    image's with `HEALTHCHECK NONE`) when no compose service supplies one instead: the
    Dockerfile is built by no service, or some long-running service that builds it has no
    `healthcheck:` with a `test`. A `HEALTHCHECK` in a stage the final stage is built `FROM`
    counts; one in an unrelated builder stage does not. A stage a service names in
    `build.target` is judged for that service in the same way. One-shot jobs
    (docs/one-shot-jobs.md: awaited with `service_completed_successfully`, or with restart
    `"no"`/`on-failure` and a task name such as `migrate`) need no health check.

    ## Why is this bad?
    Without a health check Docker only knows whether the process exists, not whether it
    serves: `depends_on: condition: service_healthy` cannot be used, and a hung application
    is never restarted. The Standard requires a health check for every service; putting it in
    the image gives every user of the image one.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    USER nobody
    CMD ["python", "-m", "http.server", "8000"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    USER nobody
    HEALTHCHECK CMD python -c "import urllib.request as u; u.urlopen('http://localhost:8000/')"
    CMD ["python", "-m", "http.server", "8000"]
    ```
    """
    reported: set[Span] = set()
    for runtime in runtime_stages(dockerfile, project):
        stage = runtime.stage
        instruction = stage.healthcheck()
        disabled = instruction is not None and instruction.args[0].upper() == "NONE"
        if instruction is not None and not disabled:
            continue
        long_running = [s for s in runtime.services if s.long_running]
        if runtime.services and not long_running:
            continue
        lacking = [s for s in long_running if not _supplies(s)]
        if long_running and not lacking:
            continue
        if disabled and instruction is not None:
            span = span_of(dockerfile, instruction)
            what = f"{runtime.label} disables the health check (HEALTHCHECK NONE)"
        else:
            span = stage_span(dockerfile, stage)
            what = f"{runtime.label} has no HEALTHCHECK"
        if lacking:
            # Name the file that defines each service (an override, an included file), not
            # the stack's base file.
            names = ", ".join(f"'{s.name}' ({s.span.path or s.stack.path})" for s in lacking)
            if len(lacking) > 1:
                why = f"and services {names}, which build it, set none"
            else:
                why = f"and service {names}, which builds it, sets none"
        elif project.services_building(dockerfile):
            why = "and no compose service runs this stage to supply one"
        else:
            why = "and no compose service builds it to supply one"
        if span in reported:
            continue
        reported.add(span)
        yield Hit(
            f"{what} {why}; add a HEALTHCHECK that probes the service (or a compose "
            "healthcheck: for each service)",
            span,
            subject=stage_subject(dockerfile, stage, "HEALTHCHECK"),
        )


def _supplies(service: Service) -> bool:
    check = service.healthcheck
    return check is not None and check.effective and check.test is not None
