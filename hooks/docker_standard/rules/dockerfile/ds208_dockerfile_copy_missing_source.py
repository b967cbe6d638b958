"""DS208: a COPY/ADD source that the build context lacks or .dockerignore excludes."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import BuildContext, Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import (
    context_path,
    copy_sources,
    has_glob,
    span_of,
    stage_subject,
)


@rule(
    code="DS208",
    name="dockerfile-copy-missing-source",
    severity=Severity.ERROR,
    target=Dockerfile,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `COPY` or `ADD` source that is not in the build context, or that the context's
    `.dockerignore` (or `<Dockerfile>.dockerignore`, which takes precedence) excludes. The
    context is the one each compose service builds the Dockerfile with (`build.context`);
    a Dockerfile no service builds is checked against its own folder and, failing that, the
    repository root. Wildcards (`COPY src/*.py`) must match something that is not excluded;
    a folder is missing only when it and everything below it are excluded.

    Not checked: `COPY --from=…` (another stage or image), here-documents (`COPY <<EOF`),
    URLs and git sources of `ADD`, and sources holding a variable (`COPY ${APP}/ .`).
    Each source is reported once, at its instruction, even when several contexts lack it.

    ## Why is this bad?
    `docker compose build` fails with "failed to compute cache key: … not found" — on a
    fresh clone, in CI, for the next person — often because a file is untracked locally or
    a `.dockerignore` pattern written for another purpose excludes it.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY requirements.txt .
    USER nobody
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY requirements.txt .
    USER nobody
    ```
    ```text
    # requirements.txt
    fastapi==0.115.0
    ```
    """
    contexts = [c for c in project.contexts.of(dockerfile) if c.exists]
    if not contexts:
        return
    guessed = not project.contexts.by_dockerfile.get(dockerfile.path)
    fallback: list[BuildContext] = []
    for instruction in dockerfile.instructions:
        for source in copy_sources(instruction):
            if "$" in source:
                continue
            rel = context_path(source)
            if not rel or rel == ".git" or rel.startswith(".git/"):
                continue
            problems = [(c, p) for c in contexts if (p := _problem(c, rel)) is not None]
            if not problems:
                continue
            if guessed and contexts[0].path:
                # Nothing says where this Dockerfile is built: the repository root is the other
                # usual choice (`docker build -f path/Dockerfile .`).
                if not fallback:
                    fallback.append(project.contexts.get("", dockerfile.path))
                if _problem(fallback[0], rel) is None:
                    continue
            context, problem = problems[0]
            where = f"context '{context.path or '.'}'"
            if guessed:
                where += ", the Dockerfile's folder, as no compose service builds it"
                if context.path:
                    where += "; nor at the repository root"
            elif len(problems) > 1:
                where += f", and {len(problems) - 1} other build context(s)"
            yield Hit(
                f"{instruction.keyword} source '{source}' {problem} ({where}), so the build "
                "fails: fix the path, commit the file, or stop excluding it",
                span_of(dockerfile, instruction),
                subject=stage_subject(dockerfile, instruction, instruction.keyword, source),
            )


def _problem(context: BuildContext, rel: str) -> str | None:
    """What is wrong with ``rel`` in ``context``, or ``None`` when the build can copy it."""
    if has_glob(rel):
        matches = context.glob(rel)
        if not matches:
            return "matches nothing in the build context"
        if all(_excluded(context, match) for match in matches):
            ignore = context.dockerignore_path
            return f"matches only files {ignore} excludes from the build context"
        return None
    files = context.files
    if rel in files:
        entry = rel
    elif rel + "/" in files:
        entry = rel + "/"
    else:
        return "is not in the build context"
    if _excluded(context, entry):
        return f"is excluded from the build context by {context.dockerignore_path}"
    return None


def _excluded(context: BuildContext, entry: str) -> bool:
    """Is ``entry`` (a folder ends with '/') left out of the context, everything below it
    included? A ``!pattern`` can bring a file back into an excluded folder."""
    if context.dockerignore is None:
        return False
    bare = entry.rstrip("/")
    if not context.excluded(bare):
        return False
    if not entry.endswith("/"):
        return True
    # Walk only what lies below the folder (the index is built once per context).
    children = context.children
    todo = [entry]
    while todo:
        folder = todo.pop()
        for name in children.get(folder, ()):
            path = folder + name
            if name.endswith("/"):
                todo.append(path)
            elif not context.excluded(path):
                return False
    return True
