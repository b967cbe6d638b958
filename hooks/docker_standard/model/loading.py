"""Loading a project: discovery of its compose files, Dockerfiles and env files (all of them,
or only those a run given files or folders needs), the stacks they form, and the git facts the
rules will ask about, asked in one call."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

from docker_standard.findings import Span
from docker_standard.model import compose as cm
from docker_standard.model.discovery import find_host, fragment_alone, stacks_above
from docker_standard.model.env_layout import paths_git_is_asked_about
from docker_standard.model.files import is_dockerfile_name, is_env_name
from docker_standard.model.paths import join, parent_dir
from docker_standard.model.project import Project
from docker_standard.model.stack import ComposeFile, Stack
from docker_standard.model.walk import project_folders
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.config import Settings


def load_project(
    root: str | os.PathLike[str],
    settings: Settings,
    *,
    is_repo: bool,
    only: Iterable[str] | None = None,
    explicit: Iterable[str] = (),
    subtrees: Iterable[str] = (),
    overrides: Mapping[str, str] | None = None,
) -> Project:
    """Discover and load everything below ``root``.

    With ``only`` (root-relative files a hook was given), discovery is limited to the folders
    of those files and their parents: a hook's cost follows the commit, not the repository.
    ``subtrees`` (folders named) adds everything below those folders, and their parents.
    ``overrides`` are texts read instead of the disk (``--diff``'s planned rounds); one of a
    file that does not exist yet is found in its folder as if it did.
    Files in ``only`` or ``explicit`` (named on the command line) are judged by their content
    whatever their name.
    """
    project = Project(root, settings, overrides)
    root = project.root
    project._is_repo = is_repo
    named = set(explicit) | set(only or ())
    folders = project_folders(root, settings, only, subtrees)
    compose_by_dir: dict[str, list[str]] = {}
    dockerfiles: list[str] = []
    env_files: list[str] = []
    created: dict[str, list[str]] = {}
    for path in project.overrides:
        if not os.path.lexists(project.abspath(path)):
            created.setdefault(parent_dir(path), []).append(path.rpartition("/")[2])
    for folder, names in folders:
        project.listed[folder] = frozenset(names)
        for name in sorted({*names, *created.get(folder, ())}):
            rel = join(folder, name)
            if cm.is_compose_name(name):
                if cm.is_standard_name(name) or project.sniff_compose(rel, "named"):
                    compose_by_dir.setdefault(folder, []).append(name)
            elif is_dockerfile_name(name):
                dockerfiles.append(rel)
            elif is_env_name(name):
                env_files.append(rel)
            elif name == ".gitignore":
                project._gitignore_paths[folder] = rel
                if not is_repo:
                    source = project.read(rel)
                    if source is not None:
                        project.gitignores[folder] = source
            elif name.lower().endswith((".yml", ".yaml")) and project.sniff_compose(
                rel, "explicit" if rel in named else "found"
            ):
                compose_by_dir.setdefault(folder, []).append(name)
    for rel in sorted(env_files):
        project.env_file(rel)
    stacks: dict[str, list[Stack]] = {}
    bases: dict[str, Stack] = {}  # folder -> the stack of its base file, for fragments below
    # Parents first: a fragment merges onto the nearest base above it.
    for folder in sorted(compose_by_dir, key=lambda f: (f.count("/") + (f != ""), f)):
        stacks[folder] = list(_stacks_in(project, folder, compose_by_dir[folder], bases))
    project.stacks = [stack for folder in sorted(stacks) for stack in stacks[folder]]
    # A file another stack includes is judged inside that stack, not as a project of its own.
    included = {c.path for stack in project.stacks for c in stack.included}
    project.stacks = [s for s in project.stacks if s.base.path not in included]
    if only is not None or subtrees:
        # A partial run reports only what its files and folders hold: a Dockerfile of a folder
        # above them matters only if a service builds it, and building loads it anyway.
        below = [folder + "/" for folder in subtrees if folder]
        dockerfiles = [d for d in dockerfiles if d in named or d.startswith(tuple(below))]
    for rel in sorted(dockerfiles):
        project.dockerfile(rel)
    # What the rules will ask git, in one call now that every stack is known: rules read
    # loaded facts instead of starting git one path at a time.
    project.git.prefetch(paths_git_is_asked_about(project))
    return project


def _stacks_in(
    project: Project, folder: str, names: list[str], bases: dict[str, Stack]
) -> Iterator[Stack]:
    """The stacks of one folder; files that patch a stack above (or beside) them join it."""
    present = set(names)
    base_names = [n for n in cm.COMPOSE_BASE_NAMES if n in present]
    override = next((n for n in cm.COMPOSE_OVERRIDE_NAMES if n in present), None)
    overlays = sorted(
        n
        for n in present
        if cm.is_standard_name(n)
        and n not in cm.COMPOSE_BASE_NAMES
        and n not in cm.COMPOSE_OVERRIDE_NAMES
    )
    others = sorted(n for n in present if not cm.is_standard_name(n))
    above = stacks_above(folder, bases)
    main: Stack | None = None
    if base_names:
        first = join(folder, base_names[0])
        compose = project.compose_file(first, "base")
        host = find_host(compose, above) if compose is not None else None
        if compose is not None and host is not None:
            project.attach(*host, compose)  # ci/basic/compose.yaml patching ./compose.yaml
        else:
            main = project._build_stack(
                folder,
                first,
                join(folder, override) if override else None,
                [join(folder, n) for n in overlays],
            )
            if main is not None:
                bases[folder] = main
                yield main
        # Compose would use only the first base name; the others are files users run with -f.
        for name in base_names[1:]:
            other = project._build_stack(folder, join(folder, name), None, [])
            if other is not None:
                yield other
    loose = others if main is not None else overlays + ([override] if override else []) + others
    hosts = ([main] if main is not None else []) + above
    pending = [c for n in loose if (c := project.compose_file(join(folder, n), "overlay"))]
    _attach_all(project, pending, hosts)
    # Complete files of other names are stacks of their own; a fragment may still patch one
    # (overrides/compose.traefik-ssl.yaml patches the stack overrides/compose.traefik.yaml).
    own: list[Stack] = []
    for compose in [c for c in pending if not fragment_alone(c)]:
        pending.remove(compose)
        stack = _standalone(project, folder, compose)
        if stack is not None:
            own.append(stack)
            yield stack
    _attach_all(project, pending, own)
    for compose in pending:
        stack = _standalone(project, folder, compose)
        if stack is not None:
            stack.fragment = True
            yield stack


def _attach_all(project: Project, pending: list[ComposeFile], hosts: list[Stack]) -> None:
    """Attach every file of ``pending`` that patches one of ``hosts``, in rounds until nothing
    more attaches: compose.custom-domain-ssl.yaml patches a service that
    compose.custom-domain.yaml (sorted after it) adds to the stack. Files whose every need is
    met go first, so that a file patching services of several overlays sees them all."""
    for strict in (True, False):
        attached = True
        while attached and pending:
            attached = False
            for compose in list(pending):
                host = find_host(compose, hosts, strict=strict)
                if host is not None:
                    project.attach(*host, compose)
                    pending.remove(compose)
                    attached = True


def _standalone(project: Project, folder: str, compose: ComposeFile) -> Stack | None:
    """A compose file of its own: overlays without a base are complete files in practice
    (e.g. only compose.prod.yml)."""
    rel = compose.path
    empty = compose.source is not None and not compose.documents and compose.data is None
    if empty and not any(e.span.path == rel for e in project.errors):
        project.error(Span(rel), "empty compose file")
    compose.role = "base"
    return project._build_stack(folder, rel, None, [])
