"""DS203: a FROM image tagged ``latest``."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import base_images, stage_span, stage_subject


@rule(
    code="DS203",
    name="dockerfile-latest-tag",
    severity=Severity.ERROR,
    target=Dockerfile,
    security=True,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `FROM` whose image is tagged `latest`, written out or reached through an `ARG`
    default (`ARG BASE=python:latest` then `FROM ${BASE}`) or through the `build.args` of a
    compose service that builds the Dockerfile. A digest pins the image whatever the tag
    says, so `img:latest@sha256:…` is not reported. Untagged images are DS202's business.

    ## Why is this bad?
    `latest` is whatever was pushed last: builds are not reproducible, a new major version
    arrives unannounced, and the repository no longer says which software runs.

    ## Example
    ```dockerfile
    FROM node:latest
    USER node
    ```

    ## Use instead
    ```dockerfile
    FROM node:22.11-alpine
    USER node
    ```
    """
    reported: set[tuple[int, str]] = set()
    for base in base_images(dockerfile, project):
        ref = base.ref
        if ref is None or base.tag_unknown or ref.digest is not None or ref.tag != "latest":
            continue
        message = (
            f"FROM {base.shown} uses the 'latest' tag; pin a version (`image:1.2.3`) or a "
            "digest (`image@sha256:…`)"
        )
        key = (base.stage.index, message)
        if key not in reported:
            reported.add(key)
            yield Hit(
                message,
                stage_span(dockerfile, base.stage),
                stage_subject(dockerfile, base.stage, "FROM"),
            )
