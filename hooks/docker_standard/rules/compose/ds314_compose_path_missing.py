"""DS314: a build context, Dockerfile or bind-mount source that does not exist."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Service, folder_of, resolve_path
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import has_variable, subject


@rule(code="DS314", name="compose-path-missing", severity=Severity.ERROR, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a path in the repository that a service needs and that does not exist: its
    `build.context`, its `build.dockerfile` (or the default `Dockerfile` in the context),
    and the source of each bind mount (`./scripts/init-db.sh:/docker-entrypoint-initdb.d/…`).
    Paths are resolved against the folder of the compose file that writes them.

    Skipped, since no static check can know them: paths with variables, absolute host paths
    (`/var/run/docker.sock`), home-relative paths (`~/…`), remote build contexts (git URLs),
    and `dockerfile_inline`.

    ## Why is this bad?
    A missing context or Dockerfile fails `docker compose build`/`up`. A missing bind source
    is worse: Docker silently creates an empty folder in its place, so an init script never
    runs, or a config file becomes a directory and the service fails in a confusing way.

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
        source = mount.source
        if mount.type != "bind" or source is None or not _local(source):
            continue
        rel = resolve_path(folder_of(mount.span, service.stack), source)
        if rel.startswith("..") or project.exists(rel):
            continue
        yield Hit(
            f"{subject(service, mount.span)}: bind-mount source '{source}' does not exist: "
            "Docker would create an empty folder in its place; commit it or fix the path",
            mount.span,
        )


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
