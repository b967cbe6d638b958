"""The values every layer passes around: severities, source positions, hits and findings."""

from __future__ import annotations

import enum

from docker_standard.runtime_typing import NamedTuple

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


class Span(NamedTuple):
    """A place in a file: POSIX path relative to the project root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


class Subject(NamedTuple):
    """What a finding is about, as facts: a kind and the names that identify it.

    ``Subject("service", ("api",))``, ``Subject("dependency", ("api", "db"))``,
    ``Subject("variable", ("DB_PASSWORD",))``. A baseline's fingerprint is made of it (with the
    code and the file), so it never holds a line number (an edit above moves it) nor a secret
    value (a fingerprint is stored and shown).
    """

    kind: str
    names: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((self.kind, *self.names))


class Fix(NamedTuple):
    """How to repair one hit, decided where the rule decided the hit (ruff's model).

    ``intent`` is structured data a fixer turns into text edits: its first item names the
    edit (``"append-template"``, ``"depends-on-condition"`` …), the rest are its arguments.
    No fixer reads the message or decides again. ``safe`` is False for an edit that can change
    how a running stack behaves beyond what the rule names (data moved to a new volume, ports
    or networks changed): only ``--fix --unsafe-fixes`` applies it.
    """

    intent: tuple[str, ...]
    safe: bool = True

    @property
    def kind(self) -> str:
        return self.intent[0]


class Hit(NamedTuple):
    """What a rule yields: a message, where it applies and what it is about. The framework adds
    the rest.

    Messages are for people only and never hold a secret value: rules mask one with
    :func:`mask` before they build it. ``subject`` is the facts (see :class:`Subject`);
    ``fix`` how to repair it, when the rule can (the rule must be registered ``fixable``).
    ``severity`` is for the rules whose severity depends on the case (DS104, DS313); a
    configured override still wins.
    """

    message: str
    span: Span
    subject: Subject | None = None
    fix: Fix | None = None
    severity: Severity | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None


# Bumped only if fingerprints must change (every baseline would then go stale at once).
FINGERPRINT_VERSION = "v1"


class Finding(NamedTuple):
    code: str
    rule: str
    severity: Severity
    span: Span
    message: str
    fixable: bool = False
    subject: Subject | None = None
    fix: Fix | None = None
    occurrence: int = 1  # 2, 3 … for later findings with the same code, path and subject

    @property
    def path(self) -> str:
        return self.span.path

    @property
    def fingerprint(self) -> str:
        """Who this finding is across runs (SPEC *Adoption*): a hash of the code, the path, the
        subject and the occurrence, never of a line number (an edit above moves it) nor of a
        secret (subjects never hold one). A baseline stores it; SARIF and GitLab carry it."""
        import hashlib  # only the formats and runs that track findings pay for it

        about = (self.subject.kind, *self.subject.names) if self.subject else ("", self.message)
        key = "\0".join((FINGERPRINT_VERSION, self.code, self.path, *about, str(self.occurrence)))
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
        return digest[:24]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)


def numbered(findings: list[Finding]) -> list[Finding]:
    """``findings`` (sorted) with each repeated code, path and subject numbered 2, 3 … in
    order: true duplicates stay apart in a baseline without a line number telling them apart."""
    seen: dict[tuple[object, ...], int] = {}
    result: list[Finding] = []
    for finding in findings:
        key = (finding.code, finding.span.path, finding.subject or finding.message)
        count = seen[key] = seen.get(key, 0) + 1
        result.append(finding if count == 1 else finding._replace(occurrence=count))
    return result
