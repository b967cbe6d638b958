"""DS304: depends_on names an undefined service, or the dependencies form a cycle."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project, Stack
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, has_variable, resolve, subject


@rule(code="DS304", name="compose-depends-on-invalid", severity=Severity.ERROR, target=Stack)
def check(stack: Stack, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `depends_on` entry that names a service the configuration does not define, and
    dependencies that form a cycle (`a → b → a`, or a service depending on itself). The
    configuration is the merged one Compose runs: base and override, and each overlay merged
    onto them; services brought in by `include` or disabled by `profiles` count as defined.
    A cycle is reported once, at the dependency that closes it, naming every service in it.

    ## Why is this bad?
    Compose refuses both: `service "api" depends on undefined service "ghost"` and
    `dependency cycle detected: a -> b -> a`. Nothing starts.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        depends_on:
          database:
            condition: service_healthy
      db:
        image: postgres:16.4
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        depends_on:
          db:
            condition: service_healthy
      db:
        image: postgres:16.4
    ```
    """
    for services in stack.views.values():
        for service in services.values():
            for dependency in service.depends_on:
                name = _resolved_name(stack, dependency.name)
                if name is None or name in services:
                    continue
                shown = dependency.name
                if name != dependency.name:
                    shown = f"{dependency.name} = {name}"
                yield Hit(
                    f"{subject(service, dependency.span)} depends on '{shown}', which is not "
                    f"defined{_suggestion(name, services)}",
                    dependency.span,
                    subject=about("dependency", service, dependency.span, shown),
                )
        yield from _cycles(stack, services)


def _resolved_name(stack: Stack, name: str) -> str | None:
    """A dependency name as a fresh clone interpolates it; ``None`` when a variable nothing
    sets decides it (Compose would report whatever the user's environment holds)."""
    if not has_variable(name):
        return name
    value, unresolved = resolve(stack, name)
    return None if unresolved or not value else value


def _suggestion(name: str, services: Mapping[str, Service]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(services), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _cycles(stack: Stack, services: Mapping[str, Service]) -> Iterator[Hit]:
    """Tarjan's strongly connected components, iteratively; one hit per cycle."""
    edges: dict[str, list[tuple[str, Span]]] = {name: [] for name in services}
    for name, service in services.items():
        for dependency in service.depends_on:
            target = _resolved_name(stack, dependency.name)
            if target is not None and target in services:
                edges[name].append((target, dependency.span))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    trail: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in services:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                trail.append(node)
                on_stack.add(node)
            targets = edges[node]
            if position < len(targets):
                work.append((node, position + 1))
                child = targets[position][0]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            for child, _span in targets:
                if child in on_stack:
                    low[node] = min(low[node], low[child])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = trail.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    for component in components:
        members = set(component)
        if len(component) == 1:
            only = component[0]
            loop = next((span for child, span in edges[only] if child == only), None)
            if loop is not None:
                yield Hit(
                    f"service '{only}' depends on itself: remove the entry",
                    loop,
                    subject=Subject("dependency", (only, only)),
                )
            continue
        yield _cycle_hit(_a_cycle(min(members), members, edges), edges)


def _a_cycle(start: str, members: set[str], edges: dict[str, list[tuple[str, Span]]]) -> list[str]:
    """A simple cycle through ``start`` inside one strongly connected component (BFS back)."""
    parents: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for child, _span in sorted(edges[node]):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [*reversed(path), start]
            if child not in parents:
                parents[child] = node
                queue.append(child)
    return [start, start]  # unreachable: a component of two or more has a cycle through start


def _cycle_hit(cycle: list[str], edges: dict[str, list[tuple[str, Span]]]) -> Hit:
    last, closing = cycle[-2], cycle[-1]
    span = next(span for child, span in edges[last] if child == closing)
    chain = " -> ".join(cycle)
    return Hit(
        f"dependency cycle: {chain}: Compose refuses to start it; remove the dependency of "
        f"'{last}' on '{closing}' or another link of the chain",
        span,
        # The members in name order: where the search entered the cycle must not matter to
        # its fingerprint (reordering services would change it).
        subject=Subject("cycle", tuple(sorted(cycle[:-1]))),
    )
