"""DS308: a named volume, network, secret or config is used but not declared."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, has_variable, subject

_SECTIONS = {"volume": "volumes", "network": "networks", "secret": "secrets", "config": "configs"}


@rule(code="DS308", name="compose-undeclared-resource", severity=Severity.ERROR, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a named volume, a network, a secret or a config that a service uses but that the
    merged configuration does not declare under the top-level `volumes:`, `networks:`,
    `secrets:` or `configs:`. Declarations from the override, the overlay being judged and
    included files count; `external: true` resources count as declared. The implicit
    `default` network needs no declaration, and `network_mode: service:…` / `container:…`
    are not networks.

    ## Why is this bad?
    Compose refuses the file (`service "db" refers to undefined volume pgdata: invalid
    compose project`), so nothing starts.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - pgdata:/var/lib/postgresql/data
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - pgdata:/var/lib/postgresql/data
    volumes:
      pgdata:
    ```
    """
    stack = service.stack
    used: list[tuple[str, str, Span]] = []
    for mount in service.volumes:
        if mount.type == "volume" and mount.source:
            used.append(("volume", mount.source, mount.span))
    for network in service.networks:
        if network.name != "default":
            used.append(("network", network.name, network.span))
    for resource in service.resources:
        used.append((resource.kind, resource.name, resource.span))
    for kind, name, span in used:
        if has_variable(name) or "/" in name:
            continue
        section = _SECTIONS[kind]
        if name in stack.declared(section, service.files):
            continue
        yield Hit(
            f"{subject(service, span)} uses the {kind} '{name}', which is not declared under "
            f"top-level `{section}:`: Compose refuses the file; declare it (or mark it "
            "`external: true` if it is created elsewhere)",
            span,
            subject=about(kind, service, span, name),
        )
