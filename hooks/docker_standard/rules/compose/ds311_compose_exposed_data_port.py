"""DS311: a stateful service publishes a port on all host interfaces."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Port, Service, parse_port
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import (
    about,
    has_variable,
    resolve,
    stateful,
    subject,
)

_ALL_INTERFACES = ("", "0.0.0.0", "::", "[::]")


@rule(
    code="DS311",
    name="compose-exposed-data-port",
    severity=Severity.WARNING,
    target=Service,
    security=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a port that a stateful service (a database, cache, queue or search engine; see
    DS307 for the list) publishes on every host interface: `"5432:5432"`, `"5432"` (a
    random host port), `0.0.0.0:5432:5432`, `[::]:5432:5432`, or the long form without
    `host_ip`. Variables are resolved as a fresh clone resolves them, so
    `"${BIND:-127.0.0.1}:5432:5432"` is fine and `"${PG_PORT:-5432}:5432"` is not.

    ## Why is this bad?
    Docker's published ports bypass host firewalls such as ufw (Docker writes its own
    iptables rules), so the database answers to the whole network, or the Internet on a
    VPS. The other services reach it over the compose network and need no published port.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        ports:
          - "5432:5432"
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:16.4
        ports:
          - "127.0.0.1:5432:5432"
    ```
    """
    kind = stateful(service, project)
    if kind is None:
        return
    for written in service.ports:
        port = _resolved(service, written)
        host_ip = (port.host_ip or "").strip()
        if host_ip not in _ALL_INTERFACES:
            continue
        published = port.published or written.published or "a random port"
        yield Hit(
            f"{subject(service, port.span)} ({kind.image}) publishes port {port.target} on all "
            f"host interfaces (host {published}): bind it to 127.0.0.1 "
            f"(`127.0.0.1:{port.published or port.target}:{port.target}`) or drop it and use the "
            "compose network",
            port.span,
            subject=about("port", service, port.span, str(port.target)),
        )


def _resolved(service: Service, port: Port) -> Port:
    if port.raw and has_variable(port.raw):
        return parse_port(resolve(service.stack, port.raw)[0], port.span)
    if not port.raw:
        host_ip = port.host_ip
        published = port.published
        if host_ip is not None and has_variable(host_ip):
            host_ip = resolve(service.stack, host_ip)[0]
        if published is not None and has_variable(published):
            published = resolve(service.stack, published)[0]
        return Port(host_ip, published or None, port.target, port.protocol, port.span, port.raw)
    return port
