"""DS314 compose-path-missing: build contexts, Dockerfiles and bind-mount sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import assert_findings

DF = "FROM python:3.12\n"

CASES = [
    pytest.param({"compose.yaml": "services:\n  api:\n    build: ./api  # expect: DS314\n"},
                 id="missing context"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build: ./api\n", "api/Dockerfile": DF},
                 id="context with its Dockerfile"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build: ./api  # expect: DS314\n",
                  "api/main.py": ""},
                 id="context without a Dockerfile"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build:\n      context: .\n"
                                  "      dockerfile: services/api/Dockerfile  # expect: DS314\n",
                  "main.py": ""},
                 id="missing dockerfile"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build:\n      context: .\n"
                                  "      dockerfile: services/api/Dockerfile\n",
                  "services/api/Dockerfile": DF},
                 id="dockerfile present"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build:\n      context: ./api\n"
                                  "      dockerfile_inline: |\n        FROM python:3.12\n",
                  "api/main.py": ""},
                 id="dockerfile_inline"),
    pytest.param({"compose.yaml": "services:\n  api:\n"
                                  "    build: https://github.com/acme/api.git#main\n"},
                 id="remote context"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build: ${API_CONTEXT:-./api}\n"},
                 id="context with a variable"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - ./scripts/init-db.sh:/docker-entrypoint-initdb.d/"
                                  "init.sh  # expect: DS314\n"},
                 id="missing bind source"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - ./scripts/init-db.sh:/docker-entrypoint-initdb.d/"
                                  "init.sh\n",
                  "scripts/init-db.sh": "#!/bin/sh\n"},
                 id="bind source present"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - type: bind  # expect: DS314\n        source: ./conf\n"
                                  "        target: /etc/conf\n"},
                 id="long syntax bind"),
    pytest.param({"compose.yaml": "services:\n  agent:\n    image: a/b:1\n    volumes:\n"
                                  "      - /var/run/docker.sock:/var/run/docker.sock\n"
                                  "      - ~/.ssh:/root/.ssh:ro\n      - ${DATA_DIR}:/data\n"
                                  "      - named:/x\nvolumes:\n  named:\n"},
                 id="host paths, variables and named volumes are not checked"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n",
            "docker-compose.dev.yml": "services:\n  api:\n    volumes:\n"
                                      "      - ./app.ini:/app/app.ini  # expect: DS314\n",
        },
        id="located in the overlay",
    ),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - ./pgdata:/var/lib/postgresql/data\n"},
                 id="missing folder in short syntax: Docker creates it"),
    pytest.param({"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    volumes:\n"
                                  "      - ./certbot/letsencrypt/:/var/www/letsencrypt\n"
                                  "      - ./conf.d:/etc/nginx/conf.d\n"},
                 id="folders in short syntax, a .d folder is not a file"),
    pytest.param({"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    volumes:\n"
                                  "      - ./site:/etc/nginx/nginx.conf:ro  # expect: DS314\n"},
                 id="missing source mounted onto a file path"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - type: bind\n        source: ./conf\n"
                                  "        target: /etc/conf\n"
                                  "        bind:\n          create_host_path: true\n"},
                 id="long syntax bind with create_host_path"),
    pytest.param(
        {
            "compose.yaml": "include:\n  - infra/compose.yaml\n",
            "infra/compose.yaml": "services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n"
                                  "      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n",
            "infra/nginx.conf": "events {}\n",
        },
        id="relative to the included file's folder",
    ),
    pytest.param(
        {
            "compose.yaml": "include:\n  - path: apache/compose.yml\n    project_directory: .\n",
            "apache/compose.yml": "services:\n  apache:\n    build: ./apache\n"
                                  "    volumes:\n      - ./apache/sites:/etc/apache2/sites\n",
            "apache/Dockerfile": "FROM httpd:2.4\n",
            "apache/sites/default.conf": "",
        },
        id="include with project_directory resolves against that folder",
    ),
    pytest.param(
        {
            "compose.yaml": "include:\n  - infra/compose.yaml\n",
            "infra/compose.yaml": "services:\n  proxy:\n    build: ./proxy\n",
            "infra/proxy/Dockerfile": "FROM nginx:1.27\n",
        },
        id="build context of an included file resolves against its folder",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds314(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS314",)), ("DS314",))


def test_long_syntax_message_says_up_fails(lint) -> None:  # type: ignore[no-untyped-def]
    files = {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                             "      - type: bind\n        source: ./conf\n"
                             "        target: /etc/conf\n"}
    findings, _ = lint(files, select=("DS314",))
    assert len(findings) == 1
    assert "bind source path does not exist" in findings[0].message
    assert "create_host_path" in findings[0].message


def test_a_missing_key_file_is_never_to_be_committed(lint: Callable[..., Any]) -> None:
    """wazuh's certs/*-key.pem come from a generator step: "commit it" would leak a key."""
    files = {
        "compose.yaml": "services:\n  app:\n    image: a/b:1\n    volumes:\n"
        "      - ./certs/app-key.pem:/etc/app/key.pem\n      - ./config.yml:/etc/app/config.yml\n"
    }
    findings, _ = lint(files, select=["DS314"])
    by_line = {f.span.line: f.message for f in findings}
    assert "never commit a private key" in by_line[5] and "commit it" not in by_line[5]
    assert by_line[6].endswith("commit it or fix the path")
