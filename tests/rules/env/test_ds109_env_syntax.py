"""DS109 env-syntax.

Cases are ``{path: text}``; ``# expect: DS109`` marks each line with a syntax problem (the
marker is stripped before the file is written). The rule docs' examples follow
``tests/test_meta.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({".env": "A=1\nA=2  # expect: DS109\n"}, id="duplicate key"),
    pytest.param({".env": "A = 1  # expect: DS109\n"}, id="spaces around ="),
    pytest.param({".env": "BAD KEY=1  # expect: DS109\n"}, id="space in the name"),
    pytest.param({".env": "BAD$KEY=1  # expect: DS109\n"}, id="invalid character"),
    pytest.param({".env": "A=\"never closed  # expect: DS109\nB=1\n"}, id="unterminated quote"),
    pytest.param({".env.example": "# doc\nA=1\nA=2  # expect: DS109\n"}, id="in a template"),
    pytest.param({".env.local": "A = 1  # expect: DS109\n"}, id="in a local variant"),
    pytest.param({"tools/deep/.env.production": "X=1\nX=1  # expect: DS109\n"},
                 id="outside any stack"),
    pytest.param({"app.env": "A = 1  # expect: DS109\n"}, id="a *.env file"),
    pytest.param({".env.patch": "--- .env\n+++ .env.new\n@@ -1 +1 @@\n-A=1\n+A=2\n"},
                 id="a patch named after an env file is no env file"),
    pytest.param({".env": "# comment\nexport A=1\nB='x y'\nC=\"multi\nline\"\nD: yaml style\n"},
                 id="valid syntax"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds109(lint: Callable[..., Any], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=["DS109"]), ["DS109"])


def test_position_and_message(lint: Callable[..., Any]) -> None:
    findings, _ = lint({".env": "A=1\nA=2\nB = 3\n"}, select=["DS109"])
    got = [(f.span.line, f.span.column, f.message) for f in findings]
    assert got[0][:2] == (2, 1)
    assert "duplicate key" in got[0][2] and '"A"' in got[0][2]
    assert got[1][0] == 3
    assert "'='" in got[1][2]


def test_a_pasted_credential_used_as_a_key_is_masked(lint: Callable[..., Any]) -> None:
    token = "ghp_" + "a8Fk2LmQ9rT4vW7xZ1cB3nD5eG6hJ0pS2uY8"  # split: no scanner trips on it
    findings, _ = lint({".env.example": f"{token}=1\n{token} = 2\n"}, select=["DS109"])
    assert len(findings) == 2
    assert all(token not in f.message for f in findings)
