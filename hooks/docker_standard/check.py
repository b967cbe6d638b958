"""The check: find the scope, fix when asked, run the rules, restrict the report to the scope.

Composes the parts that must not know each other: the runner runs rules, the fixes plan and
write, the scope says what was named. The CLI and the Action call :func:`check_project`.
"""

from __future__ import annotations

from collections.abc import Sequence

from docker_standard import runner
from docker_standard.config import ConfigError
from docker_standard.report import Report
from docker_standard.scope import find_scope, restrict

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
) -> Report:
    """Load the project around ``paths`` and check it. Raises :class:`ConfigError` on bad usage."""
    scope = find_scope(paths, config_path=config_path, select=select, ignore=ignore)
    given, given_files = scope.given, scope.given_files
    rules = runner.enabled_rules(scope.settings, hook)
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
            only=given_files if project.scoped else None,
            given=given if paths else (),
            given_files=given_files,
            unsafe=unsafe_fixes,
        )
    findings = runner.run_rules(project, rules)
    if paths:
        findings = restrict(project, findings, given, given_files)
    return Report(
        scope.root, tuple(findings), project.files_read, tuple(rules), fixed, tuple(project.notes)
    )
