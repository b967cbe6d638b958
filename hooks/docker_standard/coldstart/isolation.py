"""Make a resolved Compose model safe to run beside the user's own containers.

A unique project name (``-p``) is not enough: ``container_name``, published host ports,
volumes and networks with an explicit ``name:`` and the ``image:`` tag of a built service are
global. :func:`isolate` rewrites the model ``docker compose config`` resolved: unique container
and resource names, ephemeral host ports, a unique tag per built image, and a label on
everything. The result is written as the only compose file of the run, because an override
cannot drop a published port (lists merge by appending, and ``!override`` needs Compose 2.24).
External resources keep their names: ``down -v`` never removes them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

LABEL = "io.docker-standard.cold-start"

_SOCKETS = ("docker.sock", "podman.sock", "containerd.sock")
_HOST_CAPS = frozenset({"SYS_ADMIN", "ALL", "CAP_SYS_ADMIN", "CAP_ALL"})


def isolate(
    model: dict[str, Any], project: str, run_id: str, host_paths: tuple[str, str] | None = None
) -> dict[str, Any]:
    """A copy of ``model`` whose every global name is unique to this run.

    ``host_paths`` (copy folder, the same folder as the engine's host sees it) rewrites bind
    sources when Compose runs inside a container that shares the host's engine (the Action).
    """
    out = copy.deepcopy(model)
    out["name"] = project
    for name, service in (out.get("services") or {}).items():
        _labels(service)[LABEL] = run_id
        if service.get("container_name"):
            service["container_name"] = f"{project}-{name}"
        for port in service.get("ports") or []:
            if isinstance(port, dict):
                port.pop("published", None)  # the engine picks a free host port
        build = service.get("build")
        if isinstance(build, dict):
            service["image"] = f"{project}-{name}:{run_id}"
            # One value for every run: a per-run value would make each build a new image.
            _labels(build)[LABEL] = "build"
        if host_paths is not None:
            for volume in service.get("volumes") or []:
                if isinstance(volume, dict) and volume.get("type") == "bind":
                    volume["source"] = _to_host(str(volume.get("source", "")), host_paths)
    for kind in ("volumes", "networks"):
        for key, resource in list((out.get(kind) or {}).items()):
            resource = resource if isinstance(resource, dict) else {}
            out[kind][key] = resource
            if resource.get("external"):
                continue
            resource["name"] = f"{project}_{key}"
            _labels(resource)[LABEL] = run_id
    if host_paths is not None:
        for kind in ("secrets", "configs"):
            for resource in (out.get(kind) or {}).values():
                if isinstance(resource, dict) and resource.get("file"):
                    resource["file"] = _to_host(str(resource["file"]), host_paths)
    return out


def _labels(holder: dict[str, Any]) -> dict[str, str]:
    labels = holder.get("labels")
    if isinstance(labels, list):  # ``config`` writes maps, but a list is valid Compose too
        labels = dict(str(item).partition("=")[::2] for item in labels)
    if not isinstance(labels, dict):
        labels = {}
    holder["labels"] = labels
    return labels


def _to_host(path: str, host_paths: tuple[str, str]) -> str:
    inside, host = host_paths
    pure = PurePosixPath(path)
    try:
        rest = pure.relative_to(inside)
    except ValueError:
        return path
    return str(PurePosixPath(host) / rest)


@dataclass(frozen=True)
class HostAccess:
    service: str
    what: str


def host_access(model: dict[str, Any], copy_root: str) -> Iterator[HostAccess]:
    """Every way a service of ``model`` would reach the host, in the order Compose lists them."""
    for name, service in (model.get("services") or {}).items():
        if service.get("privileged"):
            yield HostAccess(name, "privileged: true")
        for key in ("network_mode", "pid", "ipc", "userns_mode", "uts", "cgroup"):
            if service.get(key) == "host":
                yield HostAccess(name, f"{key}: host")
        caps = {str(c).upper() for c in service.get("cap_add") or []}
        for cap in sorted(caps & _HOST_CAPS):
            yield HostAccess(name, f"cap_add: {cap}")
        for device in service.get("devices") or []:
            source = device.get("source") if isinstance(device, dict) else str(device)
            yield HostAccess(name, f"devices: {source}")
        for volume in service.get("volumes") or []:
            if not isinstance(volume, dict) or volume.get("type") != "bind":
                continue
            source = str(volume.get("source", ""))
            if source.endswith(_SOCKETS):
                yield HostAccess(name, f"the engine's socket {source} is mounted")
            elif not _inside(source, copy_root):
                yield HostAccess(name, f"a bind mount of {source}, outside the project")


def _inside(path: str, root: str) -> bool:
    try:
        PurePosixPath(path).relative_to(root)
    except ValueError:
        return False
    return True
