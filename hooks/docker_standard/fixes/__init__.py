"""``--fix`` and ``--diff``: repair what the fixable rules found, then look again.

:func:`apply_fixes` runs the enabled fixable rules (with the user's selection and
suppressions, so only findings that would be reported are fixed), plans the new text of each
file from the findings' fix intents (``gitignore.py`` DS101, ``envfix.py`` DS103/DS104,
``compose.py`` DS302/DS305, ``healthcheck.py`` DS301, ``volumes.py`` DS307,
``structure.py`` DS309/DS311/DS313/DS316, ``suppression.py`` DS002), and then
either writes the files or returns the plan as a unified diff.

Writing is careful: a file is replaced atomically (temporary file in the same folder, fsync,
rename; its permission bits kept) and only if it still holds the text the run read. A file that
changed on disk in the meantime, or that is not UTF-8, is left alone with a note. What a fixer
chose not to do (an undecidable case, an edit it could not prove safe) is a note too, and the
finding stays in the report.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from docker_standard.findings import Finding
from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.yamledit import line_body, line_break, split_lines
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.project import Project
    from docker_standard.registry import Rule

_UTF8_BOM = b"\xef\xbb\xbf"
_MAX_ROUNDS = 5

__all__ = ["apply_fixes", "plan_fixes", "render_diff"]


def apply_fixes(
    project: Project,
    rules: Sequence[Rule],
    *,
    write: bool,
    reload: Callable[..., Project] | None = None,
    given: Sequence[str] = (),
    given_files: Sequence[str] = (),
    unsafe: bool = False,
) -> tuple[tuple[str, ...], Project]:
    """Fix what the enabled fixable ``rules`` report in ``project``.

    With ``write``, returns one line per change (``"compose.yaml: service 'api': added
    restart: unless-stopped (DS305)"``) and the project loaded again from disk by ``reload``
    (the caller's scope, given ``overrides`` when a round is only planned; by default the whole
    project), so the final report shows what is left. Without it, nothing is written: the
    same rounds are planned in memory and the lines are one unified diff of what ``--fix``
    would write; the project is the one given. Notes on what was not fixed go to
    ``project.notes``.

    ``given``/``given_files`` are the root-relative paths the user named (as the runner
    restricts its report with them): only findings that report would show are fixed, so a
    pre-commit hook given ``sub/compose.yaml`` never edits another stack's files.

    Only safe edits are applied unless ``unsafe`` (``--unsafe-fixes``); a note counts the
    unsafe ones left.
    """
    if not any(rule.fixable for rule in rules):
        return (), project
    if reload is None:
        from docker_standard.model.loading import load_project

        root, settings, is_repo = project.root, project.settings, project._is_repo

        def reload(overrides: Mapping[str, str] | None = None) -> Project:
            return load_project(root, settings, is_repo=is_repo, overrides=overrides)

    if not write:
        return _diff(project, rules, reload, given, given_files, unsafe), project
    # Fixes of one file can depend on each other (DS305 adds a line a DS002 removal then
    # shifts; DS302 waits for the healthcheck DS301 writes), so each round plans on what the
    # previous one wrote, until nothing changes.
    done: list[str] = []
    problems: list[str] = []
    current = project
    plan = Plan()
    for _round in range(_MAX_ROUNDS):
        plan = _plan(current, rules, given, given_files, unsafe)
        written, not_written = commit(current, plan.changes.values())
        problems.extend(not_written)
        if not written:
            break
        done.extend(f"{change.path}: {what}" for change in written for what in change.done)
        reloaded = reload()
        _add_notes(reloaded, current.notes)
        current = reloaded
    _add_notes(current, [*plan.notes, *problems])
    return tuple(done), current


def _diff(
    project: Project,
    rules: Sequence[Rule],
    reload: Callable[..., Project],
    given: Sequence[str],
    given_files: Sequence[str],
    unsafe: bool,
) -> tuple[str, ...]:
    """The rounds ``--fix`` would write, planned in memory (each round reads the texts the
    earlier ones planned), as one unified diff against the files on disk."""
    first: dict[str, str | None] = {}  # path -> its text on disk (None: a file a fix creates)
    planned: dict[str, str] = {}
    current = project
    plan = Plan()
    for _round in range(_MAX_ROUNDS):
        plan = _plan(current, rules, given, given_files, unsafe)
        if not plan.changes:
            break
        for change in plan.changes.values():
            first.setdefault(change.path, change.old)
            planned[change.path] = change.new
        current = reload(dict(planned))
    _add_notes(project, plan.notes)
    changes = [FileChange(path, old, planned[path], []) for path, old in first.items()]
    return tuple(render_diff(c for c in changes if c.old != c.new))


def _plan(
    project: Project,
    rules: Sequence[Rule],
    given: Sequence[str],
    given_files: Sequence[str],
    unsafe: bool,
) -> Plan:
    """Plan the fixes of one round. Every enabled rule runs, not only the fixable ones: DS002
    can only tell an unused suppression when the rules it names have run."""
    from docker_standard.runner import run_rules
    from docker_standard.scope import restrict

    fixable = {rule.code for rule in rules if rule.fixable}
    found = [f for f in run_rules(project, rules) if f.code in fixable]
    if given:
        found = restrict(project, found, list(given), list(given_files))
    findings = [f for f in found if f.fix is not None]
    applied = [f for f in findings if unsafe or (f.fix is not None and f.fix.safe)]
    held = len(findings) - len(applied)
    plan = plan_fixes(project, applied) if applied else Plan()
    if held:
        plan.note(f"{held} unsafe fix{'es' if held != 1 else ''} not applied: "
                  "run again with --unsafe-fixes to apply them (review the diff first)")
    # A rule fixes only the cases it can prove (DS301: known images and tags); say how many
    # of its findings stay for a person, and where the rule says which cases it fixes.
    left: dict[str, int] = {}
    for finding in found:
        if finding.fix is None:
            left[finding.code] = left.get(finding.code, 0) + 1
    for code, count in sorted(left.items()):
        plan.note(f"{count} {code} finding{'s' if count != 1 else ''} "
                  f"{'have' if count != 1 else 'has'} no automatic fix "
                  f"(`docker-standard rule {code}` says which cases it fixes)")
    return plan


def plan_fixes(project: Project, findings: Sequence[Finding]) -> Plan:
    """Every change the fixers would make for ``findings``; nothing is written."""
    from docker_standard.fixes.compose import plan_compose
    from docker_standard.fixes.envfix import plan_env
    from docker_standard.fixes.gitignore import plan_gitignore
    from docker_standard.fixes.healthcheck import plan_healthchecks
    from docker_standard.fixes.structure import plan_structure
    from docker_standard.fixes.suppression import plan_suppressions
    from docker_standard.fixes.volumes import plan_volumes

    plan = Plan()
    plan_gitignore(project, findings, plan)
    plan_env(project, findings, plan)
    plan_compose(project, findings, plan)
    plan_healthchecks(project, findings, plan)
    plan_volumes(project, findings, plan)
    plan_structure(project, findings, plan)
    plan_suppressions(project, findings, plan)
    return plan


def commit(project: Project, changes: Iterable[FileChange]) -> tuple[list[FileChange], list[str]]:
    """Write each change that still applies; return those written and notes on the others."""
    from docker_standard.formatters import write_atomic

    written: list[FileChange] = []
    notes: list[str] = []
    for change in sorted(changes, key=lambda c: c.path):
        target = project.abspath(change.path)
        current = _current(target)
        if change.old is None:
            if current is not None:
                notes.append(f"{change.path}: not fixed: the file appeared while docker-standard "
                             "was running; run it again")
                continue
            bom = b""
        else:
            if current is None or _decoded(current) != change.old:
                notes.append(f"{change.path}: not fixed: the file changed on disk since it was "
                             "read (or is not UTF-8); run docker-standard again")
                continue
            bom = _UTF8_BOM if current.startswith(_UTF8_BOM) else b""
        try:
            write_atomic(target, ("\ufeff" if bom else "") + change.new)
        except OSError as exc:
            notes.append(f"{change.path}: not fixed: cannot write it "
                         f"({exc.strerror or exc.__class__.__name__})")
            continue
        written.append(change)
    return written, notes


def _current(path: str) -> bytes | None:
    """The file's bytes now; None when it does not exist. Read again on purpose: this is the
    last look before replacing the file."""
    if not os.path.lexists(path):
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b"\0unreadable"  # never equal to a text the project read


def _decoded(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16: rewriting it as UTF-8 would change more than the fix
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def render_diff(changes: Iterable[FileChange]) -> Iterator[str]:
    """A unified diff (``git apply``-able), one output line per item, without line breaks."""
    for change in sorted(changes, key=lambda c: c.path):
        old = split_lines(change.old or "")
        new = split_lines(change.new)
        source = f"a/{change.path}" if change.old is not None else "/dev/null"
        diff = difflib.unified_diff(old, new, source, f"b/{change.path}", lineterm="")
        for number, line in enumerate(diff):
            if number < 2 or line.startswith("@@"):
                yield line
                continue
            yield line_body(line)
            if not line_break(line):
                yield "\\ No newline at end of file"


def _add_notes(project: Project, notes: Iterable[str]) -> None:
    for note in notes:
        if note not in project.notes:
            project.notes.append(note)
