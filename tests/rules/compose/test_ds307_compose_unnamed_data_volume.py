"""DS307 compose-unnamed-data-volume."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_findings

PGVOL = "volumes:\n  pgdata:\n"

CASES = [
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:18.1\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql\n" + PGVOL},
                 id="postgres 18 keeps its data in /var/lib/postgresql"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:18.1\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data  # expect: DS307\n"
                                  + PGVOL},
                 id="postgres 18 with the volume where 17 kept its data"),
    pytest.param({"compose.yaml": "services:\n  init-db:\n"
                                  "    image: clickhouse/clickhouse-server:25.1\n"
                                  "    restart: on-failure\n    command: [bash, -c, 'fetch udfs']\n"
                                  "  db:\n    image: clickhouse/clickhouse-server:25.1\n"
                                  "    volumes:\n      - chdata:/var/lib/clickhouse\n"
                                  "    depends_on:\n      init-db:\n"
                                  "        condition: service_completed_successfully\n"
                                  "volumes:\n  chdata:\n"},
                 id="a one-shot job of a stateful image keeps no data"),
    pytest.param({"compose.yaml": "services:\n  zk:\n    image: signoz/zookeeper:3.7.1\n"
                                  "    volumes:\n      - zkdata:/bitnami/zookeeper\n"
                                  "volumes:\n  zkdata:\n"},
                 id="an image on bitnami's layout keeps its data under /bitnami"),
    pytest.param({"compose.yaml": "services:\n  zk:\n    image: signoz/zookeeper:3.7.1\n"
                                  "    volumes:\n"
                                  "      - ./zk:/bitnami/zookeeper  # expect: DS307\n"},
                 id="bitnami's layout in a bind mount"),
    pytest.param({"compose.yaml": "services:\n  db:  # expect: DS307\n    image: postgres:16\n"},
                 id="no volume at all"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data\n" + PGVOL},
                 id="named volume"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - ./pgdata:/var/lib/postgresql/data  # expect: DS307\n"},
                 id="bind mount"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    volumes:\n"
                                  "      - /var/lib/mysql  # expect: DS307\n"},
                 id="anonymous volume"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: mongo:7\n    volumes:\n"
                                  "      - type: tmpfs  # expect: DS307\n"
                                  "        target: /data/db\n"},
                 id="tmpfs"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql\n" + PGVOL},
                 id="parent folder in a named volume"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                  "      PGDATA: /pgdata\n    volumes:\n      - pgdata:/pgdata\n"
                                  + PGVOL},
                 id="PGDATA moves the data directory"),
    pytest.param({"compose.yaml": "services:\n  db:  # expect: DS307\n    image: postgres:16\n"
                                  "    environment:\n      PGDATA: /pgdata\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data\n" + PGVOL},
                 id="named volume at the old path while PGDATA points elsewhere"),
    pytest.param({"compose.yaml": "services:\n  s3:  # expect: DS307\n"
                                  "    image: minio/minio:RELEASE.2024\n"
                                  "    command: server /export --console-address :9001\n"
                                  "    volumes:\n      - minio:/data\nvolumes:\n  minio:\n"},
                 id="minio data path comes from its command"),
    pytest.param({"compose.yaml": "services:\n  s3:\n    image: minio/minio:RELEASE.2024\n"
                                  "    command: server /data\n"
                                  "    volumes:\n      - minio:/data\nvolumes:\n  minio:\n"},
                 id="minio with its data in a named volume"),
    pytest.param({"compose.yaml": "services:\n  cache:\n    image: memcached:1.6\n"},
                 id="memcached keeps no data"),
    pytest.param({"compose.yaml": "services:\n  db:  # expect: DS307\n"
                                  "    image: docker.io/library/redis:7\n"},
                 id="fully qualified official image"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: bitnami/postgresql:16\n"
                                  "    volumes:\n      - pg:/bitnami/postgresql\n"
                                  "volumes:\n  pg:\n"},
                 id="bitnami data folder"),
    pytest.param({"compose.yaml": "services:\n  db:  # expect: DS307\n"
                                  "    image: \"${DB_IMAGE:-postgres:16}\"\n"},
                 id="image through a variable default"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data\n" + PGVOL,
            "docker-compose.dev.yml": "services:\n  db:\n    volumes:\n"
                                      "      - ./dev-data:/var/lib/postgresql/data"
                                      "  # expect: DS307\n",
        },
        id="overlay replaces the named volume with a bind mount: located in the overlay",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                  "      - pgdata:/var/lib/postgresql/data\n" + PGVOL,
            "docker-compose.dev.yml": "services:\n  db:\n    volumes:\n"
                                      "      - ./seed.sql:/docker-entrypoint-initdb.d/seed.sql\n",
        },
        id="overlay that only adds a file mount",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds307(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS307",)), ("DS307",))


def test_stateful_images_setting_extends_the_list(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".docker-standard.yaml").write_text(
        "stateful-images:\n  acme/ledger: [/srv/ledger]\n", encoding="utf-8"
    )
    result = lint({"compose.yaml": "services:\n  ledger:\n    image: acme/ledger:3\n"
                                   "    volumes:\n      - ./l:/srv/ledger  # expect: DS307\n"},
                  select=("DS307",))
    assert_findings(result, ("DS307",))


def test_a_mount_ds314_reports_is_not_reported_twice(lint) -> None:  # type: ignore[no-untyped-def]
    """A long-syntax bind whose folder is missing fails `up` (DS314): one finding, not two."""
    files = {"compose.yaml": "services:\n  db:\n    image: postgres:16.4\n    volumes:\n"
                             "      - type: bind  # expect: DS314\n        source: ./pgdata\n"
                             "        target: /var/lib/postgresql/data\n"}
    assert_findings(lint(files, select=("DS307", "DS314")), ("DS307", "DS314"))


def test_a_short_syntax_data_folder_is_ds307_only(lint) -> None:  # type: ignore[no-untyped-def]
    files = {"compose.yaml": "services:\n  db:\n    image: postgres:16.4\n    volumes:\n"
                             "      - ./pgdata:/var/lib/postgresql/data  # expect: DS307\n"}
    assert_findings(lint(files, select=("DS307", "DS314")), ("DS307", "DS314"))
