"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``.

Errors come first, then warnings, then notices (info), so the annotations GitHub keeps are the
most severe ones. GitHub turns at most 10 errors, 10 warnings and 10 notices per step into
annotations and silently drops the rest; every command is still emitted (each one shows in the
log), and when any were past the cap one plain line at the end says how many.
"""

from __future__ import annotations

from docker_standard.findings import Finding, Severity
from docker_standard.report import Report

ANNOTATION_LIMIT = 10  # per severity, per step
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (as ``@actions/core`` ``escapeData`` does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (``escapeProperty``): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    props = {
        "file": finding.path,
        "line": str(max(1, finding.span.line)),
        "col": str(max(1, finding.span.column)),
        "title": f"{finding.code} {finding.rule}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def render(report: Report) -> str:
    ordered = sorted(report.findings, key=lambda f: (-f.severity, f.sort_key()))
    lines = [command(f) for f in ordered]
    beyond = sum(max(0, report.count(severity) - ANNOTATION_LIMIT) for severity in COMMANDS)
    if beyond:
        lines.append(overflow_line(beyond))
    return "".join(line + "\n" for line in lines)


def overflow_line(beyond: int) -> str:
    what = "1 more finding is" if beyond == 1 else f"{beyond} more findings are"
    return (
        f"{what} past GitHub's limit of {ANNOTATION_LIMIT} annotations per severity per step: "
        "they are listed above, and in the job summary and SARIF."
    )
