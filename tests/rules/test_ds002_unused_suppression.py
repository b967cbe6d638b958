"""DS002: suppression comments that suppress nothing, and their --fix."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import LintResult, assert_findings
from docker_standard.check import check_project

HEALTHY = '    healthcheck:\n      test: ["CMD", "/bin/api", "health"]\n'
NETWORK = "    networks: [backend]\n"
TAIL = "networks:\n  backend:\n"


def _compose(body: str) -> dict[str, str]:
    return {"compose.yaml": "services:\n" + body + HEALTHY + NETWORK + TAIL}


CASES = [
    pytest.param(
        _compose("  api:\n    image: a/b:1.0  # docker-standard: ignore=DS305  # expect: DS002\n"
                 "    restart: unless-stopped\n"),
        id="a code whose finding is not on its line",
    ),
    pytest.param(
        _compose("  api:  # docker-standard: ignore=DS305\n    image: a/b:1.0\n"),
        id="a code that suppresses a finding",
    ),
    pytest.param(
        _compose("  # docker-standard: ignore=DS305\n  api:\n    image: a/b:1.0\n"),
        id="a comment line covering the next line",
    ),
    pytest.param(
        {"compose.yaml": "# docker-standard: ignore-file=DS305  # expect: DS002\n"
         "services:\n  api:\n    image: a/b:1.0\n    restart: always\n"
         + HEALTHY + NETWORK + TAIL},
        id="a file-level code with nothing to suppress",
    ),
    pytest.param(
        {"compose.yaml": "# docker-standard: ignore-file=DS3\n"
         "services:\n  api:\n    image: a/b:1.0\n" + HEALTHY + NETWORK + TAIL},
        id="a prefix that suppresses a finding",
    ),
    pytest.param(
        _compose("  api:\n    image: a/b:1.0\n    restart: always\n"
                 "    user: '1000'  # docker-standard: ignore=DS360  # expect: DS002\n"),
        id="a code that matches no rule",
    ),
    pytest.param(
        _compose("  api:  # docker-standard: ignore=DS305,DS312  # expect: DS002\n"
                 "    image: a/b:1.0\n"),
        id="one of two codes unused",
    ),
    pytest.param(
        _compose("  api:  # docker-standard: ignore=DS305\n    image: a/b:1.0\n")
        | {"Dockerfile": "FROM alpine:3.20\n# docker-standard: ignore=DS201\nUSER app\n"},
        id="a Dockerfile comment whose rule is not selected is not judged",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_cases(lint: Callable[..., LintResult], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=("DS002", "DS3")), ("DS002",))


def test_only_rules_that_ran_count(lint: Callable[..., LintResult]) -> None:
    files = _compose("  api:\n    image: a/b:1.0  # docker-standard: ignore=DS305\n"
                     "    restart: always\n")
    findings, _ = lint(files, select=("DS002",))
    assert findings == []
    findings, _ = lint(files, select=("DS002", "DS3"), ignore=("DS305",))
    assert findings == []
    findings, _ = lint(files, hook="check-dockerfiles")
    assert findings == []
    findings, _ = lint(files, hook="check-compose")
    assert [f.code for f in findings] == ["DS002"]


def test_a_hook_given_one_file_does_not_judge_cross_folder_rules(
    lint: Callable[..., LintResult],
) -> None:
    files = _compose("  api:\n    image: a/b:1.0\n    restart: always\n"
                     "    container_name: api  # docker-standard: ignore=DS318\n")
    findings, _ = lint(files, select=("DS002", "DS3"), paths=("compose.yaml",))
    assert findings == []
    findings, _ = lint(files, select=("DS002", "DS3"))
    assert [(f.code, f.span.line) for f in findings] == [("DS002", 5)]


def _fix(tmp_path: Path, files: dict[str, str], *, write: bool = True) -> tuple[str, ...]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text(".env\n", encoding="utf-8")
    report = check_project([str(tmp_path)], select=("DS002", "DS3"), fix=write, diff=not write)
    return report.fixed


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "    image: a/b:1.0  # docker-standard: ignore=DS305,DS312\n    restart: always\n",
            "    image: a/b:1.0\n    restart: always\n",
            id="the whole trailing comment",
        ),
        pytest.param(
            "    image: a/b:1.0\n    restart: always  # docker-standard: ignore=DS360, DS305\n",
            "    image: a/b:1.0\n    restart: always\n",
            id="codes separated by a comma and a space",
        ),
        pytest.param(
            "    # keep me\n    # docker-standard: ignore=DS305\n    image: a/b:1.0\n"
            "    restart: always\n",
            "    # keep me\n    image: a/b:1.0\n    restart: always\n",
            id="a comment line goes, its neighbour stays",
        ),
        pytest.param(
            "    image: a/b:1.0  # docker-standard: ignore=DS312,DS306 why: pinned by CI\n"
            "    restart: always\n",
            "    image: a/b:1.0  # docker-standard: ignore=DS306 why: pinned by CI\n"
            "    restart: always\n",
            id="only the unused code of two",
        ),
    ],
)
def test_fix_removes_only_what_is_unused(tmp_path: Path, before: str, after: str) -> None:
    head = "services:\n  api:\n"
    rest = HEALTHY + NETWORK + TAIL
    if "DS306" in before:  # keep DS306 used: an unpinned image under the comment
        before = before.replace("a/b:1.0", "a/b:latest")
        after = after.replace("a/b:1.0", "a/b:latest")
    fixed = _fix(tmp_path, {"compose.yaml": head + before + rest})
    assert fixed
    assert (tmp_path / "compose.yaml").read_text(encoding="utf-8") == head + after + rest
    assert _fix(tmp_path, {}) == ()  # a second run changes nothing


def test_fix_and_restart_fix_in_one_file(tmp_path: Path) -> None:
    text = "services:\n  api:\n    image: a/b:1.0  # docker-standard: ignore=DS305\n" + (
        HEALTHY + NETWORK + TAIL
    )
    _fix(tmp_path, {"compose.yaml": text})
    assert (tmp_path / "compose.yaml").read_text(encoding="utf-8") == (
        "services:\n  api:\n    image: a/b:1.0\n    restart: unless-stopped\n"
        + HEALTHY + NETWORK + TAIL
    )


def test_a_hash_inside_a_block_scalar_is_not_edited(tmp_path: Path) -> None:
    text = (
        "services:\n  api:\n    image: a/b:1.0\n    restart: always\n"
        "    command: |\n      run # docker-standard: ignore=DS305\n" + HEALTHY + NETWORK + TAIL
    )
    _fix(tmp_path, {"compose.yaml": text})
    assert (tmp_path / "compose.yaml").read_text(encoding="utf-8") == text


def test_a_dockerfile_instruction_is_never_edited(lint: Callable[..., LintResult]) -> None:
    files = {"Dockerfile": "FROM alpine:3.20\nUSER app  # docker-standard: ignore=DS201\n"}
    findings, _ = lint(files, select=("DS002", "DS2"))
    unused = [f for f in findings if f.code == "DS002"]
    assert len(unused) == 1 and not unused[0].fixable
