"""Predicates shared by several compose rules: views, variables, stateful images.

Secrets are judged in :mod:`docker_standard.secrets`.

Nothing here reads a file or asks git: everything comes from the loaded project model.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

from docker_standard.findings import Span, Subject
from docker_standard.model.compose import Service
from docker_standard.model.compose import text_of as text_of
from docker_standard.model.image import ImageRef, parse_image, tag_hidden_by
from docker_standard.model.interpolation import substitute
from docker_standard.model.project import Project, Stack
from docker_standard.model.shell import split_words
from docker_standard.model.yamltree import RESET, Tagged, YMap, YSeq, tag_of, untag
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

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
    name = owner(service, span)
    return f"service '{name}'" if name != ANCHORED else "an anchored block shared by services"


ANCHORED = "(anchored block)"


def owner(service: Service, span: Span) -> str:
    """The name of the service whose block holds ``span`` (:func:`subject`), or
    :data:`ANCHORED`."""
    for compose in service.stack.compose_files:
        if compose.path != span.path:
            continue
        lines = compose.service_lines
        index = bisect.bisect_right(lines, (span.line, "\uffff")) - 1
        return lines[index][1] if index >= 0 else ANCHORED
    return service.name


def about(kind: str, service: Service, span: Span, *names: str) -> Subject:
    """The structured subject of a finding on ``service`` at ``span``: ``kind``, the owning
    service, then ``names``. A value in an anchored block is about the services that merge or
    alias it (``api,worker``), so moving a service's keys into an ``x-`` anchor keeps its
    findings' fingerprints."""
    name = owner(service, span)
    if name == ANCHORED:
        name = ",".join(sharers(service, span)) or ANCHORED
    return Subject(kind, (name, *names))


def sharers(service: Service, span: Span) -> list[str]:
    """The services of ``span``'s file whose definition reaches the node written at ``span``
    (through a merge key or an alias). Only asked for anchored blocks, which are rare."""
    for compose in service.stack.compose_files:
        if compose.path == span.path:
            return sorted(name for name, body in compose.services.items() if _reaches(body, span))
    return []


def _reaches(value: Any, span: Span) -> bool:
    seen: set[int] = set()
    todo = [value]
    while todo:
        current = todo.pop()
        if isinstance(current, Tagged):
            current = current.value
        if not isinstance(current, (YMap, YSeq)) or id(current) in seen:
            continue
        seen.add(id(current))
        if current.span == span:
            return True
        if isinstance(current, YMap):
            if span in current.key_spans.values() or span in current.value_spans.values():
                return True
            todo.extend(current.values())
        else:
            if span in current.item_spans:
                return True
            todo.extend(current)
    return False


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


class ImageInfo(NamedTuple):
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


class Stateful(NamedTuple):
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
    return Stateful(key, _data_override(service, key) or _tag_paths(key, ref.tag) or table[key])


def _tag_paths(key: str, tag: str | None) -> tuple[str, ...]:
    """Data paths that moved in a release: postgres 18 keeps its data in /var/lib/postgresql
    (a versioned folder below it, and that is the image's VOLUME), where 17 and older used
    /var/lib/postgresql/data (docker-library/postgres, 18 release notes)."""
    if key not in ("postgres", "postgis") or tag is None:
        return ()
    match = re.match(r"(\d+)", tag)
    if match is not None and int(match.group(1)) >= 18:
        return ("/var/lib/postgresql",)
    return ()


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


def covers(target: str, path: str) -> bool:
    """Does a mount at ``target`` hold ``path`` (same folder, a parent, or a folder inside)?"""
    target = target.rstrip("/") or "/"
    path = path.rstrip("/") or "/"
    if target == path or target == "/":
        return True
    return path.startswith(target + "/") or target.startswith(path + "/")
