"""DS305 compose-missing-restart."""

from __future__ import annotations

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({"compose.yaml": "services:\n  api:  # expect: DS305\n    image: a/b:1\n"},
                 id="no restart"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    restart: unless-stopped\n"}, id="unless-stopped"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    restart: on-failure:3\n"}, id="on-failure"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    deploy:\n"
                                  "      restart_policy:\n        condition: on-failure\n"},
                 id="deploy restart_policy"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    restart: \"no\"  # expect: DS305\n"},
                 id="restart no on a long-running service"),
    pytest.param({"compose.yaml": "services:\n  migrate:\n    image: a/m:1\n    restart: \"no\"\n"
                                  "    command: [\"alembic\", \"upgrade\", \"head\"]\n"},
                 id="one-shot migration"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    restart: always\n"
                                  "    depends_on:\n      seed:\n"
                                  "        condition: service_completed_successfully\n"
                                  "  seed:\n    image: a/s:1\n"},
                 id="target of service_completed_successfully is one-shot"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    restart: ${RESTART:-unless-stopped}\n"},
                 id="restart from a variable default"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n    restart: always\n",
            "docker-compose.dev.yml": "services:\n  api:\n    volumes:\n      - ./src:/app\n",
        },
        id="overlay that only adds volumes",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n    restart: always\n",
            "docker-compose.dev.yml": "services:\n  api:\n    restart: \"no\"  # expect: DS305\n",
        },
        id="located in the overlay that switches it off",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    extends:\n      file: base.yml\n"
                            "      service: app\n",
            "base.yml": "services:\n  app:\n    image: a/b:1\n    restart: always\n",
        },
        id="restart inherited through extends",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds305(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS305",)), ("DS305",))


def test_missing_restart_is_fixable(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"},
                       select=("DS305",))
    assert findings[0].fixable
    assert "restart: unless-stopped" in findings[0].message
