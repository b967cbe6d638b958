"""Run the selected rules over a loaded project: targets, suppressions, severities, sorting."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from docker_standard.config import ConfigError, Settings
from docker_standard.findings import Finding, Span, numbered
from docker_standard.model.project import Project, Stack
from docker_standard.registry import (
    EVERY_HOOK,
    HOOK_PREFIXES,
    Rule,
    all_codes,
    known_selector,
    matches,
    rules_for,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["ConfigError", "enabled_rules", "run_rules"]


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
    return numbered(kept)


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
                hit.fix is not None,
                hit.subject,
                hit.fix,
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
        if _code_in(finding.code, codes) and _glob_match(project, pattern, path):
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


def _glob_match(project: Project, pattern: str, path: str) -> bool:
    from docker_standard.model.globs import compile_globs

    globs = project.per_file_globs
    if pattern not in globs:
        globs[pattern] = compile_globs([pattern], "per-file-ignores")
    return bool(globs[pattern].match_file(path))
