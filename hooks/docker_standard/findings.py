"""The values every layer passes around: severities, source positions, hits and findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass

# The mask lives with the judge of secrets; re-exported for the formatters and their tests.
from docker_standard.secrets import mask as mask


class Severity(enum.IntEnum):
    """Ordered so that ``finding.severity >= threshold`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            expected = "expected error, warning or info"
            raise ValueError(f"unknown severity {text!r} ({expected})") from None


@dataclass(frozen=True, order=True)
class Span:
    """A place in a file: POSIX path relative to the project root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Hit:
    """What a rule yields: a message and where it applies. The framework adds the rest.

    Messages never hold a secret value: rules mask one with :func:`mask` before they build it.
    ``severity`` is for the rules whose severity depends on the case (DS104, DS313); a
    configured override still wins.
    """

    message: str
    span: Span
    fixable: bool = False
    severity: Severity | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    severity: Severity
    span: Span
    message: str
    fixable: bool = False

    @property
    def path(self) -> str:
        return self.span.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)
