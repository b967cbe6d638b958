"""DS303 compose-depends-on-unhealthy-target: service_healthy needs a healthcheck to wait for."""

from __future__ import annotations

import pytest
from conftest import assert_findings

API = ("services:\n  api:\n    image: a/b:1\n    depends_on:\n      db:\n"
       "        condition: service_healthy  # expect: DS303\n")
API_OK = API.replace("  # expect: DS303", "")

CASES = [
    pytest.param({"compose.yaml": API + "  db:\n    image: postgres:16\n"},
                 id="image target without a healthcheck"),
    pytest.param(
        {"compose.yaml": API_OK + "  db:\n    image: postgres:16\n    healthcheck:\n"
                                  "      test: [\"CMD\", \"pg_isready\"]\n"},
        id="target with a healthcheck",
    ),
    pytest.param(
        {"compose.yaml": API + "  db:\n    image: postgres:16\n    healthcheck:\n"
                               "      disable: true\n"},
        id="target disables its healthcheck",
    ),
    pytest.param(
        {"compose.yaml": API + "  db:\n    image: postgres:16\n    healthcheck:\n"
                               "      test: [\"NONE\"]\n"},
        id="target test NONE",
    ),
    pytest.param(
        {"compose.yaml": API_OK + "  db:\n    build: ./db\n",
         "db/Dockerfile": "FROM postgres:16\nHEALTHCHECK CMD pg_isready\n"},
        id="target builds a Dockerfile with HEALTHCHECK",
    ),
    pytest.param(
        {"compose.yaml": API + "  db:\n    build: ./db\n",
         "db/Dockerfile": "FROM postgres:16\n"},
        id="target builds a Dockerfile without HEALTHCHECK",
    ),
    pytest.param(
        {
            "docker-compose.yml": API_OK + "  db:\n    image: ghcr.io/acme/db:1.2\n",
            "build/docker-compose.yml": "services:\n  db:\n    image: ghcr.io/acme/db:1.2\n"
                                        "    build: ../data/Dockerfiles/db\n",
            "data/Dockerfiles/db/Dockerfile": "FROM postgres:16\nHEALTHCHECK CMD pg_isready\n",
        },
        id="target's image is built here from a Dockerfile with HEALTHCHECK (mailcow unbound)",
    ),
    pytest.param(
        {"compose.yaml": API_OK.replace("service_healthy", "service_started")
         + "  db:\n    image: postgres:16\n"},
        id="other conditions are not this rule's business",
    ),
    pytest.param(
        {"compose.yaml": API_OK.replace("db:\n        condition", "ghost:\n        condition")},
        id="undefined target is left to DS304",
    ),
    pytest.param(
        {
            "compose.yaml": API + "  db:\n    image: postgres:16\n    healthcheck:\n"
                                  "      test: [\"CMD\", \"pg_isready\"]\n",
            "compose.override.yaml": "services:\n  db:\n    healthcheck: !reset null\n",
        },
        id="override resets the target's healthcheck: reported at the condition",
    ),
    pytest.param(
        {
            "docker-compose.yml": API_OK + "  db:\n    image: postgres:16\n    healthcheck:\n"
                                           "      test: [\"CMD\", \"pg_isready\"]\n",
            "docker-compose.dev.yml": "services:\n  db:\n    volumes:\n      - pg:/data\n"
                                      "volumes:\n  pg:\n",
        },
        id="overlay adding volumes keeps the healthcheck",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds303(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS303",)), ("DS303",))


def test_image_target_message_mentions_image_healthcheck(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": API + "  db:\n    image: postgres:16\n"},
                       select=("DS303",))
    assert "if its image defines no HEALTHCHECK, `docker compose up` fails" in findings[0].message
    assert "'api'" in findings[0].message and "'db'" in findings[0].message


def test_one_shot_target_suggests_completion(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": API + "  db:\n    image: a/m:1\n    restart: \"no\"\n"
                                              "    command: migrate\n"}, select=("DS303",))
    assert "service_completed_successfully" in findings[0].message


def test_up_fails_only_where_certain(lint) -> None:  # type: ignore[no-untyped-def]
    built = {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n"
                             "      db:\n        condition: service_healthy\n"
                             "  db:\n    build: ./db\n",
             "db/Dockerfile": "FROM postgres:16\n"}
    findings, _ = lint(built, select=("DS303",))
    assert len(findings) == 1
    assert ": `docker compose up` fails" in findings[0].message
