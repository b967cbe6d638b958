"""``--fix`` and ``--diff``: exact results on realistic files, idempotence, safe writes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

import pytest
from conftest import run_cli as run
from conftest import shared, write_project
from docker_standard.fixes import yamledit
from docker_standard.fixes.gitignore import HEADER, escape
from docker_standard.registry import all_rules

FIXABLE = tuple(r.code for r in all_rules() if r.fixable)  # declared once, by the rules


def fix_twice(capsys: pytest.CaptureFixture[str], root: Path, select: str,
              *files: str) -> tuple[str, dict[str, str]]:
    """Run ``check --fix`` (it must change something and exit 1), then again (a no-op that
    exits 0); return the first run's stderr and the texts after the first run."""
    code, _out, err = run(capsys, "check", "--fix", "--select", select)
    assert code == 1, err
    after = {name: (root / name).read_text(encoding="utf-8") for name in files}
    code, out, err2 = run(capsys, "check", "--fix", "--select", select)
    assert code == 0, out + err2
    assert not fixed_lines(err2)
    assert {name: (root / name).read_text(encoding="utf-8") for name in files} == after
    return err, after


def fixed_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("fixed: ")]


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
            digest.update(str(stat.S_IMODE(path.stat().st_mode)).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------- DS302

DEPENDS = """\
# Shop stack -- every comment here must survive the fix.
x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: "json-file"
    options: {max-size: '10m'}   # flow, untouched

services:
  api:
    <<: *defaults
    image: "ghcr.io/acme/api:1.4.2"   # pinned
    depends_on:
      - db        # primary store

      # the queue is shared with the worker
      - 'queue'
      - migrate
    healthcheck: &http-check
      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]
      interval: 10s

  worker:
    <<: *defaults
    image: ghcr.io/acme/worker:1.4.2
    depends_on: [db, "queue"]    # flow style
    healthcheck: *http-check

  db:
    <<: *defaults
    image: postgres:16.4
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]

  queue:
    <<: *defaults
    image: 'rabbitmq:3.13'
    healthcheck:
      test: rabbitmq-diagnostics -q ping
    depends_on:
      db:
        condition: "service_started"   # fine in 2021
        required: true

  migrate:
    image: ghcr.io/acme/api:1.4.2
    command: ["alembic", "upgrade", "head"]
    restart: "no"
    depends_on:
      db:
"""

DEPENDS_FIXED = """\
# Shop stack -- every comment here must survive the fix.
x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: "json-file"
    options: {max-size: '10m'}   # flow, untouched

services:
  api:
    <<: *defaults
    image: "ghcr.io/acme/api:1.4.2"   # pinned
    depends_on:
      db:        # primary store
        condition: service_healthy

      # the queue is shared with the worker
      'queue':
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
    healthcheck: &http-check
      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]
      interval: 10s

  worker:
    <<: *defaults
    image: ghcr.io/acme/worker:1.4.2
    depends_on:    # flow style
      db:
        condition: service_healthy
      "queue":
        condition: service_healthy
    healthcheck: *http-check

  db:
    <<: *defaults
    image: postgres:16.4
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]

  queue:
    <<: *defaults
    image: 'rabbitmq:3.13'
    healthcheck:
      test: rabbitmq-diagnostics -q ping
    depends_on:
      db:
        condition: "service_healthy"   # fine in 2021
        required: true

  migrate:
    image: ghcr.io/acme/api:1.4.2
    command: ["alembic", "upgrade", "head"]
    restart: "no"
    depends_on:
      db:
        condition: service_healthy
"""


def test_ds302_rewrites_depends_on(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {"compose.yaml": DEPENDS})
    err, after = fix_twice(capsys, repo, "DS302", "compose.yaml")
    assert after["compose.yaml"] == DEPENDS_FIXED
    assert "fixed: compose.yaml: service 'api': depends_on in the long form, 'db' waits for " \
        "service_healthy, 'queue' waits for service_healthy, 'migrate' waits for " \
        "service_completed_successfully (DS302)" in err
    assert "fixed: compose.yaml: service 'queue': depends_on 'db' waits for service_healthy " \
        "(DS302)" in err


def test_ds302_leaves_a_target_without_healthcheck(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("services:\n  api:\n    image: a/api:1\n    depends_on:\n      - db\n"
            "      - cache   # no healthcheck: not a guess\n"
            "  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n"
            "  cache:\n    image: redis:7\n")
    write_project(repo, {"compose.yaml": text})
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS302")
    assert code == 1
    fixed = (repo / "compose.yaml").read_text()
    assert fixed == text.replace(
        "      - db\n      - cache   # no healthcheck: not a guess\n",
        "      db:\n        condition: service_healthy\n"
        "      cache:   # no healthcheck: not a guess\n        condition: service_started\n",
    )
    assert "'cache' has no healthcheck and is not a one-shot job" in err
    code, out, err = run(capsys, "check", "--fix", "--select", "DS302", "--format", "json")
    assert code == 1  # the finding stays, nothing changes
    assert (repo / "compose.yaml").read_text() == fixed
    [finding] = json.loads(out)["findings"]
    assert (finding["code"], finding["line"]) == ("DS302", 8)


def test_ds302_refuses_inside_a_shared_anchor(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("x-app: &app\n  image: a/app:1\n  restart: always\n  depends_on:\n    - db\n"
            "services:\n  api:\n    <<: *app\n  admin:\n    <<: *app\n"
            "  db:\n    image: postgres:16\n    restart: always\n"
            "    healthcheck:\n      test: pg_isready\n")
    write_project(repo, {"compose.yaml": text})
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS302")
    assert code == 1  # findings left
    assert not fixed_lines(err)
    assert "DS302 not fixed" in err
    assert (repo / "compose.yaml").read_text() == text


# ---------------------------------------------------------------------------- DS305

RESTART = """\
services:
  web:   # public site
    image: &nginx "nginx:1.27"
    ports:
      - "80:80"
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost"]

  # the API, built here
  api:
    build:
      context: ./api
      # dockerfile: Dockerfile.dev
    environment:
      MODE: 'prod'
  sidecar:
    image: *nginx
    command: ["sh", "-c", "sleep infinity"]
  job:
    image: alpine:3.20
    command: echo done
    restart: "no"
  notes:
    environment:
      A: "1"
    command: >-
      sh -c 'while true;
      do sleep 60; done'
"""

RESTART_FIXED = """\
services:
  web:   # public site
    image: &nginx "nginx:1.27"
    restart: unless-stopped
    ports:
      - "80:80"
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost"]

  # the API, built here
  api:
    build:
      context: ./api
      # dockerfile: Dockerfile.dev
    restart: unless-stopped
    environment:
      MODE: 'prod'
  sidecar:
    image: *nginx
    restart: unless-stopped
    command: ["sh", "-c", "sleep infinity"]
  job:
    image: alpine:3.20
    command: echo done
    restart: "no"
  notes:
    environment:
      A: "1"
    command: >-
      sh -c 'while true;
      do sleep 60; done'
    restart: unless-stopped
"""


def test_ds305_adds_restart(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {"compose.yaml": RESTART})
    err, after = fix_twice(capsys, repo, "DS305", "compose.yaml")
    assert after["compose.yaml"] == RESTART_FIXED
    assert err.count("(DS305)") == 4


def test_ds305_four_space_indent_crlf_and_no_final_newline(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "services:\r\n    web:\r\n        image: nginx:1.27\r\n        ports: ['80:80']"
    write_project(repo, {"docker-compose.yml": text.encode()})
    git_init(repo)
    fix_twice(capsys, repo, "DS305", "docker-compose.yml")
    assert (repo / "docker-compose.yml").read_bytes() == (
        b"services:\r\n    web:\r\n        image: nginx:1.27\r\n"
        b"        restart: unless-stopped\r\n        ports: ['80:80']"
    )


def test_ds305_in_the_base_file_not_the_overlay(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = "services:\n  api:\n    image: a/api:1\n"
    dev = "services:\n  api:\n    volumes:\n      - ./src:/src\n"
    write_project(repo, {"compose.yaml": base, "compose.dev.yaml": dev})
    fix_twice(capsys, repo, "DS305", "compose.yaml", "compose.dev.yaml")
    assert (repo / "compose.yaml").read_text() == base + "    restart: unless-stopped\n"
    assert (repo / "compose.dev.yaml").read_text() == dev


def test_ds305_leaves_a_flow_service(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "services:\n  cron: {image: 'alpine:3.20', command: crond -f}   # flow\n"
    write_project(repo, {"compose.yaml": text})
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS305")
    assert code == 1
    assert "DS305 not fixed" in err and not fixed_lines(err)
    assert (repo / "compose.yaml").read_text() == text


def git_init(root: Path) -> None:
    from conftest import git

    if not (root / ".git").exists():
        git(root, "init", "-q")


# ---------------------------------------------------------------------------- DS101

def test_ds101_appends_to_the_root_gitignore(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gitignore = "# editors\n.idea/\n*.sw?\n\n# builds\n/dist\n!.env.local.keep"
    write_project(repo, {
        ".gitignore": gitignore,
        "compose.yaml": "services:\n  api:\n    image: a/api:1\n",
        "deploy/compose.yaml": "services:\n  api:\n    image: a/api:1\n",
        "deploy/.env.local": "TOKEN=abc\n",
    })
    err, after = fix_twice(capsys, repo, "DS101", ".gitignore")
    assert after[".gitignore"] == gitignore + (
        f"\n\n{HEADER}\n.env\n.env.local\n"
    )
    assert "fixed: .gitignore: added .env (DS101)" in err
    assert not (repo / "deploy/.gitignore").exists()


def test_ds101_uses_the_stack_gitignore_and_creates_none_twice(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(repo, {
        ".gitignore": "node_modules/\n",
        "app/.gitignore": "# app\n!.env\n",
        "app/compose.yaml": "services:\n  api:\n    image: a/api:1\n",
    })
    _err, after = fix_twice(capsys, repo, "DS101", ".gitignore", "app/.gitignore")
    assert after["app/.gitignore"] == f"# app\n!.env\n\n{HEADER}\n.env\n"
    assert after[".gitignore"] == "node_modules/\n"


def test_ds101_creates_a_root_gitignore(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {"compose.yaml": "services:\n  api:\n    image: a/api:1\n"})
    _err, after = fix_twice(capsys, repo, "DS101", ".gitignore")
    assert after[".gitignore"] == f"{HEADER}\n.env\n"


def test_gitignore_helpers() -> None:
    assert escape(".env") == ".env"
    assert escape("#x*?") == "\\#x\\*\\?"
    assert escape("!a ") == "\\!a\\ "


# ---------------------------------------------------------------------------- DS103 / DS104

COMPOSE_VARS = """\
services:
  api:
    image: ghcr.io/acme/api:${API_TAG:-1.4.2}
    environment:
      DB_PASSWORD: ${DB_PASSWORD}
      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app
      GREETING: ${GREETING:-hello world}
      STRIPE_KEY: ${STRIPE_KEY:-sk_live_51HxQzJKq8c2bV9dLmN3pR7sT}
      DEBUG_FLAG: ${DEBUG:+--debug}
      COMPOSE_PROJECT_NAME: ${COMPOSE_PROJECT_NAME}
    ports:
      - "${API_PORT:-8000}:8000"
  worker:
    image: ghcr.io/acme/worker:1.4.2
    environment:
      - SENTRY_DSN
      - QUEUE=${QUEUE:?set the queue name}
"""

EXAMPLE = """\
# Copy to .env and fill in.

# Image tag of the API
export API_TAG="1.4.2"
# Port on the host
API_PORT=8000   # default"""


def test_ds104_appends_missing_variables(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {
        "compose.yaml": COMPOSE_VARS,
        ".env.example": EXAMPLE,
        ".env": "DB_PASSWORD=hunter2-real-value\nSTRIPE_KEY=sk_live_realrealreal\n",
        ".gitignore": ".env\n",
    })
    err, after = fix_twice(capsys, repo, "DS104", ".env.example", ".env")
    assert after[".env.example"] == EXAMPLE + "\n\n" + """\
# Used in compose.yaml:5, compose.yaml:6
DB_PASSWORD=
# Used in compose.yaml:7
GREETING='hello world'
# Used in compose.yaml:8 (its default looks like a credential, so it is not copied here)
STRIPE_KEY=
# Used in compose.yaml:9
DEBUG=
# Used in compose.yaml:16
SENTRY_DSN=
# Used in compose.yaml:17 (required)
QUEUE=
"""
    assert "hunter2" not in after[".env.example"]
    assert "realrealreal" not in after[".env.example"]
    assert after[".env"] == "DB_PASSWORD=hunter2-real-value\nSTRIPE_KEY=sk_live_realrealreal\n"
    assert "fixed: .env.example: added DB_PASSWORD (DS104)" in err


@pytest.mark.parametrize("template", [".env.defaults", "env.example", "template.env"])
def test_ds104_fixes_the_template_the_rule_read(
    repo: Path, capsys: pytest.CaptureFixture[str], template: str
) -> None:
    """One template lookup for the rule and the fixer: a finding that says "fixable" is fixed
    in the file it names (a `.env.defaults` template was reported fixable and left alone)."""
    write_project(repo, {
        "compose.yaml": "services:\n  api:\n    image: a/b:1\n    environment:\n"
                        "      P: ${DB_PASSWORD}\n      Q: ${QUEUE:-jobs}\n",
        template: "# Password of the database\nDB_PASSWORD=changeme\n",
        ".gitignore": ".env\n",
    })
    code, out, _err = run(capsys, "check", "--select", "DS104", "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert [(f["message"].split(":")[0], f["fixable"]) for f in findings] == [
        (f"variable QUEUE is not in {template}", True)
    ]
    err, after = fix_twice(capsys, repo, "DS104", template)
    assert after[template] == (
        "# Password of the database\nDB_PASSWORD=changeme\n\n# Used in compose.yaml:6\nQUEUE=jobs\n"
    )
    assert f"fixed: {template}: added QUEUE (DS104)" in err
    assert not (repo / ".env.example").exists()


def test_ds103_creates_the_template(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {
        "stack/compose.yaml": COMPOSE_VARS,
        "stack/.env": "DB_PASSWORD=hunter2-real-value\n",
        ".gitignore": ".env\n",
    })
    err, after = fix_twice(capsys, repo, "DS103,DS104", "stack/.env.example")
    assert after["stack/.env.example"] == """\
# Environment for compose.yaml: copy this file to .env and set real values there.
# .env holds secrets and stays out of git; this template is committed.

# Used in compose.yaml:3
API_TAG=1.4.2
# Used in compose.yaml:5, compose.yaml:6
DB_PASSWORD=
# Used in compose.yaml:7
GREETING='hello world'
# Used in compose.yaml:8 (its default looks like a credential, so it is not copied here)
STRIPE_KEY=
# Used in compose.yaml:9
DEBUG=
# Used in compose.yaml:12
API_PORT=8000
# Used in compose.yaml:16
SENTRY_DSN=
# Used in compose.yaml:17 (required)
QUEUE=
"""
    assert "fixed: stack/.env.example: created with 8 variables (DS103)" in err


# ---------------------------------------------------------------------------- the seed example

def _standard_env_example() -> str:
    doc = shared("docs", "docker-standard.md").read_text(encoding="utf-8")
    match = re.search(r"### \.env\.example[^\n]*\n+```(?:bash|sh)?\n(.*?)```", doc, re.S)
    assert match, "the standard's .env.example block moved"
    return match.group(1)


def test_fixing_the_seed_example_leaves_no_fixable_finding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = shared("vectors", "68-seed-standard-example.yml").read_text(encoding="utf-8")
    write_project(repo, {
        "docker-compose.yml": compose,
        ".env.example": _standard_env_example(),
        ".gitignore": "__pycache__/\n*.pyc\n",
    })
    code, _out, err = run(capsys, "check", "--fix")
    assert code == 1
    assert "fixed: .gitignore: added .env (DS101)" in err
    assert "fixed: docker-compose.yml: removed the obsolete top-level version (DS316)" in err
    without_version = compose.replace("version: '3.9'\n", "", 1)
    assert (repo / "docker-compose.yml").read_text(encoding="utf-8") == without_version
    # Its data ports are published on every interface: an unsafe fix binds them to 127.0.0.1.
    code, _out, err = run(capsys, "check", "--fix", "--unsafe-fixes")
    assert "fixed: docker-compose.yml: service 'postgres': port" in err
    code, out, _err = run(capsys, "check", "--format", "json", "--fail-on", "never")
    assert code == 0
    left = [f for f in json.loads(out)["findings"] if f["code"] in FIXABLE and f["fixable"]]
    assert left == []


# ---------------------------------------------------------------------------- --diff and writes

SMALL = "services:\n  api:\n    image: a/api:1\n    depends_on: [db]\n" \
    "  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n"


def test_diff_prints_and_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {"compose.yaml": SMALL})
    before = tree_digest(repo)
    code, out, _err = run(capsys, "check", "--diff", "--select", "DS101,DS302,DS305", "-q")
    assert tree_digest(repo) == before
    assert code == 1
    diff = out[out.index("--- "):]
    assert diff == """\
--- /dev/null
+++ b/.gitignore
@@ -0,0 +1,2 @@
+# docker-standard: local env files hold secrets
+.env
--- a/compose.yaml
+++ b/compose.yaml
@@ -1,8 +1,12 @@
 services:
   api:
     image: a/api:1
-    depends_on: [db]
+    restart: unless-stopped
+    depends_on:
+      db:
+        condition: service_healthy
   db:
     image: postgres:16
+    restart: unless-stopped
     healthcheck:
       test: pg_isready
"""


def test_a_file_changed_on_disk_is_not_overwritten(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import docker_standard.fixes as fixes

    write_project(repo, {"compose.yaml": SMALL})
    real = fixes.plan_fixes
    edited = SMALL + "# edited by someone else meanwhile\n"

    def plan_then_edit(*args: object, **kwargs: object) -> object:
        plan = real(*args, **kwargs)  # type: ignore[arg-type]
        (repo / "compose.yaml").write_text(edited, encoding="utf-8")
        return plan

    monkeypatch.setattr(fixes, "plan_fixes", plan_then_edit)
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS302")
    assert (repo / "compose.yaml").read_text(encoding="utf-8") == edited
    assert "compose.yaml: not fixed: the file changed on disk since it was read" in err
    assert not fixed_lines(err)
    assert code == 1  # the finding is still there


def test_mode_and_bom_are_kept(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(repo, {"compose.yaml": b"\xef\xbb\xbf" + SMALL.encode()})
    git_init(repo)
    os.chmod(repo / "compose.yaml", 0o640)
    fix_twice(capsys, repo, "DS302,DS305", "compose.yaml")
    assert stat.S_IMODE((repo / "compose.yaml").stat().st_mode) == 0o640
    assert (repo / "compose.yaml").read_bytes().startswith(b"\xef\xbb\xbfservices:\n")
    assert not [p for p in repo.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------- the machinery

def test_split_lines_matches_libyaml_line_breaks() -> None:
    text = "a: 1\r\nb: 2\rc: 3\n\x0cd: 4"
    assert yamledit.split_lines(text) == ["a: 1\r\n", "b: 2\r", "c: 3\n", "\x0cd: 4"]
    index = yamledit.index_yaml("a: 1\r\nb: 2\rc: 3\n")
    node = index.at(3, 1)
    assert node is not None and node.value == "c"


def test_untouched_outside_catches_stray_changes() -> None:
    old = "a\nb\nc\n"
    edit = yamledit.Edit(1, 2, ("B\n",), "x")
    assert yamledit.untouched_outside(old, yamledit.splice(old.splitlines(True), [edit]), [edit])
    assert not yamledit.untouched_outside(old, "A\nB\nc\n", [edit])
    assert yamledit.untouched_outside(old, "a\nb\nX\nc\n", [yamledit.Edit(2, 2, ("X\n",), "x")])
    with pytest.raises(yamledit.EditError):
        yamledit.splice(old.splitlines(True), [edit, yamledit.Edit(1, 3, (), "y")])


def test_key_text_quotes_what_would_not_load_back() -> None:
    assert yamledit.key_text("db") == "db"
    assert yamledit.key_text("1") == '"1"'
    assert yamledit.key_text("true") == '"true"'


def test_ds302_keeps_a_suppressed_entry_suppressed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("services:\n  api:\n    image: a/api:1\n    depends_on:\n      - db\n"
            "      - cache  # docker-standard: ignore=DS302\n"
            "  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n"
            "  cache:\n    image: redis:7\n")
    write_project(repo, {"compose.yaml": text})
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS302")
    assert (code, fixed_lines(err)) == (1, [])
    assert "cannot decide carries a docker-standard comment" in err
    assert (repo / "compose.yaml").read_text() == text


def test_ds305_leaves_a_service_an_alias_repeats(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("services:\n  api: &api\n    image: a/api:1\n  api2:\n    <<: *api\n"
            "    command: serve --port 81\n")
    write_project(repo, {"compose.yaml": text})
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS305")
    assert code == 1
    assert fixed_lines(err) == ["fixed: compose.yaml: service 'api2': added restart: "
                                "unless-stopped (DS305)"]
    assert "compose.yaml:2: DS305 not fixed: the service is an anchor that an alias repeats" \
        in err
    assert (repo / "compose.yaml").read_text() == text + "    restart: unless-stopped\n"


def test_ds302_in_an_overlay_decided_in_its_view(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = "services:\n  api:\n    image: a/api:1\n  db:\n    image: postgres:16\n"
    dev = ("services:\n  db:\n    healthcheck:\n      test: pg_isready\n"
           "  api:\n    depends_on: [db]  # dev only\n")
    write_project(repo, {"compose.yaml": base, "compose.dev.yaml": dev})
    fix_twice(capsys, repo, "DS302", "compose.yaml", "compose.dev.yaml")
    assert (repo / "compose.dev.yaml").read_text() == dev.replace(
        "    depends_on: [db]  # dev only\n",
        "    depends_on:  # dev only\n      db:\n        condition: service_healthy\n",
    )
    assert (repo / "compose.yaml").read_text() == base


def test_fixes_stay_within_the_files_a_hook_was_given(repo: Path) -> None:
    from docker_standard.config import load_settings
    from docker_standard.fixes import apply_fixes
    from docker_standard.model.loading import load_project
    from docker_standard.model.project import Project
    from docker_standard.runner import enabled_rules

    other = "services:\n  x:\n    image: a/x:1\n"
    write_project(repo, {"sub/compose.yaml": "services:\n  api:\n    image: a/api:1\n",
                         "compose.yaml": other})
    settings = load_settings(repo, None).with_cli(["DS305"], [])
    scope = ["sub/compose.yaml"]
    project = load_project(repo, settings, is_repo=True, only=scope)
    def reload() -> Project:
        return load_project(repo, settings, is_repo=True, only=scope)

    fixed, reloaded = apply_fixes(project, enabled_rules(settings, "check-compose"), write=True,
                                  reload=reload, given=scope, given_files=scope)
    assert fixed == ("sub/compose.yaml: service 'api': added restart: unless-stopped (DS305)",)
    assert (repo / "compose.yaml").read_text() == other
    assert reloaded is not project and "sub/compose.yaml" in reloaded.sources


def test_diff_shows_every_round_fix_writes_created_files_included(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--diff plans the same rounds as --fix (each on what the earlier ones planned, new files
    and a planned .gitignore included) and says nothing --fix would not."""
    import subprocess

    compose = "services:\n  api:\n    image: a/api:1\n    environment:\n      LEVEL: ${LOG_LEVEL}\n"
    write_project(repo, {"compose.yaml": compose})
    code, diff, err = run(capsys, "check", "--diff", "--select", "DS1")
    assert sorted(p.name for p in repo.iterdir()) == [".git", "compose.yaml"]  # nothing written
    assert "+++ b/.env.example" in diff and "+++ b/.gitignore" in diff
    assert "note:" not in err
    subprocess.run(["git", "apply"], cwd=repo, input=diff, text=True, check=True)
    planned = {p.name: p.read_text() for p in repo.iterdir() if p.is_file()}
    for name in (".env.example", ".gitignore"):
        (repo / name).unlink()
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS1")
    assert code == 1 and "note:" not in err
    assert {p.name: p.read_text() for p in repo.iterdir() if p.is_file()} == planned
