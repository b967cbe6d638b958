"""``--fix`` for DS301: the healthcheck of each table entry, exactly as written, and the
services it leaves alone, with the note that says why."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli as run
from conftest import write_project

TIMING = "      interval: 10s\n      timeout: 5s\n      retries: 5\n      start_period: 30s\n"
PG = ('["CMD-SHELL", "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres} '
      '-d $${POSTGRES_DB:-$${POSTGRES_USER:-postgres}}"]')
MYSQLADMIN = '["CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent"]'


@pytest.mark.parametrize(
    ("service", "test"),
    [
        pytest.param("    image: postgres:16.4\n", PG, id="postgres"),
        pytest.param("    image: postgis/postgis:16-3.4\n", PG, id="postgis"),
        pytest.param("    image: timescale/timescaledb:2.14.2-pg16\n", PG, id="timescaledb"),
        pytest.param("    image: mysql:8.4\n", MYSQLADMIN, id="mysql"),
        pytest.param("    image: mariadb:10.11\n", MYSQLADMIN, id="mariadb 10"),
        pytest.param("    image: mariadb:11.4\n",
                     '["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]',
                     id="mariadb 11"),
        pytest.param("    image: redis:7.4-alpine\n",
                     '["CMD-SHELL", "redis-cli ping | grep -q PONG"]', id="redis"),
        pytest.param("    image: redis:7.4\n    command: redis-server --requirepass "
                     "${REDIS_PASSWORD}\n    environment:\n"
                     "      REDIS_PASSWORD: ${REDIS_PASSWORD}\n",
                     '["CMD-SHELL", "redis-cli -a \\"$${REDIS_PASSWORD}\\" --no-auth-warning '
                     'ping | grep -q PONG"]', id="redis with a password"),
        pytest.param("    image: valkey/valkey:8-alpine\n",
                     '["CMD-SHELL", "valkey-cli ping | grep -q PONG"]', id="valkey"),
        pytest.param("    image: valkey/valkey:8\n    command: [\"sh\", \"-c\", "
                     "\"valkey-server --requirepass $$VALKEY_PASSWORD\"]\n"
                     "    env_file: valkey.env\n",
                     '["CMD-SHELL", "valkey-cli -a \\"$${VALKEY_PASSWORD}\\" --no-auth-warning '
                     'ping | grep -q PONG"]', id="valkey with the container's password"),
        pytest.param("    image: mongo:4.4\n",
                     '["CMD", "mongo", "--quiet", "--eval", "db.adminCommand(\'ping\').ok"]',
                     id="mongo 4"),
        pytest.param("    image: mongo:7.0\n",
                     '["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand(\'ping\').ok"]',
                     id="mongo 7"),
        pytest.param("    image: rabbitmq:4.2-management\n",
                     '["CMD", "rabbitmq-diagnostics", "-q", "ping"]', id="rabbitmq"),
    ],
)
def test_each_table_entry_writes_its_healthcheck(
    repo: Path, capsys: pytest.CaptureFixture[str], service: str, test: str
) -> None:
    text = "services:\n  store:\n" + service + "    restart: unless-stopped\n"
    files = {"compose.yaml": text}
    if "env_file" in service:
        files["valkey.env"] = "VALKEY_PASSWORD=\n"
    write_project(repo, files)
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS301")
    assert code == 1, err
    assert (repo / "compose.yaml").read_text() == (
        text + "    healthcheck:\n      test: " + test + "\n" + TIMING
    )
    assert "fixed: compose.yaml: service 'store': added a healthcheck" in err
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS301")
    assert code == 0 and "fixed:" not in err


@pytest.mark.parametrize(
    "service",
    [
        pytest.param("    build: .\n", id="built from a Dockerfile"),
        pytest.param("    image: ghcr.io/acme/api:1.4.2\n", id="not in the table"),
        pytest.param("    image: postgres:latest\n", id="a tag without a version"),
        pytest.param("    image: postgres:${PG_TAG}\n", id="a variable without a value"),
        pytest.param("    image: redis:7.4\n    command: redis-server --requirepass s3cret\n",
                     id="a literal password"),
        pytest.param("    image: redis:7.4\n    command: redis-server --requirepass "
                     "${REDIS_PASSWORD}\n", id="a password the container does not have"),
        pytest.param("    image: redis:5.0\n    command: redis-server --requirepass "
                     "$$REDIS_PASSWORD\n", id="a password redis-cli 5 cannot take quietly"),
        pytest.param("    image: redis:7.4\n    command: redis-server /etc/redis/redis.conf\n",
                     id="a configuration file"),
        pytest.param("    image: postgres:16\n    command: postgres -c port=5433\n",
                     id="another port"),
        pytest.param("    image: postgres:16\n    entrypoint: /wrap.sh\n", id="an entrypoint"),
        pytest.param("    image: mongo:7\n    command: mongod --tlsMode requireTLS\n",
                     id="mongo over TLS only"),
        pytest.param("    image: mysql:8.4\n    volumes:\n      - ./my.cnf:/etc/mysql/conf.d/"
                     "my.cnf:ro\n", id="a mysql configuration file"),
    ],
)
def test_no_healthcheck_is_guessed(repo: Path, capsys: pytest.CaptureFixture[str],
                                   service: str) -> None:
    """The finding stays, carries no fix (so it does not claim one), and the file is as it
    was; a password is never copied into a note or the file."""
    text = "services:\n  store:\n" + service + "    restart: unless-stopped\n"
    write_project(repo, {"compose.yaml": text, "Dockerfile": "FROM alpine:3.20\n"})
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS301")
    assert code == 1
    assert (repo / "compose.yaml").read_text() == text
    assert "fixed:" not in err and "s3cret" not in err
    code, out, _err = run(capsys, "check", "--select", "DS301", "--format", "json")
    findings = json.loads(out)["findings"]
    assert [f["fixable"] for f in findings] == [False]


def test_comments_layout_and_crlf_are_kept(repo: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    text = ("# the stack\r\nservices:\r\n    db:   # primary\r\n        image: 'postgres:16'\r\n"
            "        environment:\r\n            POSTGRES_DB: app   # the name\r\n"
            "            # more to come\r\n    # the cache\r\n    cache:\r\n"
            "        image: redis:7.4\r\n        restart: unless-stopped")
    write_project(repo, {"compose.yaml": text})
    run(capsys, "check", "--fix", "--select", "DS301")
    block = "        healthcheck:\r\n            test: {}\r\n" + TIMING.replace(
        "      ", "            ").replace("\n", "\r\n")
    assert (repo / "compose.yaml").read_bytes().decode() == (
        "# the stack\r\nservices:\r\n    db:   # primary\r\n        image: 'postgres:16'\r\n"
        "        environment:\r\n            POSTGRES_DB: app   # the name\r\n"
        "            # more to come\r\n" + block.format(PG) + "    # the cache\r\n    cache:\r\n"
        "        image: redis:7.4\r\n        restart: unless-stopped\r\n"
        + block.format('["CMD-SHELL", "redis-cli ping | grep -q PONG"]').removesuffix("\r\n")
    )


def test_overlay_and_anchor(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The block goes into the file that defines the service; an anchored service is a note."""
    base = ("x-db: &db\n  image: postgres:16\nservices:\n  api:\n    image: a/api:1\n"
            "    healthcheck:\n      test: [\"CMD\", \"true\"]\n  db: *db\n")
    overlay = "services:\n  cache:\n    image: redis:7.4\n"
    write_project(repo, {"compose.yaml": base, "compose.cache.yaml": overlay})
    _code, _out, err = run(capsys, "check", "--fix", "--select", "DS301")
    assert (repo / "compose.yaml").read_text() == base
    assert "compose.yaml:8: DS301 not fixed: the service is an alias of an anchored block" in err
    assert (repo / "compose.cache.yaml").read_text() == (
        overlay + "    healthcheck:\n      test: [\"CMD-SHELL\", \"redis-cli ping | grep -q PONG\"]"
        "\n" + TIMING
    )


def test_ds302_follows_in_the_same_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14: once DS301 gave the database a healthcheck, its dependants wait for it to be
    healthy and a one-shot job's dependants for it to complete, in one `--fix`."""
    text = ("services:\n  api:\n    image: a/api:1\n    healthcheck:\n"
            "      test: [\"CMD\", \"true\"]\n    depends_on:\n      - db\n      - migrate\n"
            "  migrate:\n    image: a/api:1\n    command: [\"./manage.py\", \"migrate\"]\n"
            "    restart: \"no\"\n    depends_on: [db]\n  db:\n    image: postgres:16\n")
    write_project(repo, {"compose.yaml": text})
    # --diff shows every round --fix will write, the DS302 that waits for DS301 included.
    code, diff, err = run(capsys, "check", "--diff", "--select", "DS301,DS302")
    assert (repo / "compose.yaml").read_text() == text
    assert "+        condition: service_healthy" in diff and "+    healthcheck:" in diff
    assert "run --fix again" not in err
    subprocess.run(["git", "apply"], cwd=repo, input=diff, text=True, check=True)
    after_diff = (repo / "compose.yaml").read_text()
    (repo / "compose.yaml").write_text(text)
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS301,DS302")
    assert code == 1, err  # files were fixed
    assert (repo / "compose.yaml").read_text() == after_diff
    assert (repo / "compose.yaml").read_text() == (
        "services:\n  api:\n    image: a/api:1\n    healthcheck:\n"
        "      test: [\"CMD\", \"true\"]\n    depends_on:\n      db:\n"
        "        condition: service_healthy\n      migrate:\n"
        "        condition: service_completed_successfully\n"
        "  migrate:\n    image: a/api:1\n    command: [\"./manage.py\", \"migrate\"]\n"
        "    restart: \"no\"\n    depends_on:\n      db:\n        condition: service_healthy\n"
        "  db:\n    image: postgres:16\n    healthcheck:\n      test: " + PG + "\n" + TIMING
    )
    assert "not fixed" not in err
    assert run(capsys, "check", "--fix", "--select", "DS301,DS302")[0] == 0
