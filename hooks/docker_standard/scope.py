"""What a run covers: the project around the paths named, and the findings those paths show.

The runner runs rules and the fixes plan and write; both are told the scope from here, so
neither needs the other (``check.py`` composes them for the CLI and the Action). One
:func:`find_scope` opens the project for the check, ``variables`` and the cold start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from docker_standard.config import ConfigError, Settings, load_settings
from docker_standard.model.paths import cleaned, parent_dir, within
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from docker_standard.findings import Finding
    from docker_standard.model.project import Project, Stack


class Scope(NamedTuple):
    """The project root around the paths named, its settings, and those paths relative to it."""

    root: str  # absolute and resolved
    is_repo: bool
    problem: str | None  # why git could not be asked about the root, if it could not
    settings: Settings
    given: list[str]  # every path named ("" for the root itself)
    given_files: list[str]  # the named paths that are not folders
    scoped: bool  # only files were named: a run loads those files alone (a pre-commit hook)
    # Folders named below the root: a run discovers in them (and the folders above them) only.
    subtrees: Sequence[str] = ()

    def load(self, overrides: Mapping[str, str] | None = None) -> Project:
        """The project as far as the run needs it; loading again gives the same scope (the fix
        loop reloads after writing, ``--diff`` with the texts it planned as ``overrides``)."""
        from docker_standard.model.loading import load_project

        partial = self.scoped or bool(self.subtrees)
        project = load_project(
            self.root,
            self.settings,
            is_repo=self.is_repo,
            only=self.given_files if partial else None,
            explicit=self.given_files,
            subtrees=self.subtrees,
            overrides=overrides,
        )
        project.scoped = partial
        return project


def find_scope(
    paths: Sequence[str],
    *,
    config_path: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    scope: bool = True,
) -> Scope:
    """Find the root around ``paths`` and read its settings. Raises :class:`ConfigError`.

    With ``scope`` a run that names only files loads those files alone; without it the whole
    project is loaded whatever was named (the cold start).
    """
    from docker_standard.model.git import find_root

    targets = [cleaned(p) for p in paths]
    for target in targets:
        if not os.path.lexists(target):
            raise ConfigError(f"path not found: {target}")
    first = targets[0] if targets else "."
    start = first if os.path.isdir(first) else (os.path.dirname(first) or ".")
    root, is_repo, problem = find_root(os.path.realpath(start))
    if not is_repo and not all(_inside(root, t) for t in targets):
        # Outside git the root is the current directory (SPEC) when the first path's folder
        # would leave other paths outside it (`check-compose a/compose.yaml b/compose.yaml`).
        here = os.path.realpath(".")
        if all(_inside(here, t) for t in targets):
            root = here
    settings = load_settings(root, config_path).with_cli(select, ignore)
    given = [_relative(root, t) for t in targets]
    given_files = [g for g, t in zip(given, targets, strict=True) if not os.path.isdir(t)]
    if not scope:
        given_files = []
    scoped = scope and bool(targets) and len(given_files) == len(given)
    folders = [g for g in given if g not in given_files]
    subtrees = folders if scope and folders and "" not in folders else []
    return Scope(root, is_repo, problem, settings, given, given_files, scoped, subtrees)


def _inside(root: str, target: str) -> bool:
    return within(root, os.path.realpath(target))


def _relative(root: str, target: str) -> str:
    resolved = os.path.realpath(target)
    if not within(root, resolved):
        raise ConfigError(f"{target} is outside the project root {root}")
    rel = os.path.relpath(resolved, root)
    return "" if rel == "." else rel


def stack_paths(stack: Stack) -> set[str]:
    paths = {c.path for c in stack.compose_files}
    project = stack.project
    for rel, env in project.env_files.items():
        if env.directory == stack.directory:
            paths.add(rel)
    for service in stack.all_services():
        if service.dockerfile is not None:
            paths.add(service.dockerfile.path)
        if service.build_context is not None and service.build_context.dockerignore_path:
            paths.add(service.build_context.dockerignore_path)
    gitignore = f"{stack.directory}/.gitignore" if stack.directory else ".gitignore"
    paths.add(gitignore)
    return paths


def restrict(
    project: Project, findings: list[Finding], given: list[str], given_files: list[str]
) -> list[Finding]:
    """Keep findings in the given files, project-level findings of the stacks they touch, and
    everything below given folders."""
    files = set(given_files)
    folders = [g for g in given if g not in files]
    if any(folder == "" for folder in folders):
        return findings
    allowed = set(files)
    gitignores = [parent_dir(f) for f in files if f.rpartition("/")[2] == ".gitignore"]
    # A compose file given touches the stacks it is part of, not its folder's other stacks
    # (`check docker-compose-postgres.yml` beside docker-compose.yml).
    compose = {c.path for stack in project.stacks for c in stack.compose_files}
    near = {parent_dir(f) for f in files if f not in compose}
    for stack in project.stacks:
        # The stack's other overlays are alternatives to a given one, not part of its check.
        paths = stack_paths(stack) - ({o.path for o in stack.overlays} - files)
        governed = any(
            not folder or stack.directory == folder or stack.directory.startswith(folder + "/")
            for folder in gitignores
        )
        if governed or paths & files or stack.directory in near:
            allowed |= paths
    ignores = {f for f in files if f.rpartition("/")[2].endswith(".dockerignore")}
    if ignores:  # a .dockerignore changes what COPY sees: its Dockerfiles' findings count
        for dockerfile in project.dockerfiles.values():
            contexts = project.contexts.of(dockerfile)
            if any(context.dockerignore_path in ignores for context in contexts):
                allowed.add(dockerfile.path)
    return [
        f
        for f in findings
        if f.span.path in allowed or any(f.span.path.startswith(d + "/") for d in folders)
    ]
