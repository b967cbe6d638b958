"""Real-engine fixtures: a shared busybox image made without a registry, projects in git, and a
check that a cold start leaves nothing behind.

Tests that need Docker skip with the reason when no engine answers; CI (.ci/run) installs and
starts one, so there they run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

IMAGE = "docker-standard-test/busybox:1"


def _client() -> Any:
    try:
        import docker
    except ImportError:
        pytest.skip("the Docker SDK is not installed (pip install docker)")
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except Exception:
        pytest.skip("no Docker engine answers here (.ci/run starts one)")
    return client


@pytest.fixture(scope="session")
def engine() -> Any:
    client = _client()
    from docker_standard.coldstart.tools import ColdStartError, clean_env, compose_command

    try:
        compose_command(clean_env())
    except ColdStartError as exc:
        pytest.skip(str(exc))
    try:
        client.images.get(IMAGE)
    except Exception:
        busybox = shutil.which("busybox")
        if busybox is None:
            pytest.skip("busybox-static is not installed: no base image without a registry")
        _import_busybox(client, busybox)
    return client


def _import_busybox(client: Any, busybox: str) -> None:
    """A base image from the host's static busybox: applet links, /tmp, a passwd file."""
    listing = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "rootfs"
        (root / "bin").mkdir(parents=True)
        (root / "etc").mkdir()
        (root / "tmp").mkdir(mode=0o1777)
        os.chmod(root / "tmp", 0o1777)
        shutil.copy2(busybox, root / "bin" / "busybox")
        for applet in listing.stdout.split():
            if applet != "busybox":
                (root / "bin" / applet).symlink_to("busybox")
        (root / "etc" / "passwd").write_text(
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n"
        )
        archive = Path(tmp) / "rootfs.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(root, arcname=".")
        repository, tag = IMAGE.split(":")
        with archive.open("rb") as data:
            client.api.import_image_from_data(
                data.read(), repository=repository, tag=tag, changes=["ENV PATH=/bin"]
            )


def snapshot(client: Any) -> dict[str, set[str]]:
    return {
        "containers": {c.id for c in client.containers.list(all=True)},
        "volumes": {v.name for v in client.volumes.list()},
        "networks": {n.id for n in client.networks.list()},
        "images": {f"{i.id} {sorted(i.tags)}" for i in client.images.list(all=True)},
    }


@pytest.fixture
def nothing_left(engine: Any) -> Iterator[None]:
    """Fails the test when containers, volumes, networks or images differ afterwards."""
    before = snapshot(engine)
    yield
    after = snapshot(engine)
    assert after == before


def make_repo(root: Path, files: Mapping[str, str], untracked: Mapping[str, str] = {}) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in {**files, **untracked}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{IMAGE}", IMAGE), encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-f", *files], cwd=root, check=True)
    return root


# Runs the CLI with the direct kill disabled, as in a container that cannot see host PIDs.
_HELPER_ONLY = (
    "import sys; from docker_standard.coldstart import engine; "
    "engine._owns = lambda pid, cid: False; "
    "from docker_standard.cli import main; sys.exit(main(sys.argv[1:]))"
)


def cold_start(
    path: Path, *args: str, timeout: float = 600, helper: bool = False
) -> subprocess.CompletedProcess[str]:
    start = ["-c", _HELPER_ONLY] if helper else ["-m", "docker_standard.cli"]
    return subprocess.run(
        [sys.executable, *start, "cold-start", str(path), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def findings(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    data = json.loads(proc.stdout)
    found: list[dict[str, Any]] = data["findings"]
    return found


RunCold = Callable[..., subprocess.CompletedProcess[str]]
