"""DS315: a source-code bind mount in the base compose file."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import (
    COMPOSE_BASE_NAMES,
    Mount,
    Service,
    folder_of,
    resolve_path,
)
from docker_standard.model.project import Project
from docker_standard.patterns import lazy
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, has_variable, subject

# Folders that hold configuration, init scripts, certificates or data: never source code.
CONFIG_NAMES = frozenset({
    "config", "configs", "configuration", "conf", "conf.d", "etc", "init", "initdb", "initdb.d",
    "docker-entrypoint-initdb.d", "entrypoint.d", "scripts", "script", "certs", "cert",
    "certificates", "ssl", "tls", "secrets", "keys", "provisioning", "dashboards", "datasources",
    "templates", "nginx", "sites-enabled", "sites-available", "data", "db", "logs", "log",
    "backups", "backup", "storage", "uploads", "media", "cache", "tmp", "dumps", "docker",
    "export", "exports", "import", "imports", "consume", "inbox", "input", "output",
    "downloads", "files", "letsencrypt", "certbot", "acme", "gnupg", "gpg", "ssh", "pki",
    "keyring", "keystore", "truststore", "volumes", "persist", "persistent", "state",
})
# Where images conventionally keep their application code.
APP_DIRS = ("/app", "/usr/src", "/code", "/src", "/srv", "/var/www", "/workspace",
            "/workspaces", "/opt/app", "/home/node/app", "/usr/share/nginx/html")
_DEV_FILE = lazy(r"(^|[._-])(dev|devel|development|devcontainer|local|debug|override|test|"
                       r"tests|e2e|ci)([._-]|$)")
_WORD = lazy(r"[._-]+")


@rule(code="DS315", name="compose-bind-mount-in-base", severity=Severity.INFO, target=Service)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a bind mount of source code written in the base compose file (or a file it
    includes or extends) rather than in a development overlay such as
    `docker-compose.dev.yml` or the auto-loaded `compose.override.yaml`.

    A bind mount is taken for source code when its source is a relative folder of the
    repository and
    - it is the project itself (`.:/app`, `..:/src`), or
    - it is mounted into the application's folder: the `WORKDIR` of the Dockerfile stage
      the service builds, or a conventional code folder (`/app`, `/usr/src/…`, `/code`,
      `/src`, `/srv`, `/var/www`, `/workspace`, `/opt/app`), or
    - it is the folder the service builds its image from (`build: ./api` and `./api:/x`).

    Not source code, and never reported: single files (`./nginx.conf:/etc/nginx/nginx.conf:ro`,
    `./scripts/init-db.sh:/docker-entrypoint-initdb.d/init-db.sh`), judged by a file
    extension or a leading dot in the name; and folders whose source or target path has a
    configuration, init, certificate or data name, whole or as a word of it (`config`,
    `conf.d`, `init`, `initdb.d`, `scripts`, `certs`, `ssl`, `letsencrypt`, `certbot`,
    `gnupg`, `secrets`, `provisioning`, `templates`, `data`, `pgdata`, `data-logs`, `logs`,
    `backups`, `uploads`, `media`, `export`, …), whatever the target. Mounting
    read-only (`:ro`) does not make a code folder configuration. Files named for
    development (`docker-compose.dev.yml`, `*.local.yml`, `*.test.yml`, anything under a
    folder named for devcontainers, `.devcontainer/`) are never the base, even when no
    other compose file sits beside them.

    ## Why is this bad?
    The base file is what production runs. A source bind mount there replaces the code baked
    into the image with whatever the host's checkout holds (including uncommitted edits and
    files `.dockerignore` keeps out), so the image that was tested is not what runs.
    Hot-reload mounts belong in the development overlay.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        volumes:
          - ./src:/app/src
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
    ```
    and in the development overlay:
    ```yaml
    # docker-compose.dev.yml
    services:
      api:
        volumes:
          - ./src:/app/src
    ```
    """
    stack = service.stack
    if service.files != stack.main_files:
        return  # overlay views add their own mounts, which belong there
    dev_files = {c.path for c in stack.overlays}
    if stack.override is not None:
        dev_files.add(stack.override.path)
    workdir = _workdir(service)
    for mount in service.volumes:
        if mount.type != "bind" or mount.source is None:
            continue
        where = mount.span.path
        if where in dev_files or _dev_named(where):
            continue
        if _source_code(service, mount, workdir):
            yield Hit(
                f"{subject(service, mount.span)} bind-mounts source code ('{mount.source}' -> "
                f"{mount.target}) in {posixpath.basename(where)}: move it to a development "
                "overlay (docker-compose.dev.yml) so production runs the code in the image",
                mount.span,
                subject=about("mount", service, mount.span, mount.target or ""),
            )


def _dev_named(path: str) -> bool:
    if any("devcontainer" in part for part in posixpath.dirname(path).split("/")):
        return True  # .devcontainer/, devcontainer-example/
    name = posixpath.basename(path)
    if name in COMPOSE_BASE_NAMES:
        return False
    stem = name.rsplit(".", 1)[0]
    return bool(_DEV_FILE.search(stem.split("compose", 1)[-1]))


def _source_code(service: Service, mount: Mount, workdir: str | None) -> bool:
    source = mount.source or ""
    target = mount.target
    if has_variable(source) or has_variable(target) or source.startswith(("/", "~")):
        return False
    if len(source) > 1 and source[1] == ":":
        return False  # a Windows drive: a host path
    rel = resolve_path(folder_of(mount.span, service.stack), source)
    name = posixpath.basename(source.rstrip("/"))
    if name in (".", "..", "") or rel == service.stack.directory:
        return True
    if posixpath.splitext(name)[1] or name.startswith("."):
        return False  # a single file
    if _config_named(source) or _config_named(target):
        return False
    target = posixpath.normpath(target) if target.startswith("/") else target
    if workdir and workdir != "/" and _under(target, workdir):
        return True
    if any(_under(target, app) for app in APP_DIRS):
        return True
    build = service.build
    return bool(build and build.context_path and rel == build.context_path)


def _config_named(path: str) -> bool:
    """Does a path component, or a word of one (``data-logs``, ``nginx_conf``), name
    configuration or data?"""
    for part in path.lower().split("/"):
        if part in ("", ".", ".."):
            continue
        words = [w for w in _WORD.split(part) if w]
        if part in CONFIG_NAMES or any(w in CONFIG_NAMES for w in words):
            return True
        if any(w.endswith("data") and w != "metadata" for w in words):
            return True  # pgdata, esdata, mongodata: a database's folder
    return False


def _under(path: str, folder: str) -> bool:
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/")


def _workdir(service: Service) -> str | None:
    stage = service.built_stage
    while stage is not None:
        for instruction in reversed(stage.instructions):
            if instruction.keyword == "WORKDIR":
                value = instruction.argument_text.strip() or instruction.value.strip()
                if value.startswith("/") and "$" not in value:
                    return posixpath.normpath(value)
                return None
        stage = stage.base_stage
    return None
