"""The identity of a finding that survives edits above it, for formats that track findings
across runs (SARIF's partialFingerprints, GitLab's fingerprint)."""

from __future__ import annotations

from collections.abc import Iterable

from docker_standard.findings import Finding


def fingerprints(findings: Iterable[Finding]) -> list[tuple[str, int]]:
    """A stable identity for each finding: ``(hash, occurrence)``, in the order given.

    The hash covers the code, the path and the message but not the line or column, so a
    finding keeps its identity when lines are added above it. ``occurrence`` (1, 2, …) tells
    apart identical findings in one file, numbered in the order they arrive (sorted by line).
    """
    import hashlib  # only the fingerprinting formats need it

    seen: dict[str, int] = {}
    result: list[tuple[str, int]] = []
    for finding in findings:
        key = "\0".join((finding.code, finding.path, finding.message))
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        result.append((digest, seen[digest]))
    return result
