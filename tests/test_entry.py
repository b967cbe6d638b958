"""The click-free entry points (docker_standard.entry) answer exactly as the click commands.

Every case runs the same arguments through both and compares the exit code, standard output
and standard error. Arguments the fast path does not read (help, version, errors) must reach
click; ordinary ones must not import it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click
import pytest
from conftest import write_project
from docker_standard import cli, entry

BAD = {
    "compose.yaml": "services:\n  app:\n    image: alpine\n",
    ".env.example": "A=1\n",
}

CASES = [
    ["check"],
    ["check", "."],
    ["check", "--select", "DS306"],
    ["check", "--select=DS306", "--fail-on", "never"],
    ["check", "compose.yaml", "--fail-on=error", "-q"],
    ["check", "--ignore", "DS3", "--ignore=DS1", "--quiet", "--no-color", "--debug"],
    ["check", "--format", "json", "--select", "DS306,DS305", "--", "compose.yaml"],
    ["check", "--format", "github", "--format", "sarif=out.sarif"],
    ["check", "--diff"],
    ["check", "--config", "missing.toml"],
    ["check", "nowhere"],
]
READ_BY_HAND = len(CASES)
CASES += [  # not read by hand: click answers
    ["check", "--help"],
    ["check", "-h"],
    ["--version"],
    ["check", "--fail-on", "fatal"],
    ["check", "--format", "xml"],
    ["check", "--format", "json", "--format", "text"],
    ["check", "--format", "json="],
    ["check", "--select"],
    ["check", "--select", "--fix"],
    ["check", "--fix=yes"],
    ["check", "--unknown"],
    ["check", "-qq"],
    ["check", ""],
    ["check", "-"],
    ["rules"],
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, BAD)
    return tmp_path


def outcome(
    run: Callable[[Sequence[str]], int], args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_main_answers_as_click(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    by_hand = args[:1] == ["check"] and entry.parse_check(args[1:]) is not None
    assert by_hand == (CASES.index(args) < READ_BY_HAND)
    fast = outcome(entry.main, args, capsys)
    slow = outcome(cli.main, args, capsys)
    assert fast == slow


HOOK_CASES = [case[1:] for case in CASES if case[:1] == ["check"]]


@pytest.mark.parametrize("args", HOOK_CASES, ids=" ".join)
def test_hooks_answer_as_click(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    for name in ("check_compose", "check_env_example"):
        fast = outcome(getattr(entry, name), args, capsys)
        slow = outcome(getattr(cli, name), args, capsys)
        assert fast == slow, name


def test_the_hand_read_options_are_the_click_options() -> None:
    """A new option of `check` must be read by hand too (or entry.parse_check sends every run
    that uses it to click, which is correct but slow): add it to entry.FLAGS/MULTIPLE/SINGLE."""
    command = cli.cli.commands["check"]
    params = [p for p in command.params if isinstance(p, click.Option)]
    declared = {opt: p.name for p in params for opt in p.opts if p.name != "help"}
    by_hand = {**entry.FLAGS, **entry.MULTIPLE, **entry.SINGLE}
    assert declared == by_hand
    multiple = {p.name for p in params if p.multiple}
    assert multiple == set(entry.MULTIPLE.values())
    flags = {p.name for p in params if p.is_flag}
    assert flags == set(entry.FLAGS.values())
    fail_on = next(p for p in params if p.name == "fail_on")
    assert isinstance(fail_on.type, click.Choice)
    assert tuple(fail_on.type.choices) == entry.FAIL_ON
    assert fail_on.default == "warning"
    for hook in ("check-compose", "check-dockerfiles", "check-env-example", "check-env-gitignored"):
        options = [p for p in cli.cli.commands[hook].params if isinstance(p, click.Option)]
        assert [p.opts for p in options] == [p.opts for p in params], hook


@pytest.mark.parametrize(
    ("args", "imports_click"),
    [(["check", "--select", "DS306"], False), (["check", "--help"], True)],
)
def test_ordinary_arguments_do_not_import_click(
    project: Path, args: list[str], imports_click: bool
) -> None:
    script = (
        "import sys\nfrom docker_standard.entry import main\n"
        "code = main(sys.argv[1:])\nprint('click' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    assert proc.stdout.splitlines()[-1] == str(imports_click)


def _as_command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``docker-standard ARGS`` as the installed script runs it (``main()`` without argv)."""
    script = "import sys; from docker_standard.entry import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "args", [["check"], ["check", "--format", "json"], ["check", "--format", "github", "-q"]],
    ids=" ".join,
)
def test_the_command_ends_with_everything_printed(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """As a command, a run leaves without the interpreter's teardown: its output must still
    be whole on a pipe (block-buffered), and its exit code the same as in-process."""
    done = _as_command(*args, cwd=project)
    assert (done.returncode, done.stdout, done.stderr) == outcome(entry.main, args, capsys)
    assert done.returncode == 1 and "DS306" in done.stdout


def test_a_closed_pipe_ends_the_command_quietly(project: Path) -> None:
    """`check | head -1`: exit 1 as click does, and no 'Exception ignored' at the exit."""
    for index in range(300):
        (project / f"s{index}").mkdir()
        (project / f"s{index}" / "compose.yaml").write_text(BAD["compose.yaml"])
    script = "import sys; from docker_standard.entry import main; sys.exit(main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "check"], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert err == b""
