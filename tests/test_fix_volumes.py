"""``--fix --unsafe-fixes`` for DS307: a named volume on a stateful service's data directory,
declared at the top level, comments and quoting kept; nothing without ``--unsafe-fixes``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli as run
from conftest import write_project


def fix(capsys: pytest.CaptureFixture[str], root: Path) -> str:
    """Fix with --unsafe-fixes, prove a second run a no-op, return the first run's stderr."""
    _code, _out, err = run(capsys, "check", "--select", "DS307", "--fix", "--unsafe-fixes")
    after = (root / "compose.yaml").read_text()
    code, _out, again = run(capsys, "check", "--select", "DS307", "--fix", "--unsafe-fixes")
    assert code == 0 and "fixed:" not in again
    assert (root / "compose.yaml").read_text() == after
    return err


ANONYMOUS = """\
# the stack
services:
  db:
    image: postgres:16.4   # pinned
    volumes:
      - "/var/lib/postgresql/data"   # anonymous for now
      - ./init:/docker-entrypoint-initdb.d:ro
  cache:
    image: valkey/valkey:8
    command: valkey-server --save 60 1
  mq:
    image: rabbitmq:4.2
    volumes:
      - ./conf:/etc/rabbitmq/conf.d
      # more mounts later

volumes:
  other:   # used elsewhere
"""

ANONYMOUS_FIXED = """\
# the stack
services:
  db:
    image: postgres:16.4   # pinned
    volumes:
      - "postgres_data:/var/lib/postgresql/data"   # anonymous for now
      - ./init:/docker-entrypoint-initdb.d:ro
  cache:
    image: valkey/valkey:8
    command: valkey-server --save 60 1
    volumes:
      - valkey_data:/data
  mq:
    image: rabbitmq:4.2
    volumes:
      - ./conf:/etc/rabbitmq/conf.d
      # more mounts later
      - rabbitmq_data:/var/lib/rabbitmq

volumes:
  other:   # used elsewhere
  postgres_data:
  valkey_data:
  rabbitmq_data:
"""


def test_named_volumes_only_with_unsafe_fixes(repo: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {"compose.yaml": ANONYMOUS, "init/seed.sql": "", "conf/a.conf": ""})
    _code, _out, err = run(capsys, "check", "--select", "DS307", "--fix")
    assert (repo / "compose.yaml").read_text() == ANONYMOUS
    assert "3 unsafe fixes not applied: run again with --unsafe-fixes" in err
    err = fix(capsys, repo)
    assert (repo / "compose.yaml").read_text() == ANONYMOUS_FIXED
    assert ("fixed: compose.yaml: service 'db': its data (/var/lib/postgresql/data) in the new "
            "named volume 'postgres_data' (DS307, unsafe)") in err


def test_a_new_top_level_volumes_at_the_end(repo: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    text = "services:\n    db:\n        image: mysql:8.4\n        volumes:\n" \
           "            - /var/lib/mysql\n# the end"
    write_project(repo, {"compose.yaml": text})
    fix(capsys, repo)
    assert (repo / "compose.yaml").read_text() == (
        "services:\n    db:\n        image: mysql:8.4\n        volumes:\n"
        "            - mysql_data:/var/lib/mysql\n# the end\n\nvolumes:\n    mysql_data:\n"
    )


def test_names_do_not_collide(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two services of one image each get their own volume; a name in use is not reused."""
    text = ("services:\n  users:\n    image: postgres:16\n  orders:\n    image: postgres:16\n"
            "  cache:\n    image: redis:7.4\n    volumes:\n      - /data\n"
            "  other:\n    image: a/b:1\n    volumes:\n      - redis_data:/srv\n"
            "volumes:\n  redis_data:\n")
    write_project(repo, {"compose.yaml": text})
    fix(capsys, repo)
    assert (repo / "compose.yaml").read_text() == (
        "services:\n  users:\n    image: postgres:16\n    volumes:\n"
        "      - users_data:/var/lib/postgresql/data\n"
        "  orders:\n    image: postgres:16\n    volumes:\n"
        "      - orders_data:/var/lib/postgresql/data\n"
        "  cache:\n    image: redis:7.4\n    volumes:\n      - cache_data:/data\n"
        "  other:\n    image: a/b:1\n    volumes:\n      - redis_data:/srv\n"
        "volumes:\n  redis_data:\n  users_data:\n  orders_data:\n  cache_data:\n"
    )


@pytest.mark.parametrize(
    "service",
    [
        pytest.param("    image: postgres:16\n    volumes:\n      - ./pgdata:/var/lib/postgresql"
                     "/data\n", id="a bind mount holds data already"),
        pytest.param("    image: postgres:16\n    tmpfs:\n      - /var/lib/postgresql/data\n",
                     id="a tmpfs"),
        pytest.param("    image: postgres\n", id="postgres without a version: which path?"),
        pytest.param("    image: influxdb:2.7\n", id="two possible data directories"),
        pytest.param("    image: postgres:16\n    volumes:\n      - type: volume\n"
                     "        target: /var/lib/postgresql/data\n", id="the long syntax"),
        pytest.param("    image: mysql:8.4\n    volumes:\n      - ${MYSQL_DATA:-/var/lib/mysql}\n",
                     id="a target written with a variable"),
    ],
)
def test_no_volume_is_guessed(repo: Path, capsys: pytest.CaptureFixture[str],
                              service: str) -> None:
    text = "services:\n  db:\n" + service
    write_project(repo, {"compose.yaml": text, "pgdata/PG_VERSION": "16\n"})
    run(capsys, "check", "--select", "DS307", "--fix", "--unsafe-fixes")
    assert (repo / "compose.yaml").read_text() == text
    _code, out, _err = run(capsys, "check", "--select", "DS307", "--format", "json")
    assert [f["fixable"] for f in json.loads(out)["findings"]] == [False]


def test_merge_key_and_anchor_are_notes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("x-db: &db\n  image: postgres:16\nservices:\n  db:\n    <<: *db\n"
            "  db2:\n    image: mongo:7\n    volumes: &vols\n      - /data/db\n"
            "  db3:\n    image: mongo:7\n    volumes: *vols\n")
    write_project(repo, {"compose.yaml": text})
    _code, _out, err = run(capsys, "check", "--select", "DS307", "--fix", "--unsafe-fixes")
    assert (repo / "compose.yaml").read_text() == text
    assert "compose.yaml:4: DS307 not fixed: the service takes keys through a merge key" in err
    assert "DS307 not fixed: its volumes are not a plain list" in err
