"""DS309: a service uses no custom network, or the host network."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Span, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.stack import Stack
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject

# Keys that make the top-level `default` network a network of the project's own design.
_CUSTOM = ("name", "driver", "external", "ipam", "internal", "driver_opts")
_INVALID = re.compile(r"[^a-z0-9._-]+")
_RESERVED = ("default", "host", "bridge", "none")


@rule(
    code="DS309",
    name="compose-default-network",
    severity=Severity.WARNING,
    target=Service,
    fixable=True,
)
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

    The fix (unsafe: it renames the network the stack's containers share, so a container
    of another stack or a `docker run --network` that joined `<project>_default` loses
    them) declares one network named after the stack's folder (lower-case, other characters
    as `-`) under top-level `networks:` and attaches every service that is on the default
    network only, in the file that defines it; a service that names only `default` (with
    aliases, say) names the new network instead, its options kept. Services with
    `network_mode` are left alone.

    Connectivity between the services stays identical: the new network has exactly the
    members the default network had. So the fix is all or nothing for a stack (a
    suppressed service moves too: left behind, it would be cut off), and there is none when
    a service is on the default network *and* a custom one (moving the others would cut
    it off from them; moving them to its custom network would connect them to the
    services only on that network), when a service to move is defined in an included or
    extended file, when the services to move are defined in several files, when the
    stack's views (overlays) disagree on who is on the default network, or when a network
    of that name exists.

    ## Why is this bad?
    The Standard asks for named networks so that isolation is designed, not implied: a
    custom network states which services may talk to each other and can be split later
    (frontend/backend). `network_mode: host` removes network isolation entirely and
    exposes every port the process opens on the host.

    ## Example
    ```yaml
    # shop/compose.yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
    ```

    ## Use instead
    ```yaml
    # shop/compose.yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        networks:
          - shop

    networks:
      shop:
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
        fix=Fix(_intent(service.stack, project), safe=False),
    )


def _intent(stack: Stack, project: Project) -> tuple[str, ...]:
    """Every finding of a stack carries the same intent: computed once per stack (per service
    would make the rule quadratic in the services of a file), kept on the project."""
    intents: dict[int, tuple[str, ...]] = project.memo.setdefault("ds309_intents", {})
    intent = intents.get(id(stack))
    if intent is None:
        intent = intents[id(stack)] = ("attach-network", *_network_plan(stack, project))
    return intent


def _network_plan(stack: Stack, project: Project) -> tuple[str, ...]:
    """``(network, why-not, *services)``: the network every service on the default network
    only moves to, and all those services (the file that defines them is the same for all).
    An empty network carries why there is none: the move must keep every view's
    connectivity identical, so it is decided for the whole stack, never per service."""
    kinds: dict[tuple[str, Span], set[str]] = {}
    taken: set[str] = set()
    for files, view in stack.views.items():
        declared = stack.declared("networks", files)
        taken.update(declared)
        default = declared.get("default")
        if isinstance(default, YMap) and any(key in default for key in _CUSTOM):
            return "", "a view of the stack configures the default network itself"
        for member in view.values():
            names = {n.name for n in member.networks}
            taken.update(names)
            if member.network_mode is not None:
                kind = "mode"
            elif not names or names == {"default"}:
                kind = "default"
            elif "default" in names:
                return "", (f"service '{member.name}' is on the default network and another "
                            "one: moving the others would cut them off from it")
            else:
                kind = "custom"
            kinds.setdefault((member.name, member.span), set()).add(kind)
    if any(len(found) > 1 for found in kinds.values()):
        return "", "the stack's views (overlays) disagree on which services use the default network"
    moving = sorted({key for key, found in kinds.items() if found == {"default"}})
    paths = {span.path for _name, span in moving}
    editable = {c.path for c in (stack.base, stack.override, *stack.overlays) if c is not None}
    shared = {c.path for other in project.stacks for c in (*other.included, *other.extended)}
    if not paths <= editable - shared:
        return "", "a service on the default network is defined in an included or extended file"
    if len(paths) > 1:
        return "", "the services on the default network are defined in several files"
    network = _network_name(stack, project)
    if network in taken:
        return "", f"the stack already has a network named '{network}'"
    return (network, "", *(name for name, _span in moving))


def _network_name(stack: Stack, project: Project) -> str:
    """The stack's folder as a network name Compose accepts (``[a-zA-Z0-9._-]+``)."""
    folder = posixpath.basename(stack.directory) or posixpath.basename(project.root)
    name = _INVALID.sub("-", folder.lower()).strip("-._")
    if not name:
        return "app"
    return f"{name}-net" if name in _RESERVED else name
