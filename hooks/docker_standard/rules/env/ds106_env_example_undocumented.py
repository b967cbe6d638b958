"""DS106: a variable in .env.example has no comment explaining it."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import EnvFile, Project
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import read_as_dotenv, shown_key


@rule(
    code="DS106",
    name="env-example-undocumented",
    severity=Severity.INFO,
    target=EnvFile,
)
def check(env: EnvFile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a variable in an env template (`.env.example`, `env.example`, `example.env` …:
    the names DS103 lists) with no comment on the line above it, nor above the block of lines
    it belongs to (a block is a run of variables without a blank line between them, so one
    heading can document a group).

    ## Why is this bad?
    The template is the stack's configuration manual. `SMTP_MODE=1` tells a new developer
    nothing about what the value means, which values are allowed, or where to get one.

    ## Example
    ```sh
    # .env.example
    POSTGRES_USER=app
    POSTGRES_PASSWORD=changeme
    ```

    ## Use instead
    ```sh
    # .env.example
    # PostgreSQL credentials (any values work for local development)
    POSTGRES_USER=app
    POSTGRES_PASSWORD=changeme
    ```
    """
    if not env.is_template or not read_as_dotenv(project, env):
        return
    seen: set[str] = set()
    for entry in env.parsed.entries:
        if not entry.key or entry.key in seen:
            continue  # a duplicate is DS109's
        seen.add(entry.key)
        if entry.comment_above:
            continue
        yield Hit(
            f"{shown_key(entry)} has no comment above it or above its block in {env.path}",
            Span(env.path, entry.line, entry.column),
            subject=Subject("variable", (shown_key(entry),)),
        )
