"""DS101: a local .env file in a compose folder would not be ignored by git."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Span, Subject
from docker_standard.model.project import Project, Stack
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import (
    first_in_folder,
    gitignore_for,
    local_env_paths,
)


@rule(
    code="DS101",
    name="env-not-gitignored",
    severity=Severity.ERROR,
    target=Stack,
    fixable=True,
    security=True,
)
def check(stack: Stack, project: Project) -> Iterator[Hit]:
    """## What it does
    Checks that git ignores `.env` in every folder with a compose file, whether or not the file
    exists yet, and every local variant there (`.env.local`, `.env.production` …; templates
    such as `.env.example`, `.env.sample`, `.env.template` and `.env.dist` are meant to be
    committed). Git itself decides, so negated patterns (`!.env.local`), nested `.gitignore`
    files and global excludes all count; outside a git repository the `.gitignore` files are
    matched with git's rules.

    ## Why is this bad?
    `.env` holds the real passwords and API keys of a developer's machine. If git does not
    ignore it, one `git add .` publishes them, and they stay in the history even after the
    file is deleted.

    ## Example
    ```yaml
    # compose.yaml
    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    ```
    ```gitignore
    # .gitignore
    node_modules/
    ```

    ## Use instead
    ```yaml
    # compose.yaml
    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    ```
    ```gitignore
    # .gitignore
    node_modules/
    .env
    .env.*
    !.env.example
    ```

    `--fix` appends the missing names to the `.gitignore` named in the message.
    """
    if not first_in_folder(stack):
        return
    git = project.git
    gitignore = gitignore_for(project, stack.directory)
    for path in local_env_paths(stack):
        if git.is_ignored(path):
            continue
        name = path.rpartition("/")[2]
        exists = project.exists(path)
        where = Span(path) if exists else Span(stack.base.path)
        state = "" if exists else " (when created)"
        yield Hit(
            f"'{path}'{state} would not be ignored by git: add '{name}' to {gitignore}",
            where,
            Subject("file", (path,)),
            Fix(("gitignore-append", gitignore, name, path)),
        )
