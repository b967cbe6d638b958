"""Where a project's env files are and how git treats them: the stacks of a folder, the local
env files beside a stack, the .gitignore that governs a folder, whether a template will be in
a fresh clone. Rules and fixers of every area ask these the same way."""

from __future__ import annotations

import posixpath

from docker_standard.model.paths import join
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.project import Project, Stack


def stacks_in(project: Project, directory: str) -> list[Stack]:
    return project.stacks_by_directory.get(directory, [])


def first_in_folder(stack: Stack) -> bool:
    """Several stacks can share a folder (and its .env files): folder-level facts are reported
    once, from the first of them."""
    return stacks_in(stack.project, stack.directory)[0] is stack


def committed(project: Project, path: str) -> bool:
    """Will a fresh clone have this template? Tracked, or at least not ignored (so the commit
    being prepared can add it). Outside git nobody can tell what is tracked (a file that
    .gitignore matches may have been added with ``git add -f``): a template there counts;
    :func:`ignored_outside_git` says when .gitignore matches it."""
    git = project.git
    if not git.is_repo or git.is_tracked(path):
        return True
    return not git.is_ignored(path)


def gitignore_for(project: Project, directory: str) -> str:
    """The .gitignore to edit for files in ``directory``: the deepest existing one at or above
    it (git lets the deepest file have the last word), else the root's (to be created)."""
    folder = directory
    while True:
        candidate = join(folder, ".gitignore")
        if project.exists(candidate):
            return candidate
        if not folder:
            return ".gitignore"
        folder = posixpath.dirname(folder)


def local_env_paths(stack: Stack) -> list[str]:
    """``.env`` in the stack's folder (present or not) and every local variant there."""
    project = stack.project
    by_folder: dict[str, list[str]] | None = project.memo.get("local_env_paths")
    if by_folder is None:
        by_folder = {}
        for path, env in sorted(project.env_files.items()):
            if env.is_local and env.name != ".env":
                by_folder.setdefault(env.directory, []).append(path)
        project.memo["local_env_paths"] = by_folder
    return [join(stack.directory, ".env"), *by_folder.get(stack.directory, [])]


def paths_git_is_asked_about(project: Project) -> list[str]:
    """The paths the env rules ask git about (each stack's local env files and template, the
    tracked local env files): the model asks git about all of them in one call."""
    from docker_standard.model.files import is_local_env

    paths = [path for stack in project.stacks for path in local_env_paths(stack)]
    for directory in {stack.directory for stack in project.stacks}:
        template = project.env_template(directory)
        if template is not None:
            paths.append(template.path)
    git = project.git
    if git.is_repo:
        paths.extend(p for p in git.tracked if is_local_env(posixpath.basename(p)))
    return paths

