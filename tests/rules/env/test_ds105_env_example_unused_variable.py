"""DS105 env-example-unused-variable.

Cases are ``{path: text}``; ``# expect: DS105`` marks each template line whose key nothing
uses. The rule docs' examples follow ``tests/test_meta.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import assert_findings

COMPOSE = "services:\n  app:\n    image: alpine:3.20\n    environment:\n      A: ${USED}\n"

CASES = [
    pytest.param({"compose.yaml": COMPOSE,
                  ".env.example": "# Used\nUSED=1\n# Leftover\nLEFTOVER=1  # expect: DS105\n"},
                 id="unused key"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": "# Used\nUSED=1\n"}, id="all used"),
    pytest.param({"compose.yaml": COMPOSE.replace("      A: ${USED}\n", "      - USED\n"),
                  ".env.example": "# Used\nUSED=1\n"}, id="used by a pass-through entry"),
    pytest.param({"compose.yaml": COMPOSE + "    env_file: .env\n",
                  ".env.example": "# Used\nUSED=1\n# Read by the app\nAPP_ONLY=1\n"},
                 id="whole .env passed in via env_file"),
    pytest.param({"compose.yaml": COMPOSE + "    env_file:\n      - path: ./.env\n"
                  "        required: false\n",
                  ".env.example": "# Used\nUSED=1\n# Read by the app\nAPP_ONLY=1\n"},
                 id="long env_file syntax"),
    pytest.param({"compose.yaml": COMPOSE + "    env_file: app.env\n",
                  ".env.example":
                  "# Used\nUSED=1\n# Read by nobody\nAPP_ONLY=1  # expect: DS105\n"},
                 id="another env_file does not count"),
    pytest.param({"compose.yaml": COMPOSE,
                  ".env.example": "# Host\nHOST=db\n# Used\nUSED=http://${HOST}/x\n"},
                 id="referenced by another template entry"),
    pytest.param({"compose.yaml": COMPOSE,
                  ".env.example": "# Host\nHOST=db  # expect: DS105\n# Used\nUSED='http://${HOST}'\n"},
                 id="single quotes do not interpolate"),
    pytest.param({"compose.yaml": COMPOSE,
                  ".env.example": "# Used\nUSED=1\n# Compose settings\nCOMPOSE_PROFILES=dev\n"
                  "COMPOSE_PROJECT_NAME=app\nDOCKER_HOST=unix:///var/run/docker.sock\n"},
                 id="keys Compose reads itself"),
    pytest.param({"compose.yaml": COMPOSE, "docker-compose.yml": COMPOSE.replace("USED", "OTHER"),
                  ".env.example": "# Used\nUSED=1\n# Other\nOTHER=1\n"},
                 id="several stacks in one folder"),
    pytest.param({"compose.yaml": "services:\n  app:\n    image: alpine:3.20\n",
                  "compose.dev.yaml": "services:\n  app:\n    environment:\n      A: ${DEV}\n",
                  ".env.example": "# Dev only\nDEV=1\n"},
                 id="used by an overlay"),
    pytest.param({"compose.yaml": COMPOSE, ".env.example": "# Used\nUSED=1\n",
                  "services/api/compose.yaml": COMPOSE.replace("USED", "API"),
                  "services/api/.env.example": "# Api\nAPI=1\n# Root's\nUSED=1  # expect: DS105\n"},
                 id="each template covers its own stack"),
    pytest.param({"tools/.env.example": "# Nothing\nNOTHING=1\n"},
                 id="no compose file in the folder"),
    pytest.param({"compose.yaml": COMPOSE,
                  ".env.example": "# Used\nUSED=1\n# Twice\nTWICE=1  # expect: DS105\nTWICE=2\n"},
                 id="duplicate reported once"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds105(lint: Callable[..., Any], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=["DS105"]), ["DS105"])


def test_message(lint: Callable[..., Any]) -> None:
    findings, _ = lint({"compose.yaml": COMPOSE, ".env.example": "USED=1\nLEFT=1\n"},
                       select=["DS105"])
    assert [f.message for f in findings] == [
        "LEFT is defined in .env.example but no compose file of this folder uses it"
    ]
    assert findings[0].span.column == 1
