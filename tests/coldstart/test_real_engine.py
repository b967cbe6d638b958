"""Real-engine tests of ``docker-standard cold-start``: every DS4xx finding, isolation, cleanup.

Few real ``up``s: one stack carries DS402-DS405 and a healthy service side by side (their
findings stay apart by service), one carries the crash test and the isolation checks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.coldstart.conftest import IMAGE, cold_start, findings, make_repo

pytestmark = pytest.mark.slow

GITIGNORE = ".env\n"

RUNTIME_STACK = """\
services:
  web:  # healthy only once the setup step copied .env.example to .env
    image: {IMAGE}
    init: true
    restart: unless-stopped
    command: ["sh", "-c", "echo hello $$GREETING; touch /tmp/ready; exec sleep 1000"]
    environment:
      GREETING: ${GREETING:?copy .env.example to .env}
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 60
  nonroot:  # cannot write where it tries to
    image: {IMAGE}
    init: true
    user: "65534"
    command: ["sh", "-c", "echo starting; echo ok > /srv/ready; exec sleep 1000"]
    healthcheck:
      test: ["CMD", "cat", "/srv/ready"]
      interval: 1s
      retries: 2
  migrate:  # a failing migration job, with a secret in its logs
    image: {IMAGE}
    init: true
    restart: "no"
    command: ["sh", "-c", "echo migrating with $$DB_PASSWORD; exit 3"]
    environment:
      DB_PASSWORD: ${DB_PASSWORD}
  worker:  # a restart loop that `up --wait` calls healthy: no healthcheck
    image: {IMAGE}
    init: true
    restart: always
    command: ["sh", "-c", "echo working; sleep 0.3; exit 1"]
  silent:
    image: {IMAGE}
    init: true
    restart: unless-stopped
    command: ["sleep", "1000"]
"""

TEMPLATE = """\
# shown on start
GREETING=world
# the database password
DB_PASSWORD=Xq7-migrate-pass-91
"""


def _by_code(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    for f in found:
        result.setdefault(f["code"], []).append(f)
    return result


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


def test_runtime_findings(engine: Any, nothing_left: None, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "app",
        {"compose.yaml": RUNTIME_STACK, ".env.example": TEMPLATE, ".gitignore": GITIGNORE},
    )
    proc = cold_start(
        repo, "--pull", "never", "--settle", "2", "--timeout", "90", "--format", "json"
    )
    assert proc.returncode == 1, proc.stderr
    found = _by_code(findings(proc))
    stack = RUNTIME_STACK.replace("{IMAGE}", IMAGE)
    lines = {f["line"]: f for fs in found.values() for f in fs}
    assert "DS401" not in found  # the setup step provides GREETING
    (unhealthy,) = found["DS402"]
    assert unhealthy["line"] == _line_of(stack, "  nonroot:")
    assert "/srv/ready" in unhealthy["message"]
    (job,) = found["DS404"]
    assert job["line"] == _line_of(stack, "  migrate:")
    assert "code 3" in job["message"] and "migrating with" in job["message"]
    assert "Xq7-migrate-pass-91" not in proc.stdout + proc.stderr
    (loop,) = found["DS403"]
    assert loop["line"] == _line_of(stack, "  worker:")
    assert "restart" in loop["message"]
    (quiet,) = found["DS405"]
    assert quiet["line"] == _line_of(stack, "  silent:")
    assert _line_of(stack, "  web:") not in lines


def test_text_report_has_a_service_table(engine: Any, nothing_left: None, tmp_path: Path) -> None:
    stack = """\
services:
  web:
    build: .
    init: true
    command: ["sh", "-c", "echo up; touch /tmp/ok; exec sleep 1000"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
"""
    repo = make_repo(tmp_path / "ok", {"compose.yaml": stack, "Dockerfile": f"FROM {IMAGE}\n"})
    proc = cold_start(repo, "--pull", "never", "--settle", "1", "--timeout", "90", "--keep")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    table = proc.stdout.splitlines()[-2:]
    assert table[0].split() == ["service", "state", "health", "healthy", "after", "restarts"]
    assert table[1].split()[:3] == ["web", "running", "healthy"]
    # --keep: the stack is still up, and the command it printed removes all of it.
    assert engine.containers.list(filters={"label": "io.docker-standard.cold-start"})
    removal = proc.stderr.split("remove it with: ", 1)[1].strip()
    subprocess.run(removal, shell=True, check=True, capture_output=True, timeout=300)


def test_required_variable_missing_and_local_env_secret_never_printed(
    engine: Any, nothing_left: None, tmp_path: Path
) -> None:
    stack = """\
services:
  api:
    image: {IMAGE}
    command: ["sleep", "1000"]
    environment:
      API_TOKEN: ${API_TOKEN:?set API_TOKEN}
      PORT: ${PORT}
"""
    secret = "sk-local-9f8e7d6c5b4a3f2e1d0c"
    repo = make_repo(
        tmp_path / "req",
        {"compose.yaml": stack, ".env.example": "# port\nPORT=8080\n", ".gitignore": GITIGNORE},
        untracked={".env": f"PORT=8080\nAPI_TOKEN={secret}\n"},
    )
    proc = cold_start(repo, "--pull", "never", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    (finding,) = findings(proc)
    assert finding["code"] == "DS401" and finding["line"] == 2  # the service's line
    assert "required variable API_TOKEN is missing a value" in finding["message"]
    assert secret not in proc.stdout + proc.stderr


def test_copy_of_an_untracked_file_fails_the_build(
    engine: Any, nothing_left: None, tmp_path: Path
) -> None:
    stack = """\
services:
  app:
    build: .
    command: ["sleep", "1000"]
"""
    dockerfile = f"FROM {IMAGE}\nCOPY settings.local.conf /etc/app.conf\n"
    repo = make_repo(
        tmp_path / "build",
        {"compose.yaml": stack, "Dockerfile": dockerfile},
        untracked={"settings.local.conf": "debug=1\n"},
    )
    proc = cold_start(repo, "--pull", "never", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    (finding,) = findings(proc)
    assert finding["code"] == "DS401" and finding["line"] == 2
    assert "COPY settings.local.conf" in finding["message"]
    assert "not found" in finding["message"]


def test_host_access_is_refused_before_anything_starts(
    engine: Any, nothing_left: None, tmp_path: Path
) -> None:
    stack = """\
services:
  agent:
    image: {IMAGE}
    privileged: true
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
"""
    repo = make_repo(tmp_path / "host", {"compose.yaml": stack})
    proc = cold_start(repo, "--pull", "never", "--format", "json")
    assert proc.returncode == 1
    messages = [f["message"] for f in findings(proc)]
    assert any("privileged: true" in m for m in messages)
    assert any("docker.sock" in m for m in messages)
    assert "up --build" not in proc.stderr


CRASH_STACK = """\
name: crashy
services:
  keeper:
    build: .
    image: crashy-app:dev
    init: true
    restart: unless-stopped
    container_name: crashy-keeper
    ports: ["127.0.0.1:18473:8080"]
    command: ["sh", "-c", "echo keeper up; touch /tmp/ok; exec sleep 1000"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
      retries: 60
    volumes:
      - userdata:/data
  fragile:
    image: {IMAGE}
    init: true
    command: ["sh", "-c", "echo fragile up; exec sleep 1000"]
volumes:
  userdata:
    name: crashy-userdata
"""


@pytest.mark.parametrize("kill", ["host-pid", "helper"])
def test_crash_test_and_isolation_from_the_users_own_stack(
    engine: Any, tmp_path: Path, kill: str
) -> None:
    """The user's own stack (same container_name, host port, `name:` volume and image tag)
    runs beside the cold start and survives it. ``helper``: this process cannot see the
    engine's PIDs (as in the Action's container), so a --pid=host helper kills."""
    repo = make_repo(
        tmp_path / "crashy",
        {"compose.yaml": CRASH_STACK, "Dockerfile": f"FROM {IMAGE}\n"},
    )
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME") or k.startswith("DOCKER")}
    env["COMPOSE_BAKE"] = "false"
    user_up = ["docker", "compose", "up", "-d", "--build", "--pull", "never", "keeper"]
    subprocess.run(user_up, cwd=repo, env=env, check=True, capture_output=True, timeout=300)
    try:
        users = engine.containers.get("crashy-keeper")
        user_image = engine.images.get("crashy-app:dev").id
        engine.volumes.get("crashy-userdata").reload()
        from tests.coldstart.conftest import snapshot

        before = snapshot(engine)
        args = ["--pull", "never", "--settle", "1", "--timeout", "90", "--crash-test"]
        proc = cold_start(repo, *args, "--format", "json", helper=kill == "helper")
        assert snapshot(engine) == before  # nothing left, nothing of the user's removed
        assert proc.returncode == 1, proc.stdout + proc.stderr
        found = findings(proc)
        assert [f["code"] for f in found] == ["DS406"], found
        assert ("--pid=host helper" in proc.stderr) is (kill == "helper")
        assert found[0]["line"] == _line_of(CRASH_STACK, "  fragile:")
        assert "restart policy: no" in found[0]["message"]
        users.reload()
        assert users.status == "running" and users.attrs["RestartCount"] == 0
        assert engine.images.get("crashy-app:dev").id == user_image
    finally:
        subprocess.run(
            ["docker", "compose", "down", "-v", "--rmi", "local"],
            cwd=repo,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        subprocess.run(
            ["docker", "image", "rm", "crashy-app:dev"], capture_output=True, check=False
        )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupt_during_up_cleans_up(
    engine: Any, nothing_left: None, tmp_path: Path, signum: signal.Signals
) -> None:
    stack = """\
services:
  slow:
    image: {IMAGE}
    init: true
    command: ["sh", "-c", "echo waiting; exec sleep 1000"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 1000
"""
    repo = make_repo(tmp_path / "slow", {"compose.yaml": stack})
    proc = subprocess.Popen(
        [sys.executable, "-m", "docker_standard.cli", "cold-start", str(repo), "--pull", "never"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    label = "io.docker-standard.cold-start"
    while time.monotonic() < deadline:
        if engine.containers.list(filters={"label": label}):
            break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the stack never started")
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err


def test_engine_unreachable_exits_2_with_one_sentence(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "x", {"compose.yaml": "services:\n  a:\n    image: {IMAGE}\n"})
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no-such.sock"}
    proc = subprocess.run(
        [sys.executable, "-m", "docker_standard.cli", "cold-start", str(repo)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if "Docker Compose v2 was not found" in proc.stderr or "SDK" in proc.stderr:
        pytest.skip(proc.stderr.strip())
    assert proc.returncode == 2
    assert "daemon is unreachable" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_action_adds_cold_start_findings(
    engine: Any, nothing_left: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docker_standard import action

    stack = """\
services:
  web:
    image: {IMAGE}
    init: true
    restart: unless-stopped
    command: ["sh", "-c", "cat /etc/app.conf && touch /tmp/ok; exec sleep 1000"]
    volumes:
      - ./app.conf:/etc/app.conf:ro
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
      retries: 60
  quiet:
    image: {IMAGE}
    init: true
    restart: unless-stopped
    command: ["sleep", "1000"]
"""
    workspace = make_repo(tmp_path / "ws", {"compose.yaml": stack, "app.conf": "mode=test\n"})
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    environ = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    raw = action.read_inputs(
        {"INPUT_COLD-START": "true", "INPUT_COLD-START-TIMEOUT": "90", "INPUT_FAIL-ON": "never"}
    )
    monkeypatch.chdir(workspace)
    code = action.run(str(workspace), action.parse_inputs(raw), environ)
    assert code == 0
    sarif = json.loads((workspace / "docker-standard.sarif").read_text())
    results = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "DS405" in results  # `quiet`, and nothing about `web`, whose file mount works
    assert not results & {"DS401", "DS402", "DS403", "DS404", "DS406"}
    assert "DS405" in summary.read_text()
    assert not (workspace / ".docker-standard-cold-start").exists()
