"""The real pre-commit, running our manifest on a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import extra_module

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "standard-stack"

BAD_COMPOSE = """\
services:
  db:
    image: postgres:latest
    environment:
      POSTGRES_PASSWORD: hunter2hunter2
  app:
    build: .
    ports:
      - "127.0.0.1:${APP_PORT:-8000}:8000"
    depends_on:
      - db
"""
BAD_DOCKERFILE = 'FROM python\nCOPY . /app\nCMD ["python", "/app/main.py"]\n'


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_try_repo_fails_bad_stack_and_passes_example(tmp_path: Path) -> None:
    extra_module("pre_commit", "pre-commit")
    if not (REPO / ".git").exists():
        pytest.skip("try-repo needs this repository to be a git clone")
    work = tmp_path / "work"
    shutil.copytree(EXAMPLE, work / "good", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "bad").mkdir()
    (work / "bad" / "docker-compose.yml").write_text(BAD_COMPOSE)
    (work / "bad" / "Dockerfile").write_text(BAD_DOCKERFILE)
    (work / "bad" / "main.py").write_text("print('hi')\n")
    (work / "bad" / ".env").write_text("POSTGRES_PASSWORD=hunter2hunter2\n")
    # The committed .env above is that stack's defaults file (DS102 alone says so); this
    # stack has neither a template nor a .env (DS103).
    (work / "bad" / "api").mkdir()
    (work / "bad" / "api" / "compose.yaml").write_text(
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    environment:\n"
        "      TOKEN: ${API_TOKEN}\n"
    )
    _git(work, "init", "-q")
    _git(work, "add", "-A", "-f")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "SKIP": "",
    }
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            "--all-files",
            "--color",
            "never",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    for code in ("DS102", "DS103", "DS201", "DS202", "DS209", "DS301", "DS302", "DS306", "DS310"):
        assert code in out, f"{code} missing from pre-commit output:\n{out}"
    assert not [line for line in out.splitlines() if line.startswith("good/")], out
    assert "hunter2hunter2" not in out
    assert "Traceback" not in out
