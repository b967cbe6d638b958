"""The edits of DS316 (remove the obsolete ``version:``) and DS313 (``env_file`` entries with
``required: false``); ``structure.py`` plans and proves them.

* DS316 removes the key's line, its own trailing comment with it; a blank line after it goes
  too when the file started with the key. Every other comment stays.
* DS313 writes the entry in the long form: ``env_file: .env`` becomes a one-item block list
  ``- path: .env`` + ``required: false``; a block list's ``- .env`` becomes the same item in
  place; a flow list on the key's line (``env_file: [.env]``) becomes a block list, its other
  entries kept as they are; a long-form entry gets ``required: false`` (or has its
  ``required: true`` turned into ``false``). The path keeps its quoting.
"""

from __future__ import annotations

from docker_standard.findings import Span
from docker_standard.fixes.plan import Plan
from docker_standard.fixes.proposal import Intents, Proposal, of_kind, single_document, where
from docker_standard.fixes.yamledit import (
    AFTER_VALUE,
    DASH,
    Edit,
    EditError,
    Node,
    YamlIndex,
    indent_of,
    indent_step,
    is_blank,
    is_comment,
    last_line,
    line_body,
    line_break,
    newline_of,
    own_value,
    single_line,
    value_of,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_OPTIONAL = "required: false"


# ------------------------------------------------------------------ DS316


def version_proposals(index: YamlIndex, lines: list[str], intents: Intents,
                      plan: Plan) -> list[Proposal]:
    proposals = []
    for span in of_kind(intents, "remove-version"):
        try:
            proposals.append(_version(index, lines, span))
        except EditError as exc:
            plan.note(f"{where(span)}: DS316 not fixed: {exc}")
    return proposals


def _version(index: YamlIndex, lines: list[str], span: Span) -> Proposal:
    single_document(index)
    root = index.documents[0]
    key = index.at(span.line, span.column)
    if key is None or key.parent is not root or root.kind != "map" or root.flow:
        raise EditError("the key is not a top-level key of a block mapping")
    value = value_of(key)
    if not key.plain or key.value != "version" or key.anchor or key.tag:
        raise EditError("the key is not a plain 'version'")
    if value.kind != "scalar" or value.anchor or value.tag or not single_line(value) \
            or value.line != key.line or value.style in ("|", ">"):
        raise EditError("its value is not a one-line scalar on the key's line")
    line = line_body(lines[key.line])
    if line[: key.column].strip() or not AFTER_VALUE.fullmatch(line[value.end_column :]):
        raise EditError("the key's line holds more than the key")
    end = key.line + 1
    if key.line == 0:
        while end < len(lines) and is_blank(lines[end]):
            end += 1  # the file started with the key: it starts with what followed it
        if end == len(lines):
            raise EditError("the file holds nothing but the key")

    def apply(document: dict[Any, Any]) -> None:
        del document["version"]

    edit = Edit(key.line, end, (), "removed the obsolete top-level version (DS316)")
    return Proposal((edit,), apply, span, "DS316")


# ------------------------------------------------------------------ DS313


def env_file_proposals(index: YamlIndex, lines: list[str], intents: Intents,
                       plan: Plan) -> list[Proposal]:
    proposals = []
    flows: dict[int, tuple[Node, str, list[tuple[Node, Span]]]] = {}
    for span, answers in of_kind(intents, "env-file-optional").items():
        if len({service for service, _path in answers}) != 1:
            plan.note(f"{where(span)}: DS313 not fixed: several services share this entry "
                      "(an anchor or a merge key); edit it by hand")
            continue
        ((service, _path),) = answers
        try:
            single_document(index)
            node = index.at(span.line, span.column)
            holder = _env_file_of(index, node, service)
            assert node is not None
            if holder.kind == "seq" and holder.flow:
                flows.setdefault(id(holder), (holder, service, []))[2].append((node, span))
                continue
            proposals.append(_env_entry(lines, holder, node, service, span))
        except EditError as exc:
            plan.note(f"{where(span)}: DS313 not fixed: {exc}")
    for holder, service, wanted in flows.values():
        try:
            proposals.append(_flow_list(lines, holder, service, wanted))
        except EditError as exc:
            for _node, span in wanted:
                plan.note(f"{where(span)}: DS313 not fixed: {exc}")
    return proposals


def _env_file_of(index: YamlIndex, node: Node | None, service: str) -> Node:
    """The service's ``env_file`` value that ``node`` (a string, a list item or the first
    key of a long-form item) belongs to: the scalar itself, or the list."""
    if node is None or node.kind != "scalar":
        raise EditError("the entry is not where the model says")
    holder = node.parent
    if holder is not None and holder.kind == "map" and holder.key_of(node) is None:
        holder = holder.parent  # the first key of a long-form item: the item's list
    elif holder is not None and holder.kind == "map":
        holder = node  # `env_file: .env`
    if holder is None:
        raise EditError("the entry is not inside env_file")
    own_value(index, holder, "env_file", service)
    if holder.anchor or holder.tag:
        raise EditError("env_file is anchored or tagged")
    return holder


def _path_text(lines: list[str], node: Node) -> str:
    if node.kind != "scalar" or node.anchor or node.tag or not single_line(node) \
            or node.style not in ("", "'", '"'):
        raise EditError("the path is not a one-line plain or quoted string")
    return line_body(lines[node.line])[node.column : node.end_column]


def _env_entry(lines: list[str], holder: Node, node: Node, service: str,
               span: Span) -> Proposal:
    nl = newline_of("".join(lines))
    what = f"service '{service}': env_file '{node.value}' marked required: false (DS313)"
    if holder is node:  # env_file: .env
        key = holder.parent.key_of(holder) if holder.parent is not None else None
        assert key is not None and holder.parent is not None
        written = _path_text(lines, node)
        line = lines[node.line]
        tail = line[node.end_column :]
        if node.line != key.line or not AFTER_VALUE.fullmatch(line_body(tail)):
            raise EditError("env_file's line holds more than the entry")
        column = key.column + indent_step(holder.parent)
        new = (line_body(line)[: node.column].rstrip(" \t") + line_body(tail) + nl,
               " " * column + f"- path: {written}" + nl,
               " " * (column + 2) + _OPTIONAL + (line_break(line) or ""))
        value = node.value

        def apply_string(document: dict[Any, Any]) -> None:
            body = document["services"][service]
            if body["env_file"] != value:
                raise ValueError("not the planned entry")
            body["env_file"] = [{"path": value, "required": False}]

        return Proposal((Edit(node.line, node.line + 1, new, what),), apply_string, span,
                        "DS313")
    position = next(i for i, item in enumerate(holder.children) if item is node.parent
                    or item is node)
    item = holder.children[position]
    if item is node:  # - .env
        written = _path_text(lines, node)
        line = lines[node.line]
        tail = line[node.end_column :]
        if not DASH.fullmatch(line[: node.column]) or not AFTER_VALUE.fullmatch(
                line_body(tail)):
            raise EditError("the entry's line holds more than the entry")
        first = line[: node.column] + f"path: {written}" + (tail if line_break(tail)
                                                              else tail + nl)
        second = " " * node.column + _OPTIONAL + (nl if line_break(tail) else "")
        edit = Edit(node.line, node.line + 1, (first, second), what)
    else:  # a long-form entry without required: false
        edit = _required_edit(lines, item, nl, what)

    def apply_item(document: dict[Any, Any]) -> None:
        entries = document["services"][service]["env_file"]
        entry = entries[position]
        if isinstance(entry, dict):
            entry["required"] = False
        elif isinstance(entry, str):
            entries[position] = {"path": entry, "required": False}
        else:
            raise ValueError("not the planned entry")

    return Proposal((edit,), apply_item, span, "DS313")


def _required_edit(lines: list[str], item: Node, nl: str, what: str) -> Edit:
    if item.kind != "map" or item.flow or item.has_merge or item.anchor or item.tag:
        raise EditError("the long-form entry is not a plain block mapping")
    required = item.get("required")
    if required is not None:
        if required.kind != "scalar" or not required.plain or not single_line(required):
            raise EditError("its required is not a plain value")
        line = lines[required.line]
        return Edit(required.line, required.line + 1,
                    (line[: required.column] + "false" + line[required.end_column :],), what)
    column = item.children[0].column
    after = last_line(item, lines)
    while after + 1 < len(lines) and is_comment(lines[after + 1]) \
            and indent_of(lines[after + 1]) > column:
        after += 1
    if line_break(lines[after]):
        return Edit(after + 1, after + 1, (" " * column + _OPTIONAL + nl,), what)
    return Edit(after, after + 1, (lines[after] + nl, " " * column + _OPTIONAL), what)


def _flow_list(lines: list[str], holder: Node, service: str,
               wanted: list[tuple[Node, Span]]) -> Proposal:
    """``env_file: [.env, other.env]`` on the key's line becomes a block list."""
    mapping = holder.parent
    assert mapping is not None
    key = mapping.key_of(holder)
    assert key is not None
    if not single_line(holder) or holder.line != key.line:
        raise EditError("env_file is a flow list spread over several lines")
    line = lines[holder.line]
    tail = line[holder.end_column :]
    if not AFTER_VALUE.fullmatch(line_body(tail)):
        raise EditError("something follows the flow list on its line")
    nl = newline_of("".join(lines))
    targets = {id(node) for node, _span in wanted}
    column = key.column + indent_step(mapping)
    new = [line_body(line)[: holder.column].rstrip(" \t") + line_body(tail) + nl]
    for item in holder.children:
        written = _path_text(lines, item)
        if id(item) in targets:
            new.append(" " * column + f"- path: {written}" + nl)
            new.append(" " * (column + 2) + _OPTIONAL + nl)
        else:
            new.append(" " * column + f"- {written}" + nl)
    if not line_break(line):
        new[-1] = line_body(new[-1])
    positions = [i for i, item in enumerate(holder.children) if id(item) in targets]
    names = ", ".join(f"'{holder.children[i].value}'" for i in positions)
    what = f"service '{service}': env_file {names} marked required: false (DS313)"

    def apply(document: dict[Any, Any]) -> None:
        entries = document["services"][service]["env_file"]
        for position in positions:
            if not isinstance(entries[position], str):
                raise ValueError("not the planned entry")
            entries[position] = {"path": entries[position], "required": False}

    return Proposal((Edit(holder.line, holder.line + 1, tuple(new), what),), apply,
                    wanted[0][1], "DS313")
