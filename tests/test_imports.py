"""The package's imports form no cycle (issue 11 §3): layers can be read bottom-up.

Every ``import`` and ``from … import`` in the package is counted, at module level and inside
functions alike, so a deferred import that closes a loop is still a loop. Imports under
``if TYPE_CHECKING:`` count too: a type a module names is part of what it depends on, and two
modules that need each other's types are one module split in the wrong place.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "docker_standard"
ROOT = Path(__file__).resolve().parents[1] / "hooks" / PACKAGE

# Edges allowed to close a loop, each with the reason it cannot be cut yet. Keep this short.
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # Stack.project and BuildContext.project point back at the Project that loaded them
        # (rules reach project facts through them); the import is for the annotation only,
        # under TYPE_CHECKING, so nothing runs in a loop. A Protocol would cut it, at the cost
        # of typing every rule helper that takes `stack.project` against it.
        ("docker_standard.model.stack", "docker_standard.model.project"),
    }
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Package modules ``tree`` imports, resolved to the module that is really loaded."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            found.add(source)
            for alias in node.names:
                # `from pkg import mod` loads pkg.mod when mod is a module.
                found.add(f"{source}.{alias.name}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name in known and name != module}


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    known = set(files)
    return {
        name: _imported(ast.parse(path.read_text()), name, path.name == "__init__.py", known)
        for name, path in files.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _loop(graph: dict[str, set[str]], members: list[str]) -> list[str]:
    """One concrete loop through the component, to name in the failure."""
    inside = set(members)
    start = members[0]
    path = [start]
    seen = {start}
    node = start
    while True:
        nxt = sorted(graph[node] & inside)
        if start in nxt and len(path) > 1:
            return [*path, start]
        step = next((n for n in nxt if n not in seen), None)
        if step is None:
            return [*path, start]
        path.append(step)
        seen.add(step)
        node = step


def test_the_package_imports_without_cycles() -> None:
    graph = import_graph()
    for source, target in ALLOWED:
        graph[source].discard(target)
    loops = [" -> ".join(_loop(graph, members)) for members in _cycles(graph)]
    assert not loops, "import cycles:\n" + "\n".join(loops)


def test_every_allowed_edge_is_still_there() -> None:
    # An allowance whose import is gone would silently permit the next loop through it.
    graph = import_graph()
    assert [edge for edge in ALLOWED if edge[1] not in graph.get(edge[0], set())] == []


def test_the_walk_sees_function_level_imports() -> None:
    # The walk must count a deferred import, or it would miss the cycles it is here for.
    tree = ast.parse("def f():\n    from docker_standard import runner\n")
    known = {"docker_standard", "docker_standard.runner"}
    found = _imported(tree, "docker_standard.fixes", True, known)
    assert found == {"docker_standard", "docker_standard.runner"}
