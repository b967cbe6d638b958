"""YAML as Compose reads it, with a position for every key and value.

Built from libyaml's event stream rather than a composer or constructor, because:
- it is ~30x faster than ruamel.yaml's composer (hooks run on every commit);
- it is iterative, so 20,000-deep nesting is a clean error instead of a RecursionError;
- scalars are resolved with YAML 1.2 core rules like go-yaml v3 (``yes`` stays a string),
  not PyYAML's YAML 1.1 rules;
- aliases are shared, never expanded, and their expanded size is bounded (alias bombs);
- duplicate keys are errors (Compose rejects them), merge keys follow go-yaml (first map wins).
ruamel.yaml is still what ``--fix`` edits with, since it round-trips comments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from docker_standard.findings import Span
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 500
MAX_EXPANDED_NODES = 2_000_000  # aliases counted as copies, as a consumer would see them

RESET = "!reset"
OVERRIDE = "!override"


class YamlError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class YMap(dict[str, "Any"]):  # quoted: typing is not imported at run time
    """A mapping whose keys are strings, remembering where each key and value is written."""

    __slots__ = ("key_spans", "span", "tag", "value_spans")

    def __init__(self, span: Span, tag: str | None = None) -> None:
        super().__init__()
        self.span = span
        self.tag = tag
        self.key_spans: dict[str, Span] = {}
        self.value_spans: dict[str, Span] = {}

    def key_span(self, key: str) -> Span:
        return self.key_spans.get(key, self.span)

    def value_span(self, key: str) -> Span:
        return self.value_spans.get(key, self.key_span(key))


class YSeq(list["Any"]):
    """A sequence remembering where each item is written."""

    __slots__ = ("item_spans", "span", "tag")

    def __init__(self, span: Span, tag: str | None = None) -> None:
        super().__init__()
        self.span = span
        self.tag = tag
        self.item_spans: list[Span] = []

    def item_span(self, index: int) -> Span:
        if 0 <= index < len(self.item_spans):
            return self.item_spans[index]
        return self.span


class Tagged(NamedTuple):
    """A scalar carrying ``!reset`` or ``!override`` (collections keep the tag themselves)."""

    value: Any
    tag: str


def tag_of(value: Any) -> str | None:
    if isinstance(value, (YMap, YSeq)):
        return value.tag
    if isinstance(value, Tagged):
        return value.tag
    return None


def untag(value: Any) -> Any:
    return value.value if isinstance(value, Tagged) else value


# YAML 1.2 core schema as go-yaml v3 resolves plain scalars.
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_OCT_LEGACY = re.compile(r"[-+]?0[0-7_]+")
_OCT = re.compile(r"0o[0-7_]+")
_HEX = re.compile(r"0x[0-9a-fA-F_]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
_INF = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
_NEG_INF = {"-.inf", "-.Inf", "-.INF"}
_NAN = {".nan", ".NaN", ".NAN"}


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar."""
    if text in _NULL:
        return None
    first = text[0]
    if first in "tTfF":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return text
    if first not in "0123456789+-.":
        return text
    try:
        if _INT.fullmatch(text):
            return int(text.replace("_", ""))
        if _OCT_LEGACY.fullmatch(text):
            return int(text.replace("_", ""), 8)
        if _OCT.fullmatch(text):
            return int(text[2:].replace("_", ""), 8)
        if _HEX.fullmatch(text):
            return int(text[2:].replace("_", ""), 16)
        if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
            return float(text.replace("_", ""))
    except ValueError:
        return text
    if text in _INF:
        return math.inf
    if text in _NEG_INF:
        return -math.inf
    if text in _NAN:
        return math.nan
    return text


def scalar_text(value: Any) -> str:
    """A scalar as Compose stringifies it in environment values and labels."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "+Inf" if value > 0 else "-Inf"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, Tagged):
        return scalar_text(value.value)
    return str(value)


class _Frame:
    __slots__ = ("anchor", "container", "merges", "pending_key", "pending_key_span", "size")

    def __init__(self, container: YMap | YSeq, anchor: str | None) -> None:
        self.container = container
        self.anchor = anchor
        self.pending_key: Any = _NO_KEY
        self.pending_key_span: Span | None = None
        self.merges: list[tuple[Any, Span]] = []
        self.size = 1


_NO_KEY = object()


class _Deferred:
    """A regular expression compiled on first use (see :func:`import_yaml`)."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _compile(*self._args)
        return getattr(self._compiled, name)


_compile = re.compile


def import_yaml() -> Any:
    """PyYAML, imported once. Importing it compiles the regular expressions of its pure-Python
    reader and resolver (a large Unicode class among them): about 10 ms, a tenth of a hook's
    start-up, for code the C parser we use never runs. During that import ``re.compile``
    hands out :class:`_Deferred` patterns, which compile the first time anything uses them, so
    PyYAML behaves exactly as before for any caller."""
    import sys

    module = sys.modules.get("yaml")
    if module is not None:
        return module

    def deferred(pattern: Any, flags: int = 0) -> Any:
        return _Deferred(pattern, flags)

    re.compile = deferred
    try:
        import yaml
    finally:
        re.compile = _compile
    return yaml


def load_documents(text: str, path: str) -> list[Any]:
    """Every document of a YAML stream, as YMap/YSeq/scalars. Raises :class:`YamlError`."""
    yaml = import_yaml()

    try:
        loader_cls = yaml.CSafeLoader
    except AttributeError:  # PyYAML without libyaml: slower, same events
        loader_cls = yaml.SafeLoader
    try:
        events = yaml.parse(text, Loader=loader_cls)
        return _build(events, path)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" {exc.context}" if exc.context and exc.problem else ""
        raise YamlError(f"{problem}{context}".strip(), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}".splitlines()[0]) from None
    except (RecursionError, MemoryError):
        raise YamlError("the YAML is nested too deeply or too large") from None


def _build(events: Iterator[Any], path: str) -> list[Any]:
    yaml = import_yaml()

    documents: list[Any] = []
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, expanded size)
    total = 0

    def add(value: Any, span: Span, size: int, new_nodes: int) -> None:
        # ``size``: the nodes ``value`` stands for (an alias: its anchor's whole subtree);
        # ``new_nodes``: those not counted yet (a closing container's children already were).
        nonlocal total
        total += new_nodes
        if total > MAX_EXPANDED_NODES:
            raise YamlError(
                f"the document expands to more than {MAX_EXPANDED_NODES:,} nodes "
                "through aliases (an alias bomb?)",
                span.line,
                span.column,
            )
        if not stack:
            documents.append(value)
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, YSeq):
            container.append(value)
            container.item_spans.append(span)
            return
        if frame.pending_key is _NO_KEY:
            frame.pending_key = value
            frame.pending_key_span = span
            return
        key, key_span = frame.pending_key, frame.pending_key_span or span
        frame.pending_key = _NO_KEY
        if key == "<<" and not isinstance(key, _Str):
            frame.merges.append((value, span))
            return
        if isinstance(key, (YMap, YSeq)) or not isinstance(key, str):
            if key is None or isinstance(key, (bool, int, float)):
                raise YamlError(
                    f"non-string key {scalar_text(key)!r} (Compose requires string keys)",
                    key_span.line,
                    key_span.column,
                )
            raise YamlError("a mapping key must be a string", key_span.line, key_span.column)
        key = str(key)
        if key in container:
            first = container.key_spans[key]
            raise YamlError(
                f'mapping key "{key}" already defined at line {first.line}',
                key_span.line,
                key_span.column,
            )
        container[key] = value
        container.key_spans[key] = key_span
        container.value_spans[key] = span

    def span_of(event: Any) -> Span:
        mark = event.start_mark
        return Span(path, mark.line + 1, mark.column + 1)

    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            span = span_of(event)
            value = _scalar(event, span)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            add(value, span, 1, 1)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                span = span_of(event)
                raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", span.line, span.column)
            tag = event.tag if event.tag in (RESET, OVERRIDE) else None
            span = span_of(event)
            container: YMap | YSeq = (
                YMap(span, tag) if kind is yaml.MappingStartEvent else YSeq(span, tag)
            )
            stack.append(_Frame(container, event.anchor))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            if isinstance(frame.container, YMap) and frame.merges:
                _apply_merges(frame.container, frame.merges)
            if frame.anchor:
                anchors[frame.anchor] = (frame.container, frame.size)
            add(frame.container, frame.container.span, frame.size, 1)
        elif kind is yaml.AliasEvent:
            span = span_of(event)
            if event.anchor not in anchors:
                raise YamlError(f"unknown anchor '{event.anchor}'", span.line, span.column)
            value, size = anchors[event.anchor]
            add(value, span, size, size)
        elif kind is yaml.DocumentStartEvent:
            anchors = {}  # anchors never cross documents
    return documents


class _Str(str):
    """A quoted or explicitly tagged string: ``"<<"`` is a key, not a merge."""

    __slots__ = ()


def _scalar(event: Any, span: Span) -> Any:
    text: str = event.value
    tag = event.tag
    if tag in (RESET, OVERRIDE):
        plain = not event.style and event.implicit[0]
        return Tagged(resolve_plain(text) if plain else text, tag)
    if tag is not None and tag != "!":
        if tag == "tag:yaml.org,2002:str":
            return _Str(text)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"):
            return resolve_plain(text)
        if tag.startswith("!") and not event.style:
            return resolve_plain(text)  # unknown local tags are ignored, like Compose
        return text
    if not event.style and event.implicit[0]:
        return resolve_plain(text)
    if text == "<<":
        return _Str(text)
    return text


def _apply_merges(target: YMap, merges: list[tuple[Any, Span]]) -> None:
    """Merge keys the go-yaml way: explicit keys win; in ``<<: [*a, *b]`` the first map wins."""
    sources: list[YMap] = []
    for value, span in merges:
        items = value if isinstance(value, YSeq) else [value]
        for item in items:
            if not isinstance(item, YMap):
                raise YamlError(
                    "map merge requires map or sequence of maps as the value",
                    span.line,
                    span.column,
                )
            sources.append(item)
    for source in sources:
        for key, value in source.items():
            own = target.get(key, _NO_KEY)
            # Compose drops a `!reset` node before decoding, so a merge key still supplies it.
            if own is _NO_KEY or tag_of(own) == RESET:
                if own is _NO_KEY or key not in target.key_spans:
                    target.key_spans[key] = source.key_span(key)
                target[key] = value
                target.value_spans[key] = source.value_span(key)
    # Own keys stay first in iteration order, then merged ones, as ruamel does.


def walk_strings(value: Any, span: Span) -> Iterator[tuple[str, Span, bool]]:
    """Every string value below ``value`` with its span; mapping keys are skipped.

    Shared (aliased) containers are visited once, so alias bombs cost nothing here.
    The bool says whether the string is a list item (list-form ``KEY=VALUE`` entries).
    """
    seen: set[int] = set()
    todo: list[tuple[Any, Span, bool]] = [(value, span, False)]
    while todo:
        current, where, in_list = todo.pop()
        if isinstance(current, Tagged):
            current = current.value
        if isinstance(current, str):
            yield current, where, in_list
        elif isinstance(current, (YMap, YSeq)):
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, YMap):
                for key in reversed(list(current)):
                    todo.append((current[key], current.value_span(key), False))
            else:
                for index in range(len(current) - 1, -1, -1):
                    todo.append((current[index], current.item_span(index), True))
