"""DS202: a FROM image without a tag or digest, or whose tag cannot be known."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import (
    BaseImage,
    base_images,
    stage_span,
    stage_subject,
)


@rule(
    code="DS202",
    name="dockerfile-untagged-base",
    severity=Severity.ERROR,
    target=Dockerfile,
    security=True,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `FROM` whose image has neither a tag nor a digest, so Docker pulls `:latest`.
    The reference is read as Docker reads it: in `registry:5000/team/img` the `:5000` is a
    registry port, not a tag; `img@sha256:…` is pinned; `scratch` and the names of earlier
    stages are not images. `FROM ${BASE}` is judged after substituting the `ARG` defaults
    declared before the first `FROM`, and again with the `build.args` of each compose
    service that builds the Dockerfile.

    A base whose tag depends on an `ARG` with no default (`ARG BASE` then `FROM ${BASE}`, or
    `FROM python:${PY}`) cannot be checked: it is reported with its own message unless every
    compose service that builds the Dockerfile passes the argument in `build.args`. The
    automatic platform arguments (`$TARGETARCH` …) always have a value.

    ## Why is this bad?
    An untagged base is `latest`: each build may start from a different image, a new major
    version can break the build or the application without any change in the repository,
    and nobody can tell from the repository which software an image contains.

    ## Example
    ```dockerfile
    FROM python
    USER nobody
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    USER nobody
    ```
    """
    reported: set[tuple[int, str]] = set()
    built = bool(project.services_building(dockerfile))
    for base in base_images(dockerfile, project):
        message = _message(base, built=built)
        key = (base.stage.index, message or "")
        if message is None or key in reported:
            continue
        reported.add(key)
        yield Hit(
                message,
                stage_span(dockerfile, base.stage),
                stage_subject(dockerfile, base.stage, "FROM"),
            )


def _message(base: BaseImage, *, built: bool) -> str | None:
    if base.undeclared:
        names = ", ".join(f"${{{name}}}" for name in base.undeclared)
        return (
            f"FROM '{base.written}' cannot be checked: {names} is not declared by an ARG "
            "before the first FROM, so it is empty there; declare it with a pinned default "
            "(`ARG NAME=image:1.2.3`)"
        )
    if base.tag_unknown:
        names = ", ".join(f"ARG {name}" for name in base.unresolved)
        if base.service is not None:
            why = f"service '{base.service.name}' does not pass it in build.args"
        elif built:
            why = "not every compose service that builds this Dockerfile passes it in build.args"
        else:
            why = "no compose service builds this Dockerfile with build.args"
        return (
            f"FROM '{base.written}' cannot be checked: {names} has no default and {why}; "
            "give it a pinned default (`ARG NAME=image:1.2.3`) so every build starts from "
            "a known image"
        )
    ref = base.ref
    if ref is None or ref.pinned:
        return None
    return (
        f"FROM {base.shown} has no tag or digest, so Docker pulls ':latest'; pin a "
        "version (`image:1.2.3`) or a digest (`image@sha256:…`)"
    )
