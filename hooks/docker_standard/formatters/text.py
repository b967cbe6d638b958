"""``path:line:col: CODE [severity] message (rule-name)``, one finding per line, then a summary."""

from __future__ import annotations

from docker_standard.findings import Finding, Severity
from docker_standard.report import Report

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}


def render(report: Report, *, color: bool = False) -> str:
    """Findings and the summary line. ``report.fixed`` and ``report.notes`` are the CLI's to
    print (on stderr), so they are not repeated here."""
    lines = [format_finding(f, color=color) for f in sorted(report.findings, key=Finding.sort_key)]
    lines.append(_paint(summary_line(report), _BOLD, color))
    return "\n".join(lines) + "\n"


def format_finding(finding: Finding, *, color: bool = False) -> str:
    span = finding.span
    where = f"{one_line(span.path)}:{span.line}:{span.column}:"
    paint = _COLORS[finding.severity]
    return " ".join(
        (
            _paint(where, _BOLD, color),
            _paint(finding.code, paint, color),
            _paint(f"[{finding.severity.label}]", paint, color),
            one_line(finding.message),
            _paint(f"({finding.rule})", _DIM, color),
        )
    )


def summary_line(report: Report) -> str:
    """``3 errors, 1 warning, 0 info in 12 files``, or ``No findings in 12 files.``"""
    files = _plural(report.files, "file")
    if not report.findings:
        line = f"No findings in {files}"
    else:
        errors = _plural(report.count(Severity.ERROR), "error")
        warnings = _plural(report.count(Severity.WARNING), "warning")
        line = f"{errors}, {warnings}, {report.count(Severity.INFO)} info in {files}"
    more = adoption(report)
    return f"{line} ({more})." if more else (line if report.findings else line + ".")


def adoption(report: Report) -> str:
    """What the baseline and ``--new-since`` left out: ``40 in the baseline, 3 stale baseline
    entries (run `docker-standard baseline --prune`)``; empty when neither applied."""
    parts = []
    if report.new_since is not None:
        parts.append(f"{report.existing} already at {report.new_since}")
    if report.baseline is not None:
        parts.append(f"{len(report.baselined)} in the baseline")
        if report.stale:
            entries = "entry" if report.stale == 1 else "entries"
            parts.append(f"{report.stale} stale baseline {entries} "
                         "(run `docker-standard baseline --prune`)")
    return ", ".join(parts)


def one_line(text: str) -> str:
    """Keep one finding on one line whatever a message or file name holds."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text
