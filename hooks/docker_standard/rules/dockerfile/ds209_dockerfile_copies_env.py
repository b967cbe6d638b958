"""DS209: COPY/ADD of the whole build context while .dockerignore lets .env files in."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import BuildContext, Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import (
    context_path,
    copy_sources,
    span_of,
    stage_subject,
)

# Sources that copy everything at the context root (Go's filepath.Match lets `*` match
# dot files, so `COPY * /app/` takes `.env` too).
_WHOLE = frozenset({"", "*"})


@rule(
    code="DS209",
    name="dockerfile-copies-env",
    severity=Severity.ERROR,
    target=Dockerfile,
    security=True,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `COPY` or `ADD` of the whole build context (`COPY . .`, `COPY ./ /app`,
    `ADD . /x`, `COPY * ./`) when the context's `.dockerignore` (or
    `<Dockerfile>.dockerignore`) does not keep env files out.

    Env files get in when:

    - `.env` at the context root is not excluded — whether or not it exists today, since
      the Standard has every developer create it from `.env.example`; or
    - a local env file present anywhere in the context (`.env`, `.env.local`,
      `.env.production`, `app/.env` …; templates such as `.env.example` do not count) is not
      excluded.

    Every stage counts, builders included: a builder's output can carry the values on (a
    Vite or Next.js bundle reads `.env` files at build time), and the context itself is
    sent to the builder and its cache. `COPY --from=…` is not a copy of the context and is
    left alone. The finding is reported once per instruction, naming the first context that
    lets env files in.

    ## Why is this bad?
    The `.env` file holds the real credentials. Copied into an image, it ships to every
    registry and machine that pulls the image and stays readable in its layers even if a
    later step deletes it — and `.gitignore` does not protect it, because the Docker build
    context is not git.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    USER nobody
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    USER nobody
    ```
    ```text
    # .dockerignore
    .git
    .env
    .env.*
    !.env.example
    ```
    """
    whole = [
        instruction
        for instruction in dockerfile.instructions
        if any(context_path(source) in _WHOLE for source in copy_sources(instruction))
    ]
    if not whole:
        return
    leaks: list[tuple[BuildContext, list[str]]] = []
    for context in project.contexts.of(dockerfile):
        if context.exists:
            leaked = _leaked(context)
            if leaked:
                leaks.append((context, leaked))
    if not leaks:
        return
    context, leaked = leaks[0]
    shown = ", ".join(leaked[:3]) + (" …" if len(leaked) > 3 else "")
    if context.dockerignore_path is None:
        why = f"there is no .dockerignore for the build context '{context.path or '.'}'"
    else:
        why = f"{context.dockerignore_path} does not exclude {shown}"
    for instruction in whole:
        yield Hit(
            f"{instruction.keyword} copies the whole build context and {why}, so local "
            "credentials end up in the image; add `.env` and `.env.*` (then "
            "`!.env.example`) to .dockerignore",
            span_of(dockerfile, instruction),
            subject=stage_subject(dockerfile, instruction, instruction.keyword),
        )


def _leaked(context: BuildContext) -> list[str]:
    """Env files the context would send: the root ``.env`` (present or to be created), and
    every local env file the listing holds (found once per context by the model)."""
    leaked = [] if context.excluded(".env") else [".env"]
    leaked.extend(
        entry
        for entry in context.local_env_files
        if entry != ".env" and not context.excluded(entry)
    )
    return leaked
