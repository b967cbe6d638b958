"""Suppression comments: ``# docker-standard: ignore=DS301`` (the line, or the next line when
the comment is alone on its line) and ``# docker-standard: ignore-file=DS301``."""

from __future__ import annotations

import re

from docker_standard.runtime_typing import NamedTuple

_PRAGMA = re.compile(r"#\s*docker-standard:\s*(ignore|ignore-file)\s*=\s*([A-Za-z0-9, ]+)")
_CODES = re.compile(r"\b(DS\d{1,3})\b", re.IGNORECASE)


class Suppression(NamedTuple):
    """One ``# docker-standard: ignore=…`` (or ``ignore-file=…``) comment.

    ``scope`` is ``file``, ``next`` (a comment line: it covers the line below) or ``line`` (at
    the end of the line it covers). ``codes`` pairs each code with its 1-based column.
    """

    path: str
    line: int
    column: int  # of the comment's '#'
    scope: str
    codes: tuple[tuple[str, int], ...]


def find_suppressions(path: str, text: str, lines: list[str]) -> tuple[Suppression, ...]:
    """Every ``# docker-standard: ignore=…`` comment of a file, with the codes it names."""
    found: list[Suppression] = []
    if "docker-standard:" not in text:
        return ()
    for number, line in enumerate(lines, start=1):
        if "docker-standard:" not in line:
            continue
        for match in _PRAGMA.finditer(line):
            start = match.start(2)
            codes = tuple(
                (code.group(1).upper(), start + code.start() + 1)
                for code in _CODES.finditer(match.group(2))
            )
            if match.group(1) == "ignore-file":
                scope = "file"
            elif line.lstrip().startswith("#"):
                scope = "next"
            else:
                scope = "line"
            found.append(Suppression(path, number, match.start() + 1, scope, codes))
    return tuple(found)
