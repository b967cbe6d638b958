"""DS302 compose-unconditioned-depends-on."""

from __future__ import annotations

import pytest
from conftest import assert_findings

DB = "  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n"

CASES = [
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n"
                         "      - db  # expect: DS302\n" + DB},
        id="short form list",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                         "    depends_on: [db]  # expect: DS302\n" + DB},
        id="short form flow list",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n      db:\n"
                         "        condition: service_started  # expect: DS302\n" + DB},
        id="service_started",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n      db:\n"
                         "        condition: service_healthy\n" + DB},
        id="service_healthy",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n      migrate:\n"
                         "        condition: service_completed_successfully\n"
                         "  migrate:\n    image: a/m:1\n    command: migrate\n"},
        id="service_completed_successfully",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n      db:\n"
                         "        condition: ${DB_CONDITION:-service_healthy}\n" + DB},
        id="condition through a variable default",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n"
                         "      - ghost\n"},
        id="undefined target is left to DS304",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n" + DB,
            "docker-compose.dev.yml": "services:\n  api:\n    depends_on:\n"
                                      "      - db  # expect: DS302\n",
        },
        id="located in the overlay that adds it",
    ),
    pytest.param(
        {
            "compose.yaml": "x-deps: &deps\n  depends_on:\n    - db  # expect: DS302\n"
                            "services:\n  api:\n    <<: *deps\n    image: a/b:1\n"
                            "  worker:\n    <<: *deps\n    image: a/w:1\n" + DB,
        },
        id="anchor shared by two services: one finding at its line",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds302(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS302",)), ("DS302",))


def test_one_shot_target_suggests_completed_successfully(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on: [migrate]\n"
                         "  migrate:\n    image: a/m:1\n    restart: \"no\"\n"
                         "    command: [\"alembic\", \"upgrade\", \"head\"]\n"},
        select=("DS302",),
    )
    assert [f.code for f in findings] == ["DS302"]
    assert "service_completed_successfully" in findings[0].message
    assert findings[0].fixable


def test_long_running_target_suggests_service_healthy(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on: [db]\n" + DB},
        select=("DS302",),
    )
    assert "condition: service_healthy" in findings[0].message
    assert findings[0].fixable
