"""Time ``docker-standard cold-start --settle 0`` against the bare Compose cycle it wraps.

    python benchmarks/cold_start.py               # 5 rounds, needs a running engine
    python benchmarks/cold_start.py --rounds 9

The same stack, on the same engine, alternately: (a) ``docker compose up --build --wait`` then
``docker compose down -v --rmi local`` in a git clone of it, as a developer runs it by hand;
(b) ``docker-standard cold-start --settle 0`` (fresh copy, setup step, ``config``, isolation,
``up --build --wait``, state checks, teardown). The target is an overhead of at most 10 % + 1 s
on the median. The stack (two services with healthchecks and a one-shot job, one of them
built) uses a busybox image made from the host's static busybox, so nothing is pulled.

This is a script, not a test: it prints the figures and whether the target holds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMAGE = "docker-standard-test/busybox:1"

STACK = """\
services:
  migrate:
    image: {image}
    restart: "no"
    command: ["sh", "-c", "echo migrated"]
  api:
    build: .
    init: true
    restart: unless-stopped
    command: ["sh", "-c", "echo api up $$GREETING; touch /tmp/ok; exec sleep 1000"]
    environment:
      GREETING: ${{GREETING:?copy .env.example}}
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
    depends_on:
      migrate:
        condition: service_completed_successfully
  cache:
    image: {image}
    init: true
    restart: unless-stopped
    command: ["sh", "-c", "echo cache up; touch /tmp/ok; exec sleep 1000"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
"""


def _make_stack(root: Path) -> None:
    root.mkdir(parents=True)
    (root / "compose.yaml").write_text(STACK.format(image=IMAGE))
    (root / "Dockerfile").write_text(f"FROM {IMAGE}\nCOPY compose.yaml /srv/\n")
    (root / ".env.example").write_text("# shown on start\nGREETING=hello\n")
    (root / ".env").write_text("GREETING=hello\n")
    (root / ".gitignore").write_text(".env\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(
        ["git", "add", "compose.yaml", "Dockerfile", ".env.example", ".gitignore"],
        cwd=root,
        check=True,
    )


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{proc.stdout}{proc.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    try:
        import docker

        client = docker.from_env()
        client.images.get(IMAGE)
    except Exception:
        try:
            from coldstart.conftest import _import_busybox  # the tests' registry-free image

            _import_busybox(client, "/bin/busybox")
        except Exception as exc:
            sys.exit(f"needs a running engine and busybox-static: {exc}")
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME") or k.startswith("DOCKER")}
    env["COMPOSE_BAKE"] = "false"
    bare_times, ours_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench-stack"
        _make_stack(root)
        compose = ["docker", "compose", "-p", "bench-bare"]
        for _ in range(args.rounds):
            up = [*compose, "up", "--build", "--wait", "--pull", "never"]
            down = [*compose, "down", "-v", "--rmi", "local", "--remove-orphans"]
            bare_times.append(_timed(up, root, env) + _timed(down, root, env))
            ours = [
                sys.executable,
                "-m",
                "docker_standard.cli",
                "cold-start",
                str(root),
                "--settle",
                "0",
                "--pull",
                "never",
                "--quiet",
                "--fail-on",
                "error",
            ]
            ours_times.append(_timed(ours, root, dict(os.environ)))
    bare, ours = statistics.median(bare_times), statistics.median(ours_times)
    limit = bare * 1.10 + 1.0
    print(
        f"bare compose up --build --wait + down -v: median {bare:.2f}s "
        f"({', '.join(f'{t:.2f}' for t in bare_times)})"
    )
    print(
        f"docker-standard cold-start --settle 0:   median {ours:.2f}s "
        f"({', '.join(f'{t:.2f}' for t in ours_times)})"
    )
    verdict = "meets" if ours <= limit else "misses"
    print(
        f"overhead {ours - bare:+.2f}s ({(ours / bare - 1) * 100:+.0f} %); "
        f"target <= 10 % + 1 s = {limit:.2f}s: {verdict} it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
