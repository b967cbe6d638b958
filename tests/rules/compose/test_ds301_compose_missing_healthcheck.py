"""DS301 compose-missing-healthcheck: judged on the merged configuration, Dockerfiles included."""

from __future__ import annotations

import pytest
from conftest import assert_findings

HEALTHY = '    healthcheck:\n      test: ["CMD", "true"]\n'

CASES = [
    pytest.param(
        {"compose.yaml": "services:\n  api:  # expect: DS301\n    image: a/b:1\n"},
        id="no healthcheck",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n" + HEALTHY},
        id="compose healthcheck",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    build: .\n",
            "Dockerfile": "FROM a/b:1\nHEALTHCHECK CMD curl -f http://localhost/\n",
        },
        id="healthcheck from the Dockerfile it builds",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:  # expect: DS301\n    build: .\n",
            "Dockerfile": "FROM a/b:1 AS base\nHEALTHCHECK CMD true\nFROM a/b:1\n",
        },
        id="healthcheck only in a builder stage",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:  # expect: DS301\n    build: .\n",
            "Dockerfile": "FROM a/b:1\nHEALTHCHECK NONE\n",
        },
        id="HEALTHCHECK NONE in the Dockerfile",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    build: .\n",
            "Dockerfile": "FROM a/b:1 AS base\nHEALTHCHECK CMD true\nFROM base\n",
        },
        id="final stage inherits the healthcheck of its base stage",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    build: {context: ., target: dev}\n",
            "Dockerfile": "FROM a/b:1 AS dev\nHEALTHCHECK CMD true\nFROM a/b:1\n",
        },
        id="build target stage has the healthcheck",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    healthcheck:\n"
                         "      disable: true  # expect: DS301\n"},
        id="disable true",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                         "    healthcheck:\n      test: [\"NONE\"]  # expect: DS301\n"},
        id="test NONE",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                         "    healthcheck:  # expect: DS301\n      interval: 10s\n"},
        id="options only on an image service",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    build: .\n    healthcheck:\n"
                            "      interval: 10s\n",
            "Dockerfile": "FROM a/b:1\nHEALTHCHECK CMD true\n",
        },
        id="options only, test inherited from the Dockerfile",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                            "    depends_on:\n      migrate:\n"
                            "        condition: service_completed_successfully\n" + HEALTHY
                            + "  migrate:\n    image: a/m:1\n",
        },
        id="one-shot: target of service_completed_successfully",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  seed:\n    image: a/m:1\n    restart: \"no\"\n"
                         "    command: [\"seed\", \"--once\"]\n"},
        id="one-shot: restart no with a command",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  seed:\n    image: a/m:1\n    restart: \"no\"\n"},
        id="one-shot: restart no and a task name",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  worker:  # expect: DS301\n    image: a/m:1\n"
                         "    restart: \"no\"\n    command: [\"celery\", \"worker\"]\n"},
        id="restart no with a command that names no task is not one-shot",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  temporal:  # expect: DS301\n    image: a/t:1\n"
                         "    restart: on-failure\n"},
        id="on-failure alone does not make a job",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  db-migrate:\n    image: a/m:1\n"
                         "    restart: on-failure:3\n"},
        id="one-shot: on-failure with retries and a task name",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  web:  # expect: DS301\n    image: a/m:1\n"
                         "    restart: \"no\"\n"
                         "    command: sh -c \"python manage.py migrate && gunicorn app\"\n"},
        id="a server that migrates first is not a job",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  minio-init:\n    image: a/m:1\n"},
        id="a task name without a restart policy is a job (Compose's default is no)",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  app:  # expect: DS301\n    image: a/m:1\n"
                         "    command: ./manage.py migrate\n"},
        id="a task command without a restart policy is not a job",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n" + HEALTHY,
            "docker-compose.dev.yml": "services:\n  api:\n    volumes:\n      - ./src:/app\n",
        },
        id="overlay that only adds volumes is judged merged",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n" + HEALTHY,
            "docker-compose.dev.yml": "services:\n  api:\n    healthcheck:\n"
                                      "      disable: true  # expect: DS301\n",
        },
        id="finding located in the overlay that disables it",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n" + HEALTHY,
            "docker-compose.dev.yml": "services:\n  adminer:  # expect: DS301\n"
                                      "    image: adminer:4\n",
        },
        id="service added by an overlay",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    image: a/b:1\n" + HEALTHY,
            "compose.override.yaml": "services:\n  api:\n"
                                     "    healthcheck: !reset null  # expect: DS301\n",
        },
        id="reset in the override removes the healthcheck",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    extends:\n      file: common.yml\n"
                            "      service: base\n",
            "common.yml": "services:\n  base:\n    image: a/b:1\n" + HEALTHY,
        },
        id="healthcheck from extends in another file",
    ),
    pytest.param(
        {
            "compose.yaml": "include:\n  - db.yml\nservices:\n  api:\n    image: a/b:1\n"
                            + HEALTHY,
            "db.yml": "services:\n  db:  # expect: DS301\n    image: postgres:16\n",
        },
        id="included service without a healthcheck, reported in its file",
    ),
    pytest.param(
        {
            "compose.yaml": "x-health: &health\n  healthcheck:\n    test: [\"CMD\", \"true\"]\n"
                            "services:\n  api:\n    <<: *health\n    image: a/b:1\n",
        },
        id="healthcheck from an anchor and merge key",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  tool:  # expect: DS301\n    image: a/b:1\n"
                         "    profiles: [tools]\n"},
        id="profile services are still services",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds301(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS301",)), ("DS301",))


def test_message_names_the_service_and_the_dockerfile(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {"compose.yaml": "services:\n  api:\n    build: ./api\n", "api/Dockerfile": "FROM a:1\n"},
        select=("DS301",),
    )
    assert len(findings) == 1
    assert "'api'" in findings[0].message
    assert "api/Dockerfile" in findings[0].message


def test_message_names_the_target_stage(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        "compose.yaml": "services:\n  api:\n    build:\n      context: .\n"
                        "      target: development\n",
        "Dockerfile": "FROM python:3.12 AS development\n"
                      "FROM python:3.12-slim\nHEALTHCHECK CMD true\n",
    }
    findings, _ = lint(files, select=("DS301",))
    assert len(findings) == 1
    assert "stage 'development' (its `build.target`) of Dockerfile" in findings[0].message
    assert "final stage" not in findings[0].message
