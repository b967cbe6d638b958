"""DS108 env-drift.

Cases are ``{path: text}``; ``# expect: DS108`` marks each ``.env`` line whose key the template
lacks, and line 1 of ``.env`` when it lacks keys of the template. The rule docs' examples follow
``tests/test_meta.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import assert_findings

COMPOSE = "services:\n  app:\n    image: alpine:3.20\n    env_file: .env\n"
TEMPLATE = "# Database\nDB_USER=app\nDB_PASSWORD=changeme\n"

CASES = [
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "DB_USER=me\nDB_PASSWORD=local-secret\n"}, id="in sync"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "DB_USER=me\nDB_PASSWORD=x\nEXTRA=1  # expect: DS108\n"},
                 id="extra key"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "DB_USER=me  # expect: DS108\n"}, id="missing key at line 1"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "# mine  # expect: DS108\nEXTRA=1  # expect: DS108\n"},
                 id="both directions"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE, ".gitignore": ".env\n",
                  ".env": "DB_USER=me\nDB_PASSWORD=x\nEXTRA=1  # expect: DS108\n"},
                 id="gitignored .env is still compared"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE}, id="no .env"),
    pytest.param({"compose.yaml": COMPOSE, ".env": "EXTRA=1\n"}, id="no template"),
    pytest.param({"compose.yaml": COMPOSE,
                  ".env.example": TEMPLATE + "# Optional: json or text\n# LOG_FORMAT=json\n",
                  ".env": "DB_USER=me\nDB_PASSWORD=x\nLOG_FORMAT=text\n"},
                 id="commented-out template key may be set"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "DB_USER=me\nDB_PASSWORD=x\nCOMPOSE_PROJECT_NAME=mine\n"
                  "COMPOSE_PROFILES=dev\n"}, id="Compose's own settings are personal"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "DB_USER=me\nDB_PASSWORD=x\nEXTRA=1  # expect: DS108\nEXTRA=2\n"},
                 id="duplicate extra key reported once"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "export DB_USER=me\nDB_PASSWORD: x\n"}, id="export and colon syntax"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env.local": "ONLY_LOCAL=1\n", ".env": "DB_USER=me\nDB_PASSWORD=x\n"},
                 id="only .env is compared"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": TEMPLATE,
                  ".env": "DB_USER=me\nDB_PASSWORD=x\n",
                  "services/api/compose.yaml": COMPOSE,
                  "services/api/.env.example": "# Api\nAPI_KEY=changeme\n",
                  "services/api/.env": "API_KEY=x\nDB_USER=me  # expect: DS108\n"},
                 id="each .env against its own template"),
    pytest.param({"compose.yaml": COMPOSE, "docker-compose.yml": COMPOSE,
                  ".env.example": TEMPLATE,
                  ".env": "DB_USER=me  # expect: DS108\nEXTRA=1  # expect: DS108\n"},
                 id="several stacks in one folder report once"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds108(lint: Callable[..., Any], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=["DS108"]), ["DS108"])


def test_messages_name_keys_only(lint: Callable[..., Any]) -> None:
    files = {"compose.yaml": COMPOSE, ".env.example": TEMPLATE + "# More\nA=1\nB=2\n",
             ".env": "DB_USER=me\nEXTRA=super-private-value\n"}
    findings, _ = lint(files, select=["DS108"])
    messages = [(f.span.line, f.message) for f in findings]
    assert messages == [
        (1, ".env lacks 3 keys of .env.example: DB_PASSWORD, A, B"),
        (2, "EXTRA is set in .env but missing from .env.example"),
    ]
