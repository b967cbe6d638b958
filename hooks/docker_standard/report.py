"""The result of one check run, as every formatter receives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docker_standard.findings import Finding, Severity
from docker_standard.registry import Rule


@dataclass(frozen=True)
class Report:
    root: Path
    findings: tuple[Finding, ...]
    files: int
    rules: tuple[Rule, ...]  # the rules that were enabled for this run
    fixed: tuple[str, ...] = field(default=())  # human-readable lines: what --fix changed
    notes: tuple[str, ...] = field(default=())  # what could not be checked (git missing, …)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "error": self.count(Severity.ERROR),
            "warning": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "files": self.files,
        }
