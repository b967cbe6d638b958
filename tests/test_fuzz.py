"""Property tests and a bounded atheris pass: no input makes docker-standard fall over.

Every parser and ``check`` end to end get two kinds of input: text generated from each
format's own tokens (always run) and real files from ../shared mutated the way editors and
attackers break them (byte flips, truncations, duplicated lines, inserted ``${``, ``&a``/``*a``,
tabs, NULs, BOMs; skipped without ../shared). The invariants live in fuzz/fuzz_targets.py, shared
with the atheris harnesses and the regression replays, so a property has one definition.

Budget: the hypothesis part stays under ~45 s on a 2-core runner; the atheris part runs every
harness at once for ``DS_FUZZ_SECONDS`` (default 10); it fails without atheris where the test
extra installs it (CPython 3.11, Linux x86_64) and is skipped elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SHARED, write_project
from docker_standard.cli import main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
FUZZ = REPO / "fuzz"
sys.path.insert(0, str(FUZZ))

import fuzz_seeds  # noqa: E402
import fuzz_targets  # noqa: E402

HAVE_SHARED = (SHARED / "corpus").is_dir()
needs_shared = pytest.mark.skipif(
    not HAVE_SHARED, reason=f"../shared is not present ({SHARED}): corpus mutations need it"
)

# One budget for every property: deadline off (first calls import modules), no shrinking
# marathons in CI, and no health-check complaints about slow end-to-end examples.
FAST = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# --------------------------------------------------------------------------- strategies

#: What breaks YAML, env files, Dockerfiles and interpolation in practice.
HOSTILE = [
    b"${", b"}", b"${A:-", b"${A:?", b"$$", b"&a ", b"*a", b"<<: *a\n", b"\t", b"\0", b"\r\n",
    b"\r", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xe9", b"\xe2\x80\xa8", b"!reset ",
    b"!override ", b"!!binary ", b"\\", b'"', b"'", b"\n  ", b"\n    - ", b": ", b"{", b"[",
    b"]", b"#", b"<<EOF\n", b"\n---\n", b"\n...\n", b"? ", b"|\n", b">-\n", b"%YAML 1.1\n",
]


@st.composite
def mutated(draw: st.DrawFn, pool: list[bytes]) -> bytes:
    """A file from ``pool`` after one to six edits."""
    data = bytearray(draw(st.sampled_from(pool)))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["flip", "cut", "dup", "insert", "delete", "splice"]))
        if edit == "flip" and where < len(data):
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif edit == "cut":
            del data[where:]
        elif edit == "dup":
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        elif edit == "insert":
            data[where:where] = draw(st.sampled_from(HOSTILE))
        elif edit == "delete":
            del data[where : where + draw(st.integers(1, 16))]
        elif data:
            start = draw(st.integers(0, len(data) - 1))
            data[where:where] = data[start : start + draw(st.integers(1, 64))]
    return bytes(data)


def tokens(*pieces: str) -> st.SearchStrategy[bytes]:
    """Text made of a format's own tokens: far likelier to reach deep states than random
    characters."""
    alphabet = st.sampled_from([p.encode() for p in pieces] + HOSTILE)
    return st.lists(alphabet, max_size=60).map(b"".join)


YAML_TOKENS = tokens(
    "services:", "\n", "  ", "    ", "- ", ": ", "app", "image", "a:1", "&a ", "*a", "<<: ",
    "<<: [*a, *b]", "&b ", "{", "}", "[", "]", ", ", "environment", "depends_on", "build",
    "extends", "include", "x-a", "'", '"', "!reset", "!override", "!!str ", "!!int ", "${A}",
    "${A:-b}", "#", "---", "...", "|", ">", "?", "1", "0o7", "1e3", ".inf", "null", "~", "yes",
)
DOTENV_TOKENS = tokens(
    "A", "B_1", "=", ":", "export ", "'", '"', "\\", "\\n", "\n", " ", "#", " #", "${A}",
    "${B:-d}", "$", "é", "\u2028", "\x1c", "\v", "\\0101", "\\$", "KEY =", "=value",
)
DOCKERFILE_TOKENS = tokens(
    "FROM ", "a:1", "${BASE}", " AS b", "\n", "\\\n", "RUN ", "<<EOF", "<<-'EOF'", "EOF",
    "ARG ", "BASE=a:1", "ENV ", "A=1", "=", "${A:-x}", "${A:+y}", "${A#p}", "${A%%p}",
    "${A/x/y}", "USER ", "root", "0:0", "COPY ", "--from=b ", "--chown=1 ", ". .", "HEALTHCHECK ",
    "NONE", "CMD ", '["a", "b"]', "[", "]", '"', "# escape=`\n", "`", "# syntax=x\n",
    "# check=skip=all\n", " ", "\t", "ONBUILD ", "SHELL ", "$", "{", "}",
)
INTERPOLATION_TOKENS = tokens(
    "$", "{", "}", "A", "_b", "1", ":", "-", "+", "?", ":-", ":?", ":+", "$$", "\n", " ", "ſ",
    "K",
)
PATTERN_TOKENS = tokens(
    "*", "**", "/", "!", "\\", "[", "]", "[!", "a", "-", "z", ".env", ".", "..", "#", " ", "?",
    "\n", "sub", "x",
)
PATHS = st.lists(
    st.sampled_from(["a", "b", ".env", ".env.local", ".env.example", "sub", "x.py", "z", "!", "#"]),
    min_size=1,
    max_size=4,
).map("/".join)


def _pool(target: str) -> list[bytes]:
    return fuzz_seeds.seeds(target, limit=150)


POOLS = {target: _pool(target) for target in fuzz_targets.TARGETS}

# --------------------------------------------------------------------------- parsers

GENERATED = {
    "yaml": YAML_TOKENS,
    "dotenv": DOTENV_TOKENS,
    "dockerfile": DOCKERFILE_TOKENS,
    "interpolation": INTERPOLATION_TOKENS,
}


@pytest.mark.parametrize("target", sorted(GENERATED))
def test_parser_survives_generated_text(target: str) -> None:
    run = fuzz_targets.TARGETS[target]

    @FAST
    @given(GENERATED[target])
    def prop(data: bytes) -> None:
        run(data)

    prop()


@needs_shared
@pytest.mark.parametrize("target", sorted(GENERATED))
def test_parser_survives_mutated_corpus(target: str) -> None:
    run = fuzz_targets.TARGETS[target]

    @FAST
    @given(mutated(POOLS[target]))
    def prop(data: bytes) -> None:
        run(data)

    prop()


@FAST
@given(PATTERN_TOKENS, st.lists(PATHS, min_size=1, max_size=8))
def test_ignore_matchers_survive_any_pattern(patterns: bytes, paths: list[str]) -> None:
    """.dockerignore and the outside-git .gitignore matcher: never raise, and the matcher's
    candidate filter (which keeps 100,000-line files fast) never changes pathspec's verdict."""
    fuzz_targets.ignore_target(patterns + b"\0" + "\n".join(paths).encode())


@needs_shared
@FAST
@given(mutated(POOLS["ignore"]))
def test_ignore_matchers_survive_mutated_corpus(data: bytes) -> None:
    fuzz_targets.ignore_target(data)


# --------------------------------------------------------------------------- end to end

PROJECT_FILES = st.fixed_dictionaries(
    {
        "compose": YAML_TOKENS,
        "dockerfile": DOCKERFILE_TOKENS,
        "example": DOTENV_TOKENS,
        "dotenv": DOTENV_TOKENS,
        "dockerignore": PATTERN_TOKENS,
        "gitignore": PATTERN_TOKENS,
    }
)


def _sections(files: dict[str, bytes]) -> bytes:
    order = ("compose", "dockerfile", "example", "dotenv", "dockerignore", "gitignore")
    return fuzz_targets.SEPARATOR.join(files[name] for name in order)


@SLOW
@given(PROJECT_FILES)
def test_check_survives_generated_projects(files: dict[str, bytes]) -> None:
    """``check`` (plain, --diff, --fix by the input's length) never raises, every format
    renders, and nothing is written without --fix."""
    fuzz_targets.check_target(_sections(files))


@needs_shared
@SLOW
@given(mutated(POOLS["check"]))
def test_check_survives_mutated_corpus_projects(data: bytes) -> None:
    fuzz_targets.check_target(data)


@needs_shared
def test_check_survives_every_corpus_file_unmutated() -> None:
    """The whole real corpus in one run, as a repository of many stacks: no exception."""
    from docker_standard.check import check_project
    from docker_standard.formatters import FORMATS, render

    report = check_project([str(SHARED / "corpus")], select=("DS",))
    for fmt in FORMATS:
        render(fmt, report)
    assert report.files > 500


@SLOW
@given(PROJECT_FILES, st.sampled_from(["text", "json", "sarif", "github", "gitlab"]))
def test_cli_exits_cleanly_on_generated_projects(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes], fmt: str
) -> None:
    """Through the CLI: exit 0 or 1, or 2 with a message that is not an internal error."""
    root = tmp_path_factory.mktemp("cli")
    fuzz_targets.write_sections(_sections(files), root)
    code = _main_quietly(["check", str(root), "--format", fmt, "--select", "DS"])
    assert code in (0, 1, 2)


def _main_quietly(args: list[str]) -> int:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert "internal error" not in err.getvalue(), err.getvalue()
    assert "Traceback" not in err.getvalue() + out.getvalue()
    return code


def test_cli_reports_bad_settings_patterns_as_usage_errors(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns pathspec rejects (found by fuzzing) are configuration errors: exit 2."""
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, {"compose.yaml": "services:\n  app:\n    image: a:1\n"})
    for config in ('exclude: ["!"]\n', "exclude: ['[z-a]']\n",
                   "per-file-ignores:\n  'a\\': [DS301]\n"):
        (tmp_path / ".docker-standard.yaml").write_text(config)
        assert _main_quietly(["check", "-q"]) == 2


# --------------------------------------------------------------------------- atheris

FUZZ_SECONDS = int(os.environ.get("DS_FUZZ_SECONDS", "10"))


def _have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _atheris_marker() -> Marker | None:
    """The environment marker under which the test extra installs atheris (pyproject.toml)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: tomli is a dependency there
        import tomli as tomllib
    extra = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [Requirement(r) for r in extra["project"]["optional-dependencies"]["test"]]
    atheris = next(r for r in requirements if r.name == "atheris")
    return atheris.marker


@pytest.fixture(scope="module")
def atheris_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], tuple]]:
    """Start every harness at once (they are time-boxed), then hand out results by target."""
    if not _have_atheris():
        marker = _atheris_marker()
        if marker is None or marker.evaluate():
            pytest.fail("atheris is not installed; the test extra installs it here: "
                        "pip install -e '.[test]'", pytrace=False)
        pytest.skip(f"atheris is not installed: the test extra installs it only where {marker}")
    base = tmp_path_factory.mktemp("atheris")
    procs = {}
    for target in fuzz_targets.TARGETS:
        corpus = base / target
        fuzz_seeds.write_seeds(target, corpus, limit=60)
        artifacts = base / f"artifacts-{target}"
        artifacts.mkdir()
        command = [
            sys.executable, str(FUZZ / "fuzz.py"), target,
            f"-max_total_time={FUZZ_SECONDS}", "-timeout=20", "-rss_limit_mb=2048",
            f"-artifact_prefix={artifacts}/", "-print_final_stats=1", str(corpus),
        ]
        procs[target] = (
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=REPO),
            artifacts,
        )

    def result(target: str) -> tuple[int, str, list[Path]]:
        proc, artifacts = procs[target]
        output, _ = proc.communicate(timeout=FUZZ_SECONDS * 6 + 120)
        return proc.returncode, output.decode("utf-8", "replace"), sorted(artifacts.iterdir())

    yield result
    for proc, _ in procs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("target", sorted(fuzz_targets.TARGETS))
def test_atheris_finds_nothing(target: str, atheris_runs: Callable[[str], tuple]) -> None:
    code, output, artifacts = atheris_runs(target)
    tail = "\n".join(output.splitlines()[-40:])
    assert code == 0 and not artifacts, (
        f"atheris found a failing input for {target!r}: {[str(a) for a in artifacts]}\n"
        f"Copy it to tests/regressions/{target}/ (see fuzz/README.md), fix, re-run.\n{tail}"
    )
    assert "Done" in output, tail
