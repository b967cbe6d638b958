"""DS303: condition service_healthy on a service that has no healthcheck."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject, view_of


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

    A dependency that only names an `image:` counts the `HEALTHCHECK` of the Dockerfile in
    the repository that builds that image: another service (a build overlay, say) that
    `build`s it with the same `image:` tag. An image nothing here builds is reported too:
    it may define its own `HEALTHCHECK`, but nothing in the repository shows it, so the
    message says `up` fails only if the image has none. Declare the healthcheck in compose
    so the promise is visible.

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
        builder = _builder_of_image(target, project)
        if builder is not None and builder.image_healthcheck is not None:
            continue  # the image is built here, and its Dockerfile has a HEALTHCHECK
        why, certain = _why(target, builder)
        fails = (
            "`docker compose up` fails with \"has no healthcheck configured\""
            if certain
            else "if its image defines no HEALTHCHECK, `docker compose up` fails with \"has no "
            "healthcheck configured\""
        )
        yield Hit(
            f"{subject(service, dependency.condition_span)} waits for '{dependency.name}' to be "
            f"healthy, but {why}: {fails}; {_advice(target)}",
            dependency.condition_span,
            subject=about("dependency", service, dependency.condition_span, dependency.name),
        )


def _builder_of_image(target: Service, project: Project) -> Service | None:
    """A service that builds, from a Dockerfile in the repository, the image ``target`` runs:
    Compose tags a built image with the service's `image:` (mailcow's unbound is pulled by
    the base file and built by a build overlay)."""
    if target.build is not None or not target.image:
        return None
    for other in project.services():
        if other.image == target.image and other.build is not None:
            return other
    return None


def _why(target: Service, builder: Service | None) -> tuple[str, bool]:
    """Why the target has no healthcheck, and whether `up` certainly fails."""
    name = target.name
    check_ = target.healthcheck
    if check_ is not None and check_.disabled:
        return f"'{name}' disables its healthcheck", True
    if check_ is not None and check_.test and check_.test[0] == "NONE":
        return f"'{name}' turns its healthcheck off with test NONE", True
    if builder is not None and builder.build is not None:
        path = builder.build.dockerfile_path or "its Dockerfile"
        if builder.dockerfile is None:  # worded as the view that merges the build in says it
            return (
                f"'{name}' has no healthcheck in compose and its Dockerfile ({path}) cannot "
                "be read",
                False,
            )
        return (
            f"'{name}' has no healthcheck in compose, and {path}, which builds its image "
            f"'{target.image}' (service '{builder.name}' in {builder.stack.path}), has no "
            "HEALTHCHECK in the stage it builds",
            False,  # the image `up` pulls may still differ from what this Dockerfile builds
        )
    if target.build is not None:
        path = target.build.dockerfile_path or "its Dockerfile"
        if target.dockerfile is None:
            return (
                f"'{name}' has no healthcheck in compose and its Dockerfile ({path}) cannot "
                "be read",
                False,
            )
        return f"'{name}' has no healthcheck in compose nor in the stage of {path} it builds", True
    return f"'{name}' has no healthcheck in compose", False


def _advice(target: Service) -> str:
    if target.one_shot:
        return (
            f"'{target.name}' is a one-shot job: wait for it with "
            "`condition: service_completed_successfully`"
        )
    return f"add a healthcheck to '{target.name}'"
