"""DS307: a stateful service keeps its data outside a named volume."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from docker_standard.findings import Hit, Severity, Subject
from docker_standard.model.compose import Mount, Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import (
    about,
    covers,
    has_variable,
    resolve,
    stateful,
    subject,
)
from docker_standard.rules.compose.ds314_compose_path_missing import missing_bind_source


@rule(
    code="DS307", name="compose-unnamed-data-volume", severity=Severity.WARNING, target=Service
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
          - ./pgdata:/var/lib/postgresql/data
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:16.4
        volumes:
          - pgdata:/var/lib/postgresql/data
    volumes:
      pgdata:
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
            yield Hit(
                _problem(subject(service, mount.span), kind.image, path, mount),
                mount.span,
                subject=about("mount", service, mount.span, path),
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
    )


def _resolved(service: Service, mount: Mount) -> Mount:
    if not has_variable(mount.target):
        return mount
    return replace(mount, target=resolve(service.stack, mount.target)[0])


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
