"""The result of one check run, as every formatter receives it."""

from __future__ import annotations

from docker_standard.findings import Finding, Severity
from docker_standard.registry import Rule
from docker_standard.runtime_typing import NamedTuple


class Report(NamedTuple):
    root: str  # the project root, absolute
    findings: tuple[Finding, ...]
    files: int
    rules: tuple[Rule, ...]  # the rules that were enabled for this run
    fixed: tuple[str, ...] = ()  # human-readable lines: what --fix changed
    notes: tuple[str, ...] = ()  # what could not be checked (git missing, …)
    # Adoption (SPEC): findings a baseline holds (not reported, never failing the run), its
    # entries that matched nothing, and with --new-since how many findings REV already had.
    baselined: tuple[Finding, ...] = ()
    baseline: str | None = None  # the baseline file read, relative to the root when inside it
    stale: int = 0
    new_since: str | None = None
    existing: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def summary(self) -> dict[str, int]:
        """Counts by severity and files read; the adoption counts only when they apply."""
        counts = {
            "error": self.count(Severity.ERROR),
            "warning": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "files": self.files,
        }
        if self.baseline is not None:
            counts["baselined"] = len(self.baselined)
            counts["stale"] = self.stale
        if self.new_since is not None:
            counts["existing"] = self.existing
        return counts
