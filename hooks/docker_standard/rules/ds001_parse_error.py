"""DS001: a file in scope cannot be parsed."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Subject
from docker_standard.model.project import Project
from docker_standard.registry import rule


@rule(code="DS001", name="parse-error", severity=Severity.ERROR, target=Project)
def check(project: Project, _project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a file in scope that cannot be read or parsed: broken YAML, a compose file that is
    not a mapping, an invalid Dockerfile, a binary or non-UTF-8 file, a file over the size limit,
    an alias bomb or nesting too deep, an unresolvable `extends` or `include`, and keys
    Compose's schema rejects (a typo such as `depend_on`, a `depends_on` condition that does
    not exist).

    ## Why is this bad?
    Compose refuses such a file, so `docker compose up` fails before anything starts; and no
    other rule can check what it cannot read. A misspelt key is worse than a crash in other
    linters: they ignore it, and the dependency or healthcheck it meant is silently missing.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
       environment: {}
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        environment: {}
    ```
    """
    for error in project.errors:
        yield Hit(error.message, error.span, Subject("file", (error.span.path,)))
