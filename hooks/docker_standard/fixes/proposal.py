"""What the compose fixers share: proposals of edits with the change they must make, the fix
intents of a file, and which files a fix may edit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from docker_standard.findings import Finding, Span
from docker_standard.fixes.plan import Plan
from docker_standard.fixes.yamledit import Edit, EditError, YamlIndex
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.model.project import Project


@dataclass(frozen=True)
class Proposal:
    """Edits that stand or fall together, and the change they must make to the data."""

    edits: tuple[Edit, ...]
    apply: Callable[[dict[Any, Any]], None]  # the intended change, on the old data
    span: Span
    code: str


@dataclass(frozen=True)
class Intents:
    """One file's fix intents, by the place each finding points at."""

    path: str
    text: str
    by_span: dict[Span, set[tuple[str, ...]]]  # the intents (kind first) asked for at a place


def where(span: Span) -> str:
    return f"{span.path}:{span.line}"


def of_kind(intents: Intents, kind: str) -> dict[Span, set[tuple[str, ...]]]:
    """The places that ask for ``kind``, with their intents' arguments (kind dropped)."""
    found: dict[Span, set[tuple[str, ...]]] = {}
    for span, asked in sorted(intents.by_span.items()):
        for intent in asked:
            if intent[0] == kind:
                found.setdefault(span, set()).add(intent[1:])
    return found


def single_document(index: YamlIndex) -> None:
    if len(index.documents) != 1:
        raise EditError("the file holds several YAML documents")


def wanted_by_file(
    project: Project,
    findings: Iterable[Finding],
    kind: str,
    plan: Plan,
    code: str,
    *,
    disagree: str,
    shared: str,
) -> dict[str, list[tuple[Span, tuple[str, ...]]]]:
    """The ``kind`` intents to write, by file: one answer per place (a place the stack's views
    ask different things of is a note), in a file the stack owns (else a note)."""
    intents: dict[Span, set[tuple[str, ...]]] = {}
    for finding in findings:
        if finding.fix is not None and finding.fix.kind == kind:
            intents.setdefault(finding.span, set()).add(finding.fix.intent[1:])
    editable = editable_files(project) if intents else set()
    wanted: dict[str, list[tuple[Span, tuple[str, ...]]]] = {}
    for span, answers in sorted(intents.items()):
        if len(answers) != 1:
            plan.note(f"{where(span)}: {code} not fixed: {disagree}")
        elif span.path not in editable:
            plan.note(f"{where(span)}: {code} not fixed: {shared}")
        else:
            wanted.setdefault(span.path, []).append((span, next(iter(answers))))
    return wanted


def editable_files(project: Project) -> set[str]:
    """The compose files a stack owns: fragments and ``include``d files are not edited."""
    return {
        compose.path
        for stack in project.stacks
        for compose in (stack.base, stack.override, *stack.overlays)
        if compose is not None
    }


def current_text(project: Project, plan: Plan, path: str) -> str | None:
    """The file's text as this round's plan leaves it so far."""
    change = plan.changes.get(path)
    if change is not None:
        return change.new
    source = project.sources.get(path)
    return source.text if source is not None else None
