"""DS314: a build context, Dockerfile or bind-mount source that does not exist."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Mount, Service, folder_of, resolve_path
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import has_variable, subject


@rule(code="DS314", name="compose-path-missing", severity=Severity.ERROR, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a path in the repository that a service needs and that does not exist: its
    `build.context`, its `build.dockerfile` (or the default `Dockerfile` in the context),
    and a bind-mount source that `up` cannot do without:
    - a file (`./scripts/init-db.sh:/docker-entrypoint-initdb.d/…`), judged by a file
      extension on the source or on the target it is mounted onto;
    - a folder in long syntax (`type: bind`) without `bind.create_host_path: true`, which
      Docker refuses to create (`bind source path does not exist`).

    A missing folder in short syntax (`./pgdata:/var/lib/postgresql/data`) is not reported:
    Docker creates it at `up`, which is how data folders are meant to appear. Missing
    `env_file`s are DS313's. Paths are resolved against the folder of the compose file that
    writes them.

    Skipped, since no static check can know them: paths with variables, absolute host paths
    (`/var/run/docker.sock`), home-relative paths (`~/…`), remote build contexts (git URLs),
    and `dockerfile_inline`.

    ## Why is this bad?
    A missing context or Dockerfile fails `docker compose build`/`up`. A missing bind source
    file is worse: Docker silently creates an empty folder in its place, so an init script
    never runs, or a config file becomes a directory and the service fails in a confusing
    way.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - ./scripts/init-db.sh:/docker-entrypoint-initdb.d/init-db.sh:ro
    ```

    ## Use instead
    Commit the file the mount needs (or fix the path):
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - ./scripts/init-db.sh:/docker-entrypoint-initdb.d/init-db.sh:ro
    ```
    ```sh
    # scripts/init-db.sh
    psql -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'
    ```
    """
    build = service.build
    if build is not None and build.context_path is not None and _local(build.context):
        context = build.context_path
        if not project.exists(context):
            yield Hit(
                f"{subject(service, build.context_span)}: build context '{build.context}' "
                "does not exist",
                build.context_span,
            )
        elif not _inline(service):
            yield from _dockerfile(service, project)
    for mount in service.volumes:
        problem = missing_bind_source(service, mount, project)
        if problem is not None:
            advice = (
                "a fresh clone lacks it: document (or script) the setup step that creates it, "
                "never commit a private key, or fix the path"
                if _private(mount.source or "")
                else "commit it or fix the path"
            )
            yield Hit(
                f"{subject(service, mount.span)}: bind-mount source '{mount.source}' does not "
                f"exist: {problem}; {advice}",
                mount.span,
            )


def missing_bind_source(service: Service, mount: Mount, project: Project) -> str | None:
    """Why a bind mount's missing source breaks the service, or None when it exists or
    Docker creates it as it should (a data folder in short syntax)."""
    source = mount.source
    if mount.type != "bind" or source is None or not _local(source):
        return None
    rel = resolve_path(folder_of(mount.span, service.stack), source)
    if rel.startswith("..") or project.exists(rel):
        return None
    if _file_like(source) or _file_like(mount.target):
        return (
            "Docker creates an empty folder in its place, so the file the container expects "
            "is a directory (or the mount onto a file path fails)"
        )
    if mount.long_syntax and not mount.create_host_path:
        return (
            "in long syntax Docker does not create it (`docker compose up` fails with \"bind "
            "source path does not exist\"); or set `bind: {create_host_path: true}`"
        )
    return None  # short syntax: Docker creates the folder at `up` (a data folder such as ./pgdata)


# Key and certificate files a setup step generates (wazuh's certs/*-key.pem): never committed.
_PRIVATE_SUFFIXES = (".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".crt", ".der")
_PRIVATE_FOLDERS = ("certs", "cert", "ssl", "tls", "secrets", "keys", "private")


def _private(source: str) -> bool:
    parts = source.replace("\\", "/").lower().split("/")
    return parts[-1].endswith(_PRIVATE_SUFFIXES) or any(p in _PRIVATE_FOLDERS for p in parts[:-1])


def _file_like(path: str) -> bool:
    """Does the last component name a file: an extension with a letter, not a `.d` folder?"""
    if path.endswith(("/", "\\")):
        return False
    name = posixpath.basename(path.replace("\\", "/"))
    extension = posixpath.splitext(name)[1].lower()
    return extension not in ("", ".d") and any(c.isalpha() for c in extension)


def _dockerfile(service: Service, project: Project) -> Iterator[Hit]:
    build = service.build
    if build is None or build.dockerfile_path is None:
        return
    if build.dockerfile is not None:
        if not _local(build.dockerfile) or project.exists(build.dockerfile_path):
            return
        yield Hit(
            f"{subject(service, build.dockerfile_span)}: dockerfile '{build.dockerfile}' does "
            f"not exist in the build context '{build.context}'",
            build.dockerfile_span,
        )
        return
    if project.exists(build.dockerfile_path):
        return
    context = build.context_path or ""
    if project.exists(posixpath.join(context, "Containerfile") if context else "Containerfile"):
        return
    yield Hit(
        f"{subject(service, build.context_span)}: build context '{build.context}' has no "
        "Dockerfile: add one or name it with `dockerfile:`",
        build.context_span,
    )


def _local(path: str) -> bool:
    return not (
        has_variable(path)
        or path.startswith(("/", "~", "\\"))
        or "://" in path
        or path.startswith(("git@", "github.com/"))
        or (len(path) > 1 and path[1] == ":")  # C:\…
    )


def _inline(service: Service) -> bool:
    raw = service.data.get("build")
    return isinstance(raw, YMap) and "dockerfile_inline" in raw
