"""DS309: a service uses no custom network, or the host network."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject

# Keys that make the top-level `default` network a network of the project's own design.
_CUSTOM = ("name", "driver", "external", "ipam", "internal", "driver_opts")


@rule(code="DS309", name="compose-default-network", severity=Severity.WARNING, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a service that joins no custom network (it lists no `networks:`, or only
    `default`), a service with `network_mode: host`, and one with `network_mode: bridge`
    (Docker's legacy default bridge, without name resolution between services).

    Not reported: a service that shares another container's network stack
    (`network_mode: service:…` / `container:…`, it follows that service), one with
    `network_mode: none` (fully isolated), and services on a `default` network the top level
    configures itself (`networks: {default: {name: …}}`, a driver, `external: true`, …),
    which is a custom network under the default name.

    ## Why is this bad?
    The Standard asks for named networks so that isolation is designed, not implied: a
    custom network states which services may talk to each other and can be split later
    (frontend/backend). `network_mode: host` removes network isolation entirely and
    exposes every port the process opens on the host.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        networks:
          - backend
    networks:
      backend:
    ```
    """
    mode = service.network_mode
    if mode is not None:
        if "$" in mode:
            mode = resolve(service.stack, mode)[0]
        span = service.value_span("network_mode")
        if mode == "host":
            yield Hit(
                f"{subject(service, span)} uses `network_mode: host`: it shares the host's "
                "network stack with no isolation; publish the ports it needs and attach it to a "
                "custom network",
                span,
                subject=about("service", service, span, "network_mode"),
            )
        elif mode == "bridge":
            yield Hit(
                f"{subject(service, span)} uses `network_mode: bridge`, Docker's legacy default "
                "bridge (no service-name DNS): attach it to a custom network",
                span,
                subject=about("service", service, span, "network_mode"),
            )
        return
    names = [n.name for n in service.networks]
    if any(name != "default" for name in names):
        return
    default = service.stack.declared("networks", service.files).get("default")
    if isinstance(default, YMap) and any(key in default for key in _CUSTOM):
        return
    yield Hit(
        f"service '{service.name}' uses only the project's default network: declare a network "
        "under top-level `networks:` and attach the service to it",
        service.key_span("networks") if names else service.span,
        subject=Subject("service", (service.name, "networks")),
    )
