"""Git in every shape a repository comes in, and every way git can fail to answer.

The promise: the right answer, or a clear note (``report.notes``) and the best answer the
.gitignore files give; never a wrong "not ignored" (DS101) because git could not be asked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docker_standard.check import check_project
from docker_standard.findings import Finding
from docker_standard.model import git as gitmodel
from docker_standard.model.process import Completed
from docker_standard.report import Report

COMPOSE = "services:\n  app:\n    image: alpine:3.20\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def _clean_git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    # No user or system configuration leaks in (a global excludesFile would change answers).
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("HOME", str(tmp_path))


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout


def make_repo(root: Path, files: dict[str, str], *, commit: tuple[str, ...] = ()) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q", "-b", "main")
    if commit:
        git(root, "add", "-f", *commit)
        git(root, "commit", "-q", "-m", "init")
    return root


def run(path: Path, select: tuple[str, ...] = ("DS101", "DS102")) -> Report:
    return check_project([str(path)], select=select)


def found(report: Report) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in report.findings)


def ds101(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.code == "DS101"]


IGNORED = {"compose.yaml": COMPOSE, ".gitignore": ".env\n", ".env": "A=1\n"}
NOT_IGNORED = {"compose.yaml": COMPOSE, ".gitignore": "node_modules/\n", ".env": "A=1\n"}


# --------------------------------------------------------------------------- shapes


def test_not_a_git_repository_uses_the_gitignore_files(tmp_path: Path) -> None:
    for name, files in (("yes", IGNORED), ("no", NOT_IGNORED)):
        root = tmp_path / name
        root.mkdir()
        for rel, text in files.items():
            (root / rel).write_text(text)
        report = run(root)
        assert found(report) == ([] if name == "yes" else [("DS101", ".env")])
        assert not any("git" in note for note in report.notes), report.notes


def test_outside_git_a_hook_takes_files_from_several_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside git the root is the current directory: `check-compose a/x b/y` used to fail with
    "b/y is outside the project root a"."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "compose.yaml").write_text("services:\n  app:\n    image: alpine\n")
    monkeypatch.chdir(tmp_path)
    report = check_project(["a/compose.yaml", "b/compose.yaml"], select=("DS306",),
                           hook="check-compose")
    assert report.root == str(tmp_path.resolve())
    assert found(report) == [("DS306", "a/compose.yaml"), ("DS306", "b/compose.yaml")]


def test_a_bare_clone_is_not_a_work_tree(tmp_path: Path) -> None:
    source = make_repo(tmp_path / "src", IGNORED, commit=("compose.yaml", ".gitignore"))
    git(tmp_path, "clone", "-q", "--bare", str(source), "bare.git")
    report = run(tmp_path / "bare.git", select=("DS",))
    assert report.findings == ()


def test_a_shallow_clone_answers_like_a_full_one(tmp_path: Path) -> None:
    source = make_repo(tmp_path / "src", NOT_IGNORED, commit=("compose.yaml", ".gitignore", ".env"))
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", "shallow")
    assert (tmp_path / "shallow" / ".git" / "shallow").exists()
    report = run(tmp_path / "shallow")
    assert found(report) == [("DS101", ".env"), ("DS102", ".env")]
    assert report.notes == ()


def test_a_worktree_answers_from_its_own_index(tmp_path: Path) -> None:
    main = make_repo(tmp_path / "main", IGNORED, commit=("compose.yaml", ".gitignore"))
    git(main, "worktree", "add", "-q", str(tmp_path / "wt"))
    (tmp_path / "wt" / ".env").write_text("A=1\n")
    assert (tmp_path / "wt" / ".git").is_file()
    assert found(run(tmp_path / "wt")) == []
    (tmp_path / "wt" / ".gitignore").write_text("node_modules/\n")
    assert found(run(tmp_path / "wt")) == [("DS101", ".env")]


def test_a_submodule_is_judged_by_its_own_gitignore(tmp_path: Path) -> None:
    inner = make_repo(tmp_path / "inner", IGNORED, commit=("compose.yaml", ".gitignore"))
    outer = make_repo(tmp_path / "outer", {"README": "x\n"}, commit=("README",))
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "lib")
    (outer / "lib" / ".env").write_text("A=1\n")
    assert found(run(outer)) == []  # lib/.gitignore ignores lib/.env
    assert found(run(outer / "lib")) == []  # from inside, the submodule is its own root


def test_a_subdirectory_is_checked_from_the_top_level(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"app/compose.yaml": COMPOSE, ".gitignore": ".env\n",
                                       "app/.env": "A=1\n"}, commit=("app/compose.yaml",))
    report = run(root / "app")
    assert report.root == str(root.resolve())
    assert found(report) == []


def test_global_excludes_count_inside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    excludes = tmp_path / "global-excludes"
    excludes.write_text(".env\n")
    config = tmp_path / "global-gitconfig"
    config.write_text(f"[core]\n\texcludesFile = {excludes}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    root = make_repo(tmp_path / "r", {"compose.yaml": COMPOSE, ".env": "A=1\n"})
    assert found(run(root)) == []


def test_pre_commit_git_variables_do_not_redirect_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit runs hooks with GIT_INDEX_FILE (and sometimes GIT_DIR) pointing elsewhere."""
    root = make_repo(tmp_path / "r", NOT_IGNORED, commit=("compose.yaml", ".env"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "elsewhere.index"))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("GIT_WORK_TREE", str(tmp_path))
    assert found(run(root)) == [("DS101", ".env"), ("DS102", ".env")]


def test_a_tracked_env_file_that_gitignore_now_ignores(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", IGNORED, commit=("compose.yaml", ".gitignore", ".env"))
    report = run(root)
    assert found(report) == [("DS102", ".env")]
    assert "although" in report.findings[0].message


# --------------------------------------------------------------------------- git cannot answer


def _refused(tmp_path: Path, files: dict[str, str], how: str,
             monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_repo(tmp_path / "r", files, commit=tuple(f for f in files if f != ".env"))
    if how == "chown":
        if os.geteuid() != 0:
            pytest.skip("only root can give the repository to another uid")
        for folder, dirs, names in os.walk(root):
            for name in [*dirs, *names, "."]:
                os.lchown(os.path.join(folder, name), 12345, 12345)
    else:
        monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    # Check git's own words first: the test simulates what git really says.
    proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root,
                          capture_output=True, text=True, check=False)
    if proc.returncode == 0:
        pytest.skip("this git does not refuse the repository (older than 2.35.2?)")
    assert "dubious ownership" in proc.stderr
    return root


@pytest.mark.parametrize("how", ["chown", "assume-different-owner"])
@pytest.mark.parametrize("where", ["top", "subfolder"])
def test_safe_directory_refusal_is_a_note_not_a_false_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, where: str
) -> None:
    files = {**IGNORED, "sub/compose.yaml": COMPOSE, "sub/.env": "A=1\n"}
    root = _refused(tmp_path, files, how, monkeypatch)
    report = run(root if where == "top" else root / "sub")
    assert report.root == str(root.resolve())  # the folder holding .git, found without git
    assert found(report) == []  # the root .gitignore ignores both .env files
    assert any("dubious ownership" in note and "safe.directory" in note for note in report.notes)


@pytest.mark.parametrize("how", ["chown", "assume-different-owner"])
def test_safe_directory_refusal_still_reports_a_real_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    root = _refused(tmp_path, NOT_IGNORED, how, monkeypatch)
    assert found(run(root)) == [("DS101", ".env")]


def _without_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("git") is None


def test_git_missing_from_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {**IGNORED, "sub/compose.yaml": COMPOSE,
                                      "sub/.env": "A=1\n"}, commit=("compose.yaml",))
    _without_git(monkeypatch, tmp_path)
    report = run(root / "sub")
    assert report.root == str(root.resolve())
    assert found(report) == []
    assert any("git is not installed" in note for note in report.notes)


def test_git_missing_still_honours_info_exclude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path / "r", {"compose.yaml": COMPOSE, ".env": "A=1\n"})
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("# local\n.env\n")
    _without_git(monkeypatch, tmp_path)
    assert found(run(root)) == []


def test_git_missing_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from docker_standard.cli import main

    root = make_repo(tmp_path / "r", NOT_IGNORED)
    _without_git(monkeypatch, tmp_path)
    monkeypatch.chdir(root)
    assert main(["check", "--select", "DS101"]) == 1
    out, err = capsys.readouterr()
    assert ".env:1:1: DS101" in out
    assert "note: git is not installed" in err and "Traceback" not in err


def test_a_corrupt_index_is_a_note_not_a_false_finding(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", IGNORED, commit=("compose.yaml", ".gitignore"))
    (root / ".git" / "index").write_bytes(b"garbage")
    report = run(root)
    assert found(report) == []
    assert any("ls-files failed" in note and ".gitignore files only" in note
               for note in report.notes)


def test_check_ignore_failing_mid_run_falls_back_to_gitignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_root: Path, _paths: list[str]) -> dict[str, bool]:
        raise gitmodel.GitUnavailable("git check-ignore failed: TimeoutExpired")

    root = make_repo(tmp_path / "r", {**IGNORED, "b/compose.yaml": COMPOSE, "b/.env": "A=1\n",
                                      "b/.gitignore": "!.env\n"}, commit=("compose.yaml",))
    monkeypatch.setattr(gitmodel, "_check_ignore", broken)
    report = run(root)
    assert found(report) == [("DS101", "b/.env")]  # b/.gitignore re-includes it
    assert any("check-ignore failed" in note for note in report.notes)


def test_git_failing_without_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty stderr used to be an IndexError in find_root."""
    root = make_repo(tmp_path / "r", IGNORED)

    def silent(cwd: Path, args: list[str], stdin: bytes | None = None) -> object:
        return Completed(["git", *args], 129, b"", b"")

    monkeypatch.setattr(gitmodel, "run_git", silent)
    top, is_repo, problem = gitmodel.find_root(root)
    assert (top, is_repo) == (root, False)
    assert problem == "git could not read the repository: exit status 129"


def test_git_reads_never_take_the_index_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_OPTIONAL_LOCKS=0: a concurrent `git commit` never meets our index.lock."""
    seen: list[str | None] = []
    real = gitmodel.run

    def spy(args: list[str], **kwargs: Any) -> Completed:
        env = kwargs.get("env")
        seen.append(env.get("GIT_OPTIONAL_LOCKS") if isinstance(env, dict) else None)
        return real(args, **kwargs)

    root = make_repo(tmp_path / "r", NOT_IGNORED)
    monkeypatch.setattr(gitmodel, "run", spy)
    run(root)
    assert seen and set(seen) == {"0"}
