"""DS102: a local .env file is tracked in the git index."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import Project, is_local_env
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import defaults_file, join, stacks_in
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


@rule(
    code="DS102",
    name="env-file-tracked",
    severity=Severity.ERROR,
    target=Project,
    security=True,
)
def check(project: Project, _project: Project) -> Iterator[Hit]:
    """## What it does
    Reports every `.env` file, and every local variant such as `.env.local` or
    `.env.production`, that is tracked in the git index, anywhere in the repository: whether
    or not `.gitignore` lists it (`git add -f` and files added before the ignore rule both
    bypass `.gitignore`), and even when it has been deleted from the working tree but not from
    the index. Templates (`.env.example`, `env.example`, `example.env` …: the names DS103
    lists) are meant to be tracked. When a stack has no template and takes its defaults from
    the tracked `.env` (image versions, ports), the message says to make that file the
    template; DS103, DS104 and DS306 then do not report the same cause again.

    ## Why is this bad?
    `.gitignore` only keeps *untracked* files out of commits. A tracked `.env` is committed
    again with every change, so its passwords and keys are published to everyone who can
    clone the repository, and remain in its history.

    ## Example
    ```sh
    # .env
    POSTGRES_PASSWORD=hunter2-but-longer
    ```
    ```gitignore
    # .gitignore
    .env
    ```

    ## Use instead
    ```sh
    # .env.example
    # Password of the PostgreSQL superuser
    POSTGRES_PASSWORD=changeme
    ```
    ```gitignore
    # .gitignore
    .env
    ```

    Untrack the file with `git rm --cached .env` (it stays on your disk), commit, and rotate
    every credential it held: they are in the history.
    """
    if not project.in_git:
        return
    git = project.git
    paths = sorted(p for p in git.tracked if is_local_env(posixpath.basename(p)))
    if not paths:
        return
    excluded = _excluded(project)
    for path in paths:
        if excluded is not None and excluded.match_file(path):
            continue
        note = "although .gitignore ignores it" if git.is_ignored(path) else "and not ignored"
        deleted = "" if project.exists(path) else " (deleted from disk but still in the index)"
        folder = posixpath.dirname(path)
        defaults = {found.path for s in stacks_in(project, folder) if (found := defaults_file(s))}
        if path in defaults:
            template = join(folder, ".env.example")
            yield Hit(
                f"'{path}' is tracked by git, {note}, and the stack takes its defaults from it "
                f"(it has no template): make it the template (`git mv {path} {template}`, then "
                f"copy it back to {path}, which git must ignore) and rotate any credential it "
                "held",
                Span(path),
                subject=Subject("file", (path,)),
            )
            continue
        yield Hit(
            f"'{path}' is tracked by git{deleted}, {note}: run `git rm --cached {path}` "
            "and rotate the credentials it held",
            Span(path),
            subject=Subject("file", (path,)),
        )


def _excluded(project: Project) -> GitIgnoreSpec | None:
    """The configured ``exclude`` patterns: discovery skips them, so the index walk does too."""
    if not project.settings.exclude:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(project.settings.exclude)
