"""DS307: a stateful service keeps its data outside a named volume."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Subject
from docker_standard.model.compose import Mount, Service
from docker_standard.model.nonroot_images import tag_version
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import (
    Stateful,
    about,
    covers,
    has_variable,
    image_info,
    resolve,
    stateful,
    subject,
)
from docker_standard.rules.compose.ds314_compose_path_missing import missing_bind_source


@rule(
    code="DS307",
    name="compose-unnamed-data-volume",
    severity=Severity.WARNING,
    target=Service,
    fixable=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a stateful service (postgres, mysql, mariadb, mongo, redis, valkey,
    elasticsearch, opensearch, rabbitmq, minio, clickhouse, cassandra, neo4j, influxdb,
    couchdb, etcd, …; extend the list with the `stateful-images` setting) whose data
    directory is not in a named volume: no mount covers it (the image's anonymous volume or
    the container layer holds it), an anonymous volume (`- /var/lib/mysql`) holds it, a
    bind mount (`./data:/data`) holds it, or a `tmpfs` does.

    The data directory is the image's documented one (`/var/lib/postgresql/data`,
    `/var/lib/mysql`, `/data/db`, `/data`, …), moved by `PGDATA`, `--dbpath`, `--data-dir`
    or minio's `server <path>` where the service sets them. A mount of a parent or a child
    folder of it counts.

    The fix (unsafe: the service starts on a new, empty volume; copy the old data over
    first) mounts a named volume, declared under the top-level `volumes:` of the same file,
    in place of an anonymous volume, or on the data directory of a service with no mount
    there. It is named `<image>_data` (`<service>_data` when the stack already uses that
    name or runs the image twice). A bind mount or a tmpfs is left alone (the data or the
    intent is the user's), and so is a data directory that depends on an unknown tag
    (postgres moved it in 18) or a mount written in the long syntax.

    ## Why is this bad?
    Anonymous volumes are orphaned by `docker compose down` and recreated empty by the next
    `up`; the container layer is lost with the container; bind mounts tie the data to one
    checkout's folder, with the host's ownership and permissions, and do not survive moving
    the stack. A named volume is what `down -v` deliberately removes and everything else
    keeps.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - /var/lib/postgresql/data
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - postgres_data:/var/lib/postgresql/data
    volumes:
      postgres_data:
    ```
    """
    kind = stateful(service, project)
    if kind is None or service.one_shot:
        return  # a one-shot job (an init container) runs the image but keeps no data
    mounts = [_resolved(service, m) for m in service.volumes]
    # Images built on bitnami's (signoz/zookeeper) keep their data under /bitnami/<name>: a
    # mount there says which layout the image has.
    bitnami = f"/bitnami/{kind.image}"
    if bitnami not in kind.paths and any(m.target and covers(m.target, bitnami) for m in mounts):
        kind = kind._replace(paths=(bitnami,))
    old_layout = [m for m in mounts if (m.target or "").rstrip("/") == "/var/lib/postgresql/data"]
    if kind.paths == ("/var/lib/postgresql",) and old_layout:
        yield Hit(
            f"{subject(service, old_layout[0].span)} ({kind.image} 18 or later) mounts its "
            "volume at /var/lib/postgresql/data, where 17 and older kept their data: 18 keeps "
            "it in /var/lib/postgresql/18/docker, outside that volume; mount the volume at "
            "/var/lib/postgresql",
            old_layout[0].span,
        )
        return
    for path in kind.paths:
        holding = [m for m in mounts if m.target and covers(m.target, path)]
        if any(m.type == "volume" and m.source for m in holding):
            return  # the data is in a named volume
        if holding:
            mount = holding[0]
            if missing_bind_source(service, mount, project) is not None:
                return  # DS314 reports this mount: `up` fails before the data matters
            fix = None
            written = next((m.target for m in service.volumes if m.span == mount.span), None)
            if mount.type == "volume" and not mount.long_syntax:
                fix = _fix(service, kind, "anonymous", written)  # as written: no variable
            yield Hit(
                _problem(subject(service, mount.span), kind.image, path, mount),
                mount.span,
                subject=about("mount", service, mount.span, path),
                fix=fix,
            )
            return
    shown = kind.paths[0]
    yield Hit(
        f"service '{service.name}' ({kind.image}) keeps its data ({shown}) in no named "
        "volume: it lives in the container, or in an anonymous volume if the image declares "
        "one, which `docker compose down` orphans and the next `up` replaces with an empty one; "
        f"mount a named volume there (`{kind.image}_data:{shown}`)",
        service.span,
        subject=Subject("mount", (service.name, shown)),
        fix=_fix(service, kind, "missing", _certain_path(kind, service)),
    )


# ------------------------------------------------------------------ the fix


def _certain_path(kind: Stateful, service: Service) -> str | None:
    """The one data directory of the service's image, or None when it depends on what the
    tag does not say (postgres 17 and older use /var/lib/postgresql/data, 18 its parent)."""
    if len(kind.paths) == 1:
        return kind.paths[0]
    info = image_info(service)
    if kind.image in ("postgres", "postgis") and info is not None and info.ref is not None \
            and not info.unresolved and tag_version(info.ref.tag) is not None:
        return kind.paths[0]  # a version below 18: 18 and later have one path
    return None


def _fix(service: Service, kind: Stateful, how: str, target: str | None) -> Fix | None:
    """``("named-volume", service, how, volume, target)``: ``how`` is ``anonymous`` (the
    short-syntax entry ``target`` gets the volume as its source) or ``missing`` (a mount
    ``volume:target`` is added). None when the target or a free name is unknown, or when
    the stack's views disagree (an overlay mounting something there)."""
    if not target or has_variable(target) or "tmpfs" in service.data:
        return None  # a tmpfs may sit on the path: a second mount there fails `up`
    name = _volume_name(service, kind)
    if name is None:
        return None
    if how == "missing" and any(
        other is not None and other.span == service.span and _covered(other, target)
        for view in service.stack.views.values()
        for other in (view.get(service.name),)
    ):
        return None  # another view mounts something there: nothing is missing
    return Fix(("named-volume", service.name, how, name, target), safe=False)


def _covered(service: Service, target: str) -> bool:
    return any(m.target and covers(m.target, target) for m in service.volumes)


def _volume_name(service: Service, kind: Stateful) -> str | None:
    """``<image>_data`` if nothing in the stack uses it and no other service runs the image,
    else ``<service>_data`` if that is free; None when both are taken."""
    stack = service.stack
    taken: set[str] = set()
    same_image: set[str] = set()
    for compose in stack.compose_files:
        volumes = compose.data.get("volumes") if compose.data is not None else None
        if isinstance(volumes, YMap):
            taken.update(str(key) for key in volumes)
    for other in stack.all_services():
        taken.update(m.source for m in other.volumes if m.type == "volume" and m.source)
        if other.name != service.name and other.image is not None:
            found = stateful(other, stack.project)
            if found is not None and found.image == kind.image:
                same_image.add(other.name)
    for name in (f"{kind.image}_data", f"{service.name}_data"):
        name = _NOT_IN_NAME.sub("_", name)
        if name not in taken and not (same_image and name == f"{kind.image}_data"):
            return name
    return None


def _resolved(service: Service, mount: Mount) -> Mount:
    if not has_variable(mount.target):
        return mount
    return mount._replace(target=resolve(service.stack, mount.target)[0])


def _problem(who: str, image: str, path: str, mount: Mount) -> str:
    volume = f"`{image}_data:{path}`"
    if mount.type == "volume":
        return (
            f"{who} ({image}) keeps its data ({path}) in an anonymous volume, which "
            f"`down` orphans and the next `up` replaces with an empty one: use a named volume "
            f"({volume})"
        )
    if mount.type == "tmpfs":
        return (
            f"{who} ({image}) keeps its data ({path}) in a tmpfs, lost on every "
            f"restart: use a named volume ({volume}) unless the data is meant to be thrown away"
        )
    return (
        f"{who} ({image}) keeps its data ({path}) in a {mount.type} mount of "
        f"'{mount.source}': use a named volume ({volume}) so the data is not tied to a "
        "folder of one checkout"
    )


_NOT_IN_NAME = re.compile(r"[^a-zA-Z0-9_.-]")
