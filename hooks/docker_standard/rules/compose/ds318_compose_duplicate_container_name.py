"""DS318: two services set the same container_name."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import resolve
from docker_standard.runtime_typing import NamedTuple


class _Named(NamedTuple):
    container: str
    directory: str
    view: tuple[str, ...]
    service: str
    span: Span
    profiles: frozenset[str]


@rule(
    code="DS318",
    name="compose-duplicate-container-name",
    severity=Severity.ERROR,
    target=Project,
)
def check(project: Project, _project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `container_name` that another service also sets: two services of one
    configuration (base and override, or base with an overlay), or services of stacks in
    different folders of the repository, which can run side by side. Each duplicate is
    reported at its own line, naming the other service. Stacks in the same folder, and the
    different overlays of one stack, are alternatives rather than neighbours and are not
    compared with each other, nor are two services whose profile sets are both non-empty and
    disjoint (`profiles: [p1]` and `profiles: [p2]`): Compose accepts either profile alone, and
    refuses only when both are active. Names with a variable nothing resolves (such as
    `${COMPOSE_PROJECT_NAME}_db`, which differs per project) are skipped.

    ## Why is this bad?
    Container names are global to the Docker host. Compose refuses a configuration where
    two services share one; across stacks, the second `docker compose up` fails with
    `Conflict. The container name "/db" is already in use`, or one stack recreates and
    takes over the other's container.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        container_name: app
      worker:
        image: ghcr.io/acme/worker:2.0.1
        container_name: app
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        container_name: app_api
      worker:
        image: ghcr.io/acme/worker:2.0.1
        container_name: app_worker
    ```
    """
    by_name: dict[str, list[_Named]] = {}
    seen: set[tuple[tuple[str, ...], str]] = set()
    for stack in project.stacks:
        for view, services in stack.views.items():
            for service in services.values():
                raw = service.container_name
                if raw is None or (view, service.name) in seen:
                    continue
                seen.add((view, service.name))
                name, unresolved = resolve(stack, raw)
                if unresolved or not name.strip():
                    continue
                by_name.setdefault(name.strip(), []).append(_Named(
                    name.strip(), stack.directory, view, service.name,
                    service.value_span("container_name"), frozenset(service.profiles),
                ))
    for container, entries in by_name.items():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = sorted({
                _describe(other, entry)
                for other in entries
                if _clash(entry, other)
            })
            if others:
                yield Hit(
                    f"container_name '{container}' of service '{entry.service}' is also set by "
                    f"{', '.join(others)}: container names are global to the Docker host; "
                    "drop `container_name` or make it unique",
                    entry.span,
                    subject=Subject("container_name", (container, entry.service)),
                )


def _clash(one: _Named, other: _Named) -> bool:
    if one.span == other.span:
        return False  # one definition, reached through two stacks or views
    if one.directory != other.directory:
        return True
    # One folder: only services of the same configuration clash (overlays are alternatives),
    # and only when they run together by default: two services with disjoint, non-empty
    # profile sets start only when both profiles are asked for.
    if one.profiles and other.profiles and not one.profiles & other.profiles:
        return False
    return one.view == other.view and one.service != other.service


def _describe(other: _Named, entry: _Named) -> str:
    if other.directory == entry.directory:
        return f"service '{other.service}'"
    return f"service '{other.service}' in {other.span.path}"
