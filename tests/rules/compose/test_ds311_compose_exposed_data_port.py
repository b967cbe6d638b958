"""DS311 compose-exposed-data-port."""

from __future__ import annotations

import pytest
from conftest import assert_findings


def db(*ports: str, image: str = "postgres:16") -> str:
    return f"services:\n  db:\n    image: {image}\n    ports:\n" + "".join(
        f"      - {port}\n" for port in ports
    )


CASES = [
    pytest.param({"compose.yaml": db('"5432:5432"  # expect: DS311')}, id="all interfaces"),
    pytest.param({"compose.yaml": db('"127.0.0.1:5432:5432"')}, id="loopback"),
    pytest.param({"compose.yaml": db('"[::1]:5432:5432"')}, id="IPv6 loopback"),
    pytest.param({"compose.yaml": db('"0.0.0.0:5432:5432"  # expect: DS311')}, id="0.0.0.0"),
    pytest.param({"compose.yaml": db('"[::]:5432:5432"  # expect: DS311')}, id="::"),
    pytest.param({"compose.yaml": db('"5432"  # expect: DS311')}, id="random host port"),
    pytest.param({"compose.yaml": db('"${PG_PORT:-5432}:5432"  # expect: DS311')},
                 id="published port from a variable"),
    pytest.param({"compose.yaml": db('"${BIND_ADDR:-127.0.0.1}:6432:5432"')},
                 id="host ip from a variable default (dclint reports this)"),
    pytest.param({"compose.yaml": db('"${BIND_ADDR}:6432:5432"'),
                  ".env.example": "BIND_ADDR=127.0.0.1\n"},
                 id="host ip from .env.example"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: redis:7\n    ports:\n"
                                  "      - published: 6379  # expect: DS311\n        target: 6379\n"
                                  "      - host_ip: 127.0.0.1\n        published: 6380\n"
                                  "        target: 6379\n"},
                 id="long syntax"),
    pytest.param({"compose.yaml": db('"8080:80"', image="nginx:1.27")},
                 id="not a stateful image"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                                  "    expose: [\"5432\"]\n"},
                 id="expose publishes nothing"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
            "docker-compose.dev.yml": "services:\n  db:\n    ports:\n"
                                      "      - \"5432:5432\"  # expect: DS311\n",
        },
        id="published by an overlay",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds311(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS311",)), ("DS311",))
