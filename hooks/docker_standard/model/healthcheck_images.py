"""The healthcheck each well-known image's maintainers support, per image and tag range.

DS301's fix writes the test listed here for a service that runs one of these images as
published. The table only holds a test that every tag of the range ships the tool for (the
``source`` of each entry says where that is documented); an image or a tag range that is not
listed gets no fix. A tag is judged by its leading version number (``16.4-alpine`` -> 16.4,
the same reading as :mod:`docker_standard.model.nonroot_images`); a tag without one
(``latest``, ``alpine``, ``lts``) or no tag at all gets no fix: the next pull may bring a
release whose tools differ (mariadb 11 dropped ``mysqladmin``, mongo 6 the ``mongo`` shell).

Tests resolve credentials in the container (``$$`` escapes them from Compose): the service's
own variables, never a value copied into the file.
"""

from __future__ import annotations

from docker_standard.model.image import ImageRef
from docker_standard.model.nonroot_images import Version, tag_version

# Probe timing written with every test: a database may need its first start to initialise,
# which start_period covers without counting failures. No start_interval: it needs Engine 25.
INTERVAL = "10s"
TIMEOUT = "5s"
RETRIES = "5"
START_PERIOD = "30s"

# Where a test takes the password of a service that requires one.
PASSWORD = "{password}"


class KnownCheck:
    """The test of a range of an image's tags. ``with_password`` is the test for a server that
    requires a password (``PASSWORD`` stands for the variable), None where the range has none."""

    __slots__ = ("since", "test", "until", "with_password")

    def __init__(
        self,
        test: tuple[str, ...],
        since: Version | None = None,  # first version this test works for; None: every older one
        until: Version | None = None,  # first version it no longer works for; None: up to now
        with_password: tuple[str, ...] | None = None,
    ) -> None:
        self.test = test
        self.since = since
        self.until = until
        self.with_password = with_password

    def covers(self, version: Version) -> bool:
        return (self.since is None or version >= self.since) and (
            self.until is None or version < self.until
        )

    def __repr__(self) -> str:
        return f"KnownCheck({self.test!r}, since={self.since!r}, until={self.until!r})"


class ImageChecks:
    """One image (registry None: Docker Hub) and the tests of its tag ranges."""

    __slots__ = ("checks", "family", "registry", "repository", "source")

    def __init__(
        self,
        registry: str | None,
        repository: str,
        family: str,  # what the service's configuration is read as: postgres, mysql, redis …
        checks: tuple[KnownCheck, ...],
        source: str,
    ) -> None:
        self.registry = registry
        self.repository = repository
        self.family = family
        self.checks = checks
        self.source = source

    def __repr__(self) -> str:
        return f"ImageChecks({self.registry!r}, {self.repository!r}, source={self.source!r})"


class Answer:
    """The table's test for one reference, and where it comes from."""

    __slots__ = ("check", "family", "image", "source")

    def __init__(self, check: KnownCheck, family: str, image: str, source: str) -> None:
        self.check = check
        self.family = family
        self.image = image
        self.source = source


# pg_isready over TCP: during the first start the entrypoint runs a temporary server that only
# listens on the socket, so a socket probe would report ready before initialisation ends.
# POSTGRES_USER/POSTGRES_DB default as the image defaults them (user postgres, database = user).
_PG_ISREADY = (
    "CMD-SHELL",
    "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres} "
    "-d $${POSTGRES_DB:-$${POSTGRES_USER:-postgres}}",
)
_PG_SOURCE = "https://www.postgresql.org/docs/current/app-pg-isready.html"
# mysqladmin ping exits 0 whenever the server answers, even "access denied": no password needed.
# TCP for the same reason as pg_isready: the init server runs with --skip-networking.
_MYSQLADMIN = ("CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent")
_MYSQLADMIN_SOURCE = "https://dev.mysql.com/doc/refman/8.4/en/mysqladmin.html"


def _cli_ping(cli: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``ping`` answers PONG only when the server serves; an error reply (NOAUTH, LOADING)
    fails the grep whatever the client's exit code."""
    plain = ("CMD-SHELL", f"{cli} ping | grep -q PONG")
    auth = ("CMD-SHELL", f'{cli} -a "$${{{PASSWORD}}}" --no-auth-warning ping | grep -q PONG')
    return plain, auth


_REDIS, _REDIS_AUTH = _cli_ping("redis-cli")
_VALKEY, _VALKEY_AUTH = _cli_ping("valkey-cli")
_MONGO_PING = "db.adminCommand('ping').ok"

TABLE: tuple[ImageChecks, ...] = (
    *(
        ImageChecks(None, name, "postgres", (KnownCheck(_PG_ISREADY),), _PG_SOURCE)
        for name in ("postgres", "postgis/postgis", "timescale/timescaledb")
    ),
    ImageChecks(None, "mysql", "mysql", (KnownCheck(_MYSQLADMIN, since=(5, 7)),),
                _MYSQLADMIN_SOURCE),
    # MariaDB 11 removed the mysql* names of its tools; its images ship healthcheck.sh instead.
    ImageChecks(
        None,
        "mariadb",
        "mysql",
        (
            KnownCheck(_MYSQLADMIN, since=(10,), until=(11,)),
            KnownCheck(("CMD", "healthcheck.sh", "--connect", "--innodb_initialized"),
                       since=(11,)),
        ),
        "https://mariadb.com/kb/en/using-healthcheck-sh/",
    ),
    # --no-auth-warning came with redis-cli 6; older tags get a test only without a password.
    ImageChecks(
        None,
        "redis",
        "redis",
        (
            KnownCheck(_REDIS, until=(6,)),
            KnownCheck(_REDIS, since=(6,), with_password=_REDIS_AUTH),
        ),
        "https://redis.io/docs/latest/develop/tools/cli/",
    ),
    ImageChecks(
        None,
        "valkey/valkey",
        "redis",
        (KnownCheck(_VALKEY, with_password=_VALKEY_AUTH),),
        "https://valkey.io/topics/cli/",
    ),
    # The ping command needs no authentication; mongo 6 images no longer ship the mongo shell.
    ImageChecks(
        None,
        "mongo",
        "mongo",
        (
            KnownCheck(("CMD", "mongo", "--quiet", "--eval", _MONGO_PING), until=(5,)),
            KnownCheck(("CMD", "mongosh", "--quiet", "--eval", _MONGO_PING), since=(5,)),
        ),
        "https://www.mongodb.com/docs/manual/reference/command/ping/",
    ),
    ImageChecks(
        None,
        "rabbitmq",
        "rabbitmq",
        (KnownCheck(("CMD", "rabbitmq-diagnostics", "-q", "ping"), since=(3, 8)),),
        "https://www.rabbitmq.com/docs/monitoring#health-checks",
    ),
)


def known_check(ref: ImageRef | None) -> Answer | None:
    """The table's test for ``ref``, or None: an image not listed, a tag that says no version,
    or a version no range covers."""
    if ref is None:
        return None
    for entry in TABLE:
        if ref.registry != entry.registry or ref.repository != entry.repository:
            continue
        version = tag_version(ref.tag)
        if version is None:
            return None
        name = f"{ref.registry}/{ref.repository}" if ref.registry else ref.repository
        for check in entry.checks:
            if check.covers(version):
                return Answer(check, entry.family, name, entry.source)
        return None
    return None


def with_password(test: tuple[str, ...], variable: str) -> tuple[str, ...]:
    """``test`` with the password variable's name written in."""
    return tuple(part.replace(PASSWORD, variable) for part in test)
