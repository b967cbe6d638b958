"""DS311: a stateful service publishes a port on all host interfaces."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity
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
LOCALHOST = "127.0.0.1"


@rule(
    code="DS311",
    name="compose-exposed-data-port",
    severity=Severity.WARNING,
    target=Service,
    security=True,
    fixable=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a port that a stateful service (a database, cache, queue or search engine; see
    DS307 for the list) publishes on every host interface: `"5432:5432"`, `"5432"` (a
    random host port), `0.0.0.0:5432:5432`, `[::]:5432:5432`, or the long form without
    `host_ip`. Variables are resolved as a fresh clone resolves them, so
    `"${BIND:-127.0.0.1}:5432:5432"` is fine and `"${PG_PORT:-5432}:5432"` is not.

    The fix (unsafe: clients on other hosts lose access) publishes the port on 127.0.0.1:
    `"5432:5432"` → `"127.0.0.1:5432:5432"` (quoting kept, `${PG_PORT:-5432}:5432` too),
    `"5432"` → `"127.0.0.1::5432"`, and the long form gets `host_ip: 127.0.0.1`. A port that
    names a host IP already (`0.0.0.0:…`), a variable that may hold one, or a range is left
    as a finding.

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
            fix=Fix(("bind-port-localhost", service.name, *_localhost(written, port)),
                    safe=False),
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


def _localhost(written: Port, port: Port) -> tuple[str, str, str]:
    """How ``--fix`` binds the port to 127.0.0.1: ``(form, new value, why not)``. ``short``
    carries the item's new text, ``long`` adds ``host_ip``; an empty form carries why not."""
    if not written.raw:
        if written.host_ip is not None:
            return "", "", "the port names a host_ip already"
        return "long", LOCALHOST, ""
    if written.host_ip is not None or port.host_ip is not None:
        return "", "", "the port names a host IP already (or a variable may hold one)"
    if any("-" in (part or "") for part in (port.published, port.target)):
        return "", "", "the port is a range"
    if has_variable(written.target) or (written.published is None and has_variable(written.raw)):
        return "", "", "a variable may hold the whole port"
    if written.published is None:
        return "short", f"{LOCALHOST}::{written.raw}", ""
    return "short", f"{LOCALHOST}:{written.raw}", ""
