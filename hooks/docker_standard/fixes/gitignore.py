"""``--fix`` for DS101: append the local env files git would not ignore to a ``.gitignore``.

Which ``.gitignore``: the one DS101 names, that is the deepest existing ``.gitignore`` at or
above the stack's folder (the file that has the last word for that folder), else a new one at
the root. A bare name such as ``.env`` (no slash) matches in its folder and in every folder
below, so the root's file covers a stack in ``deploy/`` as well as one beside it.

What is appended, after a blank line, once per run::

    # docker-standard: local env files hold secrets
    .env
    .env.local

Only the names git would not ignore, exactly: ``.env.*`` would also hide ``.env.example``. A
name the file already ignores (an equal pattern, or a wider one such as ``.env*``, with no
later negation) is not added again: then something else keeps the file visible (it is tracked,
or a deeper rule re-includes it) and the finding stays. The new text is checked with gitignore
semantics before it is written: each added name must end up ignored by this file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from docker_standard.findings import Finding
from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.yamledit import is_blank, line_body, line_break, newline_of, split_lines
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.project import Project

HEADER = "# docker-standard: local env files hold secrets"


def plan_gitignore(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    """Plan DS101's intents ``("gitignore-append", .gitignore, name, env path)``."""
    names: dict[str, dict[str, str]] = {}  # .gitignore -> {name: env path}
    for finding in findings:
        if finding.fix is not None and finding.fix.kind == "gitignore-append":
            _kind, gitignore, name, path = finding.fix.intent
            names.setdefault(gitignore, {}).setdefault(name, path)
    for gitignore, entries in sorted(names.items()):
        _plan_one(project, gitignore, entries, plan)


def _plan_one(project: Project, gitignore: str, entries: dict[str, str], plan: Plan) -> None:
    old: str | None = None
    if project.exists(gitignore):
        source = project.read(gitignore)
        if source is None:
            plan.note(f"{gitignore}: DS101 not fixed: the file cannot be read")
            return
        old = source.text
    folder = posixpath.dirname(gitignore)
    text = old or ""
    added: list[str] = []
    for name, path in entries.items():
        relative = posixpath.relpath(path, folder or ".")
        if _ignores(text, relative):
            plan.note(
                f"{gitignore}: DS101 not fixed for '{path}': a pattern there already "
                "ignores it, so git keeps it for another reason (is it tracked?)"
            )
            continue
        added.append(name)
    if not added:
        return
    new = _append(text, [escape(name) for name in added])
    for name in added:
        if not _ignores(new, posixpath.relpath(entries[name], folder or ".")):
            plan.note(
                f"{gitignore}: DS101 not fixed for '{entries[name]}': could not fix "
                "safely (the new pattern would not match it)"
            )
            return
    plan.add(FileChange(gitignore, old, new, [f"added {name} (DS101)" for name in added]))


def _append(text: str, patterns: list[str]) -> str:
    nl = newline_of(text)
    lines = split_lines(text)
    if lines and not line_break(lines[-1]):
        lines[-1] += nl
    block = [p + nl for p in patterns]
    if not _ends_with_our_block(lines):
        block.insert(0, HEADER + nl)
        if lines and not is_blank(lines[-1]):
            block.insert(0, nl)
    return "".join(lines + block)


def _ends_with_our_block(lines: list[str]) -> bool:
    """Is the last paragraph of the file one this fixer wrote (so names join it)?"""
    for line in reversed(lines):
        if is_blank(line):
            return False
        if line_body(line).strip() == HEADER:
            return True
    return False


def _ignores(text: str, relative: str) -> bool:
    from docker_standard.model.git import compile_gitignore

    # The model's compiler skips the lines pathspec rejects (a trailing "\\", "[z-a]"), as git does.
    return bool(compile_gitignore(text.splitlines()).check_file(relative).include)


def escape(name: str) -> str:
    """``name`` as a gitignore pattern that matches exactly that name."""
    out = []
    for index, char in enumerate(name):
        if char in "*?[\\" or (index == 0 and char in "#!"):
            out.append("\\" + char)
        else:
            out.append(char)
    pattern = "".join(out)
    if pattern.endswith(" "):
        pattern = pattern[:-1] + "\\ "
    return pattern
