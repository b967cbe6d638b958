"""``--fix`` for DS103 and DS104: the env template lists every variable the stack uses.

* DS104 appends each missing variable to the template the rule checked (``.env.example``, or
  ``env.example``, ``.env.defaults`` … found instead: ``Project.env_template``, the one lookup
  the rules use too), after a blank line.
* DS103 creates ``.env.example`` beside the stack when it has no template at all, with a
  header and every variable the stack uses. A template that exists but is ignored by git is
  not replaced: that finding stays (un-ignore the file instead).

Each variable gets a comment naming where it is used, then ``NAME=default``: the default
written in the compose file (``${PORT:-8000}`` gives ``PORT=8000``), or an empty value when
there is none or when the default itself looks like a real credential. Values are never taken
from ``.env``: that file is not read for this at all. The new text is parsed back with
Compose's dotenv rules before it is written: the old entries must be unchanged and each new
one must hold exactly the value intended.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from docker_standard.findings import Finding
from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.yamledit import is_blank, line_break, newline_of, split_lines
from docker_standard.model.paths import join
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.dotenv import DotenvFile
    from docker_standard.model.project import Project, Stack
    from docker_standard.variables import Variable

_RAW_SAFE = re.compile(r"[A-Za-z0-9_./:@%+,=\-${}~^]*")


def plan_env(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    """Plan what the findings' intents ask for: DS103's ``("create-template", path, stack)``
    and DS104's ``("append-template", template, variable)``. The rules chose the files and
    the names; the variables' defaults and uses come from the stacks."""
    create: dict[str, list[str]] = {}  # new template -> base files of the stacks it serves
    append: dict[str, set[str]] = {}  # template -> names
    for finding in findings:
        if finding.fix is None:
            continue
        intent = finding.fix.intent
        if intent[0] == "create-template":
            create.setdefault(intent[1], []).append(intent[2])
        elif intent[0] == "append-template":
            append.setdefault(intent[1], set()).add(intent[2])
    if not create and not append:
        return
    creates: dict[str, list[Stack]] = {}
    appends: dict[str, dict[str, Variable]] = {}
    for stack in project.stacks:
        if stack.base.path in create.get(join(stack.directory, ".env.example"), ()):
            _want_template(project, stack, creates, plan)
        template = project.env_template(stack.directory)
        if template is None or template.path not in append:
            continue
        for variable in _variables(stack):
            if variable.name in append[template.path]:
                appends.setdefault(template.path, {}).setdefault(variable.name, variable)
    for path, stacks in sorted(creates.items()):
        variables: dict[str, Variable] = {}
        for stack in stacks:
            for variable in _variables(stack):
                variables.setdefault(variable.name, variable)
        header = _header(path, stacks)
        _plan_text(project, path, None, header, list(variables.values()), "DS103", plan)
    for path, wanted in sorted(appends.items()):
        source = project.sources.get(path)
        if source is None:
            continue
        _plan_text(project, path, source.text, [], list(wanted.values()), "DS104", plan)


def _want_template(project: Project, stack: Stack, creates: dict[str, list[Stack]],
                   plan: Plan) -> None:
    path = join(stack.directory, ".env.example")
    template = project.env_template(stack.directory)
    if template is not None:
        plan.note(f"{template.path}: DS103 not fixed: the template exists but git ignores it; "
                  f"un-ignore it (e.g. '!{template.name}') and commit it")
        return
    if project.exists(path) and path not in creates:
        plan.note(f"{path}: DS103 not fixed: the file exists but could not be read")
        return
    creates.setdefault(path, []).append(stack)
    if project.git.is_ignored(path):
        plan.note(f"{path}: git ignores this name; un-ignore it (e.g. '!.env.example') so the "
                  "template is committed")


def _variables(stack: Stack) -> list[Variable]:
    """The stack's variables a template should list, in the order the stack first uses them."""
    from docker_standard.variables import ALWAYS_DEFINED, aggregate

    order = {compose.path: index for index, compose in enumerate(stack.compose_files)}

    def first(variable: Variable) -> tuple[int, str, int, int]:
        return min(
            (order.get(u.span.path, len(order)), u.span.path, u.span.line, u.span.column)
            for u in variable.uses
        )

    found = [v for v in aggregate(stack.variables) if v.name not in ALWAYS_DEFINED]
    return sorted(found, key=first)


def _header(path: str, stacks: list[Stack]) -> list[str]:
    folder = posixpath.dirname(path)
    names = " and ".join(posixpath.relpath(s.base.path, folder or ".") for s in stacks)
    return [
        f"# Environment for {names}: copy this file to .env and set real values there.",
        "# .env holds secrets and stays out of git; this template is committed.",
    ]


def _plan_text(project: Project, path: str, old: str | None, header: list[str],
               variables: list[Variable], code: str, plan: Plan) -> None:
    from docker_standard.model.dotenv import parse_dotenv

    folder = posixpath.dirname(path)
    nl = newline_of(old or "")
    lines = split_lines(old or "")
    if lines and not line_break(lines[-1]):
        lines[-1] += nl
    block = [line + nl for line in header]
    expected: list[tuple[str, str]] = []
    for variable in variables:
        value, remark = _value(variable)
        block.append(f"# Used in {_locations(variable, folder)}{remark}{nl}")
        block.append(f"{variable.name}={value}{nl}")
        expected.append((variable.name, _parsed_value(value)))
    if lines and not is_blank(lines[-1]) and block:
        block.insert(0, nl)
    elif header and variables:
        block.insert(len(header), nl)
    new = "".join(lines + block)
    before = parse_dotenv(old or "", interpolate=False)
    after = parse_dotenv(new, interpolate=False)
    if not _only_appended(before, after, expected):
        plan.note(f"{path}: {code} not fixed: could not fix safely (the appended lines would "
                  "not read back as written; check the file's last line)")
        return
    if old is None:
        done = [f"created with {len(variables)} variable{'s' if len(variables) != 1 else ''} "
                f"({code})"]
    else:
        done = [f"added {variable.name} ({code})" for variable in variables]
    plan.add(FileChange(path, old, new, done))


def _only_appended(before: DotenvFile, after: DotenvFile,
                   expected: list[tuple[str, str]]) -> bool:
    old = [(e.key, e.value) for e in before.entries]
    new = [(e.key, e.value) for e in after.entries]
    problems_before = [(p.line, p.kind) for p in before.problems]
    problems_after = [(p.line, p.kind) for p in after.problems]
    return new == old + expected and problems_after == problems_before


def _value(variable: Variable) -> tuple[str, str]:
    """The value to write and a remark for the comment."""
    from docker_standard.secrets import Place, judge

    default = variable.default
    if default is None:
        return "", " (required)" if variable.required else ""
    if judge(variable.name, default, Place.TEMPLATE) is not None:
        return "", " (its default looks like a credential, so it is not copied here)"
    written = _dotenv_text(default)
    if written is None:
        return "", " (its default cannot be written in an env file as it is)"
    return written, ""


def _dotenv_text(value: str) -> str | None:
    """``value`` written so that Compose's dotenv parser reads exactly ``value`` back (as a
    template: ``$`` references stay references, as they were in the compose default)."""
    if "\n" in value or "\r" in value:
        return None
    candidates = []
    if _RAW_SAFE.fullmatch(value):
        candidates.append(value)
    if "$" not in value and "'" not in value:
        candidates.append(f"'{value}'")
    candidates.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
    for candidate in candidates:
        if _parsed_value(candidate) == value:
            return candidate
    return None


def _parsed_value(written: str) -> str:
    from docker_standard.model.dotenv import parse_dotenv

    entries = parse_dotenv(f"K={written}\n", interpolate=False).entries
    return entries[0].value or "" if entries else ""


def _locations(variable: Variable, folder: str) -> str:
    seen: list[str] = []
    for use in variable.uses:
        where = f"{posixpath.relpath(use.span.path, folder or '.')}:{use.span.line}"
        if where not in seen:
            seen.append(where)
    shown = ", ".join(seen[:3])
    return shown + (f" and {len(seen) - 3} more places" if len(seen) > 3 else "")
