"""The parts of a cold start that need no engine: fresh copy, setup step, isolation, safety,
masking, Compose's reasons, and the static check leaving DS4xx alone."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from docker_standard.check import check_project
from docker_standard.coldstart import engine as cs_engine
from docker_standard.coldstart import tools
from docker_standard.coldstart.fresh import apply_templates, fresh_copy, template_target
from docker_standard.coldstart.isolation import LABEL, host_access, isolate
from docker_standard.coldstart.masking import Masker, secret_values


@pytest.mark.parametrize(
    ("name", "target"),
    [
        (".env.example", ".env"),
        (".env.sample", ".env"),
        (".env.template", ".env"),
        (".env.dist", ".env"),
        (".env.local.example", ".env.local"),
        ("app.env.example", "app.env"),
        ("env.example", ".env"),
        ("example.env", ".env"),
        ("sample.env", ".env"),
        ("config.yaml.example", None),
        ("README.md", None),
        (".env", None),
    ],
)
def test_template_target(name: str, target: str | None) -> None:
    assert template_target(name) == target


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _repo(root: Path) -> Path:
    root.mkdir()
    (root / "compose.yaml").write_text("services: {}\n")
    (root / ".env.example").write_text("A=1\n")
    (root / ".gitignore").write_text(".env\nbuild/\n")
    (root / "config").mkdir()
    (root / "config" / "app.env.example").write_text("B=2\n")
    (root / "gone.txt").write_text("tracked, then deleted\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    (root / "compose.yaml").write_text("services: {edited: {image: x}}\n")  # uncommitted edit
    (root / ".env").write_text("A=local-secret\n")  # ignored
    (root / "forgot.txt").write_text("never added\n")  # untracked
    (root / "build").mkdir()
    (root / "build" / "out.bin").write_text("artefact\n")
    (root / "gone.txt").unlink()
    return root


def test_fresh_copy_is_what_a_clone_has(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    dest = tmp_path / "copy"
    fresh_copy(repo, dest, is_repo=True, ref=None)
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == [".env.example", ".gitignore", "compose.yaml", "config/app.env.example"]
    assert "edited" in (dest / "compose.yaml").read_text()  # working-tree content
    assert apply_templates(dest) == [".env", "config/app.env"]
    assert (dest / ".env").read_text() == "A=1\n"
    (dest / ".env").write_text("A=kept\n")
    assert apply_templates(dest) == []  # never overwrites a file that is there
    assert (dest / ".env").read_text() == "A=kept\n"


def test_fresh_copy_of_a_ref_is_the_commit(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    dest = tmp_path / "copy"
    fresh_copy(repo, dest, is_repo=True, ref="HEAD")
    assert (dest / "compose.yaml").read_text() == "services: {}\n"
    assert (dest / "gone.txt").exists() and not (dest / "forgot.txt").exists()
    with pytest.raises(tools.ColdStartError, match="no-such-ref"):
        fresh_copy(repo, tmp_path / "other", is_repo=True, ref="no-such-ref")


def test_fresh_copy_outside_git_leaves_local_env_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("compose.yaml", ".env", ".env.local", ".env.example", "app.py"):
        (src / name).write_text("x\n")
    dest = tmp_path / "copy"
    fresh_copy(src, dest, is_repo=False, ref=None)
    assert sorted(p.name for p in dest.iterdir()) == [".env.example", "app.py", "compose.yaml"]


MODEL: dict[str, Any] = {
    "name": "shop",
    "services": {
        "api": {
            "build": {"context": "/w/src", "dockerfile": "Dockerfile"},
            "image": "shop-api:dev",
            "container_name": "shop-api",
            "ports": [{"target": 8080, "published": "8080", "host_ip": "127.0.0.1"}],
            "volumes": [
                {"type": "bind", "source": "/w/src/conf", "target": "/conf"},
                {"type": "volume", "source": "data", "target": "/data"},
            ],
            "labels": ["team=web"],
        },
        "db": {"image": "postgres:16", "networks": {"back": None}},
    },
    "volumes": {"data": {"name": "shop-data"}, "shared": {"name": "shared", "external": True}},
    "networks": {"back": {"name": "back"}, "default": {"name": "shop_default"}},
}


def test_isolate_renames_every_global_name() -> None:
    out = isolate(MODEL, "dsc-shop-1", "1", host_paths=("/w/src", "/host/ws/src"))
    api = out["services"]["api"]
    assert out["name"] == "dsc-shop-1"
    assert api["container_name"] == "dsc-shop-1-api"
    assert api["ports"] == [{"target": 8080, "host_ip": "127.0.0.1"}]
    assert api["image"] == "dsc-shop-1-api:1"
    assert api["labels"] == {"team": "web", LABEL: "1"}
    assert api["build"]["labels"] == {LABEL: "build"}
    assert api["volumes"][0]["source"] == "/host/ws/src/conf"
    assert out["services"]["db"]["image"] == "postgres:16"  # a pulled image keeps its name
    assert out["volumes"]["data"]["name"] == "dsc-shop-1_data"
    assert out["volumes"]["shared"] == {"name": "shared", "external": True}
    assert out["networks"]["back"]["name"] == "dsc-shop-1_back"
    assert MODEL["services"]["api"]["container_name"] == "shop-api"  # the input is untouched


def test_host_access_names_each_way_to_the_host() -> None:
    model = {
        "services": {
            "a": {
                "privileged": True,
                "network_mode": "host",
                "pid": "host",
                "cap_add": ["NET_ADMIN", "SYS_ADMIN"],
                "volumes": [
                    {"type": "bind", "source": "/var/run/docker.sock", "target": "/s"},
                    {"type": "bind", "source": "/etc", "target": "/host-etc"},
                    {"type": "bind", "source": "/w/src/conf", "target": "/conf"},
                    {"type": "volume", "source": "data", "target": "/data"},
                ],
            },
            "b": {"image": "x", "cap_add": ["NET_BIND_SERVICE"]},
        }
    }
    found = [(h.service, h.what) for h in host_access(model, "/w/src")]
    assert found == [
        ("a", "privileged: true"),
        ("a", "network_mode: host"),
        ("a", "pid: host"),
        ("a", "cap_add: SYS_ADMIN"),
        ("a", "the engine's socket /var/run/docker.sock is mounted"),
        ("a", "a bind mount of /etc, outside the project"),
    ]


def test_masker_hides_credentials_and_detected_tokens_not_ordinary_values(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("DB_PASSWORD=hunter2-long\nAPI_TOKEN=true\nPORT=8080\nDEBUG=true\n")
    masker = Masker(secret_values([env], {"GITHUB_TOKEN": "ghs_abcdefabcdefabcdef123456"}))
    text = masker(
        "connecting with hunter2-long on 8080 debug=true token ghs_abcdefabcdefabcdef123456\n"
        "aws AKIAIOSFODNN7EXAMPLE\n"
    )
    assert "hunter2-long" not in text and "hu****ng" in text
    assert "ghs_abcdefabcdefabcdef123456" not in text
    assert "AKIAIOSFODNN7EXAMPLE" not in text
    assert "8080" in text and "debug=true" in text


def test_reason_is_composes_own_last_error_line() -> None:
    output = (
        'time="2026-01-01T00:00:00Z" level=warning msg="a warning about bake"\n'
        "error while interpolating services.a.environment.T: required variable API_TOKEN "
        "is missing a value: required\n"
    )
    assert cs_engine._reason(output).startswith("error while interpolating")
    assert cs_engine._reason("Error response from daemon: No such image: x:1\n") == (
        "No such image: x:1"
    )


def test_repeated_log_lines_show_once() -> None:
    assert cs_engine._tail("a\nb\nb\nb\n") == "; last log lines: a | b (x3)"
    assert cs_engine._tail("") == "; it wrote no log lines"


def test_compose_older_than_2_20_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "docker"
    fake.write_text("#!/bin/sh\necho v2.17.3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(tools, "_wheel_binary", lambda: None)
    with pytest.raises(tools.ColdStartError, match=r"2\.17\.3 is older than v2\.20"):
        tools.compose_command({"PATH": str(tmp_path)})
    with pytest.raises(tools.ColdStartError, match="Compose v2 was not found"):
        tools.compose_command({"PATH": str(tmp_path / "nothing")})


def test_clean_env_keeps_only_path_home_and_docker() -> None:
    env = tools.clean_env({"PATH": "/bin", "HOME": "/h", "DOCKER_HOST": "x", "API_TOKEN": "s"})
    assert env == {"PATH": "/bin", "HOME": "/h", "DOCKER_HOST": "x", "COMPOSE_BAKE": "false"}


def test_the_static_check_never_runs_the_runtime_rules(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  a:\n    image: x:1\n")
    report = check_project([str(tmp_path)], select=("DS4",))
    assert not report.findings
    assert not [r for r in report.rules if r.code.startswith("DS4")]


def test_the_action_keeps_the_engine_sockets_group_when_it_drops_root(tmp_path: Path) -> None:
    """GitHub mounts the runner's socket; the dropped user reaches it through its group."""
    import os
    import sys
    import tempfile

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to change uid (GitHub starts container actions as root)")
    base = Path(tempfile.mkdtemp())
    base.chmod(0o755)
    workspace, socket = base / "ws", base / "docker.sock"
    workspace.mkdir()
    socket.touch()
    os.chown(workspace, 54321, 54322)
    os.chown(socket, 0, 54399)
    script = (
        "import os, sys; from docker_standard import action; "
        f"action.drop_privileges({str(workspace)!r}, engine_socket={str(socket)!r}); "
        "print(os.getuid(), os.getgid(), sorted(os.getgroups()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "54321 54322 [54399]"
