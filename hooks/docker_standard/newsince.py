"""``check --new-since REV``: the fingerprints of the findings the project had at ``REV``.

The project at ``REV`` is checked out in a temporary ``git worktree`` (outside the repository,
removed afterwards, hooks off) and checked with the same settings and rules. Both sides must be
judged with the same local files: the worktree has no ``.env`` nor any other untracked file,
and a finding that depends on one (``.env`` not ignored, a secret in it) would look new. So
every untracked file the current run read is copied into the worktree first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from docker_standard.config import ConfigError
from docker_standard.model.paths import join
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.process import Completed
    from docker_standard.model.project import Project
    from docker_standard.registry import Rule


def resolve(root: str, rev: str, *, is_repo: bool) -> str:
    """The commit ``rev`` names. Raises :class:`ConfigError` (exit 2) when the project is not
    in a git repository, or ``rev`` is not a commit this clone has (on a shallow clone, saying
    to fetch it)."""
    if not is_repo:
        raise ConfigError("--new-since needs a git repository (the project is not in one)")
    return _resolve(root, rev)


def fingerprints_at(commit: str, project: Project, rules: Sequence[Rule]) -> set[str]:
    """Every fingerprint the same check finds in the project as it was at ``commit`` (a
    commit :func:`resolve` returned)."""
    from docker_standard.model.loading import load_project
    from docker_standard.runner import run_rules

    scratch = Path(tempfile.mkdtemp(prefix="docker-standard-new-since-"))
    tree = scratch / "tree"
    try:
        _git(project.root, ["worktree", "add", "--detach", "--quiet", str(tree), commit],
             f"cannot check out {commit} in a temporary worktree")
        _copy_untracked(project, tree)
        old = load_project(tree, project.settings, is_repo=True)
        return {finding.fingerprint for finding in run_rules(old, rules)}
    finally:
        with contextlib.suppress(OSError):
            _run(project.root, ["worktree", "remove", "--force", str(tree)])
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            _run(project.root, ["worktree", "prune"])


def _resolve(root: str, rev: str) -> str:
    if not rev or rev.startswith("-"):
        raise ConfigError(f"--new-since: {rev!r} is not a revision")
    proc = _run(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"])
    if proc.returncode == 0:
        return proc.stdout.decode("ascii", "replace").strip()
    shallow = _run(root, ["rev-parse", "--is-shallow-repository"])
    if shallow.stdout.strip() == b"true":
        raise ConfigError(
            f"--new-since: {rev} is not in this shallow clone; fetch it first (in GitHub "
            "Actions: actions/checkout with `fetch-depth: 0`; elsewhere `git fetch --unshallow` "
            f"or `git fetch origin {rev}`)"
        )
    raise ConfigError(f"--new-since: {rev} is not a commit in this repository")


def _copy_untracked(project: Project, tree: Path) -> None:
    """Copy into ``tree`` each file the current run read that git does not track (``.env``,
    local overrides), where the worktree has none, so both sides see the same local facts."""
    git = project.git
    # Local env files inside build contexts count too (DS209 reports a `COPY . .` that would
    # send one), though nothing read them.
    in_contexts = {
        join(context.path, entry)
        for contexts in project.contexts.by_dockerfile.values()
        for context in contexts
        if "files" in vars(context)  # only contexts this run listed; listing costs a walk
        for entry in context.local_env_files
    }
    for rel in sorted({*project.sources, *in_contexts}):
        if not rel or rel.startswith("../") or os.path.isabs(rel) or git.is_tracked(rel):
            continue
        source = project.abspath(rel)
        target = tree / rel
        if not os.path.isfile(source) or os.path.lexists(target):
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        except OSError:
            continue  # the old side then lacks this local fact, as a fresh clone would


def _git(root: str, args: list[str], failure: str) -> None:
    try:
        proc = _run(root, args)
    except OSError as exc:  # TimeoutError too
        raise ConfigError(f"--new-since: {failure} ({exc.__class__.__name__})") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(f"--new-since: {failure}: {detail[-1] if detail else proc.returncode}")


def _run(root: str, args: list[str]) -> Completed:
    from docker_standard.model.git import run_git

    # No hooks: a post-checkout hook must not run in our scratch tree.
    return run_git(root, ["-c", "core.hooksPath=/dev/null", *args])
