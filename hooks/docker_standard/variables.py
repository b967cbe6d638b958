"""``docker-standard variables``: every variable each stack needs, aggregated per name."""

from __future__ import annotations

import os
from collections.abc import Iterable

from docker_standard.model.paths import cleaned
from docker_standard.model.project import Stack, VariableUse

# Interpolation never needs these in .env.example: Compose defines the first two itself, and
# every login shell (POSIX requires it) exports HOME. ``UID``/``GID`` are *not* here: bash does
# not export them, the classic reason a stack works for one developer and not for CI.
ALWAYS_DEFINED = frozenset({"COMPOSE_PROJECT_NAME", "PWD", "HOME"})


class Variable:
    """One variable a stack needs, with every place it is used."""

    def __init__(self, name: str, uses: list[VariableUse] | None = None) -> None:
        self.name = name
        self.uses: list[VariableUse] = [] if uses is None else uses

    @property
    def required(self) -> bool:
        """Compose fails without it: some occurrence uses ``?`` or ``:?``."""
        return any(use.required for use in self.uses)

    @property
    def default(self) -> str | None:
        """The first default written for it, if any occurrence has one."""
        return next((use.default for use in self.uses if use.default is not None), None)

    @property
    def passthrough_only(self) -> bool:
        return all(use.passthrough for use in self.uses)

    @property
    def locations(self) -> list[str]:
        return [f"{use.span.path}:{use.span.line}" for use in self.uses]


def aggregate(uses: Iterable[VariableUse]) -> list[Variable]:
    """One entry per valid name, in name order (invalid ``${...}`` templates are DS001's)."""
    by_name: dict[str, Variable] = {}
    for use in uses:
        if use.name:
            by_name.setdefault(use.name, Variable(use.name)).uses.append(use)
    return [by_name[name] for name in sorted(by_name)]


def stack_variables(
    path: str | None, *, config_path: str | None = None
) -> list[tuple[Stack, list[Variable]]]:
    from docker_standard.config import ConfigError
    from docker_standard.scope import find_scope

    start = cleaned(path or ".")
    if not os.path.exists(start):
        raise ConfigError(f"path not found: {start}")
    scope = find_scope([start], config_path=config_path)
    root = scope.root
    only = scope.given_files if scope.scoped else None
    project = scope.load()
    stacks = project.stacks
    if os.path.isfile(start):
        rel = only[0] if only else ""
        stacks = [s for s in stacks if rel in {c.path for c in s.compose_files}] or stacks
    elif os.path.realpath(start) != root:
        prefix = os.path.relpath(os.path.realpath(start), root)
        stacks = [
            s for s in stacks if s.directory == prefix or s.directory.startswith(prefix + "/")
        ]
    return [(stack, aggregate(stack.variables)) for stack in stacks]


def render_variables(stacks: list[tuple[Stack, list[Variable]]], fmt: str) -> str:
    if fmt == "json":
        import json  # the variables command's JSON output; ds104 imports this module too

        payload = {
            "version": 1,
            "stacks": [
                {
                    "stack": stack.path,
                    "variables": [
                        {
                            "name": var.name,
                            "required": var.required,
                            "default": var.default,
                            "locations": var.locations,
                            "occurrences": [
                                {
                                    "location": f"{use.span.path}:{use.span.line}",
                                    "operator": use.operator,
                                    "default": use.default,
                                    "required": use.required,
                                    "passthrough": use.passthrough,
                                }
                                for use in var.uses
                            ],
                        }
                        for var in variables
                    ],
                }
                for stack, variables in stacks
            ],
        }
        return json.dumps(payload, indent=2) + "\n"
    lines: list[str] = []
    for stack, variables in stacks:
        lines.append(f"{stack.path}:")
        if not variables:
            lines.append("  (no variables)")
        for var in variables:
            flag = (
                "required"
                if var.required
                else ("default " + repr(var.default) if var.default is not None else "optional")
            )
            lines.append(
                f"  {var.name:<32} {flag:<24} {', '.join(var.locations[:3])}"
                + (f" (+{len(var.locations) - 3})" if len(var.locations) > 3 else "")
            )
    return "\n".join(lines) + "\n"
