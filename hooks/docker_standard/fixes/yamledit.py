"""Byte-exact edits of YAML text: locate nodes, splice new lines in, prove nothing else moved.

A round trip through a YAML dumper (ruamel.yaml included) rewrites whitespace the fix never
meant to touch: indentation of sequences, blank lines, the spacing before comments, long
lines. So ``--fix`` never dumps a whole file. It

1. indexes the file's nodes from libyaml's event stream (the events our loader reads), with
   the exact start and end of every node, its anchor, tag, quoting and flow style;
2. writes the new text of the lines it targets, and nothing else, in the file's own
   indentation and line endings;
3. splices those lines into the original text (:func:`splice`), then compares the result
   line by line with the original: every line outside the targeted ranges must be
   byte-identical, at the place the edits imply (:func:`untouched_outside`).

Callers prove the meaning separately: the spliced text must load, with two YAML parsers, to
the original data plus exactly the intended change (see ``fixes/compose.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

# Line breaks as libyaml counts them, so that a mark's line is an index into split_lines().
_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")
_TRAILING_BREAK = re.compile("(\r\n|\r|\n|\x85|\u2028|\u2029)$")


class EditError(Exception):
    """The edit cannot be made safely; the message says why (it never quotes values)."""


def split_lines(text: str) -> list[str]:
    """``text`` cut after each YAML line break, breaks kept: ``"".join(lines) == text``."""
    lines: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def newline_of(text: str) -> str:
    """The file's line ending: the first one it uses, ``\\n`` for a file with none."""
    match = _BREAK.search(text)
    return match.group() if match and match.group() in ("\n", "\r\n", "\r") else "\n"


def line_body(line: str) -> str:
    """A line without its line break."""
    return _TRAILING_BREAK.sub("", line)


def line_break(line: str) -> str:
    match = _TRAILING_BREAK.search(line)
    return match.group() if match else ""


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_blank(line: str) -> bool:
    return not line.strip()


def is_comment(line: str) -> bool:
    return line.lstrip(" \t").startswith("#")


# ------------------------------------------------------------------ the node index


@dataclass(eq=False)
class Node:
    """One YAML node as written. Lines and columns are 0-based; ``end_*`` is exclusive."""

    kind: str  # scalar | map | seq | alias
    line: int
    column: int
    end_line: int
    end_column: int
    anchor: str | None = None
    tag: str | None = None
    style: str = ""  # scalars: '' plain, "'", '"', '|', '>'; collections: 'flow' or 'block'
    value: str = ""
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list, repr=False)  # map: k0, v0, k1, v1 …

    @property
    def flow(self) -> bool:
        return self.style == "flow"

    @property
    def plain(self) -> bool:
        return self.kind == "scalar" and self.style == ""

    def pairs(self) -> Iterator[tuple[Node, Node]]:
        for index in range(0, len(self.children) - 1, 2):
            yield self.children[index], self.children[index + 1]

    def get(self, key: str) -> Node | None:
        """The value under a scalar key written in this mapping (not one merged in)."""
        for k, v in self.pairs():
            if k.kind == "scalar" and k.value == key and k.tag is None:
                return v
        return None

    def key_of(self, value: Node) -> Node | None:
        for k, v in self.pairs():
            if v is value:
                return k
        return None

    @property
    def has_merge(self) -> bool:
        return any(k.kind == "scalar" and k.plain and k.value == "<<" for k, _ in self.pairs())

    @property
    def is_null(self) -> bool:
        """An empty scalar: ``key:`` with nothing after it."""
        return (
            self.kind == "scalar" and self.plain and self.value == "" and self.tag is None
            and (self.line, self.column) == (self.end_line, self.end_column)
        )

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


@dataclass
class YamlIndex:
    """Every node of a YAML stream, findable by the position our loader's spans give."""

    documents: list[Node]
    aliases: frozenset[str]  # anchors some alias refers to
    by_position: dict[tuple[int, int], Node]  # scalars by (line, column), 1-based as in Span

    def at(self, line: int, column: int) -> Node | None:
        return self.by_position.get((line, column))

    def shared(self, node: Node) -> bool:
        """Is ``node`` (or a node holding it) an anchor that an alias repeats elsewhere?"""
        return any(
            n.anchor is not None and n.anchor in self.aliases for n in (node, *node.ancestors())
        )


def index_yaml(text: str) -> YamlIndex:
    """Index ``text``. Raises :class:`EditError` when libyaml cannot parse it."""
    import yaml

    try:
        loader: Any = yaml.CSafeLoader
    except AttributeError:  # PyYAML without libyaml: slower, same events
        loader = yaml.SafeLoader
    documents: list[Node] = []
    aliases: set[str] = set()
    by_position: dict[tuple[int, int], Node] = {}
    stack: list[Node] = []

    def attach(node: Node) -> None:
        if node.kind == "scalar":  # a block mapping starts where its first key does
            by_position[(node.line + 1, node.column + 1)] = node
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        else:
            documents.append(node)

    try:
        event: Any
        for event in yaml.parse(text, Loader=loader):
            kind = type(event)
            start, end = event.start_mark, event.end_mark
            if kind is yaml.ScalarEvent:
                attach(Node("scalar", start.line, start.column, end.line, end.column,
                            event.anchor, _explicit_tag(event), event.style or "", event.value))
            elif kind is yaml.AliasEvent:
                aliases.add(event.anchor)
                attach(Node("alias", start.line, start.column, end.line, end.column,
                            value=event.anchor))
            elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                node = Node("map" if kind is yaml.MappingStartEvent else "seq",
                            start.line, start.column, end.line, end.column, event.anchor,
                            _explicit_tag(event), "flow" if event.flow_style else "block")
                attach(node)
                stack.append(node)
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                node = stack.pop()
                node.end_line, node.end_column = end.line, end.column
    except yaml.YAMLError:
        raise EditError("the file does not parse as YAML") from None
    return YamlIndex(documents, frozenset(aliases), by_position)


def _explicit_tag(event: Any) -> str | None:
    tag = event.tag
    if tag is None or tag == "!":
        return None
    implicit = event.implicit
    if isinstance(implicit, tuple) and implicit[0]:
        return None
    return str(tag)


def last_line(node: Node, lines: Sequence[str]) -> int:
    """The last line (0-based) that holds text of ``node``; trailing blank lines excluded,
    except where a ``|+``/``>+`` block scalar keeps them as part of its value."""
    while node.kind in ("map", "seq") and not node.flow and node.children:
        node = node.children[-1]
    end = node.end_line
    if node.end_column == 0 and (node.end_line, node.end_column) != (node.line, node.column):
        end -= 1
    end = min(end, len(lines) - 1)
    if node.kind == "scalar" and node.style in ("|", ">"):
        header = line_body(lines[node.line])[node.column :].split("#", 1)[0]
        if "+" in header:
            return max(end, node.line)
    while end > node.line and end < len(lines) and is_blank(lines[end]):
        end -= 1
    return max(end, node.line)


def single_line(node: Node) -> bool:
    return node.line == node.end_line


# ------------------------------------------------------------------ edits and splicing


@dataclass(frozen=True)
class Edit:
    """Replace lines ``[start, end)`` of the original (0-based) by ``lines``; start == end
    inserts before line ``start``. ``lines`` end with their line breaks."""

    start: int
    end: int
    lines: tuple[str, ...]
    what: str  # one report line, without the path: "service 'api': added restart (DS305)"


def splice(lines: Sequence[str], edits: Sequence[Edit]) -> str:
    """The original ``lines`` with ``edits`` applied. Raises :class:`EditError` on overlap."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    result: list[str] = []
    position = 0
    for edit in ordered:
        if edit.start < position:
            raise EditError("two edits overlap")
        result.extend(lines[position : edit.start])
        result.extend(edit.lines)
        position = edit.end
    result.extend(lines[position:])
    return "".join(result)


def untouched_outside(old: str, new: str, edits: Sequence[Edit]) -> bool:
    """Is every line of ``old`` outside the targeted ranges in ``new``, byte for byte, in
    order and where the edits before it put it?

    Compared line by line at the positions the edits imply, not by a diff's guess: with
    repeated lines (``image:`` in every service) a diff may pair an untouched line with an
    inserted copy of it and prove nothing.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    at_old = at_new = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < at_old:
            return False
        kept = edit.start - at_old
        if new_lines[at_new : at_new + kept] != old_lines[at_old : edit.start]:
            return False
        at_new += kept + len(split_lines("".join(edit.lines)))
        at_old = edit.end
    return new_lines[at_new:] == old_lines[at_old:]


# ------------------------------------------------------------------ writing scalars


# What may stand around a scalar the fixers rewrite: a list dash before it, a comment after.
DASH = re.compile(r"[ \t]*-[ \t]+")
AFTER_VALUE = re.compile(r"[ \t]*(#.*)?")
_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def key_text(name: str) -> str:
    """``name`` written as a mapping key that loads back as the same string."""
    from docker_standard.model.yamltree import resolve_plain

    if _PLAIN_SAFE.fullmatch(name) and resolve_plain(name) == name:
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar_like(original: Node, value: str) -> str:
    """``value`` (a plain-safe word) quoted the way ``original`` was."""
    if original.style == "'":
        return f"'{value}'"
    if original.style == '"':
        return f'"{value}"'
    return value


# ------------------------------------------------------------------ compose nodes

def value_of(key: Node) -> Node:
    parent = key.parent
    if parent is None or parent.kind != "map":
        raise EditError("not a mapping key")
    position = next((i for i, child in enumerate(parent.children) if child is key), -1)
    if position % 2 or position + 1 >= len(parent.children):
        raise EditError("not a mapping key")
    return parent.children[position + 1]


def service_mapping(index: YamlIndex, service: Node, name: str) -> Node:
    """Check that ``service`` is ``services.<name>`` of the file's only document."""
    if len(index.documents) != 1:
        raise EditError("the file holds several YAML documents")
    services = service.parent
    root = services.parent if services is not None else None
    if services is None or root is None or root.parent is not None or root.kind != "map":
        raise EditError("the service is not under the top-level 'services'")
    key = services.key_of(service)
    root_key = root.key_of(services)
    if key is None or key.value != name or root_key is None or root_key.value != "services":
        raise EditError("the service is not under the top-level 'services'")
    if service.kind != "map" or service.flow or services.flow:
        raise EditError("the service is not written as a block mapping")
    if index.shared(service):
        raise EditError("the service is an anchor that an alias repeats")
    return service


def indent_step(service: Node) -> int:
    """The file's mapping indentation, as this service shows it."""
    services = service.parent
    if services is None:
        return 2
    key = services.key_of(service)
    first = service.children[0] if service.children else None
    if key is None or first is None or first.column <= key.column:
        return 2
    return first.column - key.column


def own_value(index: YamlIndex, holder: Node, key_name: str, service: str) -> Node:
    """Check that ``holder`` is the value of ``key_name`` written in ``services.<service>``
    itself (not merged in through ``<<:``, not in an anchor an alias repeats); return it."""
    mapping = holder.parent
    if mapping is None or mapping.kind != "map":
        raise EditError(f"{key_name} is not inside a service mapping")
    key = mapping.key_of(holder)
    if key is None or key.value != key_name or not key.plain:
        raise EditError(f"the entry is not inside the service's own {key_name} (a merge key?)")
    if index.shared(holder):
        raise EditError(f"{key_name} is inside an anchor that an alias repeats; edit it by hand")
    service_mapping(index, mapping, service)
    return holder

