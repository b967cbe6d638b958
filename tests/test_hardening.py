"""Hostile repositories: huge, binary, looping, mis-typed files. Bounded time and memory, every
problem a DS001 finding (or a clean exit 2), never a traceback, and the rest still checked.

Nothing here times itself against the clock, which a loaded machine would make flake: a claim of
speed is a bound on work (the files read, Python steps at two sizes: ``assert_linear``), memory
is the peak RSS of a child process, and a possible hang runs under a generous timeout. The
figures in seconds live in benchmarks/bench.py.

tests/test_hostile_inputs.py covers the first layer (broken YAML, alias bombs, nesting, a 6 MiB
compose file, a FIFO Dockerfile, a folder loop, a folder named compose.yaml); this module covers
what it does not. The limits asserted here are documented in docs/limits.md.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import LintResult, assert_linear, git, hang_guard, write_project
from docker_standard.check import check_project
from docker_standard.cli import main
from docker_standard.config import Settings
from docker_standard.findings import Finding
from docker_standard.model.loading import load_project
from docker_standard.model.project import MAX_FILE_BYTES, Project

GOOD = "services:\n  app:\n    image: alpine:3.20\n"
UNPINNED = "services:\n  app:\n    image: alpine\n"  # DS306: proves a stack was still checked
MB = 1024 * 1024

# A child process that reports its own peak RSS: memory is only measurable per process, and
# the test process has already grown.
_MEASURED = textwrap.dedent(
    """
    import resource, sys
    from docker_standard.cli import main
    code = main(sys.argv[1:])
    # VmHWM belongs to this process image; ru_maxrss can carry the forking parent's size.
    try:
        status = open("/proc/self/status").read()
        peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stderr.write(f"\\n@@measure {peak:.1f}\\n")
    sys.exit(code)
    """
)


def measured(root: Path, *args: str, timeout: float = 300) -> tuple[int, str, float]:
    """Run the CLI in a fresh process: (exit code, stdout, peak MiB). ``timeout`` detects a
    hang; it is no speed claim, so it stays far above an honest run on a loaded machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURED, *args],
            cwd=root, capture_output=True, text=True, timeout=timeout, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"docker-standard {' '.join(args)} still ran after {timeout} s: hung")
    tail = proc.stderr.rsplit("@@measure ", 1)
    assert len(tail) == 2, proc.stderr
    peak = float(tail[1])
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, peak


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert "internal error" not in err.getvalue(), err.getvalue()
    assert "Traceback" not in err.getvalue() + out.getvalue()
    return code, out.getvalue(), err.getvalue()


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in findings)


def load(root: Path) -> Project:
    return load_project(root, Settings(), is_repo=False)


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize(
    "name", ["compose.yaml", "Dockerfile", ".env.example", ".env", "compose.override.yaml"]
)
def test_a_50_mb_file_is_refused_and_the_rest_is_checked(tmp_path: Path, name: str) -> None:
    """MAX_FILE_BYTES refuses it by its size, before reading a byte: bounded time and memory."""
    write_project(tmp_path, {"b/compose.yaml": UNPINNED}, use_git=False)
    big = tmp_path / "a" / name
    big.parent.mkdir()
    if name != "compose.yaml":
        (tmp_path / "a" / "compose.yaml").write_text(GOOD)
    with big.open("wb") as handle:  # sparse: 50 MiB on paper, nothing on disk
        handle.truncate(50 * MB)
    code, out, peak = measured(tmp_path, "check", "--select", "DS001,DS306", "-q")
    assert code == 1
    assert f"a/{name}:1:1: DS001" in out and "50.0 MiB" in out
    assert "b/compose.yaml:3:12: DS306" in out
    assert peak < 150, peak
    readable = 1 if name == "compose.yaml" else 2
    assert check_project([str(tmp_path)], select=("DS001", "DS306")).files == readable


def test_a_real_50_mb_compose_file_costs_nothing_to_skip(tmp_path: Path) -> None:
    line = b"  - " + b"x" * 60 + b"\n"
    with (tmp_path / "compose.yaml").open("wb") as handle:
        handle.write(b"services:\n  app:\n    image: a:1\nx-pad:\n")
        handle.write(line * (50 * MB // len(line)))
    write_project(tmp_path, {"b/compose.yaml": UNPINNED}, use_git=False)
    _code, out, peak = measured(tmp_path, "check", "--select", "DS001,DS306", "-q")
    assert "compose.yaml:1:1: DS001" in out and "b/compose.yaml:3:12: DS306" in out
    assert peak < 150, peak
    assert check_project([str(tmp_path)], select=("DS001", "DS306")).files == 1  # only b/


_SERVICE = "  s{0}:\n    image: a:1\n    environment:\n      A: ${{X{0}:-d}}\n"


def test_the_largest_accepted_compose_file_is_checked_in_bounded_memory(tmp_path: Path) -> None:
    """Just under MAX_FILE_BYTES of real services: parsed and checked, not refused. (Its time is
    a benchmark figure: benchmarks/bench.py, "hostile inputs".)"""
    block = _SERVICE
    parts, size, index = ["services:\n"], 10, 0
    while size < MAX_FILE_BYTES * 0.95:
        parts.append(block.format(index))
        size += len(parts[-1])
        index += 1
    (tmp_path / "compose.yaml").write_text("".join(parts))
    _code, out, peak = measured(tmp_path, "check", "--select", "DS001", "-q")
    assert "DS001" not in out
    assert peak < 600, peak


def test_every_rule_is_linear_in_the_services_of_one_file(tmp_path: Path) -> None:
    """Each service here has findings, and each finding names its service: that lookup used to
    scan every service of the file."""

    def check(count: int) -> None:
        _checked(tmp_path, "compose.yaml",
                 "services:\n" + "".join(_SERVICE.format(i) for i in range(count)), ())

    assert_linear(check, 150, 600)


# --------------------------------------------------------------------------- .gitignore


def _huge_gitignore(covers_env: bool) -> str:
    # Short patterns, so that 100,000 of them stay under MAX_FILE_BYTES and are really read.
    lines = [f"b{i}*.o" if i % 3 else f"/c{i}/" for i in range(100_000)]
    if covers_env:
        lines.append(".env")
    text = "\n".join(lines) + "\n"
    assert len(text) < MAX_FILE_BYTES
    return text


@pytest.mark.parametrize("covers_env", [True, False], ids=["ignores .env", "does not"])
def test_a_gitignore_with_100000_patterns_outside_git(
    lint: Callable[..., LintResult], covers_env: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pathspec compiles ~10,000 patterns a second; only the candidates that could match a
    queried path are compiled (model/git.py), a handful here instead of 100,000."""
    from docker_standard.model import git as git_model

    compiled: list[int] = []
    compile_gitignore = git_model.compile_gitignore

    def counting(lines: list[str]) -> object:
        compiled.append(len(lines))
        return compile_gitignore(lines)

    monkeypatch.setattr(git_model, "compile_gitignore", counting)
    files = {".gitignore": _huge_gitignore(covers_env), ".env": "A=1\n"}
    for index in range(20):
        files[f"s{index}/compose.yaml"] = GOOD
        files[f"s{index}/.env"] = "A=1\n"
    findings, _ = lint(files, select=("DS101",), use_git=False)
    assert len(findings) == (0 if covers_env else 20)  # one per compose folder
    assert sum(compiled) < 100, compiled


def test_invalid_gitignore_lines_are_skipped_like_git_does(
    lint: Callable[..., LintResult],
) -> None:
    """A lone '!', a trailing backslash or a reversed range made pathspec raise and the run die
    (found by fuzzing); git ignores such lines, and so do we."""
    gitignore = "!\nfoo\\\n[z-a]\n.env\n"
    findings, _ = lint({".gitignore": gitignore, "compose.yaml": GOOD, ".env": "A=1\n"},
                       select=("DS1",), use_git=False)
    assert [f for f in findings if f.code == "DS101"] == []


# --------------------------------------------------------------------------- many stacks


def _stacks(root: Path, count: int, *, build: bool = False) -> None:
    (root / ".gitignore").write_text(".env\n")
    source = "build: ." if build else "image: alpine:3.20"
    for index in range(count):
        folder = root / f"s{index:05d}"
        folder.mkdir()
        (folder / "compose.yaml").write_text(
            f"services:\n  app{index}:\n    {source}\n    restart: unless-stopped\n"
        )
        if build:
            (folder / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1000\n")


def test_stacks_are_checked_in_linear_work(tmp_path: Path) -> None:
    """Stacks indexed by folder and services by Dockerfile: before, rules scanned every stack for
    each stack (16 s here for compose-only stacks, > 15 min for full ones at 10,000). The
    10,000-stack time is a benchmark figure (benchmarks/bench.py)."""

    def check(count: int) -> None:
        root = tmp_path / str(count)
        if not root.exists():
            root.mkdir()
            _stacks(root, count, build=True)
        check_project([str(root)])

    assert_linear(check, 150, 600)


@pytest.mark.slow
def test_10000_stacks_in_bounded_memory(tmp_path: Path) -> None:
    _stacks(tmp_path, 10_000)
    _code, _out, peak = measured(tmp_path, "check", "-q")
    assert peak < 1000, peak


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_files_with_a_bom_are_read(tmp_path: Path, encoding: str) -> None:
    def encode(text: str) -> bytes:
        bom = b"\xff\xfe" if encoding == "utf-16" else b"\xfe\xff"
        return text.encode(encoding) if encoding == "utf-16" else bom + text.encode(encoding)

    write_project(tmp_path, {
        "compose.yaml": encode("services:\n  app:\n    build: .\n"),
        "Dockerfile": encode("FROM alpine:3.20\nUSER 1000\n"),
        ".env.example": encode("# the token\nTOKEN=changeme\n"),
        ".dockerignore": encode(".env\n"),
        ".gitignore": encode(".env\n"),
    }, use_git=False)
    project = load(tmp_path)
    assert project.errors == []
    assert project.dockerfiles["Dockerfile"].final_stage is not None
    assert project.dockerfiles["Dockerfile"].final_stage.user == "1000"
    assert project.env_files[".env.example"].parsed.as_dict() == {"TOKEN": "changeme"}
    assert project.git.is_ignored(".env")


def test_utf16_without_a_bom_is_binary(tmp_path: Path) -> None:
    write_project(tmp_path, {"Dockerfile": "FROM alpine:3.20\n".encode("utf-16-le"),
                             "b/compose.yaml": UNPINNED}, use_git=False)
    findings = check_project([str(tmp_path)], select=("DS001", "DS306")).findings
    assert codes(list(findings)) == [("DS001", "Dockerfile"), ("DS306", "b/compose.yaml")]
    assert "binary" in findings[0].message


def test_crlf_env_files_and_dockerfiles_read_like_lf(tmp_path: Path) -> None:
    dockerfile = (
        "FROM alpine:3.20 AS build\nRUN apk add gcc \\\n    make\nRUN <<EOF\nset -e\necho hi\nEOF\n"
        "FROM alpine:3.20\nCOPY --from=build /x /x\nUSER 1000\nHEALTHCHECK CMD true\n"
    )
    env = '# db\nDB_PASSWORD=changeme\nQUOTED="a b"\nexport SINGLE=\'c\'\nEMPTY=\n'
    for folder, newline in (("lf", "\n"), ("crlf", "\r\n")):
        write_project(tmp_path / folder, {
            "Dockerfile": dockerfile.replace("\n", newline).encode(),
            ".env.example": env.replace("\n", newline).encode(),
        }, use_git=False)
    lf, crlf = load(tmp_path / "lf"), load(tmp_path / "crlf")
    assert crlf.errors == []
    assert (crlf.env_files[".env.example"].parsed.as_dict()
            == lf.env_files[".env.example"].parsed.as_dict()
            == {"DB_PASSWORD": "changeme", "QUOTED": "a b", "SINGLE": "c", "EMPTY": ""})

    def shape(project: Project) -> list[tuple[str, tuple[str, ...], int]]:
        parsed = project.dockerfiles["Dockerfile"]
        return [(i.keyword, tuple(a.strip() for a in i.args), i.line) for i in parsed.instructions]

    assert shape(crlf) == shape(lf)
    heredocs = [h.body for i in crlf.dockerfiles["Dockerfile"].instructions for h in i.heredocs]
    assert heredocs == ["set -e\necho hi\n"]


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "outside git"])
def test_crlf_gitignore_ignores_like_git(lint: Callable[..., LintResult], use_git: bool) -> None:
    """git drops the CR of a CRLF .gitignore line; so does the outside-git matcher."""
    findings, _ = lint({".gitignore": b".env\r\n.env.*\r\n", "compose.yaml": GOOD,
                        ".env": "A=1\n"}, select=("DS101",), use_git=use_git)
    assert findings == []


@pytest.mark.parametrize("name", [".env", ".env.example", "Dockerfile", "app/Dockerfile"])
def test_nul_bytes_are_a_parse_error_with_a_line(tmp_path: Path, name: str) -> None:
    content = b"A=1\nB=2\x00x\n" if ".env" in name else b"FROM alpine:3.20\nRUN a\x00b\n"
    write_project(tmp_path, {name: content, "compose.yaml": GOOD, "b/compose.yaml": UNPINNED},
                  use_git=False)
    report = check_project([str(tmp_path)], select=("DS001", "DS306"))
    assert codes(list(report.findings)) == [("DS001", name), ("DS306", "b/compose.yaml")]
    nul = next(f for f in report.findings if f.code == "DS001")
    assert nul.span.line == 2 and "NUL" in nul.message


# --------------------------------------------------------------------------- not regular files


def test_a_symlink_loop_named_compose_yaml(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").symlink_to("compose.yaml")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "compose.yaml").write_text(UNPINNED)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "compose.yaml").symlink_to("other.yaml")
    (tmp_path / "c" / "other.yaml").symlink_to("compose.yaml")
    with hang_guard():
        report = check_project([str(tmp_path)], select=("DS001", "DS306"))
    assert codes(list(report.findings)) == [
        ("DS001", "c/compose.yaml"), ("DS001", "compose.yaml"), ("DS306", "b/compose.yaml")
    ]
    assert report.files == 1  # b/compose.yaml: no link in a loop was read
    assert all("symbolic links" in f.message for f in report.findings if f.code == "DS001")


@pytest.mark.parametrize(
    ("name", "device"),
    [
        ("compose.yaml", "/dev/zero"),
        ("compose.override.yaml", "/dev/zero"),
        ("Dockerfile", "/dev/zero"),
        (".env.example", "/dev/urandom"),
        (".env", "/dev/zero"),
        (".gitignore", "/dev/zero"),
    ],
)
def test_a_symlink_to_a_device_is_not_read(tmp_path: Path, name: str, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is not available")
    if name != "compose.yaml":
        (tmp_path / "compose.yaml").write_text(GOOD)
    (tmp_path / name).symlink_to(device)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "compose.yaml").write_text(UNPINNED)
    with hang_guard():
        report = check_project([str(tmp_path)], select=("DS001", "DS306"))
    assert report.files == (1 if name == "compose.yaml" else 2)  # the device is never read
    assert ("DS001", name) in codes(list(report.findings))
    assert ("DS306", "b/compose.yaml") in codes(list(report.findings))
    assert "not a regular file" in next(f.message for f in report.findings if f.path == name)


@pytest.mark.parametrize("name", [".env.example", ".env", ".gitignore", ".dockerignore"])
def test_a_fifo_never_blocks_the_run(tmp_path: Path, name: str) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1000\n")
    os.mkfifo(tmp_path / name)
    code, _out, _peak = measured(tmp_path, "check", "-q", timeout=120)  # opening it would block
    assert code in (0, 1)


def test_a_folder_in_place_of_each_kind_of_file(tmp_path: Path) -> None:
    """Every file the model reads or follows, replaced by a folder: findings, never a crash."""
    (tmp_path / "compose.yaml").write_text(textwrap.dedent("""\
        include:
          - inc.yaml
        services:
          app:
            build:
              context: .
              dockerfile: Dockerfile.dev
            env_file: app.env
            image: a:1
          b:
            extends:
              file: base.yaml
              service: x
        """))
    folders = ["inc.yaml", "Dockerfile.dev", "app.env", "base.yaml", ".env", ".env.example",
               ".gitignore", ".dockerignore", "Dockerfile.dev.dockerignore",
               "compose.override.yaml", "Dockerfile", ".docker-standard.yaml", "pyproject.toml"]
    for name in folders:
        (tmp_path / name).mkdir()
    for use_git in (False, True):
        if use_git:
            git(tmp_path, "init", "-q")
        code, out, _err = cli("check", str(tmp_path), "--format", "json")
        assert code == 1
        assert '"path": "inc.yaml"' in out and '"path": "base.yaml"' in out


def test_unreadable_folders_are_skipped(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any folder")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "compose.yaml").write_text(GOOD)
    (tmp_path / "locked").chmod(0)
    try:
        code, _out, _err = cli("check", str(tmp_path), "-q")
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert code in (0, 1)


# --------------------------------------------------------------------------- pathological text


def _checked(root: Path, name: str, text: str, select: tuple[str, ...]) -> list[Finding]:
    (root / name).write_text(text)
    return list(check_project([str(root)], select=select).findings)


def _dollar_braces(count: int) -> str:
    return f"services:\n  app:\n    image: a:1\n    environment:\n      A: '{'${' * count}'\n"


def test_a_value_made_of_200000_dollar_braces(tmp_path: Path) -> None:
    """Each reference used to count the newlines before it: quadratic, 22 s here. (That count
    ran in C, one Python step whatever its length: the benchmark's "hostile inputs" times it.)"""
    assert len(_dollar_braces(200_000)) < MAX_FILE_BYTES
    assert _checked(tmp_path, "compose.yaml", _dollar_braces(200_000), ("DS001", "DS1", "DS3"))
    assert_linear(lambda n: _checked(tmp_path, "compose.yaml", _dollar_braces(n),
                                     ("DS001", "DS1", "DS3")), 2_500, 10_000)


def _continuations(count: int) -> str:
    return "FROM a:1\nRUN true" + " \\\n  && true" * count + "\n"


def test_a_dockerfile_of_80000_continuation_lines(tmp_path: Path) -> None:
    assert len(_continuations(80_000)) < MAX_FILE_BYTES
    findings = _checked(tmp_path, "Dockerfile", _continuations(80_000), ("DS",))
    assert not [f for f in findings if f.code == "DS001"]
    assert_linear(lambda n: _checked(tmp_path, "Dockerfile", _continuations(n), ("DS",)),
                  1_000, 4_000)


def test_a_dockerfile_with_many_stages_scales_linearly(tmp_path: Path) -> None:
    """FROM <stage> used to look the stage up by scanning every earlier stage."""

    def stages(count: int) -> str:
        return "FROM a:1 AS s0\n" + "".join(f"FROM s{i - 1} AS s{i}\n" for i in range(1, count))

    assert_linear(lambda n: _checked(tmp_path, "Dockerfile", stages(n), ("DS001",)),
                  500, 2_000)


def _env_template(count: int) -> str:
    return "".join(f"# v\nV{i}=value{i}\n" for i in range(count))


def test_an_env_template_with_40000_variables(tmp_path: Path) -> None:
    assert len(_env_template(40_000)) < MAX_FILE_BYTES
    (tmp_path / "compose.yaml").write_text(GOOD)
    findings = _checked(tmp_path, ".env.example", _env_template(40_000), ("DS001", "DS1"))
    assert not [f for f in findings if f.code == "DS001"]
    assert_linear(lambda n: _checked(tmp_path, ".env.example", _env_template(n), ("DS001", "DS1")),
                  1_000, 4_000)


def test_a_non_utf8_folder_name_in_every_format(tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"bad\xffname")
    os.mkdir(folder)
    with open(os.path.join(folder, b"compose.yaml"), "wb") as handle:
        handle.write(UNPINNED.encode())
    for fmt in ("text", "json", "github", "gitlab", "sarif"):
        code, _out, _err = cli("check", str(tmp_path), "--select", "DS306", "--format", fmt)
        assert code == 1, fmt


def test_odd_but_valid_folder_names_in_every_format(tmp_path: Path) -> None:
    for name in ("new\nline", "tab\there", "sp ace", "ünï", "semi;colon", "%41"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "compose.yaml").write_text(UNPINNED)
    for fmt in ("text", "json", "sarif", "github", "gitlab"):
        code, out, _err = cli("check", str(tmp_path), "--select", "DS306", "--format", fmt)
        assert code == 1 and out, fmt


@pytest.mark.parametrize(("aliases", "refused"), [(1_500, False), (2_100, True)])
def test_alias_expansion_is_counted_exactly(tmp_path: Path, aliases: int, refused: bool) -> None:
    """MAX_EXPANDED_NODES counts each node once, aliases as copies of their anchor: an anchor
    of 1,000 nodes used 2,100 times is over the 2,000,000 limit, 1,500 times is not. (Nested
    nodes used to be counted once per ancestor, refusing big real files as alias bombs.)"""
    items = ", ".join(["x"] * 999)
    refs = ", ".join(["*a"] * aliases)
    (tmp_path / "compose.yaml").write_text(
        f"x-a: &a [{items}]\nx-refs: [{refs}]\n{GOOD}"
    )
    report = check_project([str(tmp_path)], select=("DS001",))
    assert bool(report.findings) is refused
    if refused:
        assert "2,000,000" in report.findings[0].message


@pytest.mark.parametrize(
    "pattern", ["a***b", "x/****", "docs/**/*.md", "\\***", "foo**", "*.py"]
)
def test_collapsing_star_runs_keeps_gitignore_meaning(pattern: str) -> None:
    """Runs of '*' are shortened before pathspec compiles them (a long run backtracks for
    seconds: tests/regressions/ignore/slow-unit-pathspec-star-run.bin); the verdicts stay."""
    import pathspec
    from docker_standard.model.git import compile_gitignore

    paths = ["ab", "aXYb", "a/b", "x", "q/x", "x/y/z", "docs/a/b.md", "*", "*x", "foo", "foobar",
             "m.py", "d/m.py"]
    original = pathspec.GitIgnoreSpec.from_lines([pattern])
    collapsed = compile_gitignore([pattern])
    assert [collapsed.match_file(p) for p in paths] == [original.match_file(p) for p in paths]


def test_a_whole_component_of_stars_is_double_star_as_in_git() -> None:
    """git check-ignore: '***/x' ignores x, q/x and a/b/x (wildmatch folds the run into '**');
    pathspec alone would not match 'x'."""
    from docker_standard.model.git import compile_gitignore

    spec = compile_gitignore(["***/x"])
    assert all(spec.match_file(p) for p in ("x", "q/x", "a/b/x"))
