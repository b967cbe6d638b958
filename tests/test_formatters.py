"""Every output format, from a Report built by hand (no rule registry, no runner)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import extra_module
from docker_standard.findings import Finding, Hit, Severity, Span, mask, numbered
from docker_standard.formatters import FORMATS, render, write_atomic
from docker_standard.formatters.github import escape_data, escape_property
from docker_standard.registry import Rule
from docker_standard.report import Report

SHARED = Path(__file__).resolve().parents[2] / "shared"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SECRET = "supersecretpassword123"


def _no_hits(target: object, project: object) -> Iterator[Hit]:
    return iter(())


def make_rule(
    code: str, name: str, severity: Severity, *, security: bool = False, fixable: bool = False
) -> Rule:
    doc = (
        f"## What it does\nChecks {name.replace('-', ' ')}.\n\n"
        "## Why is this bad?\nA fresh `docker compose up` breaks.\n\n"
        "## Example\n```yaml\nservices: {}\n```\n\n## Use instead\n```yaml\nservices: {}\n```"
    )
    return Rule(code, name, severity, object, _no_hits, doc, fixable, True, security)


RULES = {
    r.code: r
    for r in (
        make_rule("DS302", "compose-unconditioned-depends-on", Severity.ERROR, fixable=True),
        make_rule("DS305", "compose-missing-restart", Severity.WARNING, fixable=True),
        make_rule("DS310", "compose-hardcoded-secret", Severity.ERROR, security=True),
        make_rule("DS316", "compose-obsolete-version", Severity.INFO),
    )
}


def finding(code: str, path: str, line: int, column: int, message: str, **kw: Any) -> Finding:
    rule = RULES[code]
    severity = kw.pop("severity", rule.severity)
    return Finding(code, rule.name, severity, Span(path, line, column), message, **kw)


FINDINGS = (
    finding("DS316", "compose.yaml", 1, 1, "the top-level 'version' key is obsolete"),
    finding("DS310", "compose.yaml", 9, 9, f"literal credential POSTGRES_PASSWORD={mask(SECRET)}"),
    finding(
        "DS302", "compose.yaml", 12, 7, "'api' depends on 'db' without a condition", fixable=True
    ),
    finding("DS305", "svc,a/compose.yaml", 2, 3, "50% done\nnext: a, b"),
)


def make_report(
    findings: tuple[Finding, ...] = FINDINGS, *, files: int = 12, fixed: tuple[str, ...] = ()
) -> Report:
    return Report(
        root=Path("/project"),
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        files=files,
        rules=tuple(RULES[c] for c in sorted(RULES)),
        fixed=fixed,
    )


# -- text ---------------------------------------------------------------------------------------


def test_text_lines_exactly() -> None:
    assert render("text", make_report()).splitlines() == [
        "compose.yaml:1:1: DS316 [info] the top-level 'version' key is obsolete"
        " (compose-obsolete-version)",
        "compose.yaml:9:9: DS310 [error] literal credential POSTGRES_PASSWORD=su****23"
        " (compose-hardcoded-secret)",
        "compose.yaml:12:7: DS302 [error] 'api' depends on 'db' without a condition"
        " (compose-unconditioned-depends-on)",
        "svc,a/compose.yaml:2:3: DS305 [warning] 50% done\\nnext: a, b (compose-missing-restart)",
        "2 errors, 1 warning, 1 info in 12 files",
    ]


def test_text_summary_wording() -> None:
    assert render("text", make_report((), files=12)) == "No findings in 12 files.\n"
    assert render("text", make_report((), files=1)) == "No findings in 1 file.\n"
    one = make_report(FINDINGS[2:3], files=1)
    assert render("text", one).splitlines()[-1] == "1 error, 0 warnings, 0 info in 1 file"


def test_text_leaves_fixed_lines_to_the_cli() -> None:
    report = make_report((), fixed=("compose.yaml: added restart: unless-stopped",))
    assert render("text", report) == "No findings in 12 files.\n"


def test_text_color_only_when_asked() -> None:
    plain = render("text", make_report())
    colored = render("text", make_report(), color=True)
    assert "\033[" not in plain
    assert "\033[31mDS302\033[0m" in colored
    assert "\033[33m[warning]\033[0m" in colored
    # Stripping the escapes gives back the plain text.
    import re

    assert re.sub(r"\033\[[0-9;]*m", "", colored) == plain


# -- json ---------------------------------------------------------------------------------------


def test_json_shape_exactly() -> None:
    doc = json.loads(render("json", make_report()))
    assert list(doc) == ["version", "findings", "summary"]
    assert doc["version"] == 1
    assert doc["summary"] == {"error": 2, "warning": 1, "info": 1, "files": 12}
    assert doc["findings"][2] == {
        "code": "DS302",
        "rule": "compose-unconditioned-depends-on",
        "severity": "error",
        "path": "compose.yaml",
        "line": 12,
        "column": 7,
        "message": "'api' depends on 'db' without a condition",
        "fixable": True,
        "fingerprint": sorted(make_report().findings, key=Finding.sort_key)[2].fingerprint,
    }
    for item in doc["findings"]:
        assert list(item) == [
            "code",
            "rule",
            "severity",
            "path",
            "line",
            "column",
            "message",
            "fixable",
            "fingerprint",
        ]
    assert [f["code"] for f in doc["findings"]] == ["DS316", "DS310", "DS302", "DS305"]


def test_json_fixed_only_when_something_was_fixed() -> None:
    assert "fixed" not in json.loads(render("json", make_report()))
    doc = json.loads(render("json", make_report(fixed=("compose.yaml: long-form depends_on",))))
    assert doc["fixed"] == ["compose.yaml: long-form depends_on"]
    assert list(doc) == ["version", "findings", "summary", "fixed"]


# -- sarif --------------------------------------------------------------------------------------


def sarif_validator() -> Any:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is read from {SARIF_SCHEMA}; ../shared is absent here")
    jsonschema = extra_module("jsonschema", "jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid_sarif(doc: dict[str, Any]) -> None:
    """The official schema plus what GitHub code scanning adds on top."""
    errors = sorted(sarif_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        if "helpUri" in rule:
            assert urllib.parse.urlsplit(rule["helpUri"]).scheme == "https"
        severity = rule["properties"].get("security-severity")
        assert severity is None or (isinstance(severity, str) and 0.1 <= float(severity) <= 10)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not urllib.parse.urlsplit(uri).scheme and not uri.startswith("/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        # GitHub computes primaryLocationLineHash from the line itself; ours has its own key.
        assert set(result["partialFingerprints"]) == {"dockerStandard/v1"}


def test_sarif_valid_and_complete() -> None:
    doc = json.loads(render("sarif", make_report()))
    assert_valid_sarif(doc)
    assert doc["version"] == "2.1.0"
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "docker-standard"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["DS302", "DS305", "DS310", "DS316"]
    secret_rule = driver["rules"][2]
    assert secret_rule["properties"]["security-severity"] == "8.0"
    assert "security" in secret_rule["properties"]["tags"]
    assert secret_rule["helpUri"] == RULES["DS310"].help_uri
    assert secret_rule["help"]["markdown"] == RULES["DS310"].doc
    assert secret_rule["shortDescription"]["text"] == "Checks compose hardcoded secret."
    assert "fresh" in secret_rule["fullDescription"]["text"]
    assert "security-severity" not in driver["rules"][0]["properties"]
    levels = [r["defaultConfiguration"]["level"] for r in driver["rules"]]
    assert levels == ["error", "warning", "error", "note"]

    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("DS316", 3, "note"),
        ("DS310", 2, "error"),
        ("DS302", 0, "error"),
        ("DS305", 1, "warning"),
    ]
    region = results[2]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 7}
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["compose.yaml", "compose.yaml", "compose.yaml", "svc%2Ca/compose.yaml"]


def test_sarif_security_severity_per_level() -> None:
    rules = tuple(
        make_rule(f"DS10{i}", f"secret-{i}", sev, security=True)
        for i, sev in enumerate((Severity.ERROR, Severity.WARNING, Severity.INFO), start=1)
    )
    report = Report(Path("/p"), (), 0, rules)
    doc = json.loads(render("sarif", report))
    assert_valid_sarif(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    scores = [r["properties"]["security-severity"] for r in driver["rules"]]
    assert scores == ["8.0", "5.0", "2.0"]


def test_sarif_uri_is_percent_encoded_and_line_zero_clamped() -> None:
    odd = (
        finding("DS302", "stacks/my app/docker-compose.yml", 0, 0, "m"),
        finding("DS302", "ünï/#1%/compose.yaml", 3, 1, "m"),
    )
    doc = json.loads(render("sarif", make_report(odd)))
    assert_valid_sarif(doc)
    locations = [r["locations"][0]["physicalLocation"] for r in doc["runs"][0]["results"]]
    assert [loc["artifactLocation"]["uri"] for loc in locations] == [
        "stacks/my%20app/docker-compose.yml",
        "%C3%BCn%C3%AF/%231%25/compose.yaml",
    ]
    assert locations[0]["region"] == {"startLine": 1, "startColumn": 1}
    assert urllib.parse.unquote(locations[1]["artifactLocation"]["uri"]) == odd[1].path


def test_sarif_fingerprint_ignores_line_but_tells_duplicates_apart() -> None:
    def hashes(findings: tuple[Finding, ...]) -> list[str]:
        doc = json.loads(render("sarif", make_report(findings)))
        results = doc["runs"][0]["results"]
        return [r["partialFingerprints"]["dockerStandard/v1"] for r in results]

    base = finding("DS302", "compose.yaml", 12, 7, "'api' depends on 'db' without a condition")
    moved = base._replace(span=Span("compose.yaml", 40, 7))
    assert hashes((base,)) == hashes((moved,))
    other_file = base._replace(span=Span("other/compose.yaml", 12, 7))
    assert hashes((base,)) != hashes((other_file,))
    twice = hashes(tuple(numbered([base, moved])))
    assert len(set(twice)) == 2
    assert hashes((base,))[0] == twice[0]


def test_sarif_leaves_baselined_findings_out_unless_asked() -> None:
    held = finding("DS305", "compose.yaml", 5, 3, "service 'db' has no restart policy")
    report = make_report()._replace(baselined=(held,), baseline=".docker-standard-baseline.json")
    plain = json.loads(render("sarif", report))
    assert all(r["ruleId"] != "DS305" or "suppressions" not in r
               for r in plain["runs"][0]["results"])
    assert len(plain["runs"][0]["results"]) == len(report.findings)
    marked = json.loads(render("sarif", report, baselined=True))
    assert_valid_sarif(marked)
    suppressed = [r for r in marked["runs"][0]["results"] if "suppressions" in r]
    assert [r["partialFingerprints"]["dockerStandard/v1"] for r in suppressed] == [
        held.fingerprint
    ]
    assert suppressed[0]["suppressions"][0]["kind"] == "external"


def test_sarif_finding_of_a_rule_not_in_the_run_still_has_a_descriptor() -> None:
    stray = Finding("DS001", "parse-error", Severity.ERROR, Span("compose.yaml", 2, 1), "bad YAML")
    doc = json.loads(render("sarif", make_report((stray,))))
    assert_valid_sarif(doc)
    result = doc["runs"][0]["results"][0]
    assert doc["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "DS001"


# -- github -------------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    lines = render("github", make_report()).splitlines()
    assert lines == [
        "::error file=compose.yaml,line=9,col=9,title=DS310 compose-hardcoded-secret::"
        "literal credential POSTGRES_PASSWORD=su****23",
        "::error file=compose.yaml,line=12,col=7,title=DS302 compose-unconditioned-depends-on::"
        "'api' depends on 'db' without a condition",
        "::warning file=svc%2Ca/compose.yaml,line=2,col=3,title=DS305 compose-missing-restart::"
        "50%25 done%0Anext: a, b",
        "::notice file=compose.yaml,line=1,col=1,title=DS316 compose-obsolete-version::"
        "the top-level 'version' key is obsolete",
    ]


def test_github_reports_how_many_are_past_the_annotation_cap() -> None:
    many = tuple(finding("DS302", "compose.yaml", i, 1, f"e{i}") for i in range(1, 13))
    many += tuple(finding("DS305", "compose.yaml", i, 1, f"w{i}") for i in range(1, 4))
    many += tuple(finding("DS316", "compose.yaml", i, 1, f"i{i}") for i in range(1, 12))
    lines = render("github", make_report(many)).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 26  # every finding is emitted
    kinds = [line.split(" ", 1)[0] for line in commands]
    assert kinds == ["::error"] * 12 + ["::warning"] * 3 + ["::notice"] * 11
    assert lines[-1].startswith("3 more findings are past GitHub's limit of 10 annotations")
    assert not lines[-1].startswith("::")
    assert render("github", make_report((), files=3)) == ""
    assert "more finding" not in render("github", make_report())


# -- gitlab -------------------------------------------------------------------------------------


def test_gitlab_code_quality() -> None:
    issues = json.loads(render("gitlab", make_report()))
    assert isinstance(issues, list) and len(issues) == 4
    first = issues[2]
    assert first["check_name"] == "DS302"
    assert first["description"] == "DS302 'api' depends on 'db' without a condition"
    assert first["severity"] == "critical"
    assert first["location"] == {"path": "compose.yaml", "lines": {"begin": 12}}
    assert first["categories"] == ["Bug Risk"]
    assert issues[1]["categories"] == ["Security"]
    assert [i["severity"] for i in issues] == ["info", "critical", "critical", "major"]
    allowed = {"info", "minor", "major", "critical", "blocker"}
    assert all(i["severity"] in allowed for i in issues)
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)
    assert all(len(p) == 24 and int(p, 16) >= 0 for p in prints)


def test_gitlab_fingerprint_stable_across_line_moves_and_unique_for_duplicates() -> None:
    base = finding("DS305", "compose.yaml", 5, 3, "service 'db' has no restart policy")
    moved = base._replace(span=Span("compose.yaml", 9, 3))

    def prints(findings: tuple[Finding, ...]) -> list[str]:
        return [i["fingerprint"] for i in json.loads(render("gitlab", make_report(findings)))]

    assert prints((base,)) == prints((moved,))
    assert len(set(prints(tuple(numbered([base, moved]))))) == 2


# -- all formats --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_masked_secret_in_every_format_and_raw_secret_in_none(fmt: str) -> None:
    report = make_report()
    text = render(fmt, report)
    assert mask(SECRET) in text
    assert SECRET not in text
    assert SECRET[2:-2] not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_newline(fmt: str) -> None:
    assert render(fmt, make_report()).endswith("\n")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", make_report())


def test_render_imports_only_the_chosen_formatter() -> None:
    code = (
        "import sys, pathlib\n"
        "from docker_standard.formatters import render\n"
        "from docker_standard.report import Report\n"
        "render('text', Report(pathlib.Path('.'), (), 0, ()))\n"
        "loaded = {m for m in sys.modules if m.startswith('docker_standard.formatters.')}\n"
        "print(sorted(loaded))\n"
    )
    hooks = str(Path(__file__).resolve().parents[1] / "hooks")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([hooks, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['docker_standard.formatters.text']"


# -- write_atomic -------------------------------------------------------------------------------


def test_write_atomic_writes_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    write_atomic(str(target), "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    write_atomic(str(target), "second ✓\n")
    assert target.read_text(encoding="utf-8") == "second ✓\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sarif"]


def test_write_atomic_leaves_old_content_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.sarif"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o604)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(str(target), "new and much longer content\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sarif"]  # no temp file left


def test_write_atomic_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.sarif"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.sarif"
    link.symlink_to(real)
    write_atomic(str(link), "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
