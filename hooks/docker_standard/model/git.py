"""Ignore and tracked status, from git itself when the root is a work tree.

Two git calls per run, whatever the number of files: ``ls-files`` for the index and one
``check-ignore --stdin`` for every path a rule may ask about. Outside git, ``.gitignore`` files
are matched with gitignore semantics (pathspec), walking from the root down like git does.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT = 60


class GitUnavailable(Exception):
    """Git is missing or refused the repository; the message says what to do."""


@dataclass
class GitStatus:
    root: Path
    is_repo: bool
    tracked: frozenset[str] = frozenset()
    problem: str | None = None  # why git could not answer, when it could not
    _ignored: dict[str, bool] = field(default_factory=dict)
    _gitignores: dict[str, list[str]] = field(default_factory=dict)  # outside git: dir -> lines

    def is_tracked(self, path: str) -> bool:
        return path in self.tracked

    def is_ignored(self, path: str) -> bool:
        """Would git ignore ``path`` (root-relative POSIX) if it existed and were untracked?"""
        if path not in self._ignored:
            self._ignored.update(self._query([path]))
        return self._ignored[path]

    def prefetch(self, paths: Iterable[str]) -> None:
        """Ask about many paths at once, so later ``is_ignored`` calls cost nothing."""
        missing = sorted({p for p in paths if p not in self._ignored})
        if missing:
            self._ignored.update(self._query(missing))

    def _query(self, paths: list[str]) -> dict[str, bool]:
        if self.is_repo:
            return _check_ignore(self.root, paths)
        return {path: self._match_gitignores(path) for path in paths}

    def _match_gitignores(self, path: str) -> bool:
        import pathspec

        parts = path.split("/")
        ignored = False
        # Deeper .gitignore files take precedence; within one file the last match wins.
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            lines = self._gitignores.get(folder)
            if not lines:
                continue
            spec = pathspec.GitIgnoreSpec.from_lines(lines)
            relative = "/".join(parts[depth:])
            result = spec.check_file(relative)
            if result.include is not None:
                ignored = bool(result.include)
            # A file inside an ignored directory stays ignored: git never descends into it.
            for cut in range(1, len(parts) - depth):
                folder_rel = "/".join(parts[depth : depth + cut]) + "/"
                if spec.match_file(folder_rel):
                    return True
        return ignored


def _run_git(root: Path, args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    env.pop("GIT_INDEX_FILE", None)  # pre-commit sets it during commits; we want the real index
    return subprocess.run(
        ["git", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        timeout=GIT_TIMEOUT,
        env=env,
        check=False,
    )


def find_root(start: Path) -> tuple[Path, bool, str | None]:
    """The git top-level above ``start`` (and True), else ``start`` itself (and False).

    The third value explains a repository git refused (dubious ownership, a broken .git).
    """
    try:
        proc = _run_git(start, ["rev-parse", "--show-toplevel"])
    except FileNotFoundError:
        return start, False, "git is not installed: ignore and tracked status come from .gitignore files only"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return start, False, f"git could not run ({exc.__class__.__name__})"
    if proc.returncode == 0:
        top = proc.stdout.decode("utf-8", "surrogateescape").strip()
        if top:
            return Path(top), True, None
        # A bare repository or the inside of .git has no work tree.
        return start, False, "not inside a git work tree (bare repository?)"
    message = proc.stderr.decode("utf-8", "replace")
    if "dubious ownership" in message or "safe.directory" in message:
        return (
            start,
            False,
            "git refuses this repository (dubious ownership); mark it safe with "
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=<path>",
        )
    if ".git" in _existing_markers(start):
        return start, False, "git could not read the repository: " + message.strip().splitlines()[0]
    return start, False, None


def _existing_markers(start: Path) -> set[str]:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return {".git"}
    return set()


def load_status(root: Path, is_repo: bool, gitignores: dict[str, str]) -> GitStatus:
    """``gitignores`` maps each folder (root-relative, "" for the root) to its .gitignore text."""
    if not is_repo:
        return GitStatus(
            root,
            False,
            _gitignores={folder: text.splitlines() for folder, text in gitignores.items()},
        )
    try:
        proc = _run_git(root, ["ls-files", "-z", "--cached", "--full-name"])
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(f"git ls-files failed: {exc.__class__.__name__}") from None
    if proc.returncode != 0:
        raise GitUnavailable("git ls-files failed: " + proc.stderr.decode("utf-8", "replace").strip())
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return GitStatus(root, True, frozenset(n for n in names if n))


def _check_ignore(root: Path, paths: list[str]) -> dict[str, bool]:
    # --no-index: judge the patterns even for tracked files (a tracked .env is still "ignored").
    # -v -n lists every path with the pattern that decided it; an empty pattern means not ignored,
    # and a negated pattern ("!") means explicitly re-included.
    stdin = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths)
    try:
        proc = _run_git(root, ["check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"], stdin)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(f"git check-ignore failed: {exc.__class__.__name__}") from None
    if proc.returncode not in (0, 1):
        raise GitUnavailable(
            "git check-ignore failed: " + proc.stderr.decode("utf-8", "replace").strip()
        )
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    result = {path: False for path in paths}
    # Records are: source, line number, pattern, path.
    for index in range(0, len(fields) - 3, 4):
        pattern, path = fields[index + 2], fields[index + 3]
        if path in result:
            result[path] = bool(pattern) and not pattern.startswith("!")
    return result
