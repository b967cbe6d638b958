"""The command line: exit codes, formats, options, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli as run
from conftest import write_project

BAD = {"compose.yaml": "services:\n  app:\n    image: alpine\n"}  # DS306 at least


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, BAD)
    return tmp_path


def test_text_output_and_exit_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--select", "DS306")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("compose.yaml:3:12: DS306 [error] ")
    assert first.endswith("(compose-unpinned-image)")
    assert "1 error" in out.splitlines()[-1]


def test_fail_on_never_and_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--select", "DS306", "--fail-on", "never")[0] == 0
    assert run(capsys, "check", "--select", "DS306", "--fail-on", "error")[0] == 1
    assert run(capsys, "check", "--select", "DS316", "--fail-on", "info")[0] == 0


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--select", "DS306", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["version"] == 1
    assert set(data["findings"][0]) == {
        "code",
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "message",
        "fixable",
        "fingerprint",
    }
    assert data["summary"]["error"] == 1


def test_format_to_file_is_written(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--select",
        "DS306",
        "--format",
        "text",
        "--format",
        "sarif=out.sarif",
        "--format",
        "json=out.json",
    )
    assert code == 1
    assert "DS306" in out
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"
    assert json.loads((project / "out.json").read_text())["findings"]


def test_two_formats_on_stdout_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--format", "json", "--format", "text")
    assert code == 2
    assert "standard output" in err


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "xml"],
        ["check", "--fail-on", "fatal"],
        ["check", "--select", "XYZ"],
        ["check", "missing/path"],
        ["rule", "DS999"],
        ["check", "--config", "nope.yaml"],
    ],
)
def test_usage_errors_exit_two(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert "Traceback" not in out + err


def test_unknown_config_key_exits_two(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".docker-standard.yaml").write_text("selekt: [DS3]\n")
    code, _, err = run(capsys, "check")
    assert code == 2
    assert "unknown key" in err and "selekt" in err


def test_config_select_ignore_and_severity(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".docker-standard.yaml").write_text("select: [DS306]\nseverity:\n  DS306: info\n")
    code, out, _ = run(capsys, "check", "--format", "json")
    data = json.loads(out)
    assert [f["severity"] for f in data["findings"]] == ["info"]
    assert code == 0  # info is below the default --fail-on warning


def test_pyproject_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text('[tool.docker-standard]\nignore = ["DS3"]\n')
    _, out, _ = run(capsys, "check", "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if f["code"].startswith("DS3")]


def test_inline_suppression(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "compose.yaml").write_text(
        "services:\n  app:\n"
        "    image: alpine  # docker-standard: ignore=DS306 (upstream has no tags)\n"
    )
    code, out, _ = run(capsys, "check", "--select", "DS306")
    assert code == 0, out
    (project / "compose.yaml").write_text(
        "# docker-standard: ignore-file=DS306\nservices:\n  app:\n    image: alpine\n"
    )
    assert run(capsys, "check", "--select", "DS306")[0] == 0


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "DS001" in out and "parse-error" in out
    code, out, _ = run(capsys, "rule", "ds001")
    assert code == 0
    assert "## What it does" in out and "## Use instead" in out


def test_no_color_without_tty(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "docker_standard.cli", "check", "--select", "DS306"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": ""},
    )
    assert "\x1b[" not in proc.stdout
    assert proc.returncode == 1


def test_quiet_prints_findings_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--select", "DS306", "--quiet")
    assert all(": DS" in line for line in out.splitlines())


def test_hook_commands_are_subcommands_and_scripts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docker_standard import cli

    assert run(capsys, "check-compose", "compose.yaml", "--select", "DS306")[0] == 1
    assert cli.check_compose(["compose.yaml", "--select", "DS306"]) == 1
    capsys.readouterr()
    assert cli.check_dockerfiles(["compose.yaml"]) == 0
    # No .gitignore: a future .env would be committed (DS101) ...
    assert cli.check_env_gitignored([]) == 1
    assert "DS101" in capsys.readouterr().out
    # ... while the stack references no variable, so it needs no .env.example.
    assert cli.check_env_example([]) == 0


def test_variables_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_project(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  app:\n    image: app:${TAG:-1}\n    environment:\n"
                "      A: ${A:?required}\n      B: $B\n"
            )
        },
    )
    code, out, _ = run(capsys, "variables", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["version"] == 1
    [stack] = data["stacks"]
    assert stack["stack"] == "compose.yaml"
    rows = {v["name"]: v for v in stack["variables"]}
    assert rows["TAG"]["default"] == "1" and rows["TAG"]["required"] is False
    assert rows["A"]["required"] is True
    assert rows["B"]["locations"] == ["compose.yaml:6"]


def test_internal_errors_never_print_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from docker_standard import check

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("s3cr3t-value-must-not-leak")

    monkeypatch.setattr(check, "check_project", boom)
    code, out, err = run(capsys, "check", "--debug")
    assert code == 2
    assert "Traceback" not in out + err
    assert "s3cr3t" not in out + err
    assert "RuntimeError" in err


def test_help_names_the_installed_command() -> None:
    for args in (["--help"], ["check", "--help"], ["cold-start", "--help"]):
        out = subprocess.run(
            [sys.executable, "-c", f"import sys; from docker_standard.entry import main; "
             f"sys.exit(main({args!r}))"],
            capture_output=True, text=True,
        ).stdout
        assert out.startswith("Usage: docker-standard "), (args, out[:60])


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("script", [
    "import sys; from docker_standard.entry import main; sys.exit(main())",
    "import sys; from docker_standard.cli import main; sys.exit(main())",
])
def test_an_output_the_system_refuses_is_said_plainly(project: Path, script: str) -> None:
    """A full disk under the output is no bug of ours: one line with the system's reason,
    exit 2, and no 'please report it'."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-c", script, "check"], cwd=project,
                              stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("docker-standard: the system refused: No space left on device")
    assert "report" not in proc.stderr and "Traceback" not in proc.stderr


def test_other_os_errors_are_still_ours_to_report(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a machine's refusal (a full disk, an I/O error) is said as one: a file not found
    at this point is a bug of ours and asks to be reported."""
    from docker_standard import check

    def missing(*_args: object, **_kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "s3cr3t-path")

    monkeypatch.setattr(check, "check_project", missing)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert "internal error (FileNotFoundError" in err and "please report it" in err
    assert "s3cr3t" not in out + err
