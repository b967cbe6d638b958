"""Base images whose default user is known, per image and tag range, each with its source.

A Dockerfile that sets no ``USER`` runs as whatever user its base image sets. Most images
leave it at root, but some well-known ones ship an unprivileged default: for those a child
image without ``USER`` is not root. The table only claims what the image's publisher
documents (the ``source`` of each entry); any image not listed here is taken to run as root.

A tag is judged by its leading version number (``11.2.0-ubuntu`` -> 11.2, ``2019-latest`` ->
2019). When the tag says no version (``latest``, ``main``, a digest only, a variable), an
entry only answers if every tag of that image runs as the same kind of user.
"""

from __future__ import annotations

import re

from docker_standard.model.image import ImageRef
from docker_standard.patterns import lazy

Version = tuple[int, ...]


# Plain classes: the table is read, never compared or hashed, and three dataclasses cost every
# start-up more than the lookups of a whole run.
class KnownUser:
    """The default user of a range of an image's tags."""

    __slots__ = ("since", "uid", "until")

    def __init__(
        self,
        uid: int,
        since: Version | None = None,  # first version with this user; None: from the first tag
        until: Version | None = None,  # first version without it; None: up to now
    ) -> None:
        self.uid = uid
        self.since = since
        self.until = until

    @property
    def root(self) -> bool:
        return self.uid == 0

    def __repr__(self) -> str:
        return f"KnownUser({self.uid!r}, since={self.since!r}, until={self.until!r})"


class ImageEntry:
    """One image (or a family: ``repository`` ending in ``/``) and the users of its tags."""

    __slots__ = ("excluded", "excluded_tags", "registry", "repository", "source", "tag_filter",
                 "users")

    def __init__(
        self,
        registry: str | None,  # None: Docker Hub
        repository: str,
        users: tuple[KnownUser, ...],
        source: str,
        excluded: frozenset[str] = frozenset(),  # repositories of a family that do not belong
        tag_filter: str | None = None,  # a regex the tag must contain (distroless ``nonroot``)
        excluded_tags: str | None = None,  # a regex of tags the entry does not speak for
    ) -> None:
        self.registry = registry
        self.repository = repository
        self.users = users
        self.source = source
        self.excluded = excluded
        self.tag_filter = tag_filter
        self.excluded_tags = excluded_tags

    def matches(self, ref: ImageRef) -> bool:
        if ref.registry != self.registry or ref.repository in self.excluded:
            return False
        if self.repository.endswith("/"):
            if not ref.repository.startswith(self.repository):
                return False
        elif ref.repository != self.repository:
            return False
        tag = ref.tag or ""
        if self.tag_filter is not None and not re.search(self.tag_filter, tag):
            return False
        return not (self.excluded_tags is not None and re.search(self.excluded_tags, tag))

    def __repr__(self) -> str:
        return f"ImageEntry({self.registry!r}, {self.repository!r}, source={self.source!r})"


class Verdict:
    """What the table says about one reference: its default user, and why."""

    __slots__ = ("image", "note", "source", "uid")

    def __init__(self, uid: int, image: str, source: str, note: str) -> None:
        self.uid = uid
        self.image = image  # the entry's name, as a message shows it
        self.source = source
        self.note = note  # the tag range the verdict comes from, e.g. "2019 and later"

    @property
    def root(self) -> bool:
        return self.uid == 0

    def __repr__(self) -> str:
        return f"Verdict({self.uid!r}, {self.image!r}, {self.source!r}, {self.note!r})"


_GRAFANA = "https://grafana.com/docs/grafana/latest/setup-grafana/installation/docker/"
_ELASTIC = "https://www.elastic.co/guide/en/{}/current/docker.html"
_MSSQL = "https://learn.microsoft.com/en-us/sql/linux/sql-server-linux-docker-container-security"
_BITNAMI = "https://docs.bitnami.com/tutorials/work-with-non-root-containers"

TABLE: tuple[ImageEntry, ...] = (
    # Grafana runs as uid 472 since 5.1; earlier images ran as root.
    *(
        ImageEntry(None, name, (KnownUser(0, until=(5, 1)), KnownUser(472, since=(5, 1))), _GRAFANA)
        for name in ("grafana/grafana", "grafana/grafana-oss", "grafana/grafana-enterprise")
    ),
    ImageEntry(
        "docker.elastic.co",
        "elasticsearch/elasticsearch",
        (KnownUser(1000, since=(6, 0)),),
        _ELASTIC.format("elasticsearch/reference"),
    ),
    ImageEntry(
        "docker.elastic.co", "kibana/kibana", (KnownUser(1000, since=(6, 0)),),
        _ELASTIC.format("kibana"),
    ),
    ImageEntry(
        "docker.elastic.co",
        "logstash/logstash",
        (KnownUser(1000, since=(6, 0)),),
        "https://www.elastic.co/guide/en/logstash/current/docker-config.html",
    ),
    # SQL Server 2017 images run as root; 2019 and later as the mssql user, uid 10001.
    ImageEntry(
        "mcr.microsoft.com",
        "mssql/server",
        (KnownUser(0, until=(2019,)), KnownUser(10001, since=(2019,))),
        _MSSQL,
    ),
    # Bitnami application images run as uid 1001; minideb is a base OS image and runs as root.
    ImageEntry(
        None, "bitnami/", (KnownUser(1001),), _BITNAMI,
        excluded=frozenset({"bitnami/minideb", "bitnami/git"}),
    ),
    ImageEntry(
        None,
        "nginxinc/nginx-unprivileged",
        (KnownUser(101),),
        "https://hub.docker.com/r/nginxinc/nginx-unprivileged",
    ),
    ImageEntry(
        "gcr.io",
        "distroless/",
        (KnownUser(65532),),
        "https://github.com/GoogleContainerTools/distroless#debug-images",
        tag_filter=r"(^|-)nonroot($|-)",
    ),
    # Chainguard images run as nonroot (65532); wolfi-base is the root shell base, and the
    # -dev variants are left out as their user varies per image.
    ImageEntry(
        "cgr.dev",
        "chainguard/",
        (KnownUser(65532),),
        "https://edu.chainguard.dev/chainguard/chainguard-images/overview/",
        excluded=frozenset({"chainguard/wolfi-base", "chainguard/busybox"}),
        excluded_tags=r"-dev\b|^dev\b",
    ),
    ImageEntry(
        None,
        "prom/prometheus",
        (KnownUser(65534, since=(2, 0)),),
        "https://github.com/prometheus/prometheus/blob/main/Dockerfile",
    ),
    ImageEntry(
        "quay.io",
        "keycloak/keycloak",
        (KnownUser(1000, since=(17, 0)),),
        "https://github.com/keycloak/keycloak/blob/main/quarkus/container/Dockerfile",
    ),
    ImageEntry(
        None,
        "jenkins/jenkins",
        (KnownUser(1000),),
        "https://github.com/jenkinsci/docker/blob/master/README.md",
    ),
)

_VERSION = lazy(r"v?(\d+(?:\.\d+)*)")


def tag_version(tag: str | None) -> Version | None:
    """The leading version of a tag: ``11.2.0-ubuntu`` -> (11, 2, 0); ``latest`` -> None."""
    match = _VERSION.match(tag or "")
    if match is None:
        return None
    return tuple(int(part) for part in match.group(1).split("."))


def default_user(ref: ImageRef | None, *, tag_known: bool = True) -> Verdict | None:
    """The table's verdict on ``ref``'s default user, or None when the table cannot say.

    ``tag_known=False`` (a variable without a value decides the tag) answers only for images
    whose every tag has the same kind of user.
    """
    if ref is None:
        return None
    for entry in TABLE:
        if not entry.matches(ref):
            continue
        version = tag_version(ref.tag) if tag_known else None
        name = f"{ref.registry}/{ref.repository}" if ref.registry else ref.repository
        if version is None:
            # Without a version, only an image whose every tag has one user can answer.
            only = entry.users[0]
            if len(entry.users) == 1 and only.since is None and only.until is None:
                return Verdict(only.uid, name, entry.source, "all tags")
            return None
        for user in entry.users:
            if (user.since is None or version >= user.since) and (
                user.until is None or version < user.until
            ):
                return Verdict(user.uid, name, entry.source, _range(user))
        return None
    return None


def _range(user: KnownUser) -> str:
    def shown(version: Version) -> str:
        return ".".join(str(part) for part in version)

    if user.since is not None and user.until is not None:
        return f"{shown(user.since)} up to {shown(user.until)}"
    if user.since is not None:
        return f"{shown(user.since)} and later"
    if user.until is not None:
        return f"before {shown(user.until)}"
    return "all tags"
