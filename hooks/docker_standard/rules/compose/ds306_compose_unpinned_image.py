"""DS306: an image without a tag, with :latest, or with a tag a fresh clone cannot resolve."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, image_info, subject


@rule(
    code="DS306",
    name="compose-unpinned-image",
    severity=Severity.ERROR,
    target=Service,
    security=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a service whose `image:` has no tag (Docker then pulls `:latest`) or uses
    `:latest`, after interpolating variables the way a fresh clone does: the `.env.example`
    value, else the `${VAR:-default}`. `postgres:${PG_TAG:-16}` is pinned by its default;
    `postgres:${PG_TAG}` with no default and no value in `.env.example` is reported as
    unresolvable (a fresh clone cannot tell which version runs). A digest (`@sha256:…`)
    always pins. Registry ports (`registry:5000/app:1.2`) are not tags.

    Also reported: a service with neither `image:` nor `build:` in the merged configuration
    (Compose refuses it). A service that builds its image (`build:` plus `image:`) only names
    the image it builds, so its tag is not judged here (DS202/DS203 judge its `FROM`).

    ## Why is this bad?
    `latest` moves: the same commit runs different software on each machine and each pull,
    a new major version can break the stack without any change in the repository, and an
    unreviewed image can arrive through a tag you did not pin.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:latest
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:16.4
    ```
    """
    name = service.name
    info = image_info(service)
    if info is None:
        if service.build is None:
            yield Hit(
                f"service '{name}' has neither `image:` nor `build:`: Compose refuses to start "
                "it; give it a pinned `image:` or a `build:`",
                service.span,
                subject=Subject("service", (name, "image")),
            )
        return
    if service.build is not None:
        return
    span = service.image_span or service.value_span("image")
    who = subject(service, span)
    if info.tag_unknown:
        names = ", ".join(f"${{{n}}}" for n in info.unresolved)
        yield Hit(
            f"{who}: image '{info.raw}' cannot be resolved from a fresh clone: "
            f"{names} has no default and no value in .env.example; give it a pinned default "
            "(`${VAR:-1.2.3}`) or a value in .env.example",
            span,
            subject=about("service", service, span, "image"),
        )
        return
    ref = info.ref
    if ref is None or ref.digest is not None:
        return  # an invalid reference is not a pinning question; a digest always pins
    shown = f"'{info.raw}'"
    if info.raw != info.value and not info.unresolved:
        shown = f"'{info.raw}' (= '{info.value}' in a fresh clone)"
    if ref.tag is None:
        yield Hit(
            f"{who} uses image {shown} without a tag, so Docker pulls `:latest`: "
            "pin a version tag (or a digest)",
            span,
            subject=about("service", service, span, "image"),
        )
    elif ref.tag.lower() == "latest":
        yield Hit(
            f"{who} uses image {shown} with the moving tag `latest`: pin a version "
            "tag (or a digest)",
            span,
            subject=about("service", service, span, "image"),
        )
