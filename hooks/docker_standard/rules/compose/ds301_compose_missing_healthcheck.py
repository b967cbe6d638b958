"""DS301: a long-running service has no healthcheck."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, reset_span, subject


@rule(code="DS301", name="compose-missing-healthcheck", severity=Severity.ERROR, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a long-running service that has no healthcheck: none in the compose files (base,
    override, the overlay being judged, `extends`, `include`), and none in the stage of the
    Dockerfile it builds (its `build.target`, else the final stage).
    `healthcheck: {disable: true}`, `test: ["NONE"]`, a `!reset` in an override, and a
    `HEALTHCHECK NONE` in the Dockerfile count as no healthcheck.

    One-shot jobs are exempt (docs/one-shot-jobs.md: a service others wait on with
    `service_completed_successfully`, or one whose restart policy is `"no"` or `on-failure`
    and whose name, command or profile says it is a task such as `migrate` or `seed`;
    `on-failure` alone does not make a job). A service that
    only uses a pre-built `image:` is reported even if that image happens to define a
    `HEALTHCHECK`, since no static check can see inside an image: write the check in compose,
    where readers (and `service_healthy` dependants) can see it.

    ## Why is this bad?
    Without a healthcheck Docker only knows that the process started, not that it serves.
    `depends_on: {condition: service_healthy}` cannot wait for it (Compose fails at `up`),
    `docker compose ps` cannot show it as unhealthy, and a hung process stays in rotation.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        restart: unless-stopped
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        restart: unless-stopped
        healthcheck:
          test: ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"]
          interval: 30s
          timeout: 10s
          retries: 3
    ```
    """
    if service.one_shot or service.effective_healthcheck is not None:
        return
    name = service.name
    check_ = service.healthcheck
    if check_ is not None and check_.disabled:
        span = _key_span(service, "disable") or check_.span
        yield Hit(
            f"{subject(service, span)} disables its healthcheck (`disable: true`): give it a "
            "test that fails when it cannot serve",
            span,
            subject=about("service", service, span, "healthcheck"),
        )
        return
    if check_ is not None and check_.test and check_.test[0] == "NONE":
        span = _key_span(service, "test") or check_.span
        yield Hit(
            f"{subject(service, span)} turns its healthcheck off (`test: [\"NONE\"]`): give it "
            "a test that fails when it cannot serve",
            span,
            subject=about("service", service, span, "healthcheck"),
        )
        return
    if check_ is not None:  # options only: the test would come from the image
        source = _where_the_test_would_come_from(service)
        yield Hit(
            f"service '{name}' sets healthcheck options but no `test`, and {source}: "
            "add a `test:`",
            check_.span,
            subject=about("service", service, check_.span, "healthcheck"),
        )
        return
    removed = reset_span(service, "healthcheck")
    if removed is not None:
        yield Hit(
            f"service '{name}' has no healthcheck: `!reset` removes the one it inherits; "
            "give it one here or drop the reset",
            removed,
            subject=about("service", service, removed, "healthcheck"),
        )
        return
    if service.build is not None:
        yield Hit(
            f"service '{name}' has no healthcheck: {_where_the_test_would_come_from(service)}; "
            "add `healthcheck:` to the service or `HEALTHCHECK` to "
            f"{'that stage' if service.dockerfile is not None else 'its final stage'}",
            service.span,
            subject=Subject("service", (name, "healthcheck")),
        )
        return
    yield Hit(
        f"service '{name}' has no healthcheck: add `healthcheck:` with a test that fails when it "
        "cannot serve (an image's own HEALTHCHECK cannot be verified from here)",
        service.span,
        subject=Subject("service", (name, "healthcheck")),
    )


def _key_span(service: Service, key: str) -> Span | None:
    body = service.data.get("healthcheck")
    if isinstance(body, YMap) and key in body:
        return body.key_span(key)
    return None


def _where_the_test_would_come_from(service: Service) -> str:
    build = service.build
    if build is None:
        return "the image's own HEALTHCHECK cannot be verified"
    path = build.dockerfile_path or build.dockerfile or "its Dockerfile"
    if service.dockerfile is None:
        return f"its Dockerfile ({path}) cannot be read"
    return f"{_stage_name(service)} of {path} has no HEALTHCHECK"


def _stage_name(service: Service) -> str:
    """The stage the service builds, as a message names it: its `build.target`, else the
    final stage."""
    stage = service.built_stage
    dockerfile = service.dockerfile
    if stage is None or dockerfile is None or stage is dockerfile.final_stage:
        return "the final stage"
    return f"stage '{stage.name}' (its `build.target`)"
