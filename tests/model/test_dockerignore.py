""".dockerignore semantics of the Docker builder (moby/patternmatcher + ignorefile.ReadAll)."""

from __future__ import annotations

import pytest
from conftest import assert_linear
from docker_standard.model.dockerignore import parse_dockerignore
from hypothesis import given
from hypothesis import strategies as st


def test_reads_lines_as_docker_does() -> None:
    ignore = parse_dockerignore(
        "\ufeff# a comment\n"
        "  # not a comment: only column 1 starts one\n"
        "\n"
        "   node_modules   \n"
        "/build/\n"
        "./dist\n"
        "a/../b//c/.\n"
        "! keep.txt \n"
        "foo /\n"
        "!/secret\r\n"
    )
    assert [(p.pattern, p.exclusion, p.line) for p in ignore.patterns] == [
        ("# not a comment: only column 1 starts one", False, 2),
        ("node_modules", False, 4),
        ("build", False, 5),
        ("dist", False, 6),
        ("b/c", False, 7),
        ("keep.txt", True, 8),
        ("foo", False, 9),
        ("secret", True, 10),
    ]
    assert ignore.invalid_lines == ()


def test_lines_docker_rejects_are_set_aside() -> None:
    ignore = parse_dockerignore("ok\n!\n[\n!/\nx[]\ntrailing\\\n")
    assert [p.pattern for p in ignore.patterns] == ["ok"]
    assert ignore.invalid_lines == (2, 3, 4, 5, 6)


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"),
    [
        pytest.param("node_modules", "node_modules", True, id="exact"),
        pytest.param("node_modules", "node_modules/a/b.js", True, id="directory excludes below"),
        pytest.param("node_modules", "src/node_modules", False, id="anchored at the root"),
        pytest.param("node_modules", "node_modules_old", False, id="whole component"),
        pytest.param("*.pyc", "a.pyc", True, id="star"),
        pytest.param("*.pyc", "pkg/a.pyc", False, id="star stays in one component"),
        pytest.param("*/*.pyc", "pkg/a.pyc", True, id="star per component"),
        pytest.param("**/*.pyc", "a.pyc", True, id="double star zero dirs"),
        pytest.param("**/*.pyc", "a/b/c.pyc", True, id="double star many dirs"),
        pytest.param("**/.env", "svc/api/.env", True, id="env anywhere"),
        pytest.param("**/.env", ".env.example", False, id="env exact name"),
        pytest.param("a/**/b", "a/b", True, id="inner double star zero"),
        pytest.param("a/**/b", "a/x/y/b/c", True, id="inner double star and below"),
        pytest.param("a/**/b", "a/xb", False, id="inner double star needs a separator"),
        pytest.param("docs/**", "docs/a/b.md", True, id="trailing double star"),
        pytest.param("docs/**", "docs", False, id="trailing double star not the dir"),
        pytest.param("**", "anything/at/all", True, id="everything"),
        pytest.param("file?.txt", "file1.txt", True, id="question mark"),
        pytest.param("file?.txt", "file10.txt", False, id="question mark one char"),
        pytest.param("a?b", "a/b", False, id="question mark not a slash"),
        pytest.param("[abc].txt", "b.txt", True, id="class"),
        pytest.param("[abc].txt", "d.txt", False, id="class miss"),
        pytest.param("[^abc].txt", "d.txt", True, id="negated class"),
        pytest.param("a.b", "axb", False, id="dot is literal"),
        pytest.param("\\*.txt", "*.txt", True, id="escaped star"),
        pytest.param("\\*.txt", "a.txt", False, id="escaped star literal only"),
        pytest.param("/build/", "build/out/x", True, id="leading and trailing slash"),
        pytest.param("./dist", "dist/x", True, id="leading dot slash"),
        pytest.param(".env*\n!.env.example", ".env.local", True, id="env variants"),
        pytest.param(".env*\n!.env.example", ".env.example", False, id="exception"),
        pytest.param("*\n!src\n", "src/app.py", False, id="exception re-includes a directory"),
        pytest.param("*\n!src\n", "README.md", True, id="exception only its own path"),
        pytest.param("dir\n!dir/keep", "dir/keep", False, id="exception inside dir"),
        pytest.param("dir\n!dir/keep", "dir/other", True, id="rest of dir still out"),
        pytest.param("!keep\n*", "keep", True, id="last match wins"),
        pytest.param("*.log\n!important.log\n*.log", "important.log", True, id="re-excluded"),
        pytest.param("  # x", "# x", True, id="indented hash is a pattern"),
        pytest.param("node_modules", "./node_modules/x", True, id="path cleaned"),
        pytest.param("**", ".", False, id="context root never excluded"),
        pytest.param("**", "", False, id="empty path"),
    ],
)
def test_excluded(patterns: str, path: str, excluded: bool) -> None:
    assert parse_dockerignore(patterns).excluded(path) is excluded


def test_empty_file_excludes_nothing() -> None:
    assert parse_dockerignore("").excluded(".env") is False
    assert parse_dockerignore("").patterns == ()


def _many_patterns(pairs: int, stem: str = "dir") -> str:
    return "\n".join(f"{stem}{i}/**/*.tmp\n!{stem}{i}/keep.tmp" for i in range(pairs))


def test_large_file_is_linear() -> None:
    # 4,000 patterns, a hundred times a real file: each is compiled once, in one pass.
    ignore = parse_dockerignore(_many_patterns(2_000))
    assert len(ignore.patterns) == 4_000
    assert ignore.excluded("dir1999/a/b.tmp") is True
    assert ignore.excluded("dir1999/keep.tmp") is False

    runs = iter(range(1_000))

    def parse_and_match(pairs: int) -> None:
        stem = f"run{next(runs)}dir"  # new patterns each time: re's cache must not help
        ignore = parse_dockerignore(_many_patterns(pairs, stem))
        ignore.excluded(f"{stem}{pairs - 1}/a/b.tmp")
        ignore.excluded(f"{stem}{pairs - 1}/keep.tmp")

    assert_linear(parse_and_match, 100, 400)


@given(st.text(), st.text())
def test_never_raises(text: str, path: str) -> None:
    ignore = parse_dockerignore(text)
    assert isinstance(ignore.excluded(path), bool)
