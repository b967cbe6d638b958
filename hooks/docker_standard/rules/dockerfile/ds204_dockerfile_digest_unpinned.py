"""DS204: a FROM image pinned by tag only, not by digest (off by default)."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import base_images, stage_span, stage_subject


@rule(
    code="DS204",
    name="dockerfile-digest-unpinned",
    severity=Severity.INFO,
    target=Dockerfile,
    enabled_by_default=False,
    security=True,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `FROM` whose image has a tag but no `@sha256:` digest, after `ARG` defaults
    and compose `build.args` are substituted. Off by default: select `DS204` to enable it.
    Untagged images (DS202) and bases whose tag cannot be known are left to DS202.

    ## Why is this bad?
    A tag can be moved: `python:3.12-slim` is rebuilt for every patch release and security
    fix, and a compromised registry account can push anything under it. Only a digest names
    exactly one image, which makes builds reproducible and supply-chain reviews meaningful
    (pair it with a tool such as Renovate or Dependabot that updates digests).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    USER nobody
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
    USER nobody
    ```
    """
    reported: set[tuple[int, str]] = set()
    for base in base_images(dockerfile, project):
        ref = base.ref
        if ref is None or base.tag_unknown or ref.digest is not None or ref.tag is None:
            continue
        message = (
            f"FROM {base.shown} is pinned by tag only; add its digest "
            f"(`{base.written}@sha256:…`) so every build starts from the same image"
        )
        key = (base.stage.index, message)
        if key not in reported:
            reported.add(key)
            yield Hit(
                message,
                stage_span(dockerfile, base.stage),
                stage_subject(dockerfile, base.stage, "FROM"),
            )
