"""``--fix`` for compose files: DS302 (``depends_on`` conditions) and DS305 (restart policy).

What each fix writes:

* DS302, short form (``depends_on: [db]`` or a block list): the whole list becomes the long
  form, each entry with ``condition: service_completed_successfully`` when its target is a
  one-shot job, ``service_healthy`` when the target has a healthcheck (its own or its
  Dockerfile's). An entry with neither keeps its meaning, written out as
  ``condition: service_started``, and stays a finding: guessing would break ``up``.
  ``condition: service_started`` in the long form becomes the same decision; so does an entry
  with options but no condition.
* DS305: ``restart: unless-stopped`` in the file and mapping that define the service, after
  ``image:``/``build:`` (whichever comes last) or else at the end of the mapping, at the
  indentation of the service's other keys.

A decision must hold in every view of the stack (base + override, with each overlay): a
dependency whose target is healthy in one view and a job in another is left as a finding, and
so is a service that is a one-shot job in some view.

Nothing is edited inside an anchor that an alias repeats, inside a flow collection spread over
several lines, through a merge key (``<<:``), behind a tag on a flow list, or in a file with
several documents: those findings stay. Every edited file must load, with our loader and with
ruamel.yaml, to the old data plus exactly the intended change, and must differ from the old
text only on the targeted lines; otherwise the file is left alone and a note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from docker_standard.findings import Finding, Span
from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.proof import keep_provable
from docker_standard.fixes.proposal import Proposal
from docker_standard.fixes.yamledit import (
    AFTER_VALUE,
    DASH,
    Edit,
    EditError,
    Node,
    YamlIndex,
    indent_of,
    indent_step,
    index_yaml,
    is_blank,
    is_comment,
    key_text,
    last_line,
    line_body,
    line_break,
    newline_of,
    own_value,
    scalar_like,
    service_mapping,
    single_line,
    split_lines,
    value_of,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.model.project import Project

HEALTHY = "service_healthy"
COMPLETED = "service_completed_successfully"
STARTED = "service_started"
RESTART = "unless-stopped"

_AFTER_KEY = re.compile(r"[ \t]*:[ \t]*(#.*)?")


@dataclass(frozen=True)
class _Expect:
    """The intended change, stated on plain data, to check the edited file against."""

    service: str
    restart: bool = False
    conditions: tuple[tuple[str, str], ...] = ()  # (dependency, condition) once edited
    whole_list: bool = False  # a short list becomes this mapping exactly

    def apply(self, document: dict[Any, Any]) -> None:
        body = document["services"][self.service]
        if self.restart:
            body["restart"] = RESTART
        if not self.conditions:
            return
        wanted = dict(self.conditions)
        if self.whole_list:
            names = body["depends_on"]
            if not isinstance(names, list) or sorted(map(str, names)) != sorted(wanted):
                raise ValueError("the list is not what was planned")
            body["depends_on"] = {name: {"condition": wanted[name]} for name in wanted}
            return
        entries = body["depends_on"]
        for name, condition in wanted.items():
            if entries.get(name) is None:
                entries[name] = {"condition": condition}
            else:
                entries[name]["condition"] = condition


@dataclass(frozen=True)
class _Dependency:
    service: str
    dependency: str
    condition: str


def plan_compose(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    """Add the compose edits the fixable findings' intents ask for to ``plan``: DS302's
    ``("depends-on-condition", service, dependency, condition, why-not)`` and DS305's
    ``("add-restart", service, policy, why-not)``. The rules decided; this only writes."""
    dependency_intents: dict[Span, set[tuple[str, ...]]] = {}
    restart_intents: dict[Span, set[tuple[str, ...]]] = {}
    for finding in findings:
        if finding.fix is None:
            continue
        if finding.fix.kind == "depends-on-condition":
            dependency_intents.setdefault(finding.span, set()).add(finding.fix.intent[1:])
        elif finding.fix.kind == "add-restart":
            restart_intents.setdefault(finding.span, set()).add(finding.fix.intent[1:])
    if not dependency_intents and not restart_intents:
        return
    editable = {
        compose.path
        for stack in project.stacks
        for compose in (stack.base, stack.override, *stack.overlays)
        if compose is not None
    }
    dependencies: dict[str, dict[tuple[int, int], _Dependency]] = {}
    for span, dependency in _decided_dependencies(dependency_intents, plan).items():
        if span.path in editable:
            dependencies.setdefault(span.path, {})[(span.line, span.column)] = dependency
        else:
            plan.note(f"{_where(span)}: DS302 not fixed: it is written in a file that other "
                      "stacks include or extend")
    restarts: dict[str, dict[tuple[int, int], str]] = {}
    for span, name in _decided_restarts(restart_intents, plan).items():
        if span.path in editable:
            restarts.setdefault(span.path, {})[(span.line, span.column)] = name
        else:
            plan.note(f"{_where(span)}: DS305 not fixed: the service is defined in a file that "
                      "other stacks include or extend")
    for path in sorted(set(dependencies) | set(restarts)):
        source = project.sources.get(path)
        if source is None:
            continue
        _plan_file(path, source.text, dependencies.get(path, {}), restarts.get(path, {}), plan)


# ------------------------------------------------------------------ intents


def _decided_dependencies(
    intents: dict[Span, set[tuple[str, ...]]], plan: Plan
) -> dict[Span, _Dependency]:
    """One edit per place, when every hit there asked for the same one (DS302 decided it
    for every view of the stack; this is the last guard)."""
    decided: dict[Span, _Dependency] = {}
    for span, answers in intents.items():
        if len({(service, name) for service, name, _c, _w in answers}) != 1:
            plan.note(f"{_where(span)}: DS302 not fixed: several services share this entry "
                      "(an anchor or a merge key); edit it by hand")
            continue
        if len({condition for _s, _n, condition, _w in answers}) != 1:
            plan.note(f"{_where(span)}: DS302 not fixed: the stack's views (base, override, "
                      "overlays) disagree on what it should wait for")
            continue
        service_name, name, condition, why = min(answers)
        if not condition:
            plan.note(f"{_where(span)}: DS302 not fixed: {why or 'undecided'}")
            continue
        decided[span] = _Dependency(service_name, name, condition)
    return decided


def _decided_restarts(intents: dict[Span, set[tuple[str, ...]]], plan: Plan) -> dict[Span, str]:
    decided: dict[Span, str] = {}
    for span, answers in intents.items():
        if len(answers) == 1:
            ((name, policy, why),) = answers
            if policy:
                decided[span] = name
                continue
            plan.note(f"{_where(span)}: DS305 not fixed: {why}")
            continue
        plan.note(f"{_where(span)}: DS305 not fixed: the service is a one-shot job in "
                  "some view of the stack")
    return decided


def _where(span: Span) -> str:
    return f"{span.path}:{span.line}"


# ------------------------------------------------------------------ one file


def _proposal(edit: Edit, expect: _Expect, span: Span) -> Proposal:
    return Proposal((edit,), expect.apply, span, "DS305" if expect.restart else "DS302")


def _plan_file(path: str, text: str, dependencies: dict[tuple[int, int], _Dependency],
               restarts: dict[tuple[int, int], str], plan: Plan) -> None:
    try:
        index = index_yaml(text)
    except EditError as exc:
        plan.note(f"{path}: not fixed: {exc}")
        return
    lines = split_lines(text)
    proposals: list[Proposal] = []
    groups: dict[int, tuple[Node, list[tuple[Node, _Dependency, Span]]]] = {}
    for (line, column), dependency in sorted(dependencies.items()):
        span = Span(path, line, column)
        node = index.at(line, column)
        try:
            holder = _depends_on_of(index, node, dependency.service)
        except EditError as exc:
            plan.note(f"{_where(span)}: DS302 not fixed: {exc}")
            continue
        assert node is not None
        groups.setdefault(id(holder), (holder, []))[1].append((node, dependency, span))
    for holder, wanted in groups.values():
        try:
            proposals.extend(_dependency_edits(index, lines, holder, wanted))
        except EditError as exc:
            for _node, _dependency, span in wanted:
                plan.note(f"{_where(span)}: DS302 not fixed: {exc}")
    for (line, column), name in sorted(restarts.items()):
        span = Span(path, line, column)
        try:
            edit, expect = _restart_edit(index, lines, index.at(line, column), name)
        except EditError as exc:
            plan.note(f"{_where(span)}: DS305 not fixed: {exc}")
            continue
        proposals.append(_proposal(edit, expect, span))
    if not proposals:
        return
    kept, new = keep_provable(text, lines, proposals, plan)
    if kept:
        plan.add(FileChange(path, text, new, [e.what for p in kept for e in p.edits]))



# ------------------------------------------------------------------ locating




def _depends_on_of(index: YamlIndex, node: Node | None, service_name: str) -> Node:
    """The ``depends_on`` collection that ``node`` (an entry or a condition) belongs to."""
    if node is None or node.kind != "scalar":
        raise EditError("the entry is not written as a plain or quoted name")
    parent = node.parent
    holder: Node | None = None
    if parent is not None and parent.kind == "seq":
        holder = parent  # a short-form entry
    elif parent is not None and parent.kind == "map":
        key = parent.key_of(node)
        if key is None:
            holder = parent  # a name in the long form
        elif key.value == "condition" and key.plain:
            holder = parent.parent  # the condition of a long-form entry
            if holder is None or holder.kind != "map" or holder.key_of(parent) is None:
                raise EditError("the condition is not inside a depends_on entry")
    if holder is None:
        raise EditError("the entry is not inside depends_on")
    return own_value(index, holder, "depends_on", service_name)



# ------------------------------------------------------------------ DS302


def _dependency_edits(index: YamlIndex, lines: list[str], holder: Node,
                      wanted: list[tuple[Node, _Dependency, Span]]) -> list[Proposal]:
    service = holder.parent
    assert service is not None
    step = indent_step(service)
    key = service.key_of(holder)
    assert key is not None
    nl = newline_of("".join(lines))
    service_name = wanted[0][1].service
    if holder.kind == "seq":
        decided = {
            (node.line, node.column): dependency.condition for node, dependency, _s in wanted
        }
        edit, expect = _list_to_mapping(lines, key, holder, decided, step, nl, service_name)
        return [_proposal(edit, expect, wanted[0][2])]
    if holder.flow:
        raise EditError("depends_on is a flow mapping")
    proposals = []
    for node, dependency, span in wanted:
        edit, expect = _mapping_entry_edit(lines, holder, node, dependency, step, nl)
        proposals.append(_proposal(edit, expect, span))
    return proposals


def _list_to_mapping(lines: list[str], key: Node, seq: Node, decided: dict[tuple[int, int], str],
                     step: int, nl: str, service: str) -> tuple[Edit, _Expect]:
    if seq.anchor is not None:
        raise EditError("depends_on carries an anchor")
    items = seq.children
    for item in items:
        if item.kind != "scalar" or item.anchor or item.tag or not single_line(item):
            raise EditError("a depends_on entry is an alias, anchored, tagged or multi-line")
        if item.style not in ("", "'", '"'):
            raise EditError("a depends_on entry is a block scalar")
    names = [item.value for item in items]
    if len(set(names)) != len(names):
        raise EditError("depends_on names a service twice")
    key_column = key.column + step
    entries: list[tuple[Node, str]] = [
        (item, decided.get((item.line, item.column), STARTED)) for item in items
    ]
    for item, condition in entries:
        if condition == STARTED and "docker-standard:" in lines[item.line]:
            # Its suppression comment would stay on the name while a finding moved below it.
            raise EditError("an entry it cannot decide carries a docker-standard comment")
    if seq.flow:
        if not single_line(seq) or seq.line != key.line or seq.tag is not None:
            raise EditError("depends_on is a flow list spread over lines, or tagged")
        line = lines[seq.line]
        head = line_body(line)[: seq.column]
        tail = line[seq.end_column :]
        if not AFTER_VALUE.fullmatch(line_body(tail)):
            raise EditError("something follows the flow list on its line")
        new_lines = [head.rstrip(" \t") + (tail if line_break(tail) else tail + nl)]
        for item, condition in entries:
            new_lines.append(" " * key_column + _entry_key(lines, item) + ":" + nl)
            new_lines.append(" " * (key_column + step) + f"condition: {condition}" + nl)
        start, end = seq.line, seq.line + 1
    else:
        start, end = items[0].line, last_line(seq, lines) + 1
        starts = {item.line: item for item in items}
        conditions = {id(item): condition for item, condition in entries}
        new_lines = []
        for number in range(start, end):
            line = lines[number]
            found = starts.get(number)
            if found is None:
                if is_blank(line) or is_comment(line):
                    new_lines.append(line)  # comments between entries stay as written
                    continue
                raise EditError("unexpected text between depends_on entries")
            item = found
            if not DASH.fullmatch(line[: item.column]):
                raise EditError("a depends_on entry does not start its line with '- '")
            tail = line[item.end_column :]
            if not AFTER_VALUE.fullmatch(line_body(tail)):
                raise EditError("something follows a depends_on entry on its line")
            condition = conditions[id(item)]
            new_lines.append(" " * key_column + _entry_key(lines, item) + ":"
                             + (tail if line_break(tail) else tail + nl))
            new_lines.append(" " * (key_column + step) + f"condition: {condition}" + nl)
    if not line_break(lines[end - 1]):
        new_lines[-1] = line_body(new_lines[-1])  # the file ended without a line break
    fixed = [(item.value, c) for item, c in entries if c != STARTED]
    what = ", ".join(f"'{name}' waits for {condition}" for name, condition in fixed)
    edit = Edit(start, end, tuple(new_lines),
                f"service '{service}': depends_on in the long form, {what} (DS302)")
    return edit, _Expect(service, conditions=tuple((i.value, c) for i, c in entries),
                         whole_list=True)


def _entry_key(lines: list[str], item: Node) -> str:
    """The entry's name as a mapping key: its own quoting kept, quoted where plain would not
    load back as the same string (``1``, ``true``)."""
    source = line_body(lines[item.line])[item.column : item.end_column]
    if item.style in ("'", '"'):
        return source
    return key_text(item.value)


def _mapping_entry_edit(lines: list[str], holder: Node, node: Node, dependency: _Dependency,
                        step: int, nl: str) -> tuple[Edit, _Expect]:
    service = dependency.service
    expect = _Expect(service, conditions=((dependency.dependency, dependency.condition),))
    what = (f"service '{service}': depends_on '{dependency.dependency}' waits for "
            f"{dependency.condition} (DS302)")
    if node.parent is not holder:  # the value of `condition:`
        if node.value != STARTED or node.tag or node.anchor or not single_line(node):
            raise EditError("the condition is not a literal service_started")
        if node.style not in ("", "'", '"'):
            raise EditError("the condition is a block scalar")
        line = lines[node.line]
        written = scalar_like(node, dependency.condition)
        new = line[: node.column] + written + line[node.end_column :]
        return Edit(node.line, node.line + 1, (new,), what), expect
    key = node
    if key.value != dependency.dependency or key.tag or key.anchor or not single_line(key):
        raise EditError("the entry is not a plain name")
    value = value_of(key)
    if value.is_null:
        line = lines[key.line]
        if not single_line(key) or not _AFTER_KEY.fullmatch(line_body(line)[key.end_column :]):
            raise EditError("the entry's line holds more than its name")
        first = line if line_break(line) else line + nl
        child = " " * (key.column + step) + f"condition: {dependency.condition}"
        child += nl if line_break(line) else ""
        return Edit(key.line, key.line + 1, (first, child), what), expect
    if value.kind == "map" and not value.flow and value.get("condition") is None:
        if value.has_merge or value.anchor or value.tag:
            raise EditError("the entry's options use a merge key, an anchor or a tag")
        first_key = value.children[0]
        line = " " * first_key.column + f"condition: {dependency.condition}" + nl
        return Edit(first_key.line, first_key.line, (line,), what), expect
    raise EditError("the entry's options are not a block mapping")


# ------------------------------------------------------------------ DS305


def _restart_edit(index: YamlIndex, lines: list[str], key: Node | None,
                  name: str) -> tuple[Edit, _Expect]:
    if key is None or key.kind != "scalar" or key.value != name:
        raise EditError("the service's name is not where the model says")
    service = service_mapping(index, value_of(key), name)
    if service.get("restart") is not None:
        raise EditError("the service already sets restart in this file")
    column = service.children[0].column
    anchors = [v for k, v in service.pairs() if k.value in ("image", "build") and k.plain]
    after = last_line(max(anchors, key=lambda n: n.line) if anchors else service, lines)
    # Comments indented under the last value belong to it; keep them above the new key.
    while after + 1 < len(lines) and is_comment(lines[after + 1]) \
            and indent_of(lines[after + 1]) > column:
        after += 1
    nl = newline_of("".join(lines))
    new_line = " " * column + f"restart: {RESTART}"
    what = f"service '{name}': added restart: {RESTART} (DS305)"
    expect = _Expect(name, restart=True)
    if line_break(lines[after]):
        return Edit(after + 1, after + 1, (new_line + nl,), what), expect
    return Edit(after, after + 1, (lines[after] + nl, new_line), what), expect

