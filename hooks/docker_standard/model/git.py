"""Ignore and tracked status, from git itself when the root is a work tree.

Two git calls per run, whatever the number of files: ``ls-files`` for the index and one
``check-ignore --stdin`` for every path a rule may ask about. Outside git, ``.gitignore`` files
are matched with gitignore semantics (pathspec), walking from the root down like git does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

from docker_standard.model.process import Completed, run
from docker_standard.patterns import lazy
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

GIT_TIMEOUT = 60


class GitUnavailable(Exception):
    """Git is missing or refused the repository; the message says what to do."""


class GitStatus:
    """What git says about the working tree: the tracked files, and which paths it ignores
    (asked on demand, remembered). A plain class: it is never compared or hashed."""

    __slots__ = (
        "_gitignores",
        "_ignored",
        "_patterns",
        "fallback",
        "is_repo",
        "problem",
        "root",
        "tracked",
    )

    def __init__(
        self,
        root: str,
        is_repo: bool,
        tracked: frozenset[str] = frozenset(),
        problem: str | None = None,  # why git could not answer, when it could not
        fallback: Callable[[str], dict[str, list[str]]] | None = None,
        _gitignores: dict[str, list[str]] | None = None,  # outside git: dir -> lines
    ) -> None:
        self.root = root
        self.is_repo = is_repo
        self.tracked = tracked
        self.problem = problem
        # Called with the problem when ``git check-ignore`` fails mid-run; returns the
        # .gitignore lines to match instead, so a failing git never turns into "not ignored"
        # for every path.
        self.fallback = fallback
        self._ignored: dict[str, bool] = {}
        self._gitignores = {} if _gitignores is None else _gitignores
        self._patterns: dict[str, _IgnoreFile] = {}

    def __repr__(self) -> str:
        return f"GitStatus(root={self.root!r}, is_repo={self.is_repo!r}, problem={self.problem!r})"

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
        if self.is_repo and self.problem is None:
            try:
                return _check_ignore(self.root, paths)
            except GitUnavailable as exc:
                self.problem = str(exc)
                self._gitignores = self.fallback(self.problem) if self.fallback else {}
        return {path: self._match_gitignores(path) for path in paths}

    def _match_gitignores(self, path: str) -> bool:
        parts = path.split("/")
        ignored = False
        # Deeper .gitignore files take precedence; within one file the last match wins.
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            lines = self._gitignores.get(folder)
            if not lines:
                continue
            patterns = self._patterns.get(folder)
            if patterns is None:
                patterns = self._patterns[folder] = _IgnoreFile(lines)
            spec = patterns.spec_for(path)
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


class _IgnoreFile:
    """One .gitignore file's lines, compiled with pathspec as the queries need them.

    Compiling costs ~0.1 ms a pattern, so a 100,000-line file would take many seconds. A
    pattern can only match a path (or one of its folders) when every literal character it
    holds appears in the path, so each query compiles just those candidates, in file order
    (the last match still wins), and specs are cached by the candidates they hold. Lines git
    cannot use (a lone ``!``, a trailing backslash) are skipped, as git skips them, instead of
    failing the whole run.
    """

    __slots__ = ("_lines", "_needs", "_specs")

    def __init__(self, lines: list[str]) -> None:
        self._lines = [line for line in lines if line.strip() and not line.startswith("#")]
        shared: dict[frozenset[str], frozenset[str]] = {}  # one set object per distinct set
        self._needs = [
            None if needs is None else shared.setdefault(needs, needs)
            for needs in map(_literal_chars, self._lines)
        ]
        self._specs: dict[tuple[int, ...], Any] = {}

    def spec_for(self, path: str) -> Any:
        chars = set(path)
        key = tuple(
            index for index, needs in enumerate(self._needs) if needs is None or needs <= chars
        )
        spec = self._specs.get(key)
        if spec is None:
            spec = self._specs[key] = compile_gitignore([self._lines[index] for index in key])
        return spec


def _literal_chars(line: str) -> frozenset[str] | None:
    """Characters any path a gitignore line matches must contain; None when unknown."""
    if "[" in line:
        return None  # a character class: not worth reasoning about
    body = line[1:] if line.startswith("!") else line
    # Wildcards, separators (a leading or trailing "/" need not appear in the path), escapes
    # and the blanks git trims carry no requirement.
    return frozenset(body) - frozenset("*?/\\ \t")


_STAR_RUN = lazy(r"(?<!\\)\*{2,}")


def _collapse_stars(line: str) -> str:
    """The same pattern with runs of ``*`` shortened, which pathspec needs: its regex for a
    long run backtracks exponentially (seconds for one path). Git treats ``**`` specially only
    as a whole path component; elsewhere consecutive asterisks are one ``*``."""
    if "**" not in line:
        return line
    parts = line.split("/")
    return "/".join(
        "**" if part and set(part) == {"*"} else _STAR_RUN.sub("*", part) for part in parts
    )


def compile_gitignore(lines: list[str]) -> Any:
    import pathspec

    lines = [_collapse_stars(line) for line in lines]
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):  # pathspec rejects a line git ignores ("!", "[z-a]" …)
        usable = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except (ValueError, re.error):
                continue
            usable.append(line)
        return pathspec.GitIgnoreSpec.from_lines(usable)


def run_git(
    root: str | os.PathLike[str], args: list[str], stdin: bytes | None = None
) -> Completed:
    """``git ARGS`` in ``root``, read-only on the index and blind to the caller's
    ``GIT_DIR``/``GIT_WORK_TREE``/``GIT_INDEX_FILE``, within :data:`GIT_TIMEOUT` (else
    ``TimeoutError``). A missing git is ``FileNotFoundError``."""
    env = dict(os.environ)
    # Never write: without this, git may refresh .git/index as a side effect of reading it.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    env.pop("GIT_INDEX_FILE", None)  # pre-commit sets it during commits; we want the real index
    return run(["git", "-C", os.fspath(root), *args], stdin=stdin, env=env, timeout=GIT_TIMEOUT)


def find_root(start: str) -> tuple[str, bool, str | None]:
    """The git top-level above ``start`` (and True), else ``start`` itself (and False).

    The third value explains a repository git refused (dubious ownership, a broken .git).
    When git cannot answer inside a repository, the folder holding ``.git`` is still the root,
    so the .gitignore files above ``start`` keep counting.
    """
    try:
        proc = run_git(start, ["rev-parse", "--show-toplevel"])
    except FileNotFoundError:
        return (
            _marker_top(start) or start,
            False,
            "git is not installed: ignore and tracked status come from .gitignore files only",
        )
    except OSError as exc:
        return _marker_top(start) or start, False, f"git could not run ({exc.__class__.__name__})"
    if proc.returncode == 0:
        top = proc.stdout.decode("utf-8", "surrogateescape").strip()
        if top:
            return top, True, None
        # A bare repository or the inside of .git has no work tree.
        return start, False, "not inside a git work tree (bare repository?)"
    message = proc.stderr.decode("utf-8", "replace")
    marker = _marker_top(start)
    if "dubious ownership" in message or "safe.directory" in message:
        return (
            marker or start,
            False,
            "git refuses this repository (dubious ownership); mark it safe with "
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=<path>",
        )
    if marker is not None:
        first = (message.strip().splitlines() or [f"exit status {proc.returncode}"])[0]
        return marker, False, "git could not read the repository: " + first
    return start, False, None


def _marker_top(start: str) -> str | None:
    """The nearest folder at or above ``start`` (absolute) holding ``.git`` (a folder, or a
    file as in worktrees and submodules)."""
    folder = start
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_status(root: str, is_repo: bool, gitignores: dict[str, str]) -> GitStatus:
    """``gitignores`` maps each folder (root-relative, "" for the root) to its .gitignore text."""
    if not is_repo:
        lines = {folder: text.splitlines() for folder, text in gitignores.items()}
        exclude = _info_exclude(root)
        if exclude:  # lower precedence than the root's .gitignore: first, so it loses ties
            lines[""] = exclude + lines.get("", [])
        return GitStatus(root, False, _gitignores=lines)
    try:
        proc = run_git(root, ["ls-files", "-z", "--cached", "--full-name"])
    except OSError as exc:
        raise GitUnavailable(f"git ls-files failed: {exc.__class__.__name__}") from None
    if proc.returncode != 0:
        raise GitUnavailable(
            "git ls-files failed: " + proc.stderr.decode("utf-8", "replace").strip()
        )
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return GitStatus(root, True, frozenset(n for n in names if n))


def _info_exclude(root: str) -> list[str]:
    """``.git/info/exclude`` when git cannot run in a repository: patterns it would apply."""
    path = os.path.join(root, ".git", "info", "exclude")
    try:
        if not os.path.isfile(path):  # never open a FIFO or a device
            return []
        with open(path, "rb") as handle:
            data = handle.read(1024 * 1024)
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()


def _check_ignore(root: str, paths: list[str]) -> dict[str, bool]:
    # --no-index: judge the patterns even for tracked files (a tracked .env is still "ignored").
    # -v -n lists every path with the pattern that decided it; an empty pattern means not ignored,
    # and a negated pattern ("!") means explicitly re-included.
    stdin = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths)
    try:
        proc = run_git(root, ["check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"], stdin)
    except OSError as exc:
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
