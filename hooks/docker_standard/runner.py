"""Run the selected rules over a loaded project: targets, suppressions, severities, sorting."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from docker_standard.config import ConfigError, Settings, load_settings
from docker_standard.findings import Finding, Span
from docker_standard.model.project import Project, Stack, load_project
from docker_standard.registry import (
    EVERY_HOOK,
    HOOK_PREFIXES,
    Rule,
    all_codes,
    known_selector,
    matches,
    rules_for,
)
from docker_standard.report import Report

__all__ = ["ConfigError", "check_project", "enabled_rules", "run_rules"]


def enabled_rules(settings: Settings, hook: str = "docker-standard") -> list[Rule]:
    """Rules that run: in the hook's area, selected (or on by default), not ignored.

    A rule that is off by default runs only when a selector names it more precisely than the
    bare ``DS`` prefix (``DS204`` or ``DS20``), so ``select = ["DS"]`` keeps the defaults.
    """
    if hook not in HOOK_PREFIXES:
        raise ConfigError(f"unknown hook {hook!r}")
    for selector in (*settings.select, *settings.ignore, *settings.severity):
        if not known_selector(selector):
            raise ConfigError(f"{selector!r} matches no rule code")
    area = HOOK_PREFIXES[hook]
    # Codes decide most of it, so only the rules that may run are imported.
    candidates = [
        code
        for code in all_codes()
        if (code in EVERY_HOOK or matches(code, area))
        and (not settings.select or matches(code, settings.select))
        and not matches(code, settings.ignore)
    ]
    precise = [s for s in settings.select if s.strip().upper() != "DS"]
    chosen = []
    for rule in rules_for(candidates):
        if rule.enabled_by_default or (settings.select and matches(rule.code, precise)):
            chosen.append(rule)
    return chosen


def check_project(
    paths: Sequence[str],
    *,
    config_path: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    hook: str = "docker-standard",
    fix: bool = False,
    diff: bool = False,
) -> Report:
    """Load the project around ``paths`` and check it. Raises :class:`ConfigError` on bad usage."""
    from docker_standard.model.git import find_root

    cwd = Path.cwd()
    targets = [Path(p) for p in paths]
    for target in targets:
        if not os.path.lexists(target):
            raise ConfigError(f"path not found: {target}")
    first = targets[0] if targets else cwd
    start = first if first.is_dir() else (first.parent if str(first.parent) else cwd)
    root, is_repo, problem = find_root(start.resolve())
    if not is_repo and not all(_inside(root, t) for t in targets):
        # Outside git the root is the current directory (SPEC) when the first path's folder
        # would leave other paths outside it (`check-compose a/compose.yaml b/compose.yaml`).
        here = cwd.resolve()
        if all(_inside(here, t) for t in targets):
            root = here
    settings = load_settings(root, config_path).with_cli(select, ignore)
    rules = enabled_rules(settings, hook)
    given = [_relative(root, t) for t in targets]
    given_files = [g for g, t in zip(given, targets, strict=True) if not t.is_dir()]
    scoped = bool(targets) and len(given_files) == len(given)
    project = load_project(
        root,
        settings,
        is_repo=is_repo,
        only=given_files if scoped else None,
        explicit=given_files,
    )
    project.scoped = scoped
    if problem:
        project.notes.append(problem)
    fixed: tuple[str, ...] = ()
    if fix or diff:
        from docker_standard.fixes import apply_fixes

        fixed, project = apply_fixes(
            project,
            rules,
            write=fix,
            only=given_files if scoped else None,
            given=given if targets else (),
            given_files=given_files,
        )
    findings = run_rules(project, rules)
    if targets:
        findings = restrict(project, findings, given, given_files)
    return Report(
        root, tuple(findings), project.files_read, tuple(rules), fixed, tuple(project.notes)
    )


def _inside(root: Path, target: Path) -> bool:
    resolved = target.resolve()
    return resolved == root or root in resolved.parents


def _relative(root: Path, target: Path) -> str:
    try:
        rel = target.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ConfigError(f"{target} is outside the project root {root}") from None
    return "" if rel == "." else rel


# What is true of a fragment whose base was not found (model.project: ``Stack.fragment``): its
# syntax, its secrets, the ports and logging it sets itself, the variables it uses. Whether a
# service has a healthcheck, a restart policy, an image or a network depends on the base.
FRAGMENT_RULES = frozenset(
    {"DS101", "DS103", "DS104", "DS105", "DS108", "DS310", "DS311", "DS316", "DS317"}
)


def run_rules(project: Project, rules: Iterable[Rule]) -> list[Finding]:
    rules = list(rules)
    found: dict[tuple[str, Span, str], Finding] = {}
    for rule in rules:
        if not rule.after_suppressions:
            _run(project, rule, found)
    project.rules_run = frozenset(rule.code for rule in rules)
    project.suppressions_used.clear()
    kept = [f for f in found.values() if not _suppressed(project, f)]
    later: dict[tuple[str, Span, str], Finding] = {}
    for rule in rules:
        if rule.after_suppressions:
            _run(project, rule, later)
    kept.extend(f for f in later.values() if not _suppressed(project, f))
    kept.sort(key=Finding.sort_key)
    return kept


def _run(project: Project, rule: Rule, found: dict[tuple[str, Span, str], Finding]) -> None:
    from docker_standard.model import compose as cm

    override = project.settings.severity.get(rule.code)
    skip = rule.code not in FRAGMENT_RULES and rule.target in (Stack, cm.Service)
    # A place a service rule reports belongs to the first view (base + override, then each
    # overlay) that reports it there: another view's differently worded hit about the same
    # service line (its build merged in from an overlay) would only say it twice.
    owner: dict[Span, tuple[int, tuple[str, ...]]] = {}
    for target in _targets(project, rule.target):
        if skip and (target if isinstance(target, Stack) else target.stack).fragment:
            continue
        view = (id(target.stack), target.files) if isinstance(target, cm.Service) else None
        for hit in rule.run(target, project):
            key = (rule.code, hit.span, hit.message)
            if key in found:
                continue  # the same hit seen from another view of a stack
            if view is not None and owner.setdefault(hit.span, view) != view:
                continue
            severity = override or hit.severity or rule.severity
            found[key] = Finding(
                rule.code,
                rule.name,
                severity,
                hit.span,
                hit.message,
                hit.fixable and rule.fixable,
            )


def _targets(project: Project, target: type) -> Iterator[Any]:
    from docker_standard.model import compose as cm
    from docker_standard.model import project as pm

    if target is pm.Project:
        yield project
    elif target is pm.Stack:
        yield from project.stacks
    elif target is cm.Service:
        yield from project.services()
    elif target is pm.ComposeFile:
        seen: set[str] = set()
        for stack in project.stacks:
            for compose in stack.compose_files:
                if compose.path not in seen:
                    seen.add(compose.path)
                    yield compose
    elif target is pm.EnvFile:
        yield from project.env_files.values()
    else:
        from docker_standard.model.dockerfile import Dockerfile

        if target is Dockerfile:
            yield from project.dockerfiles.values()
        else:
            raise TypeError(f"unknown rule target {target!r}")


def _suppressed(project: Project, finding: Finding) -> bool:
    """Whether a per-file ignore or an inline comment suppresses ``finding``. Every comment
    code that covers it is recorded as used, even when another one covers it too."""
    path = finding.span.path
    suppressed = False
    for pattern, codes in project.settings.per_file_ignores.items():
        if _code_in(finding.code, codes) and _glob_match(pattern, path):
            suppressed = True
            break
    source = project.sources.get(path)
    if source is None:
        return suppressed
    pragmas = source.pragmas
    line = finding.span.line
    covering = [*pragmas.get(0, ()), *pragmas.get(line, ())]
    if line > 1:
        covering.extend(pragmas.get(-(line - 1), ()))
    for suppression in covering:
        for code, _column in suppression.codes:
            if finding.code.startswith(code):
                project.suppressions_used.add((suppression, code))
                suppressed = True
    return suppressed


def _code_in(code: str, codes: Iterable[str]) -> bool:
    return any(code.startswith(c) for c in codes)


_GLOBS: dict[str, Any] = {}


def _glob_match(pattern: str, path: str) -> bool:
    from docker_standard.model.project import compile_globs

    if pattern not in _GLOBS:
        _GLOBS[pattern] = compile_globs([pattern], "per-file-ignores")
    return bool(_GLOBS[pattern].match_file(path))


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
    gitignores = [posixpath_dir(f) for f in files if f.rpartition("/")[2] == ".gitignore"]
    # A compose file given touches the stacks it is part of, not its folder's other stacks
    # (`check docker-compose-postgres.yml` beside docker-compose.yml).
    compose = {c.path for stack in project.stacks for c in stack.compose_files}
    near = {posixpath_dir(f) for f in files if f not in compose}
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
            contexts = project.contexts_for(dockerfile)
            if any(context.dockerignore_path in ignores for context in contexts):
                allowed.add(dockerfile.path)
    return [
        f
        for f in findings
        if f.span.path in allowed or any(f.span.path.startswith(d + "/") for d in folders)
    ]


def posixpath_dir(path: str) -> str:
    return path.rpartition("/")[0]
