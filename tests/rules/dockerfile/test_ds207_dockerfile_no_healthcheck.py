"""DS207 dockerfile-no-healthcheck: nothing gives the running stage a health check."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

CURL = '["CMD", "curl", "-f", "http://localhost/"]'

CASES = [
    pytest.param({"Dockerfile": "FROM nginx:1.27  # expect: DS207\n"}, id="no HEALTHCHECK"),
    pytest.param(
        {"Dockerfile": "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\n"},
        id="HEALTHCHECK",
    ),
    pytest.param(
        {"Dockerfile": "FROM nginx:1.27\nHEALTHCHECK NONE  # expect: DS207\n"},
        id="HEALTHCHECK NONE",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\n"
            "HEALTHCHECK NONE  # expect: DS207\n"
        },
        id="the last HEALTHCHECK wins",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM node:22 AS build\nHEALTHCHECK CMD true\n"
            "FROM nginx:1.27  # expect: DS207\n"
        },
        id="HEALTHCHECK in a builder only",
    ),
    pytest.param(
        {"Dockerfile": "FROM nginx:1.27 AS base\nHEALTHCHECK CMD curl -f http://x/\nFROM base\n"},
        id="inherited from the stage it is built on",
    ),
    pytest.param(
        {"compose.yaml": compose(service(healthcheck=CURL)), "Dockerfile": "FROM nginx:1.27\n"},
        id="the service supplies one",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service("a", healthcheck=CURL), service("b")),
            "Dockerfile": "FROM nginx:1.27  # expect: DS207\n",
        },
        id="one building service lacks one",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(extra="    healthcheck:\n      disable: true\n")),
            "Dockerfile": "FROM nginx:1.27  # expect: DS207\n",
        },
        id="the service disables it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(extra="    healthcheck:\n      interval: 5s\n")),
            "Dockerfile": "FROM nginx:1.27  # expect: DS207\n",
        },
        id="the service sets only options",
    ),
    pytest.param(
        {
            "compose.yaml": compose(
                service(
                    "migrate", extra='    restart: "no"\n    command: ["alembic", "upgrade"]\n'
                ),
            ),
            "Dockerfile": "FROM python:3.12-slim\n",
        },
        id="only a one-shot service builds it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(
                service("api", target="dev", healthcheck=CURL), service("worker", target="dev")
            ),
            "Dockerfile": "FROM python:3.12 AS dev  # expect: DS207\n"
            "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost/\n",
        },
        id="a target stage without a check",
    ),
    pytest.param(
        {"Dockerfile": "from nginx:1.27\nhealthcheck none  # expect: DS207\n"}, id="lower-case"
    ),
    pytest.param(
        {"Dockerfile": crlf("FROM a:1 AS x\nHEALTHCHECK CMD true\nFROM b:1  # expect: DS207\n")},
        id="CRLF",
    ),
]

CASES += syntax_variants(
    {
        "Dockerfile": "FROM a:1 AS base\nHEALTHCHECK CMD true\nFROM b:1  # expect: DS207\n"
        "RUN echo \\\n  x\n"
    }
)


@pytest.mark.parametrize("files", CASES)
def test_ds207(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS207",)), ("DS207",))


def test_message_names_the_service(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        "compose.yaml": compose(service("a", healthcheck=CURL), service("b")),
        "Dockerfile": "FROM nginx:1.27\n",
    }
    findings, _ = lint(files, select=("DS207",))
    assert len(findings) == 1
    assert "service 'b' (compose.yaml), which builds it, sets none" in findings[0].message


def test_message_names_the_file_that_defines_the_service(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        "compose.yml": "services:\n  db:\n    image: postgres:16\n",
        "compose.override.yml": "services:\n  api:\n    build: .\n",
        "Dockerfile": "FROM python:3.12\nUSER app\n",
    }
    findings, _ = lint(files, select=("DS207",))
    assert len(findings) == 1
    assert "service 'api' (compose.override.yml)" in findings[0].message
