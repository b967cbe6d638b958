"""DS201: the stage containers run has no USER, or its last USER is root."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span
from docker_standard.model.dockerfile import Dockerfile, Stage, is_root_user
from docker_standard.model.image import parse_image
from docker_standard.model.nonroot_images import Verdict, default_user
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import (
    RuntimeStage,
    base_images,
    chain,
    runtime_stages,
    span_of,
    stage_span,
    stage_subject,
)

# Tags that images publish for a variant whose USER is already unprivileged
# (gcr.io/distroless/*:nonroot, *:debug-nonroot, *-rootless).
_NON_ROOT_TAG_WORDS = ("nonroot", "non-root", "rootless")


@rule(
    code="DS201",
    name="dockerfile-root-user",
    severity=Severity.ERROR,
    target=Dockerfile,
    security=True,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a Dockerfile whose containers run as root: the final stage has no `USER` (Docker's
    default is root), or its last `USER` is `root`, `0`, `root:root`, `0:0` or a variable
    whose `ARG` default is one of those (`ARG UID=0` then `USER ${UID}`).

    Stages are followed as BuildKit builds them: a stage built `FROM` an earlier stage
    inherits that stage's `USER`, a `USER` in a builder stage does not reach a final stage
    built from an image, and `FROM scratch` starts as root. When a compose service builds the
    Dockerfile with `build.target`, the target stage is what its containers run, so it is
    judged too. The finding points at the `USER` line that decides, or at the stage's `FROM`
    when no `USER` applies.

    A stage with no `USER` runs as its base image's user. Base images known to run as
    non-root are kept in a table, per image and tag range, each entry with its publisher's
    source (`model/nonroot_images.py`): `grafana/grafana` 5.1 and later (uid 472), Elastic's
    `docker.elastic.co` elasticsearch, kibana and logstash 6.0 and later (1000),
    `mcr.microsoft.com/mssql/server` 2019 and later (10001; 2017 runs as root), Bitnami
    application images (1001; not `bitnami/minideb`), `nginxinc/nginx-unprivileged`,
    `gcr.io/distroless/*:nonroot`, `cgr.dev/chainguard/*` (not `wolfi-base`), and a few more.
    A child of those is not reported. When the tag is a variable without a value, or says no
    version (`latest`), only an image whose every tag runs as non-root counts. When the table
    says the base runs as root, the message says so.

    A `USER` whose value a build argument supplies (`ARG UID` with no default) is not
    reported, nor is a base image tag that names an unprivileged variant (`:nonroot`,
    `-rootless`). A compose `user:` decides for the stage a service runs: when every service
    that builds it sets a non-root `user:` (after interpolation), it is not reported;
    `user: root`, or a user a fresh clone cannot resolve, leaves the finding.

    ## Why is this bad?
    A process running as root inside the container is root on the files it can reach, and
    one kernel or runtime escape away from root on the host. The Standard requires
    containers to run as non-root users.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY app.py .
    CMD ["python", "app.py"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --create-home --uid 10001 app
    WORKDIR /app
    COPY app.py .
    USER app
    CMD ["python", "app.py"]
    ```
    """
    reported: set[Span] = set()
    for runtime in runtime_stages(dockerfile, project):
        hit = _judge(dockerfile, runtime, project)
        if hit is not None and hit.span not in reported:
            reported.add(hit.span)
            yield hit


def _judge(dockerfile: Dockerfile, runtime: RuntimeStage, project: Project) -> Hit | None:
    stage = runtime.stage
    user = stage.user
    if not is_root_user(user) or _compose_user_decides(runtime):
        return None
    where = runtime.label
    instruction = stage.user_instruction()
    if instruction is None:
        root = chain(stage)[0]
        if _non_root_variant(root.base_resolved):
            return None
        verdicts = _base_verdicts(dockerfile, root, project)
        if verdicts and all(v is not None and not v.root for v in verdicts):
            return None  # every base image this stage can be built on runs as non-root
        if root.base_resolved == "scratch":
            why = "it is built FROM scratch and sets no USER"
        else:
            why = "it sets no USER"
            known_root = next((v for v in verdicts if v is not None and v.root), None)
            if known_root is not None:
                why += (
                    f" and {known_root.image} ({known_root.note}) runs as root, per the table "
                    f"of known base-image users ({known_root.source})"
                )
        return Hit(
            f"{where} runs as root: {why}; create an unprivileged user and add "
            "`USER <name>` after the steps that need root",
            stage_span(dockerfile, stage),
            subject=stage_subject(dockerfile, stage, "USER"),
        )
    written = instruction.args[0]
    shown = f"'{written}'"
    if user is not None and user.strip() != written.strip():
        shown += (
            f" (= '{user}' with the ARG defaults)"
            if user.strip()
            else (" (empty: the ARG it names has no value in this stage, so the user is root)")
        )
    inherited = (
        ""
        if stage.own_user_instruction is not None
        else (", inherited from the stage it is built on")
    )
    return Hit(
        f"{where} runs as root: its last USER is {shown}{inherited}; switch to an "
        "unprivileged user (`USER app` or a uid such as `USER 10001`)",
        span_of(dockerfile, instruction),
        subject=stage_subject(dockerfile, stage, "USER"),
    )


def _base_verdicts(dockerfile: Dockerfile, root: Stage, project: Project) -> list[Verdict | None]:
    """The known-users table's verdict on each image the stage's FROM can pull (its ARG
    defaults, and each building service's build.args); None where the table cannot say."""
    return [
        default_user(base.ref, tag_known=not base.tag_unknown)
        for base in base_images(dockerfile, project)
        if base.stage is root
    ]


def _compose_user_decides(runtime: RuntimeStage) -> bool:
    """Does every compose service that runs this stage set a non-root `user:`?"""
    if not runtime.services:
        return False
    for service in runtime.services:
        user = service.user
        if user is None:
            return False
        if "$" in user:
            user, unset = service.stack.resolve(user)
            if unset:
                return False  # a fresh clone cannot know the uid
        if is_root_user(user):
            return False
    return True


def _non_root_variant(image: str | None) -> bool:
    ref = parse_image(image) if image else None
    tag = (ref.tag or "") if ref is not None else ""
    return any(word in tag for word in _NON_ROOT_TAG_WORDS)
