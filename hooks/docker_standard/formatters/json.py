"""The stable version-1 JSON output (SPEC: *JSON output*)."""

from __future__ import annotations

import json

from docker_standard.findings import Finding
from docker_standard.report import Report
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

VERSION = 1


def document(report: Report) -> dict[str, Any]:
    """The JSON document as a dict; ``fixed`` is present only when ``--fix`` changed something."""
    doc: dict[str, Any] = {
        "version": VERSION,
        "findings": [
            {
                "code": f.code,
                "rule": f.rule,
                "severity": f.severity.label,
                "path": f.path,
                "line": f.span.line,
                "column": f.span.column,
                "message": f.message,
                "fixable": f.fixable,
                "fingerprint": f.fingerprint,
            }
            for f in sorted(report.findings, key=Finding.sort_key)
        ],
        "summary": report.summary,
    }
    if report.fixed:
        doc["fixed"] = list(report.fixed)
    return doc


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2) + "\n"
