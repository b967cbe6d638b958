"""DS308 compose-undeclared-resource: volumes, networks, secrets and configs."""

from __future__ import annotations

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data  # expect: DS308\n"},
                 id="undeclared volume"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n"},
                 id="declared volume"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - type: volume  # expect: DS308\n        source: pgdata\n"
                                  "        target: /var/lib/postgresql/data\n"},
                 id="long syntax volume"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - ./data:/data\n      - /anon\n"},
                 id="bind mounts and anonymous volumes need no declaration"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    networks:\n"
                                  "      - backend  # expect: DS308\n"},
                 id="undeclared network"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    networks:\n"
                                  "      backend:  # expect: DS308\n        aliases: [api]\n"},
                 id="undeclared network, long syntax"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    networks: [default]\n"},
                 id="the default network needs no declaration"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    networks: [proxy]\n"
                                  "networks:\n  proxy:\n    external: true\n"},
                 id="external network counts as declared"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    network_mode: service:vpn\n  vpn:\n    image: a/v:1\n"},
                 id="network_mode service is not a network"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    secrets:\n"
                                  "      - db_password  # expect: DS308\n"
                                  "    configs:\n      - source: app_conf  # expect: DS308\n"
                                  "        target: /etc/app.conf\n"},
                 id="undeclared secret and config"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    secrets: [pw]\n"
                                  "    configs: [conf]\nsecrets:\n  pw:\n    file: ./pw.txt\n"
                                  "configs:\n  conf:\n    file: ./app.conf\n"},
                 id="declared secret and config"),
    pytest.param(
        {
            "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                            "      - pgdata:/var/lib/postgresql/data\n",
            "compose.override.yaml": "volumes:\n  pgdata:\n",
        },
        id="declared by the override",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
            "docker-compose.dev.yml": "services:\n  db:\n    volumes:\n"
                                      "      - devdata:/var/lib/postgresql/data"
                                      "  # expect: DS308\n",
        },
        id="used by an overlay without declaring it",
    ),
    pytest.param(
        {
            "compose.yaml": "include:\n  - infra.yml\nservices:\n  api:\n    image: a/b:1\n"
                            "    networks: [shared]\n",
            "infra.yml": "services:\n  db:\n    image: postgres:16\n    networks: [shared]\n"
                         "networks:\n  shared:\n",
        },
        id="network declared by an included file",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds308(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS308",)), ("DS308",))
