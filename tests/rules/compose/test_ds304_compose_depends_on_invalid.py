"""DS304 compose-depends-on-invalid: undefined services and cycles."""

from __future__ import annotations

import pytest
from conftest import assert_findings

CASES = [
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n"
                         "      - database  # expect: DS304\n  db:\n    image: postgres:16\n"},
        id="undefined service",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on:\n"
                         "      db:  # expect: DS304\n        condition: service_healthy\n"
                         "        required: false\n"},
        id="undefined even when not required",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on: [db]\n"
                         "  db:\n    image: postgres:16\n    profiles: [db]\n"},
        id="service disabled by a profile is defined",
    ),
    pytest.param(
        {
            "compose.yaml": "include:\n  - db/compose.yaml\nservices:\n  api:\n    image: a/b:1\n"
                            "    depends_on: [db]\n",
            "db/compose.yaml": "services:\n  db:\n    image: postgres:16\n",
        },
        id="service of an included file is defined",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on: [db]\n",
            "compose.override.yaml": "services:\n  db:\n    image: postgres:16\n",
        },
        id="service defined by the override",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n",
            "docker-compose.dev.yml": "services:\n  api:\n    depends_on:\n"
                                      "      - mailhog  # expect: DS304\n",
        },
        id="overlay names an undefined service: located in the overlay",
    ),
    pytest.param(
        {
            "compose.yaml": "include:\n  - web/compose.yaml\nservices:\n  php:\n    image: p:8\n",
            "web/compose.yaml": "services:\n  nginx:\n    image: nginx:1.27\n"
                                "    depends_on: [php]\n",
        },
        id="an included piece is judged inside the stack that includes it, not alone",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  web:\n    image: a/b:1\n    depends_on:\n"
                         "      - \"${DB_ENGINE:-mysql}\"  # expect: DS304\n"
                         "  postgres:\n    image: postgres:16\n"},
        id="dependency name through a variable default",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  web:\n    image: a/b:1\n    depends_on:\n"
                         "      - \"${DB_ENGINE}\"\n  postgres:\n    image: postgres:16\n"},
        id="dependency name nothing resolves is not guessed",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    depends_on: [b]\n"
                         "  b:\n    image: x:1\n    depends_on: [c]\n"
                         "  c:\n    image: x:1\n    depends_on: [a]  # expect: DS304\n"},
        id="cycle reported once, at the edge that closes it",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    depends_on: [a]  # expect: DS304\n"},
        id="self dependency",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    depends_on: [b, c]\n"
                         "  b:\n    image: x:1\n    depends_on: [c]\n  c:\n    image: x:1\n"},
        id="a diamond is no cycle",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  a:\n    image: x:1\n    depends_on: [b]\n"
                                  "  b:\n    image: x:1\n",
            "docker-compose.dev.yml": "services:\n  b:\n    depends_on:\n"
                                      "      - a  # expect: DS304\n",
        },
        id="cycle closed by an overlay",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds304(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS304",)), ("DS304",))


def test_cycle_message_names_the_chain(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    depends_on: [b]\n"
                         "  b:\n    image: x:1\n    depends_on: [a]\n"},
        select=("DS304",),
    )
    assert len(findings) == 1
    assert "a -> b -> a" in findings[0].message


def test_suggests_a_close_name(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {"compose.yaml": "services:\n  api:\n    image: a/b:1\n    depends_on: [postgress]\n"
                         "  postgres:\n    image: postgres:16\n"},
        select=("DS304",),
    )
    assert "did you mean 'postgres'" in findings[0].message
