"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

One run; every enabled rule is a ``reportingDescriptor``; each result names its rule by id and
index, its file by a repo-relative URI against ``%SRCROOT%``, and carries the finding's
fingerprint under our own ``partialFingerprints`` key (``dockerStandard/v1``): GitHub computes
``primaryLocationLineHash`` itself from the line's content, so we never fill it in. ``%SRCROOT%``
has no ``uri``: the log never records a machine's absolute path, and code scanning resolves
relative URIs against the checkout.

Findings a baseline holds are left out, since code scanning does not honour SARIF
``suppressions`` and would show them as open alerts; with ``baselined=True`` they are written
with ``suppressions: [{"kind": "external"}]`` for consumers that do.
"""

from __future__ import annotations

import json
import urllib.parse

from docker_standard import __version__
from docker_standard.findings import Finding, Severity
from docker_standard.registry import DOCS_URL, Rule
from docker_standard.report import Report
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "docker-standard"
INFORMATION_URI = DOCS_URL.split("/blob/", 1)[0]
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub ranks security alerts by this score: >= 7.0 high, 4.0-6.9 medium, < 4.0 low.
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
FINGERPRINT_KEY = "dockerStandard/v1"
CATEGORIES = {"DS0": "general", "DS1": "env", "DS2": "dockerfile", "DS3": "compose"}
_MAX_SHORT = 1024  # GitHub truncates longer short descriptions


def render(report: Report, *, baselined: bool = False) -> str:
    return json.dumps(document(report, baselined=baselined), indent=2) + "\n"


def document(report: Report, *, baselined: bool = False) -> dict[str, Any]:
    findings = sorted(report.findings, key=Finding.sort_key)
    held = sorted(report.baselined, key=Finding.sort_key) if baselined else []
    rules = list(report.rules)
    known = {r.code for r in rules}
    # A finding whose rule is not in the run's list (should not happen) still gets a descriptor,
    # so ruleIndex always agrees with ruleId.
    extra: dict[str, Finding] = {}
    for finding in (*findings, *held):
        if finding.code not in known:
            extra.setdefault(finding.code, finding)
    descriptors = [_descriptor(r) for r in rules]
    descriptors += [_bare_descriptor(extra[code]) for code in sorted(extra)]
    index = {d["id"]: i for i, d in enumerate(descriptors)}

    results = [_result(f, index[f.code]) for f in findings]
    for finding in held:
        result = _result(finding, index[finding.code])
        result["suppressions"] = [{"kind": "external", "justification": "in the baseline"}]
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {"description": {"text": "The root of the checked project."}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def artifact_uri(path: str) -> str:
    """A repo-relative POSIX path as a relative URI reference (``a b/c#1`` -> ``a%20b/c%231``)."""
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    # A file name that is not UTF-8 reaches us with surrogate escapes: quote its bytes.
    return urllib.parse.quote(posix.lstrip("/").encode("utf-8", "surrogateescape"), safe="/")


def _descriptor(rule: Rule) -> dict[str, Any]:
    summary = rule.summary or _words(rule.name)
    full = " ".join(
        part
        for part in (
            _section(rule.doc, "## What it does"),
            _section(rule.doc, "## Why is this bad?"),
        )
        if part
    )
    help_text = rule.doc.strip() or summary
    properties: dict[str, Any] = {"tags": _tags(rule.code, security=rule.security)}
    if rule.security:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    else:
        properties["problem.severity"] = PROBLEM_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(summary)},
        "fullDescription": {"text": full or summary},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": True},
        "properties": properties,
    }


def _bare_descriptor(finding: Finding) -> dict[str, Any]:
    text = _words(finding.rule)
    return {
        "id": finding.code,
        "name": finding.rule,
        "shortDescription": {"text": _clip(text)},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"tags": _tags(finding.code, security=False)},
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": SRCROOT},
                    "region": {
                        "startLine": max(1, finding.span.line),
                        "startColumn": max(1, finding.span.column),
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }


def _tags(code: str, *, security: bool) -> list[str]:
    tags = ["docker-standard", CATEGORIES.get(code[:3], "general")]
    if security:
        tags.append("security")
    return tags


def _section(doc: str, heading: str) -> str:
    """The prose of one ``## Heading`` section of a rule doc, on one line."""
    if heading not in doc:
        return ""
    body = doc.split(heading, 1)[1].split("\n## ", 1)[0]
    return " ".join(body.split())


def _words(name: str) -> str:
    text = name.replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else "docker-standard rule"


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_SHORT else text[: _MAX_SHORT - 1] + "…"
