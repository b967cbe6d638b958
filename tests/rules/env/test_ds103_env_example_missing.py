"""DS103 env-example-missing.

Cases are ``{path: text}``; the finding sits on line 1 of the stack's base compose file, so
the ``# expect: DS103`` marker goes on its first line. ``tracked`` files are added with
``git add -f``. The rule docs' examples follow ``tests/test_meta.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import assert_findings
from docker_standard.findings import Severity

USES = (
    "services:{mark}\n  db:\n    image: postgres:16\n    environment:\n"
    "      P: ${{DB_PASSWORD}}\n"
)
NEEDS = USES.format(mark="  # expect: DS103")
FINE = USES.format(mark="")
PLAIN = "services:\n  app:\n    image: alpine:3.20\n"
TEMPLATE = "# Password\nDB_PASSWORD=changeme\n"

CASES = [
    pytest.param({"compose.yaml": NEEDS}, {}, id="variables and no template"),
    pytest.param({"compose.yaml": FINE, ".env.example": TEMPLATE}, {}, id=".env.example"),
    pytest.param({"compose.yaml": FINE, ".env.sample": TEMPLATE}, {}, id=".env.sample"),
    pytest.param({"compose.yaml": FINE, ".env.template": TEMPLATE}, {}, id=".env.template"),
    pytest.param({"compose.yaml": FINE, ".env.dist": TEMPLATE}, {}, id=".env.dist"),
    pytest.param({"compose.yaml": PLAIN}, {}, id="no variables"),
    pytest.param({"compose.yaml": "name: ${COMPOSE_PROJECT_NAME}\nservices:\n  a:\n"
                  "    image: x/y:1\n    volumes:\n      - ${PWD}/data:/data\n"}, {},
                 id="always-defined names only"),
    pytest.param({"compose.yaml": "services:  # expect: DS103\n  a:\n    image: x/y:1\n"
                  "    env_file: .env\n", ".gitignore": ".env\n"}, {},
                 id="env_file .env without variables"),
    pytest.param({"compose.yaml": "services:  # expect: DS103\n  a:\n    image: x/y:1\n"
                  "    environment:\n      - API_KEY\n"}, {},
                 id="pass-through only counts"),
    pytest.param({"compose.yaml": "services:  # expect: DS103\n  a:\n    image: x/y:${TAG:-1}\n"},
                 {}, id="variables with defaults count"),
    pytest.param({"compose.yaml": NEEDS, ".gitignore": ".env*\n", ".env.example": TEMPLATE}, {},
                 id="template ignored by git and untracked"),
    pytest.param({"compose.yaml": FINE, ".gitignore": ".env*\n", ".env.example": TEMPLATE},
                 {"tracked": [".env.example"]}, id="template ignored but tracked"),
    pytest.param({"compose.yaml": FINE, ".gitignore": ".env*\n!.env.example\n",
                  ".env.example": TEMPLATE}, {}, id="template re-included by a negation"),
    pytest.param({"compose.yaml": FINE, ".env.example": TEMPLATE,
                  "services/api/compose.yaml": NEEDS}, {},
                 id="a template in another folder does not count"),
    pytest.param({"compose.yaml": FINE, ".env.example": TEMPLATE,
                  "services/api/compose.yaml": FINE, "services/api/.env.example": TEMPLATE}, {},
                 id="each stack with its own template"),
    pytest.param({"compose.yaml": PLAIN, "compose.prod.yaml": "services:\n  app:\n"
                  "    environment:\n      P: ${DB_PASSWORD}\n", ".env.example": TEMPLATE}, {},
                 id="variables in an overlay, template present"),
    pytest.param({"compose.yaml": "include:\n  - db/compose.yaml\n" + PLAIN,
                  ".env.example": TEMPLATE, "db/compose.yaml": FINE}, {},
                 id="an included file needs no template of its own"),
    pytest.param({"compose.yaml": "include:  # expect: DS103\n  - db/compose.yaml\n" + PLAIN,
                  "db/compose.yaml": FINE},
                 {}, id="the including stack needs one for the included variables"),
    pytest.param({"compose.yaml": FINE, "example.env": TEMPLATE}, {}, id="example.env"),
    pytest.param({"compose.yaml": FINE, "env.example": TEMPLATE}, {},
                 id="env.example (mattermost, jitsi)"),
    pytest.param({"compose.yaml": FINE, "template.env": TEMPLATE}, {}, id="template.env"),
    pytest.param({"compose.yaml": FINE, ".env": "DB_PASSWORD=x\n"}, {"tracked": [".env"]},
                 id="a committed .env is DS102's"),
    pytest.param({"compose.yaml": NEEDS, "docker-compose.yml": FINE,
                  "compose.prod.yaml": "services:\n  app:\n    image: x/y:${TAG}\n"}, {},
                 id="several stacks in one folder: one finding"),
    pytest.param({"overrides/compose.https.yaml": NEEDS,
                  "overrides/compose.mariadb.yaml": FINE}, {},
                 id="a folder of overlays without a base: one finding"),
    pytest.param({"compose.yaml": FINE.replace("DB_PASSWORD", "http_proxy")}, {},
                 id="proxy settings do not count"),
    pytest.param({"compose.yaml": NEEDS}, {"use_git": False}, id="outside git, no template"),
    pytest.param({"compose.yaml": FINE, ".env.example": TEMPLATE}, {"use_git": False},
                 id="outside git, template"),
    pytest.param({"compose.yaml": NEEDS, ".env.example": TEMPLATE, ".gitignore": ".env*\n"},
                 {"use_git": False}, id="outside git, template ignored"),
]


@pytest.mark.parametrize(("files", "options"), CASES)
def test_ds103(lint: Callable[..., Any], files: dict[str, str], options: dict[str, Any]) -> None:
    assert_findings(lint(files, select=["DS103"], **options), ["DS103"])


def test_messages(lint: Callable[..., Any]) -> None:
    findings, _ = lint({"deploy/compose.yaml": NEEDS}, select=["DS103"])
    assert len(findings) == 1
    assert "DB_PASSWORD" in findings[0].message
    assert "deploy/.env.example" in findings[0].message
    assert findings[0].fixable


def test_message_for_an_ignored_template(lint: Callable[..., Any]) -> None:
    files = {"compose.yaml": FINE, ".gitignore": "*.example\n", ".env.example": TEMPLATE}
    findings, _ = lint(files, select=["DS103"])
    assert "ignored by git" in findings[0].message


def test_outside_git_an_ignored_template_is_info(lint: Callable[..., Any]) -> None:
    files = {"compose.yaml": FINE, ".gitignore": ".env*\n", ".env.example": TEMPLATE}
    findings, _ = lint(files, select=["DS103"], use_git=False)
    assert [(f.severity, f.fixable) for f in findings] == [(Severity.INFO, False)]
    assert "not tracked" not in findings[0].message
    assert "'!.env.example'" in findings[0].message
