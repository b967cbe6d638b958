"""DS306 compose-unpinned-image: tags judged after interpolation, as a fresh clone sees them."""

from __future__ import annotations

import pytest
from conftest import assert_findings


def svc(image: str) -> str:
    return f"services:\n  db:\n    image: {image}\n"


CASES = [
    pytest.param({"compose.yaml": svc("postgres  # expect: DS306")}, id="untagged"),
    pytest.param({"compose.yaml": svc("postgres:latest  # expect: DS306")}, id="latest"),
    pytest.param({"compose.yaml": svc("postgres:16.4")}, id="tagged"),
    pytest.param({"compose.yaml": svc("postgres@sha256:" + "a" * 64)}, id="digest"),
    pytest.param({"compose.yaml": svc("ghcr.io/acme/api:latest@sha256:" + "b" * 64)},
                 id="latest with a digest is pinned"),
    pytest.param({"compose.yaml": svc("registry:5000/team/app  # expect: DS306")},
                 id="registry port is not a tag"),
    pytest.param({"compose.yaml": svc("registry:5000/team/app:1.2")}, id="registry port and tag"),
    pytest.param({"compose.yaml": svc('"postgres:${PG_TAG:-16}"')}, id="pinned by its default"),
    pytest.param({"compose.yaml": svc('"postgres:${PG_TAG:-latest}"  # expect: DS306')},
                 id="latest through a default"),
    pytest.param({"compose.yaml": svc('"postgres:${PG_TAG}"  # expect: DS306')},
                 id="unresolvable tag"),
    pytest.param({"compose.yaml": svc('"postgres:${PG_TAG}"'), ".env.example": "PG_TAG=16\n"},
                 id="tag from .env.example"),
    pytest.param({"compose.yaml": svc('"postgres:${PG_TAG}"  # expect: DS306'),
                  ".env.example": "PG_TAG=latest\n"},
                 id="latest from .env.example"),
    pytest.param({"compose.yaml": svc('"${APP_IMAGE:?set APP_IMAGE}"  # expect: DS306')},
                 id="required variable with no value"),
    pytest.param({"compose.yaml": svc('"${REGISTRY}/acme/api:1.4.2"')},
                 id="unresolved registry, literal tag"),
    pytest.param({"compose.yaml": svc('"postgres:$$notavar"')},
                 id="escaped dollar is literal text (an odd but explicit tag)"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: acme/api\n    build: .\n",
                  "Dockerfile": "FROM python:3.12\n"},
                 id="image named by its own build"),
    pytest.param({"compose.yaml": "services:\n  api:  # expect: DS306\n    restart: always\n"},
                 id="neither image nor build"),
    pytest.param(
        {
            "docker-compose.yml": svc("postgres:16"),
            "docker-compose.dev.yml": "services:\n  db:\n    volumes:\n      - ./init:/init\n",
        },
        id="overlay that only adds volumes has no missing image",
    ),
    pytest.param(
        {
            "docker-compose.yml": svc("postgres:16"),
            "docker-compose.dev.yml": svc("postgres:latest  # expect: DS306"),
        },
        id="located in the overlay that writes it",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  db:\n    extends:\n      file: base.yml\n"
                            "      service: pg\n",
            "base.yml": svc("postgres  # expect: DS306").replace("db:", "pg:"),
        },
        id="image from extends: located in the extended file",
    ),
    pytest.param(
        {"compose.yaml": "x-img: &img\n  image: redis  # expect: DS306\n"
                         "services:\n  cache:\n    <<: *img\n"},
        id="anchor and merge key",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds306(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS306",)), ("DS306",))


@pytest.mark.parametrize(
    ("image", "wanted"),
    [
        ('"postgres:${PG_TAG}"', "cannot be resolved"),
        ("postgres", "without a tag"),
        ("postgres:latest", "`latest`"),
        ('"postgres:${PG_TAG:-latest}"', "= 'postgres:latest'"),
    ],
)
def test_messages_are_distinct(lint, image: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": svc(image)}, select=("DS306",))
    assert len(findings) == 1
    assert wanted in findings[0].message
    assert "'db'" in findings[0].message
