"""DS209 dockerfile-copies-env: COPY of the whole context while .env files get in."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

BASE = "FROM python:3.12-slim\nWORKDIR /app\n"
IGNORE = ".git\n.env\n.env.*\n!.env.example\n"

CASES = [
    pytest.param({"Dockerfile": BASE + "COPY . .  # expect: DS209\n"}, id="no .dockerignore"),
    pytest.param({"Dockerfile": BASE + "COPY . .\n", ".dockerignore": IGNORE}, id="excluded"),
    pytest.param(
        {"Dockerfile": BASE + "COPY . .  # expect: DS209\n", ".dockerignore": ".git\n"},
        id=".dockerignore without .env",
    ),
    pytest.param({"Dockerfile": BASE + "COPY ./ /app  # expect: DS209\n"}, id="COPY ./"),
    pytest.param({"Dockerfile": BASE + "ADD . /x  # expect: DS209\n"}, id="ADD ."),
    pytest.param(
        {"Dockerfile": BASE + "COPY * ./  # expect: DS209\n"}, id="COPY * takes dot files"
    ),
    pytest.param({"Dockerfile": BASE + 'COPY [".", "/app"]  # expect: DS209\n'}, id="JSON form"),
    pytest.param({"Dockerfile": BASE + "COPY --chown=app . .  # expect: DS209\n"}, id="flags"),
    pytest.param(
        {"Dockerfile": BASE + "COPY src/ ./src/\n", "src/a.py": ""},
        id="a sub-folder is not the whole context",
    ),
    pytest.param(
        {"Dockerfile": "FROM node:22 AS b\nFROM python:3.12-slim\nCOPY --from=b . .\n"},
        id="--from is not the context",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + "COPY . .  # expect: DS209\n",
            ".dockerignore": ".env\n",
            ".env.local": "A=1\n",
        },
        id="a present .env.local is not excluded",
    ),
    pytest.param(
        {"Dockerfile": BASE + "COPY . .\n", ".dockerignore": ".env\n"},
        id=".env excluded, no local variants present",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + "COPY . .\n",
            ".dockerignore": ".env*\n",
            ".env.local": "A=1\n",
            ".env.example": "A=\n",
        },
        id=".env* excludes every variant",
    ),
    pytest.param(
        {"Dockerfile": BASE + "COPY . .\n", ".dockerignore": ".env\n", ".env.example": "A=\n"},
        id="a template is not a leak",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + "COPY . .  # expect: DS209\n",
            ".dockerignore": ".env\n",
            "app/.env": "A=1\n",
        },
        id="nested .env: Docker patterns are anchored at the root",
    ),
    pytest.param(
        {"Dockerfile": BASE + "COPY . .\n", ".dockerignore": "**/.env\n", "app/.env": "A=1\n"},
        id="nested .env excluded by **/.env",
    ),
    pytest.param(
        {"Dockerfile": BASE + "COPY . .\n", ".dockerignore": "*\n!src\n"},
        id="allow-list .dockerignore",
    ),
    pytest.param(
        {"Dockerfile": BASE + "COPY . .\n", "Dockerfile.dockerignore": ".env\n"},
        id="Dockerfile.dockerignore",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(context="./api", dockerfile="../Dockerfile")),
            "Dockerfile": BASE + "COPY . .  # expect: DS209\n",
            ".dockerignore": IGNORE,
            "api/main.py": "",
        },
        id="the .dockerignore of the compose context counts",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(context="./api", dockerfile="../Dockerfile")),
            "Dockerfile": BASE + "COPY . .\n",
            "api/.dockerignore": IGNORE,
            "api/main.py": "",
        },
        id="compose context with its .dockerignore",
    ),
    pytest.param({"Dockerfile": BASE + "copy . .  # expect: DS209\n"}, id="lower-case"),
    pytest.param({"Dockerfile": crlf(BASE + "COPY . .  # expect: DS209\n")}, id="CRLF"),
]

CASES += syntax_variants(
    {"Dockerfile": "FROM a:1\nCOPY --chown=app \\  # expect: DS209\n  . /app\n"}
)


@pytest.mark.parametrize("files", CASES)
def test_ds209(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS209",)), ("DS209",))


@pytest.mark.parametrize(
    ("files", "wanted"),
    [
        ({"Dockerfile": BASE + "COPY . .\n"}, "there is no .dockerignore"),
        (
            {"Dockerfile": BASE + "COPY . .\n", ".dockerignore": ".env\n", "x/.env.local": "A=1\n"},
            ".dockerignore does not exclude x/.env.local",
        ),
    ],
)
def test_messages(lint, files, wanted: str) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(files, select=("DS209",))
    assert len(findings) == 1
    assert wanted in findings[0].message
