"""Without --fix nothing is written: not a file, not a mode, not an mtime, not git's index.

Every command runs over a repository whose working tree is dirty and whose index is stale
(the state in which a plain `git status` would rewrite .git/index), and the whole tree,
.git included, must be byte-for-byte, mode-for-mode and mtime-for-mtime the same afterwards.
model/git.py runs git with GIT_OPTIONAL_LOCKS=0 so that git does not refresh the index either.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import write_project
from docker_standard.cli import main

FILES = {
    "compose.yaml": (
        "services:\n"
        "  api:\n"
        "    build: .\n"
        "    environment:\n"
        "      TOKEN: ${TOKEN}\n"
        "      LEVEL: ${LEVEL:-info}\n"
        "    depends_on: [db]\n"
        "  db:\n"
        "    image: postgres:16.4\n"
    ),
    "compose.override.yaml": "services:\n  api:\n    ports: ['8000:8000']\n",
    "docker-compose.dev.yml": "services:\n  api:\n    volumes: ['./src:/app/src']\n",
    "Dockerfile": "FROM python:3.12\nCOPY . /app\nENV API_KEY=abc123def456\n",
    ".dockerignore": "node_modules\n",
    ".env.example": "# the token\nTOKEN=\nUNUSED=1\n",
    ".env": "TOKEN=real-value\nEXTRA=1\n",
    ".gitignore": "node_modules/\n",
    "sub/compose.yaml": "services:\n  worker:\n    image: alpine\n",
    "sub/.env.local": "A=1\n",
    "src/main.py": "print('hi')\n",
}
COMMANDS = [
    *(["check", "--format", fmt] for fmt in ("text", "json", "sarif", "github", "gitlab")),
    ["check", "--diff"],
    ["check", "--diff", "--format", "json"],
    ["check", "sub", "--debug"],
    ["check", "compose.yaml", "Dockerfile"],
    ["rules"],
    ["rules", "--markdown"],
    ["rule", "DS101"],
    ["variables"],
    ["variables", "--format", "json"],
    ["variables", "sub"],
    *([hook] for hook in ("check-env-gitignored", "check-env-example", "check-dockerfiles",
                          "check-compose")),
    *([hook, "--diff"] for hook in ("check-env-gitignored", "check-env-example",
                                    "check-compose")),
    ["check-compose", "compose.yaml", "sub/compose.yaml"],
    ["check-env-example", ".env.example", ".env"],
    ["check-dockerfiles", "Dockerfile", ".dockerignore"],
    ["check-env-gitignored", ".gitignore", "sub/.env.local"],
]

Snapshot = dict[str, tuple[int, int, str]]


def snapshot(root: Path) -> Snapshot:
    """path -> (mode, mtime_ns, sha256) for every file, folder and link below ``root``."""
    result: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files, ""]:
            path = Path(folder) / name
            info = path.lstat()
            digest = ""
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result[str(path.relative_to(root))] = (info.st_mode, info.st_mtime_ns, digest)
    return result


def diff(before: Snapshot, after: Snapshot) -> list[str]:
    changed = [p for p in before if p in after and before[p] != after[p]]
    return (
        [f"changed: {p}" for p in sorted(changed)]
        + [f"created: {p}" for p in sorted(set(after) - set(before))]
        + [f"deleted: {p}" for p in sorted(set(before) - set(after))]
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("no-writes")
    write_project(root, FILES, use_git=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    subprocess.run(["git", "add", "compose.yaml", "Dockerfile", ".env.example", ".env"],
                   cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=root, check=True, env=env)
    # A stale index: tracked files modified after `git add`, with new mtimes, so that any git
    # command allowed to refresh the index would rewrite .git/index.
    time.sleep(0.01)
    for rel in ("compose.yaml", "Dockerfile"):
        path = root / rel
        path.write_text(path.read_text() + "\n")
    return root


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_command_writes_nothing(repo: Path, args: list[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    before = snapshot(repo)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code in (0, 1), err.getvalue()
    assert "internal error" not in err.getvalue()
    assert diff(before, snapshot(repo)) == []


def test_the_fixture_really_has_something_to_fix(repo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the test above: --diff must have planned changes, or it proves nothing."""
    monkeypatch.chdir(repo)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["check", "--diff", "-q"])
    assert "+++ b/" in out.getvalue()


def test_git_itself_would_have_refreshed_the_index(repo: Path, tmp_path: Path) -> None:
    """Guards the fixture: a plain `git status` does rewrite this index, so the commands above
    were run against a tree where a careless git call would have shown up."""
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(repo), str(copy)], check=True)
    index = copy / ".git" / "index"
    before = index.stat().st_mtime_ns, index.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "status", "--porcelain"], cwd=copy, check=True,
                   capture_output=True, env=env)
    assert (index.stat().st_mtime_ns, index.read_bytes()) != before


def test_writing_a_report_file_touches_only_that_file(repo: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    before = snapshot(repo)
    target = tmp_path / "report.sarif"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", "--format", f"sarif={target}", "--format", "text"])
    assert code == 1 and target.stat().st_size > 0
    assert diff(before, snapshot(repo)) == []
