"""DS303: condition service_healthy on a service that has no healthcheck."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import resolve, subject, view_of


@rule(
    code="DS303",
    name="compose-depends-on-unhealthy-target",
    severity=Severity.ERROR,
    target=Service,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports `condition: service_healthy` on a dependency that has no healthcheck in the
    merged configuration: none in compose and none in the final stage of the Dockerfile it
    builds, or one switched off with `disable: true` / `test: ["NONE"]`.

    A dependency that only names a pre-built `image:` is reported too: an image may define
    its own `HEALTHCHECK`, but nothing in the repository shows it, and if it does not,
    `up` fails. Declare the healthcheck in compose so the promise is visible (the message
    says "unless its image defines a HEALTHCHECK").

    ## Why is this bad?
    `docker compose config` accepts the file, but `docker compose up` fails with
    `dependency failed to start: container … has no healthcheck configured`, so the stack
    never starts from a fresh clone.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        depends_on:
          cache:
            condition: service_healthy
      cache:
        image: redis:7.4
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        depends_on:
          cache:
            condition: service_healthy
      cache:
        image: redis:7.4
        healthcheck:
          test: ["CMD", "redis-cli", "ping"]
    ```
    """
    services = view_of(service)
    for dependency in service.depends_on:
        condition = dependency.condition
        if "$" in condition:
            condition = resolve(service.stack, condition)[0]
        if condition != "service_healthy":
            continue
        target = services.get(dependency.name)
        if target is None or target.effective_healthcheck is not None:
            continue
        yield Hit(
            f"{subject(service, dependency.condition_span)} waits for '{dependency.name}' to be "
            "healthy, but "
            f"{_why(target)}: `docker compose up` fails with \"has no healthcheck configured\"; "
            f"{_advice(target)}",
            dependency.condition_span,
        )


def _why(target: Service) -> str:
    name = target.name
    check_ = target.healthcheck
    if check_ is not None and check_.disabled:
        return f"'{name}' disables its healthcheck"
    if check_ is not None and check_.test and check_.test[0] == "NONE":
        return f"'{name}' turns its healthcheck off with test NONE"
    if target.build is not None:
        path = target.build.dockerfile_path or "its Dockerfile"
        if target.dockerfile is None:
            return (
                f"'{name}' has no healthcheck in compose and its Dockerfile ({path}) cannot be read"
            )
        return f"'{name}' has no healthcheck in compose nor in the final stage of {path}"
    return f"'{name}' has no healthcheck in compose (unless its image defines a HEALTHCHECK)"


def _advice(target: Service) -> str:
    if target.one_shot:
        return (
            f"'{target.name}' is a one-shot job: wait for it with "
            "`condition: service_completed_successfully`"
        )
    return f"add a healthcheck to '{target.name}'"
