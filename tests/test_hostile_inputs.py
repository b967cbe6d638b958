"""DS001: every file that cannot be read or parsed is a finding, quickly, never a traceback."""

from __future__ import annotations

import os
import resource
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import LintResult, assert_findings, hang_guard

GOOD = "services:\n  app:\n    image: alpine:3.20\n"


def _bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\nservices:\n  app:\n    image: alpine:3.20\n"


CASES = [
    pytest.param(
        {"compose.yaml": "services:\n  app:\n    image: a:1\n   bad: x  # expect: DS001\n"},
        id="broken YAML",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  app:\n\timage: a:1  # expect: DS001\n"}, id="tab indentation"
    ),
    pytest.param(
        {"compose.yaml": "- just  # expect: DS001\n- a list\n"}, id="compose file that is a list"
    ),
    pytest.param({"compose.yaml": "# only a comment  # expect: DS001\n"}, id="empty compose file"),
    pytest.param(
        {"compose.yaml": "services:\n  app:\n    image: a:1\n    image: b:2  # expect: DS001\n"},
        id="duplicate key",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  app:\n    environment:\n      1: x  # expect: DS001\n"},
        id="non-string key",
    ),
    pytest.param({"compose.yaml": "services: [a, b]  # expect: DS001\n"}, id="services is a list"),
    pytest.param({"compose.yaml": "services:\n  app:  # expect: DS001\n"}, id="null service"),
    pytest.param(
        {"Dockerfile": "this is not a dockerfile  # expect: DS001\n"}, id="Dockerfile without FROM"
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_parse_errors_are_findings(lint: Callable[..., LintResult], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=("DS001",)), ("DS001",))


def test_good_files_are_silent(lint: Callable[..., LintResult]) -> None:
    assert_findings(lint({"compose.yaml": GOOD}, select=("DS001",)), ("DS001",))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"services:\n  app:\n    image: \xff\xfe\x00\x01\n", "binary"),
        (b"services:\n  app:\n    image: caf\xe9:1\n", "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
    ids=["NUL bytes", "latin-1", "a PNG named compose.yaml"],
)
def test_unreadable_encodings(lint: Callable[..., LintResult], content: bytes, needle: str) -> None:
    findings, _ = lint({"compose.yaml": content}, select=("DS001",))
    assert [f.code for f in findings] == ["DS001"]
    assert needle in findings[0].message


def test_utf16_with_bom_is_read(lint: Callable[..., LintResult]) -> None:
    findings, _ = lint({"compose.yaml": GOOD.encode("utf-16")}, select=("DS001",))
    assert findings == []


def test_crlf_is_fine(lint: Callable[..., LintResult]) -> None:
    findings, _ = lint({"compose.yaml": GOOD.replace("\n", "\r\n").encode()}, select=("DS001",))
    assert findings == []


def test_alias_bomb_is_refused_without_expanding(lint: Callable[..., LintResult]) -> None:
    # Expanded, the bomb is 9**10 nodes: no machine finishes it, so a hang guard tells.
    with hang_guard():
        findings, _ = lint({"compose.yaml": _bomb()}, select=("DS001",))
    assert [f.code for f in findings] == ["DS001"]
    assert "alias" in findings[0].message


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_refused(lint: Callable[..., LintResult], shape: str) -> None:
    depth = 20_000
    if shape == "flow":
        text = "services:\n  app:\n    image: a:1\nx-deep: " + "[" * depth + "]" * depth + "\n"
    else:
        text = (
            "x-deep:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 700)) + "services: {}\n"
        )
    findings, _ = lint({"compose.yaml": text}, select=("DS001",))
    assert [f.code for f in findings] == ["DS001"]
    assert "nest" in findings[0].message


def test_oversized_file_is_skipped_with_a_finding(lint: Callable[..., LintResult]) -> None:
    big = "services:\n  app:\n    image: a:1\n" + "x-pad: '" + "x" * (6 * 1024 * 1024) + "'\n"
    findings, _ = lint({"compose.yaml": big}, select=("DS001",))
    assert [f.code for f in findings] == ["DS001"]
    assert "MiB" in findings[0].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(lint: Callable[..., LintResult], tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(GOOD)
    (tmp_path / "compose.yaml").chmod(0)
    findings, _ = lint({}, select=("DS001",))
    assert [f.code for f in findings] == ["DS001"]


def test_directory_named_like_a_compose_file(
    lint: Callable[..., LintResult], tmp_path: Path
) -> None:
    (tmp_path / "compose.yaml").mkdir()
    findings, _ = lint({"Dockerfile": "FROM alpine:3.20\n"}, select=("DS001",))
    assert [f.code for f in findings] == []  # a folder is not a file: discovery skips it


def test_fifo_named_dockerfile_does_not_hang(
    lint: Callable[..., LintResult], tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "Dockerfile")
    with hang_guard():  # opening a FIFO blocks until a writer comes: never
        findings, _ = lint({"compose.yaml": GOOD}, select=("DS001",))
    assert [(f.code, f.path) for f in findings] == [("DS001", "Dockerfile")]
    assert "regular file" in findings[0].message


def test_symlink_loop_is_not_followed(lint: Callable[..., LintResult], tmp_path: Path) -> None:
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "again").symlink_to(tmp_path / "loop")
    findings, _ = lint({"compose.yaml": GOOD}, select=("DS001",))
    assert findings == []


def test_one_broken_file_does_not_hide_the_others(lint: Callable[..., LintResult]) -> None:
    findings, _ = lint(
        {
            "a/compose.yaml": "services: [\n",
            "b/compose.yaml": "services:\n  app:\n    image: alpine\n",
        },
        select=("DS001", "DS306"),
    )
    assert sorted((f.code, f.path) for f in findings) == [
        ("DS001", "a/compose.yaml"),
        ("DS306", "b/compose.yaml"),
    ]


def test_memory_stays_bounded_on_hostile_inputs(lint: Callable[..., LintResult]) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lint(
        {"a/compose.yaml": _bomb(), "b/compose.yaml": "x: " + "[" * 20000 + "]" * 20000},
        select=("DS001",),
    )
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200 or sys.platform == "darwin"
