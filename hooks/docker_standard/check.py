"""The check: find the scope, fix when asked, run the rules, restrict the report to the scope.

Composes the parts that must not know each other: the runner runs rules, the fixes plan and
write, the scope says what was named. The CLI and the Action call :func:`check_project`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from docker_standard import runner
from docker_standard.config import BASELINE_FILE, ConfigError
from docker_standard.findings import Finding
from docker_standard.model.paths import shown_path
from docker_standard.report import Report
from docker_standard.runtime_typing import TYPE_CHECKING
from docker_standard.scope import find_scope, restrict

if TYPE_CHECKING:
    from docker_standard.baseline import Entry

__all__ = ["ConfigError", "check_project"]


def check_project(
    paths: Sequence[str],
    *,
    config_path: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    hook: str = "docker-standard",
    fix: bool = False,
    diff: bool = False,
    unsafe_fixes: bool = False,
    baseline: str | None = None,
    use_baseline: bool = True,
    new_since: str | None = None,
) -> Report:
    """Load the project around ``paths`` and check it. Raises :class:`ConfigError` on bad usage.

    The baseline (``baseline``, else ``.docker-standard-baseline.json`` at the root when it
    exists, unless not ``use_baseline``) and ``new_since`` (a git revision) leave out the
    findings they already hold; ``--fix`` still repairs those."""
    scope = find_scope(paths, config_path=config_path, select=select, ignore=ignore)
    given, given_files = scope.given, scope.given_files
    rules = runner.enabled_rules(scope.settings, hook)
    # Usage errors first: a bad baseline or revision must stop the run before --fix writes.
    baseline_path = _baseline_path(scope.root, baseline, use_baseline)
    entries: dict[str, Entry] | None = None
    if baseline_path is not None:
        from docker_standard.baseline import read  # only a project with a baseline pays for it

        entries = read(baseline_path)
    commit = None
    if new_since is not None:
        from docker_standard.newsince import resolve

        commit = resolve(scope.root, new_since, is_repo=scope.is_repo)
    project = scope.load()
    if scope.problem:
        project.notes.append(scope.problem)
    fixed: tuple[str, ...] = ()
    if fix or diff:
        from docker_standard.fixes import apply_fixes  # only a fixing run pays for the fixers

        fixed, project = apply_fixes(
            project,
            rules,
            write=fix,
            reload=scope.load,
            given=given if paths else (),
            given_files=given_files,
            unsafe=unsafe_fixes,
        )
    findings = runner.run_rules(project, rules)
    if paths:
        findings = restrict(project, findings, given, given_files)
    existing = 0
    if commit is not None:
        from docker_standard.newsince import fingerprints_at

        before = fingerprints_at(commit, project, rules)
        new = [f for f in findings if f.fingerprint not in before]
        existing = len(findings) - len(new)
        findings = new
    held: tuple[Finding, ...] = ()
    stale = 0
    if entries is not None:
        from docker_standard.baseline import apply

        in_scope = _in_scope(given, given_files) if paths else None
        applied = apply(entries, findings, {r.code for r in rules}, in_scope)
        findings, held, stale = list(applied.reported), applied.baselined, applied.stale
    return Report(
        scope.root,
        tuple(findings),
        project.files_read,
        tuple(rules),
        fixed,
        tuple(project.notes),
        baselined=held,
        baseline=None if baseline_path is None else shown_path(scope.root, baseline_path),
        stale=stale,
        new_since=new_since,
        existing=existing,
    )


def _baseline_path(root: str, named: str | None, use: bool) -> str | None:
    """The baseline to read: the one named (which must exist), else the root's, if any."""
    if not use:
        return None
    if named is not None:
        if not os.path.isfile(named):
            raise ConfigError(f"baseline file not found: {named}")
        return named
    path = os.path.join(root, BASELINE_FILE)
    return path if os.path.isfile(path) else None


def _in_scope(given: Sequence[str], given_files: Sequence[str]) -> Callable[[str], bool]:
    """Which baseline entries a run given ``given`` could have matched (for the stale count):
    those in the files named or below the folders named."""
    files = set(given_files)
    folders = [g for g in given if g not in files]

    def inside(path: str) -> bool:
        return path in files or any(not f or path.startswith(f + "/") for f in folders)

    return inside
