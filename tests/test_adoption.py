"""Adopting docker-standard on an existing project (issue 13): the baseline, ``--new-since``,
and what the hooks, SARIF and the Action make of them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import git
from conftest import run_cli as run
from docker_standard import action
from docker_standard.entry import main as entry_main

BASELINE = ".docker-standard-baseline.json"

OLD = """\
services:
  db:
    image: postgres:16.2
  api:
    image: ghcr.io/acme/api:1.0.0
    depends_on: [db]
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "compose.yaml").write_text(OLD)
    (tmp_path / ".gitignore").write_text(".env\n")
    (tmp_path / ".env.example").write_text("# nothing to set\n")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "first")
    return tmp_path


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", message)


def findings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code, out, _err = run(capsys, "check", "--format", "json", *args)
    return code, json.loads(out)


def add_worker(root: Path) -> None:
    with (root / "compose.yaml").open("a") as handle:
        handle.write("  worker:\n    image: redis:latest\n")


# -- the baseline ------------------------------------------------------------------------------


def test_baseline_then_only_new_findings_fail(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, before = findings(capsys)
    assert code == 1 and before["findings"]
    code, out, _ = run(capsys, "baseline")
    assert code == 0
    assert out == f"docker-standard: wrote {len(before['findings'])} entries to {BASELINE}\n"
    data = json.loads((repo / BASELINE).read_text())
    entries = data["findings"]
    assert data["version"] == 1
    assert [e["fingerprint"] for e in entries] == sorted(
        (f["fingerprint"] for f in before["findings"]),  # type: ignore[union-attr]
        key=lambda fp: next(
            (e["path"], e["code"], e["subject"], fp) for e in entries if e["fingerprint"] == fp
        ),
    )
    assert set(entries[0]) == {"fingerprint", "code", "path", "subject", "description"}
    assert not any(str(e["subject"]).isdigit() for e in entries)

    code, quiet = findings(capsys)
    assert code == 0 and quiet["findings"] == []
    assert quiet["summary"]["baselined"] == len(before["findings"])  # type: ignore[index]
    assert quiet["summary"]["stale"] == 0  # type: ignore[index]
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out.endswith(f"files ({len(entries)} in the baseline).\n") and "No findings" in out

    add_worker(repo)
    code, after = findings(capsys)
    assert code == 1
    assert {f["message"].split(" ")[1] for f in after["findings"]} == {"'worker'"}  # type: ignore[union-attr]
    code, everything = findings(capsys, "--no-baseline")
    assert len(everything["findings"]) == len(before["findings"]) + len(after["findings"])  # type: ignore[arg-type]


def test_stale_entries_are_counted_and_pruned_never_added(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "baseline")
    total = len(json.loads((repo / BASELINE).read_text())["findings"])
    # Giving db a restart policy makes its DS305 entry stale; a new finding appears too.
    (repo / "compose.yaml").write_text(
        OLD.replace("image: postgres:16.2", "image: postgres:16.2\n    restart: unless-stopped")
    )
    add_worker(repo)
    code, out, _ = run(capsys, "check", "--fail-on", "never")
    assert code == 0
    assert "1 stale baseline entry (run `docker-standard baseline --prune`)" in out
    code, out, _ = run(capsys, "baseline", "--prune")
    assert code == 0
    assert out == f"docker-standard: pruned 1 stale entry from {BASELINE}; {total - 1} left\n"
    entries = json.loads((repo / BASELINE).read_text())["findings"]
    assert len(entries) == total - 1
    assert not any("worker" in e["subject"] for e in entries)  # prune never adds


def test_baseline_select_keeps_the_other_rules_entries(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "baseline", "--select", "DS301")
    only = json.loads((repo / BASELINE).read_text())["findings"]
    assert only and {e["code"] for e in only} == {"DS301"}
    run(capsys, "baseline", "--select", "DS309")
    both = json.loads((repo / BASELINE).read_text())["findings"]
    assert {e["code"] for e in both} == {"DS301", "DS309"}
    code, result = findings(capsys)
    assert code == 1
    assert not {f["code"] for f in result["findings"]} & {"DS301", "DS309"}  # type: ignore[union-attr]


def test_a_hook_given_a_file_honours_the_baseline(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "baseline")
    assert entry_main(["check", "compose.yaml"]) == 0
    from docker_standard.entry import check_compose

    assert check_compose(["compose.yaml"]) == 0
    add_worker(repo)
    assert check_compose(["compose.yaml"]) == 1
    out, _ = capsys.readouterr()
    assert "'worker'" in out and "'api'" not in out


def test_fix_repairs_baselined_findings_which_then_go_stale(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "baseline")
    code, _out, err = run(capsys, "check", "--fix", "--select", "DS305")
    assert code == 1 and "restart: unless-stopped" in err
    code, out, _ = run(capsys, "check", "--select", "DS305")
    assert code == 0 and "2 stale baseline entries" in out


def test_named_missing_and_malformed_baselines_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "check", "--baseline", "nope.json")
    assert code == 2 and "baseline file not found: nope.json" in err
    (repo / BASELINE).write_text("{not json")
    code, _out, err = run(capsys, "check")
    assert code == 2 and "is not valid JSON" in err and "Traceback" not in err
    (repo / BASELINE).write_text('{"version": 1, "findings": [{"code": 3}]}')
    code, _out, err = run(capsys, "check")
    assert code == 2 and "malformed entry" in err
    (repo / BASELINE).write_text('{"version": 7}')
    code, _out, err = run(capsys, "check")
    assert code == 2 and "not a docker-standard baseline" in err
    code, _out, _err = run(capsys, "check", "--no-baseline", "--fail-on", "never")
    assert code == 0
    os.remove(repo / BASELINE)
    code, _out, err = run(capsys, "baseline", "--prune")
    assert code == 2 and "no baseline to prune" in err


def test_a_baseline_named_elsewhere(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "baseline", "--baseline", "ci/known.json")
    assert code == 2 and "cannot write" in err  # its folder does not exist
    (repo / "ci").mkdir()
    code, out, _ = run(capsys, "baseline", "--baseline", "ci/known.json")
    assert code == 0 and "ci/known.json" in out
    assert not (repo / BASELINE).exists()
    code, _result = findings(capsys)
    assert code == 1
    code, result = findings(capsys, "--baseline", "ci/known.json")
    assert code == 0 and result["summary"]["baselined"]  # type: ignore[index]


def test_sarif_omits_baselined_findings_unless_asked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "baseline")
    add_worker(repo)
    run(capsys, "check", "--format", "sarif=plain.sarif")
    run(capsys, "check", "--format", "sarif=all.sarif", "--sarif-baselined", "include")
    plain = json.loads((repo / "plain.sarif").read_text())["runs"][0]["results"]
    full = json.loads((repo / "all.sarif").read_text())["runs"][0]["results"]
    assert plain and all("suppressions" not in r for r in plain)
    held = [r for r in full if "suppressions" in r]
    assert len(full) == len(plain) + len(held) and held
    assert {r["suppressions"][0]["kind"] for r in held} == {"external"}
    baseline = {e["fingerprint"] for e in json.loads((repo / BASELINE).read_text())["findings"]}
    assert {r["partialFingerprints"]["dockerStandard/v1"] for r in held} == baseline


def test_the_baseline_never_holds_a_secret(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "Wq8-zL2v-Tn4x-pR7k"
    (repo / "compose.yaml").write_text(OLD + f"    environment:\n      ADMIN_PASSWORD: {secret}\n")
    code, out, _ = run(capsys, "baseline")
    assert secret not in out
    assert code == 0
    text = (repo / BASELINE).read_text()
    assert "DS310" in text and secret not in text and secret[2:-2] not in text


# -- --new-since -------------------------------------------------------------------------------


def _worktrees(root: Path) -> list[str]:
    out = subprocess.run(["git", "worktree", "list", "--porcelain"], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.startswith("worktree ")]


def test_new_since_reports_only_what_the_revision_did_not_have(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A local, untracked, not-ignored .env.local the project reads: the same on both sides.
    (repo / ".env").write_text("TOKEN=abc\n")
    add_worker(repo)
    commit(repo, "worker")
    code, result = findings(capsys, "--new-since", "HEAD~1")
    assert code == 1
    assert {f["message"].split(" ")[1] for f in result["findings"]} == {"'worker'"}  # type: ignore[union-attr]
    assert result["summary"]["existing"] > 0  # type: ignore[index,operator]
    code, out, _ = run(capsys, "check", "--new-since", "HEAD")
    assert code == 0 and "already at HEAD" in out
    assert len(_worktrees(repo)) == 1  # the temporary worktree is gone
    assert not [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob(
        "docker-standard-new-since-*") if p.stat().st_uid == os.getuid() and
        (p / "tree").exists()]


def test_new_since_copies_local_untracked_files_to_both_sides(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".gitignore").write_text("")  # .env is no longer ignored: DS101 on both sides
    commit(repo, "unignore")
    (repo / ".env").write_text("PLAIN=1\n")
    code, result = findings(capsys, "--new-since", "HEAD", "--select", "DS1")
    assert code == 0 and result["findings"] == [], result
    _code, result = findings(capsys, "--select", "DS1")
    assert any(f["code"] == "DS101" for f in result["findings"])  # type: ignore[union-attr]


def test_new_since_sees_local_env_files_in_build_contexts_on_both_sides(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "compose.yaml").write_text(OLD + "    build: .\n")
    (repo / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n")
    commit(repo, "build")
    (repo / ".env").write_text("TOKEN=local\n")  # ignored, untracked, in the build context
    _code, everything = findings(capsys, "--select", "DS209")
    assert [f["code"] for f in everything["findings"]] == ["DS209"]  # type: ignore[index]
    code, result = findings(capsys, "--select", "DS209", "--new-since", "HEAD")
    assert code == 0 and result["findings"] == []


def test_new_since_with_a_baseline_applies_both(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_worker(repo)
    commit(repo, "worker")
    run(capsys, "baseline")
    code, result = findings(capsys, "--new-since", "HEAD~1")
    assert code == 0 and result["findings"] == []
    assert result["summary"]["baselined"] > 0  # type: ignore[index,operator]


def test_new_since_an_unknown_revision_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "--new-since", "no-such-branch")
    assert code == 2 and out == ""
    assert err == ("docker-standard: --new-since: no-such-branch is not a commit in this "
                   "repository\n")
    code, _out, err = run(capsys, "check", "--new-since", "--help")
    assert code == 2


def test_new_since_on_a_shallow_clone_says_to_fetch(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    add_worker(repo)
    commit(repo, "worker")
    base = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    monkeypatch.chdir(clone)
    code, _out, err = run(capsys, "check", "--new-since", base)
    assert code == 2
    assert "not in this shallow clone" in err and "fetch-depth: 0" in err


def test_new_since_outside_git_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "compose.yaml").write_text(OLD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _out, err = run(capsys, "check", "--new-since", "HEAD")
    assert code == 2 and "needs a git repository" in err


# -- the Action --------------------------------------------------------------------------------


def test_the_action_reports_new_findings_and_counts_the_old(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path
) -> None:
    add_worker(repo)
    commit(repo, "worker")
    for name in list(os.environ):
        if name.startswith(("INPUT_", "GITHUB_")):
            monkeypatch.delenv(name)
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    summary.touch()
    output.touch()
    inputs = action.parse_inputs(action.read_inputs({"INPUT_NEW-SINCE": "HEAD~1"}))
    assert inputs.new_since == "HEAD~1"
    code = action.run(str(repo), inputs, {"GITHUB_STEP_SUMMARY": str(summary),
                                          "GITHUB_OUTPUT": str(output)})
    assert code == 1
    out, _ = capsys.readouterr()
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations and all("'worker'" in line for line in annotations)
    assert "already at HEAD~1" in summary.read_text()
    sarif = json.loads((repo / "docker-standard.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == len(annotations)
    inputs = action.parse_inputs(action.read_inputs({"INPUT_NEW-SINCE": "nope"}))
    with pytest.raises(action.InputError, match="nope is not a commit"):
        action.run(str(repo), inputs, {})


def test_a_bad_baseline_or_revision_stops_before_fix_writes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (repo / "compose.yaml").read_text()
    (repo / BASELINE).write_text("{not json")
    code, _out, err = run(capsys, "check", "--fix")
    assert code == 2 and "not valid JSON" in err
    assert (repo / "compose.yaml").read_text() == before
    code, _out, err = run(capsys, "check", "--fix", "--no-baseline", "--new-since", "nope")
    assert code == 2 and "nope is not a commit" in err
    assert (repo / "compose.yaml").read_text() == before
