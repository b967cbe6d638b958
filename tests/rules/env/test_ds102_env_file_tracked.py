"""DS102 env-file-tracked.

Cases are ``{path: text}`` with ``# expect: DS102`` markers on line 1 of each tracked file;
``tracked`` lists the files added to the index with ``git add -f`` (so ignored files too).
The rule docs' examples follow ``tests/test_meta.py`` (every file is added with
``git add -A -f``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_findings

COMPOSE = "services:\n  app:\n    image: alpine:3.20\n"

CASES = [
    pytest.param({".gitignore": ".env\n", ".env": "A=1  # expect: DS102\n"}, [".env"],
                 id="tracked although ignored (git add -f)"),
    pytest.param({".env": "A=1  # expect: DS102\n"}, [".env"], id="tracked and not ignored"),
    pytest.param({".gitignore": ".env\n", ".env": "A=1\n"}, [], id="ignored and untracked"),
    pytest.param({".env": "A=1\n"}, [], id="untracked (DS101's business)"),
    pytest.param({".env.example": "A=1\n", ".env.sample": "A=1\n", ".env.template": "A=1\n",
                  ".env.dist": "A=1\n"},
                 [".env.example", ".env.sample", ".env.template", ".env.dist"],
                 id="templates are meant to be tracked"),
    pytest.param({"compose.yaml": COMPOSE, ".env.local": "A=1  # expect: DS102\n",
                  ".env.production": "A=1  # expect: DS102\n"},
                 [".env.local", ".env.production", "compose.yaml"], id="local variants"),
    pytest.param({"tools/scripts/.env": "A=1  # expect: DS102\n"}, ["tools/scripts/.env"],
                 id="outside any stack"),
    pytest.param({"services/api/compose.yaml": COMPOSE, "services/api/.gitignore": ".env\n",
                  "services/api/.env": "A=1  # expect: DS102\n"},
                 ["services/api/.env"], id="nested folder with its own .gitignore"),
    pytest.param({".envrc": "export A=1\n", "app.env": "A=1\n"}, [".envrc", "app.env"],
                 id="other names are not local .env files"),
]


@pytest.mark.parametrize(("files", "tracked"), CASES)
def test_ds102(lint: Callable[..., Any], files: dict[str, str], tracked: Iterable[str]) -> None:
    assert_findings(lint(files, select=["DS102"], tracked=tracked), ["DS102"])


def test_outside_git_nothing_is_tracked(lint: Callable[..., Any]) -> None:
    assert_findings(lint({".env": "A=1\n"}, select=["DS102"], use_git=False), ["DS102"])


def test_deleted_from_disk_but_still_in_the_index(lint: Callable[..., Any], tmp_path: Path) -> None:
    lint({"compose.yaml": COMPOSE, ".env": "A=1\n"}, select=["DS102"], tracked=[".env"])
    (tmp_path / ".env").unlink()
    findings, _ = lint({}, select=["DS102"])
    assert [(f.code, f.span.path, f.span.line) for f in findings] == [("DS102", ".env", 1)]
    assert "deleted from disk" in findings[0].message


def test_message(lint: Callable[..., Any]) -> None:
    files = {".gitignore": ".env\n", ".env": "SECRET=hunter2hunter2\n"}
    findings, _ = lint(files, select=["DS102"], tracked=[".env"])
    message = findings[0].message
    assert "git rm --cached .env" in message
    assert "although .gitignore ignores it" in message
    assert "hunter2" not in message


def test_excluded_paths_are_skipped(lint: Callable[..., Any]) -> None:
    files = {
        ".docker-standard.yaml": "exclude:\n  - tests/fixtures/\n",
        "tests/fixtures/.env": "A=1\n",
        ".env": "A=1  # expect: DS102\n",
    }
    tracked = ["tests/fixtures/.env", ".env"]
    assert_findings(lint(files, select=["DS102"], tracked=tracked), ["DS102"])
