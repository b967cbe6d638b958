"""Predicates shared by several compose rules: views, variables, stateful images, secrets.

Nothing here reads a file or asks git: everything comes from the loaded project model.
"""

from __future__ import annotations

import bisect
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from docker_standard.findings import Span, mask
from docker_standard.model.compose import Service
from docker_standard.model.image import ImageRef, parse_image, tag_hidden_by
from docker_standard.model.interpolation import references, substitute
from docker_standard.model.project import Project, Stack
from docker_standard.model.yamltree import RESET, YMap, YSeq, scalar_text, tag_of, untag

# ---------------------------------------------------------------- views and variables


def view_of(service: Service) -> Mapping[str, Service]:
    """The other services of the view ``service`` belongs to (base+override[+overlay])."""
    return service.stack.views.get(service.files, {})


def resolve(stack: Stack, text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` as a fresh clone interpolates it, and the names nothing gives a value."""
    if "$" not in text:
        return text, ()
    return stack.resolve(text)


def reset_span(service: Service, key: str) -> Span | None:
    """Where a file of the service's view wrote ``key: !reset`` for it (the last such file)."""
    found: Span | None = None
    files = set(service.files)
    for compose in service.stack.compose_files:
        if compose.path not in files:
            continue
        body = compose.services.get(service.name)
        if isinstance(body, YMap) and key in body and tag_of(body[key]) == RESET:
            found = body.key_span(key)
    return found


def subject(service: Service, span: Span) -> str:
    """Whom a finding at ``span`` is about: the service whose block in that file holds the
    line. A value written once in an anchored ``x-`` block (or another service's block) and
    shared by several services is then one finding, not one per service."""
    for compose in service.stack.compose_files:
        if compose.path != span.path:
            continue
        lines = compose.service_lines
        index = bisect.bisect_right(lines, (span.line, "\uffff")) - 1
        return (
            f"service '{lines[index][1]}'"
            if index >= 0
            else ("an anchored block shared by services")
        )
    return f"service '{service.name}'"


def text_of(value: Any) -> str | None:
    """A scalar as Compose stringifies it; ``None`` for null, booleans and collections."""
    value = untag(value)
    if value is None or isinstance(value, (bool, YMap, YSeq)):
        return None
    return scalar_text(value)


def in_fresh_clone(project: Project, rel: str) -> bool:
    """Would a fresh clone have ``rel``? Present, and tracked or not ignored (an untracked
    file that git does not ignore is one about to be committed)."""
    if not project.exists(rel):
        return False
    git = project.git
    return git.is_tracked(rel) or not git.is_ignored(rel)


def has_variable(text: str) -> bool:
    return "$" in text.replace("$$", "")


# ---------------------------------------------------------------- images


_UNRESOLVED = "dsunresolvedvariable"


@dataclass(frozen=True)
class ImageInfo:
    """A service's ``image:`` as a fresh clone resolves it."""

    raw: str
    value: str  # resolved; unresolved variables stand as ``dsunresolvedvariable``
    ref: ImageRef | None
    unresolved: tuple[str, ...]

    @property
    def tag_unknown(self) -> bool:
        """Does an unresolved variable decide the tag (or the whole reference)?"""
        return bool(self.unresolved) and tag_hidden_by(self.ref, _UNRESOLVED)


def image_info(service: Service) -> ImageInfo | None:
    if service.image is None:
        return None
    raw = service.image
    value, unresolved = resolve(service.stack, raw)
    if unresolved:
        lookup = service.stack.defaults_lookup
        missing = set(unresolved)
        value = substitute(
            raw, lambda name: lookup.get(name) or (_UNRESOLVED if name in missing else None)
        ).value
    return ImageInfo(raw, value, parse_image(value.strip()), unresolved)


# ---------------------------------------------------------------- stateful services

_POSTGRES = ("/var/lib/postgresql/data", "/var/lib/postgresql")

# Image (last name component, or namespace/name) -> where it keeps its data.
STATEFUL_IMAGES: dict[str, tuple[str, ...]] = {
    "postgres": _POSTGRES,
    "postgis": _POSTGRES,
    "pgvector": _POSTGRES,
    "timescaledb": _POSTGRES,
    "timescaledb-ha": ("/home/postgres/pgdata",),
    "mysql": ("/var/lib/mysql",),
    "mysql-server": ("/var/lib/mysql",),
    "mariadb": ("/var/lib/mysql",),
    "percona": ("/var/lib/mysql",),
    "percona-server": ("/var/lib/mysql",),
    "mongo": ("/data/db",),
    "mongodb-community-server": ("/data/db",),
    "redis": ("/data",),
    "redis-stack": ("/data",),
    "redis-stack-server": ("/data",),
    "valkey": ("/data",),
    "keydb": ("/data",),
    "elasticsearch": ("/usr/share/elasticsearch/data",),
    "opensearch": ("/usr/share/opensearch/data",),
    "rabbitmq": ("/var/lib/rabbitmq",),
    "minio": ("/data",),
    "clickhouse-server": ("/var/lib/clickhouse",),
    "clickhouse": ("/var/lib/clickhouse",),
    "cassandra": ("/var/lib/cassandra",),
    "scylla": ("/var/lib/scylla",),
    "neo4j": ("/data",),
    "influxdb": ("/var/lib/influxdb2", "/var/lib/influxdb"),
    "couchdb": ("/opt/couchdb/data",),
    "etcd": ("/etcd-data",),
    "zookeeper": ("/data",),
    "cp-kafka": ("/var/lib/kafka/data",),
    "mssql/server": ("/var/opt/mssql",),
    "cockroach": ("/cockroach/cockroach-data",),
    "meilisearch": ("/meili_data",),
    "qdrant": ("/qdrant/storage",),
    "solr": ("/var/solr",),
}

# Environment variables and command flags that move the data directory.
_DATA_ENV = {
    "postgres": "PGDATA",
    "postgis": "PGDATA",
    "pgvector": "PGDATA",
    "timescaledb": "PGDATA",
    "timescaledb-ha": "PGDATA",
    "etcd": "ETCD_DATA_DIR",
}
_DATA_FLAGS = {"mongo": "--dbpath", "mongodb-community-server": "--dbpath", "etcd": "--data-dir"}


@dataclass(frozen=True)
class Stateful:
    image: str  # the key that matched, e.g. "postgres"
    paths: tuple[str, ...]


def stateful(service: Service, project: Project) -> Stateful | None:
    """The service's database/queue/search image and its data paths, if it is one."""
    info = image_info(service)
    if info is None or info.ref is None:
        return None
    ref = info.ref
    table: dict[str, tuple[str, ...]] = dict(STATEFUL_IMAGES)
    table.update(
        {key.lower(): tuple(paths) for key, paths in project.settings.stateful_images.items()}
    )
    candidates = [ref.repository, ref.name]
    if ref.registry:
        candidates.insert(0, f"{ref.registry}/{ref.repository}")
    key = next((c for c in candidates if c in table), None)
    if key is None and ref.repository.startswith("bitnami/") and ref.name in table:
        return Stateful(ref.name, (f"/bitnami/{ref.name}",))
    if key is None:
        return None
    if ref.repository.startswith("bitnami/") and key not in project.settings.stateful_images:
        return Stateful(key, (f"/bitnami/{ref.name}",))
    return Stateful(key, _data_override(service, key) or table[key])


def _data_override(service: Service, key: str) -> tuple[str, ...]:
    env = _DATA_ENV.get(key)
    if env is not None and env in service.environment:
        value = text_of(service.environment[env])
        if value and value.startswith("/") and not has_variable(value):
            return (value.rstrip("/") or "/",)
    words = command_words(service.command)
    if key == "minio" and "server" in words:
        paths = tuple(
            w.rstrip("/")
            for w in words[words.index("server") + 1 :]
            if w.startswith("/") and not has_variable(w)
        )
        if paths:
            return paths
    flag = _DATA_FLAGS.get(key)
    if flag is not None:
        for index, word in enumerate(words):
            value = None
            if word.startswith(flag + "="):
                value = word.split("=", 1)[1]
            elif word == flag and index + 1 < len(words):
                value = words[index + 1]
            if value and value.startswith("/") and not has_variable(value):
                return (value.rstrip("/"),)
    return ()


def command_words(command: Any) -> list[str]:
    """``command`` (string or list) as shell words; a list item is split too (``sh -c``)."""
    items = command_items(command)
    words: list[str] = []
    for text, _span in items:
        words.extend(split_words(text))
    return words


def command_items(command: Any, span: Span | None = None) -> list[tuple[str, Span]]:
    command = untag(command)
    where = span or Span("")
    if isinstance(command, YSeq):
        return [
            (text, command.item_span(i))
            for i, item in enumerate(command)
            if (text := text_of(item)) is not None
        ]
    text = text_of(command)
    return [(text, where)] if text is not None else []


def split_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: whitespace is good enough
        return text.split()


def covers(target: str, path: str) -> bool:
    """Does a mount at ``target`` hold ``path`` (same folder, a parent, or a folder inside)?"""
    target = target.rstrip("/") or "/"
    path = path.rstrip("/") or "/"
    if target == path or target == "/":
        return True
    return path.startswith(target + "/") or target.startswith(path + "/")


# ---------------------------------------------------------------- credentials

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

# The last word of a name that holds a credential (after qualifiers such as _BASE are dropped).
_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWORDS",
        "PASSWD",
        "PASS",
        "PASSPHRASE",
        "PWD",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "TOKENS",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "APIKEY",
        "ACCESSKEY",
        "SECRETKEY",
        "PRIVATEKEY",
        "AUTH",
        "AUTHTOKEN",
        "REQUIREPASS",
        "MASTERAUTH",
        "SALT",
    }
)
# Run-together names: PGPASSWORD, MYSQLPASSWORD, BOTTOKEN.
_SECRET_SUFFIXES = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY")
# ``<X>_KEY`` is a credential for these X (API_KEY, SECRET_KEY, ENCRYPTION_KEY, APP_KEY …).
_KEY_PREFIXES = frozenset(
    {
        "API",
        "ACCESS",
        "PRIVATE",
        "SECRET",
        "ENCRYPTION",
        "ENC",
        "SIGNING",
        "SIGN",
        "MASTER",
        "APP",
        "AUTH",
        "CLIENT",
        "LICENSE",
        "LICENCE",
        "JWT",
        "SESSION",
        "COOKIE",
        "HMAC",
        "SHARED",
        "WEBHOOK",
        "ROLE",
        "ADMIN",
        "ROOT",
        "SERVICE",
        "CRYPT",
        "CIPHER",
        "DEPLOY",
    }
)
# Trailing words that qualify a credential without changing what it is (SECRET_KEY_BASE).
_QUALIFIERS = frozenset(
    {
        "BASE",
        "VALUE",
        "HASH",
        "HASHED",
        "PLAIN",
        "RAW",
        "B64",
        "BASE64",
        "HEX",
        "ENCODED",
        "OLD",
        "NEW",
        "CURRENT",
        "PRIMARY",
        "SECONDARY",
        "FALLBACK",
    }
)
# Values that switch a feature rather than hold a credential (MYSQL_ALLOW_EMPTY_PASSWORD: yes).
_SWITCHES = frozenset(
    {
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "none",
        "null",
        "nil",
        "~",
        "0",
        "1",
        "enabled",
        "disabled",
    }
)
# Values an ``…_AUTH`` name takes that name a method, not a secret (SMTP_AUTH: login).
_AUTH_METHODS = frozenset(
    {
        "login",
        "plain",
        "basic",
        "bearer",
        "digest",
        "oauth",
        "oauth2",
        "oidc",
        "ldap",
        "saml",
        "trust",
        "md5",
        "scram-sha-256",
        "cram-md5",
        "password",
        "token",
        "jwt",
        "required",
        "optional",
        "internal",
    }
)


def name_words(name: str) -> list[str]:
    return [word.upper() for word in _WORDS.findall(name)]


def is_credential_name(name: str) -> bool:
    """``POSTGRES_PASSWORD``, ``apiKey``, ``SECRET_KEY_BASE``, ``--requirepass``: yes.
    ``POSTGRES_PASSWORD_FILE``, ``TOKEN_URL``, ``DB_USER``, ``API_KEY_HEADER``, ``PWD``: no."""
    words = name_words(name)
    while len(words) > 1 and (words[-1] in _QUALIFIERS or words[-1].isdigit()):
        words.pop()
    if not words:
        return False
    last = words[-1]
    if last == "PWD" and len(words) == 1:
        return False  # the working directory
    if last in _SECRET_WORDS or last.endswith(_SECRET_SUFFIXES):
        return True
    if last == "KEY" and len(words) > 1 and words[-2] in _KEY_PREFIXES:
        return True
    # traefik.http.middlewares.x.basicauth.users: htpasswd lines
    return last == "USERS" and any(w in ("BASICAUTH", "DIGESTAUTH") for w in words)


_MARK = "\x00"  # stands for an interpolated reference
_SHELL_ONLY = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")
_DSN = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]*://([^\s:/?#@\[\]]*):([^\s@/]+)@")
_TOKEN_SPLIT = re.compile(r"[\s/:@?&=#,;\"'`()\[\]{}<>|]+")


def _masked(text: str) -> str:
    """``text`` with every Compose reference replaced by a mark and ``$$`` made ``$``."""
    if "$" not in text:
        return text
    return substitute(text, lambda _name: _MARK).value


def _literal(value: str, *, shell: bool = False) -> bool:
    """A value that reaches the container as written: no interpolation, and not merely a
    shell reference such as ``$$DB_PASSWORD`` (a shell or entrypoint expands that). In a
    command line (``shell``) any ``$`` or backquote left after interpolation is a shell
    expansion (``"$$(cat $$PASSWORD_FILE)"``), so the value is computed at run time."""
    value = value.strip()
    if not value or _MARK in value or _SHELL_ONLY.fullmatch(value):
        return False
    return not (shell and ("$" in value or "`" in value))


def _credential_value(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _SWITCHES or value.strip().startswith("/run/secrets/"):
        return False
    return not (name_words(name)[-1:] == ["AUTH"] and lowered in _AUTH_METHODS)


_MAX_DEFAULT_DEPTH = 8  # ${A:-${B:-...}} nested deeper than this is not searched further


def find_secret(text: str, name: str | None, depth: int = 0) -> str | None:
    """How ``text`` (a value given to ``name``, if any) hard-codes a credential, or ``None``.

    The answer is a phrase for a message; it never contains the secret unmasked. Nested
    defaults are searched a bounded number of levels deep, so a hostile value costs little.
    """
    credential = name is not None and is_credential_name(name)
    masked = _masked(text)
    if credential and name is not None and _literal(masked) and _credential_value(masked, name):
        return "a literal value"
    found = _dsn_password(masked) or _detected(masked)
    if found:
        return found
    if depth >= _MAX_DEFAULT_DEPTH:
        return None
    for ref in references(text):
        if ref.nested or ref.operator not in ("-", ":-") or not ref.argument:
            continue
        inner = find_secret(ref.argument, name if credential else ref.name, depth + 1)
        if inner is not None:
            return f"{inner} as the default of ${{{ref.name}}}"
    return None


def _dsn_password(masked: str) -> str | None:
    for match in _DSN.finditer(masked):
        if _literal(match.group(2)):
            return "a connection string with a literal password"
    return None


_detectors: list[Any] | None = None


def _detected(masked: str) -> str | None:
    """detect-secrets' pattern detectors over the literal parts of a value.

    Its entropy and keyword plugins are left out (names are judged above, and entropy on
    single values flags words like 'hello world'); detect-secrets is imported only when some
    literal part is long enough to hold a token, since its import costs ~0.15 s.
    """
    segments = [s for s in masked.split(_MARK) if "PRIVATE KEY" in s or _token_like(s)]
    if not segments:
        return None
    for segment in segments:
        for detector in _load_detectors():
            for secret in detector.analyze_string(segment):
                token = secret if isinstance(secret, str) else segment
                return f"what looks like a {detector.secret_type} ({mask(token)})"
    return None


def _token_like(segment: str) -> bool:
    """Could a detector match here? Tokens are long runs mixing letters and digits; URL and
    path punctuation splits runs, so `http://localhost:8000/health` costs no import."""
    for part in _TOKEN_SPLIT.split(segment):
        if len(part) >= 16 and any(c.isdigit() for c in part) and any(c.isalpha() for c in part):
            return True
    return False


def _load_detectors() -> list[Any]:
    global _detectors
    if _detectors is None:
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.plugins.base import RegexBasedDetector

        skipped = {"IPPublicDetector", "BasicAuthDetector"}  # not secrets / done above
        classes: list[Any] = list(get_mapping_from_secret_type_to_class().values())
        _detectors = [
            cls()
            for cls in classes
            if issubclass(cls, RegexBasedDetector) and cls.__name__ not in skipped
        ]
    return _detectors


def command_secrets(text: str) -> Iterator[str]:
    """Credentials in a command line: ``--password=x``, ``--requirepass x``, ``PGPASSWORD=x``,
    DSNs and tokens."""
    found = find_secret(text, None)
    if found:
        yield found
        return
    words = split_words(_masked(text))
    for index, word in enumerate(words):
        name, value = "", ""
        if word.startswith("-"):
            flag, sep, rest = word.lstrip("-").partition("=")
            if not is_credential_name(flag):
                continue
            name = flag
            if sep:
                value = rest
            elif index + 1 < len(words) and not words[index + 1].startswith("-"):
                value = words[index + 1]
        elif re.match(r"[A-Za-z_][A-Za-z0-9_]*=", word):
            name, _, value = word.partition("=")
            if not is_credential_name(name):
                continue
        if name and _literal(value, shell=True) and _credential_value(value, name):
            yield f"a literal value for {name}"
            return
