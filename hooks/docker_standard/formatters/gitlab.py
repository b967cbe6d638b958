"""GitLab Code Quality: a JSON list of Code Climate issues (``artifacts:reports:codequality``).

GitLab keeps only the first issue of a fingerprint; the finding's own fingerprint (code, path,
subject, occurrence; never the line) is unique and survives edits elsewhere in the file.
"""

from __future__ import annotations

import json

from docker_standard.findings import Finding, Severity
from docker_standard.report import Report
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

# GitLab's scale: info, minor, major, critical, blocker.
SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issues(report: Report) -> list[dict[str, Any]]:
    security = {r.code for r in report.rules if r.security}
    findings = sorted(report.findings, key=Finding.sort_key)
    return [
        {
            "type": "issue",
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "categories": ["Security"] if f.code in security else ["Bug Risk"],
            "fingerprint": f.fingerprint,
            "severity": SEVERITIES[f.severity],
            "location": {"path": f.path, "lines": {"begin": max(1, f.span.line)}},
        }
        for f in findings
    ]


def render(report: Report) -> str:
    return json.dumps(issues(report), indent=2) + "\n"
