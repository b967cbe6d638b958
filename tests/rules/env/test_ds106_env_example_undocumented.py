"""DS106 env-example-undocumented.

Cases are ``{path: text}``; ``# expect: DS106`` marks each template variable without a comment
above it or above its block. (A marker is itself stripped before the file is written, so it
never counts as a comment.) The rule docs' examples follow ``tests/test_meta.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({".env.example": "A=1  # expect: DS106\nB=2  # expect: DS106\n"},
                 id="no comments"),
    pytest.param({".env.example": "# Database\nA=1\nB=2\n"}, id="one comment for a block"),
    pytest.param({".env.example":
                  "# Database\nA=1\n\nB=2  # expect: DS106\nC=3  # expect: DS106\n"},
                 id="a blank line ends the block"),
    pytest.param({".env.example": "# One\nA=1\n# Two\nB=2\n"}, id="each commented"),
    pytest.param({".env.example": "# Header\n\nA=1  # expect: DS106\n"},
                 id="a comment separated by a blank line does not count"),
    pytest.param({".env.example": "# Key\nMULTI=\"line 1\nline 2\"\nNEXT=1\n"},
                 id="multi-line value stays in the block"),
    pytest.param({".env.sample": "A=1  # expect: DS106\n",
                  ".env.template": "B=1  # expect: DS106\n",
                  "services/api/.env.dist": "C=1  # expect: DS106\n"}, id="other template names"),
    pytest.param({".env": "A=1\n", ".env.local": "B=1\n"}, id="local files need no comments"),
    pytest.param({".env.example": "A=1 # inline comments do not count  # expect: DS106\n"},
                 id="inline comment"),
    pytest.param({".env.example": "# Doc\nA=1\nA=2\n"}, id="duplicate key is DS109's"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds106(lint: Callable[..., Any], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=["DS106"]), ["DS106"])


def test_message_and_position(lint: Callable[..., Any]) -> None:
    findings, _ = lint({"deploy/.env.example": "  export LOG_LEVEL=info\n"}, select=["DS106"])
    assert [(f.span.path, f.span.line, f.message) for f in findings] == [
        ("deploy/.env.example", 1,
         "LOG_LEVEL has no comment above it or above its block in deploy/.env.example")
    ]


def test_a_pasted_secret_on_a_bare_line_is_masked(lint: Callable[..., Any]) -> None:
    secret = "ghp_" + "a8Fk2LmQ9rT4vW7xZ1cB3nD5eG6hJ0pS2uY8"  # split: no scanner trips on it
    findings, _ = lint({".env.example": f"# Token\nTOKEN=\n\n{secret}\n"}, select=["DS106"])
    assert findings
    assert all(secret not in f.message for f in findings)
