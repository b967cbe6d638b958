"""What the structure fixers (``toplevel.py``, ``topology.py``) hand to ``structure.py``: the
fix intents of one file, and proposals of edits with the change they must make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docker_standard.findings import Span
from docker_standard.fixes.yamledit import Edit, EditError, YamlIndex


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
