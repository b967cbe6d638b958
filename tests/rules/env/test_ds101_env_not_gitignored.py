"""DS101 env-not-gitignored.

Fixture convention (as in every tests/rules module): each case is ``{path: text}``; a
``# expect: DS101`` marker at the end of a line says a finding must sit on that line (the
marker is stripped before the file is written). When ``.env`` does not exist the finding sits
on line 1 of the stack's base compose file.

The rule docs' *Example* / *Use instead* blocks follow ``tests/test_meta.py``: each fenced block
whose first line is a comment naming a file (``# .gitignore``) is written to that file, without
that line; every file is then added to the git index with ``git add -A -f``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_findings

COMPOSE = "services:\n  app:\n    image: alpine:3.20\n"
COMPOSE_FLAGGED = "services:  # expect: DS101\n  app:\n    image: alpine:3.20\n"

CASES = [
    pytest.param({"compose.yaml": COMPOSE_FLAGGED}, {}, id="no .gitignore at all"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env\n"}, {}, id=".env listed"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env*\n!.env.example\n",
                  ".env.example": "# Port\nPORT=1\n"}, {}, id="pattern with negated template"),
    pytest.param({"compose.yaml": COMPOSE_FLAGGED, ".gitignore": "node_modules/\n"}, {},
                 id=".gitignore without .env"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": "node_modules/\n",
                  ".env": "A=1  # expect: DS101\n"}, {}, id="existing .env is pointed at"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env*\n!.env.local\n",
                  ".env.local": "A=1  # expect: DS101\n", ".env": "A=1\n"}, {},
                 id="negated pattern re-includes .env.local"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env\n",
                  ".env.production": "A=1  # expect: DS101\n"}, {},
                 id="local variant not covered"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env\n", ".env.example": "A=1\n",
                  ".env.sample": "A=1\n", ".env.template": "A=1\n", ".env.dist": "A=1\n"}, {},
                 id="templates are not local files"),
    pytest.param({"services/api/compose.yaml": COMPOSE, "services/api/.gitignore": ".env\n"}, {},
                 id="nested folder with its own .gitignore"),
    pytest.param({"services/api/compose.yaml": COMPOSE, ".gitignore": ".env\n"}, {},
                 id="root pattern matches at any depth"),
    pytest.param({"services/api/compose.yaml": COMPOSE_FLAGGED, ".gitignore": "/.env\n"}, {},
                 id="anchored root pattern does not cover a nested stack"),
    pytest.param({"services/api/compose.yaml": COMPOSE, ".gitignore": ".env\n",
                  "services/api/.gitignore": "!.env\n",
                  "services/api/.env": "A=1  # expect: DS101\n"}, {},
                 id="nested .gitignore negates the root pattern"),
    pytest.param({"services/api/compose.yaml": COMPOSE, ".gitignore": "services/\n"}, {},
                 id="inside an ignored folder"),
    pytest.param({"compose.yaml": COMPOSE, "docker-compose.yml": COMPOSE,
                  "docker-compose.dev.yml": COMPOSE,
                  ".env": "A=1  # expect: DS101\n"}, {},
                 id="several stacks in one folder: reported once"),
    pytest.param({"compose.yaml": COMPOSE_FLAGGED, ".gitignore": "node_modules/\n"},
                 {"use_git": False}, id="outside git, .gitignore without .env"),
    pytest.param({"compose.yaml": COMPOSE_FLAGGED}, {"use_git": False},
                 id="outside git, no .gitignore"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env\n.env.*\n!.env.example\n",
                  ".env.local": "A=1\n"}, {"use_git": False}, id="outside git, ignored"),
    pytest.param({"compose.yaml": COMPOSE, ".gitignore": ".env*\n!.env.local\n",
                  ".env.local": "A=1  # expect: DS101\n"}, {"use_git": False},
                 id="outside git, negated pattern"),
    pytest.param({"services/api/compose.yaml": COMPOSE, "services/api/.gitignore": ".env\n"},
                 {"use_git": False}, id="outside git, nested .gitignore"),
    pytest.param({"Dockerfile": "FROM alpine:3.20\n"}, {}, id="no compose file, no rule"),
]


@pytest.mark.parametrize(("files", "options"), CASES)
def test_ds101(lint: Callable[..., Any], files: dict[str, str], options: dict[str, Any]) -> None:
    assert_findings(lint(files, select=["DS101"], **options), ["DS101"])


def test_two_stacks_each_checked(lint: Callable[..., Any]) -> None:
    files = {
        "compose.yaml": COMPOSE,
        ".gitignore": "/.env\n",
        "services/api/compose.yaml": COMPOSE_FLAGGED,
    }
    assert_findings(lint(files, select=["DS101"]), ["DS101"])


def test_message_names_the_path_and_the_gitignore(lint: Callable[..., Any]) -> None:
    files = {"services/api/compose.yaml": COMPOSE, "services/.gitignore": "*.log\n"}
    findings, _ = lint(files, select=["DS101"])
    assert [(f.span.path, f.span.line) for f in findings] == [("services/api/compose.yaml", 1)]
    message = findings[0].message
    assert "'services/api/.env'" in message
    assert "services/.gitignore" in message
    assert findings[0].fixable


def test_message_suggests_the_root_gitignore_when_there_is_none(lint: Callable[..., Any]) -> None:
    findings, _ = lint({"deploy/compose.yaml": COMPOSE}, select=["DS101"])
    assert "add '.env' to .gitignore" in findings[0].message


def test_global_excludes_count(lint: Callable[..., Any], tmp_path: Path) -> None:
    # git reads .git/info/exclude like a .gitignore that is never committed.
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text(".env\n", encoding="utf-8")
    assert_findings(lint({"compose.yaml": COMPOSE}, select=["DS101"]), ["DS101"])


def test_tracked_but_ignored_is_not_ds101(lint: Callable[..., Any]) -> None:
    files = {"compose.yaml": COMPOSE, ".gitignore": ".env\n", ".env": "A=1\n"}
    assert_findings(lint(files, select=["DS101"], tracked=[".env"]), ["DS101"])


def test_one_git_query_per_run(lint: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from docker_standard.model import git

    calls: list[list[str]] = []
    real = git._check_ignore

    def counting(root: Path, paths: list[str]) -> dict[str, bool]:
        calls.append(paths)
        return real(root, paths)

    monkeypatch.setattr(git, "_check_ignore", counting)
    files = {f"stack{n}/compose.yaml": "services:\n  a:\n    image: x/y:${TAG}\n" for n in range(5)}
    files.update({f"stack{n}/.env.local": "A=1\n" for n in range(5)})
    files["stack0/.env.example"] = "# Tag\nTAG=1\n"
    files[".env"] = "A=1\n"
    lint(files, select=["DS101", "DS102", "DS103"], tracked=[".env"])
    assert len(calls) == 1
