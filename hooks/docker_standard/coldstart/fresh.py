"""What a fresh clone has, in a temporary folder, after the documented setup step."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from docker_standard.coldstart.tools import ColdStartError
from docker_standard.model.project import ENV_TEMPLATE_SUFFIXES, is_env_template, is_local_env

_SKIP_OUTSIDE_GIT = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__"})


def fresh_copy(root: Path, dest: Path, *, is_repo: bool, ref: str | None) -> None:
    """Copy into ``dest`` what a clone of ``root`` would hold.

    In git: the tracked files with their working-tree content (uncommitted edits are tested;
    untracked and ignored files, such as a local ``.env``, are not there), or the tree of
    ``ref``. Outside git: the folder without local env files.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if ref is not None:
        if not is_repo:
            raise ColdStartError(f"--ref {ref} needs a git repository, and {root} is not one.")
        _archive(root, dest, ref)
    elif is_repo:
        _tracked(root, dest)
    else:
        _folder(root, dest)


def _git(root: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=False)


def _archive(root: Path, dest: Path, ref: str) -> None:
    tar_path = dest.parent / "fresh.tar"
    proc = _git(root, ["archive", "--format=tar", "-o", str(tar_path), ref, "--"])
    if proc.returncode != 0:
        raise ColdStartError(f"git archive {ref} failed: is {ref!r} a commit of this repository?")
    with tarfile.open(tar_path) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(dest, filter="data")
        else:  # pragma: no cover - Python < 3.10.12 without extraction filters
            members = [m for m in archive.getmembers() if _safe_member(m)]
            archive.extractall(dest, members=members)
    tar_path.unlink()


def _safe_member(member: tarfile.TarInfo) -> bool:
    name = Path(member.name)
    return not name.is_absolute() and ".." not in name.parts and not member.issym()


def _tracked(root: Path, dest: Path) -> None:
    proc = _git(root, ["ls-files", "-z", "--cached"])
    if proc.returncode != 0:
        raise ColdStartError(f"git ls-files failed in {root}: cannot tell which files a clone has.")
    for raw in proc.stdout.split(b"\0"):
        if not raw:
            continue
        rel = os.fsdecode(raw)
        source = root / rel
        if not os.path.lexists(source) or (source.is_dir() and not source.is_symlink()):
            continue  # deleted in the working tree, or a submodule a plain clone leaves empty
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)


def _folder(root: Path, dest: Path) -> None:
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n in _SKIP_OUTSIDE_GIT or is_local_env(n)]

    shutil.copytree(root, dest, symlinks=True, ignore=ignore, dirs_exist_ok=True)


def template_target(name: str) -> str | None:
    """The env file a template sets up: ``.env.example`` -> ``.env``, ``app.env.sample`` ->
    ``app.env``, ``example.env``/``env.example`` -> ``.env``; ``None`` for other files."""
    if not is_env_template(name):
        return None
    for suffix in ENV_TEMPLATE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            target = name[: -len(suffix)]
            break
    else:
        target = "env" if name.count(".") == 1 and name.endswith(".env") else ""
    if target == "env":
        return ".env"
    if target == ".env" or target.startswith(".env.") or target.endswith(".env"):
        return target
    return None


def apply_templates(dest: Path) -> list[str]:
    """Copy each template to the file it is a template of, never over an existing file.
    Returns the files created, relative to ``dest``."""
    created = []
    for folder, dirs, names in os.walk(dest):
        dirs[:] = [d for d in dirs if d not in _SKIP_OUTSIDE_GIT]
        for name in sorted(names):
            target_name = template_target(name)
            if target_name is None:
                continue
            source = Path(folder) / name
            target = Path(folder) / target_name
            if os.path.lexists(target) or not source.is_file():
                continue
            shutil.copyfile(source, target)
            created.append(target.relative_to(dest).as_posix())
    return sorted(created)
