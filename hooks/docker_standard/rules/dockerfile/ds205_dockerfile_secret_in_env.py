"""DS205: a credential written into ENV or ARG."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import span_of, stage_subject
from docker_standard.secrets import Place, context_of, judge


@rule(
    code="DS205",
    name="dockerfile-secret-in-env",
    severity=Severity.ERROR,
    target=Dockerfile,
    security=True,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports an `ENV` or `ARG` (global or in a stage) that bakes a credential into the image:
    a literal value under a credential-like name, a connection string with a literal
    password, or a token detect-secrets recognises. In detail:

    - a credential-like name (`*PASSWORD`, `*SECRET`, `*TOKEN`, `*API_KEY`, `*SECRET_KEY`,
      `*PRIVATE_KEY`, `*CREDENTIALS` …) with a literal value. Not credential-like: names
      ending in `_FILE`, `_PATH`, `_URL`, `_USER`, `_HEADER` …; switch values (`true`, `0`)
      and paths under `/run/secrets/`;
    - a connection string with a literal password (`postgresql://app:s3cret@db/app`);
    - a token detect-secrets recognises (AWS, GitHub, Slack, Stripe, private keys …) in any
      value;
    - a literal default behind a variable: `ENV DB_PASSWORD=${DB_PASSWORD:-hunter2}`.

    `ARG NAME` without a value, an empty value and references such as `${DB_PASSWORD}` are
    not literals. Build-time dummies are no secrets: placeholders (`changeme`,
    `your_key_here`, `postgres`, `placeholder:placeholder@localhost` …, the same list as
    DS107's) and file paths (`GOOGLE_APPLICATION_CREDENTIALS=/run/app/key.json`) pass.
    The message names the key; a detected token is masked (`gh****89`), and
    the value itself is never printed.

    ## Why is this bad?
    `ENV` values are stored in the image configuration and `ARG` values in its build
    history: anyone who can pull the image reads them with `docker inspect` or
    `docker history`, and the Dockerfile itself is committed. Pass credentials at run time
    (compose `environment:` from an untracked `.env`, or `secrets:`), and build-time ones
    with a BuildKit secret mount (`RUN --mount=type=secret,id=…`).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENV DATABASE_PASSWORD=hunter2
    USER nobody
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENV DATABASE_PASSWORD_FILE=/run/secrets/db_password
    USER nobody
    ```
    """
    # Sample values may be spelled with the project's folder names (see DS107).
    context = context_of(project.abspath(posixpath.dirname(dockerfile.path)))
    for instruction in dockerfile.instructions:
        if instruction.keyword not in ("ENV", "ARG"):
            continue
        for name, written in instruction.assignments():
            if written is None:
                continue
            value = _unquote(written, dockerfile.escape)
            if not value.strip():
                continue
            verdict = judge(name, value, Place.DOCKERFILE, context=context)
            if verdict is not None:
                yield Hit(
                    f"{instruction.keyword} {name} holds {verdict.describe()}, which ends up in "
                    "the image for anyone who pulls it; pass it at run time (compose environment "
                    "from an untracked .env, or secrets:) or use a BuildKit secret mount",
                    span_of(dockerfile, instruction),
                    subject=stage_subject(dockerfile, instruction, instruction.keyword, name),
                )


def _unquote(value: str, escape: str) -> str:
    """A value as written (``"a b"``, ``'x'``) without its enclosing quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        if value[0] == '"':
            inner = inner.replace(escape + '"', '"')
        return inner
    return value
