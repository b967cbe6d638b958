"""The table of images whose maintainers document a healthcheck."""

from __future__ import annotations

import pytest
from docker_standard.model.healthcheck_images import TABLE, known_check, with_password
from docker_standard.model.image import parse_image

PG = ("CMD-SHELL", "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres} "
      "-d $${POSTGRES_DB:-$${POSTGRES_USER:-postgres}}")
MYSQLADMIN = ("CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent")


def test_every_entry_has_a_source_and_a_test() -> None:
    for entry in TABLE:
        assert entry.source.startswith("https://"), entry
        for check in entry.checks:
            assert check.test[0] in ("CMD", "CMD-SHELL") and len(check.test) > 1, check


def test_no_test_copies_a_value() -> None:
    """Credentials are read in the container: every `$` in a test is escaped for Compose."""
    for entry in TABLE:
        for check in entry.checks:
            for test in (check.test, check.with_password or ()):
                for part in test:
                    assert "$" not in part.replace("$$", ""), part


@pytest.mark.parametrize(
    ("reference", "test"),
    [
        ("postgres:16.4", PG),
        ("docker.io/library/postgres:18.4-trixie", PG),
        ("postgis/postgis:16-3.4", PG),
        ("timescale/timescaledb:2.14.2-pg16", PG),
        ("mysql:8.4", MYSQLADMIN),
        ("mysql:5.6", None),
        ("mariadb:10.11", MYSQLADMIN),
        ("mariadb:11.8", ("CMD", "healthcheck.sh", "--connect", "--innodb_initialized")),
        ("mariadb:12", ("CMD", "healthcheck.sh", "--connect", "--innodb_initialized")),
        ("mariadb:lts", None),
        ("redis:7.4-alpine", ("CMD-SHELL", "redis-cli ping | grep -q PONG")),
        ("redis:5.0", ("CMD-SHELL", "redis-cli ping | grep -q PONG")),
        ("valkey/valkey:9-alpine", ("CMD-SHELL", "valkey-cli ping | grep -q PONG")),
        ("mongo:4.4", ("CMD", "mongo", "--quiet", "--eval", "db.adminCommand('ping').ok")),
        ("mongo:7.0", ("CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok")),
        ("rabbitmq:4.2-management", ("CMD", "rabbitmq-diagnostics", "-q", "ping")),
        ("rabbitmq:3-management", None),  # 3 may be 3.7, older than `rabbitmq-diagnostics ping`
        ("postgres", None),
        ("postgres:latest", None),
        ("redis:alpine", None),
        ("ghcr.io/acme/postgres:16", None),  # another publisher's image of the same name
        ("nginx:1.27", None),
    ],
)
def test_known_check(reference: str, test: tuple[str, ...] | None) -> None:
    answer = known_check(parse_image(reference))
    assert (answer.check.test if answer else None) == test


@pytest.mark.parametrize(
    ("reference", "test"),
    [
        ("redis:7.4", ("CMD-SHELL",
                       'redis-cli -a "$${REDIS_PASSWORD}" --no-auth-warning ping | grep -q PONG')),
        ("valkey/valkey:8", ("CMD-SHELL", 'valkey-cli -a "$${REDIS_PASSWORD}" --no-auth-warning '
                                          "ping | grep -q PONG")),
        ("redis:5.0", None),
    ],
)
def test_password_test(reference: str, test: tuple[str, ...] | None) -> None:
    answer = known_check(parse_image(reference))
    assert answer is not None
    template = answer.check.with_password
    assert (with_password(template, "REDIS_PASSWORD") if template else None) == test
