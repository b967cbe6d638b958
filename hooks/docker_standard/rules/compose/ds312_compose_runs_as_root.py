"""DS312: a service runs as root or privileged."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject


@rule(
    code="DS312",
    name="compose-runs-as-root",
    severity=Severity.ERROR,
    target=Service,
    security=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports `user:` set to root, by name or by id (`root`, `0`, `0:0`, `root:root`,
    `0:1000`, also through a variable's default such as `${APP_UID:-0}`), and
    `privileged: true`.

    A service without `user:` runs as its image's `USER`; DS201 checks the Dockerfiles the
    project builds.

    ## Why is this bad?
    Root in the container is root on the host's kernel: a process escape, a mounted host
    path or a writable volume becomes a host compromise. `privileged: true` additionally
    gives the container every capability and all host devices, so escaping is trivial.

    ## Example
    ```yaml
    services:
      agent:
        image: ghcr.io/acme/agent:3.1.0
        user: root
        privileged: true
    ```

    ## Use instead
    ```yaml
    services:
      agent:
        image: ghcr.io/acme/agent:3.1.0
        user: "10001:10001"
        cap_add:
          - NET_ADMIN
    ```
    """
    raw = service.user
    if raw is not None:
        user = resolve(service.stack, raw)[0] if "$" in raw else raw
        uid = user.strip().split(":", 1)[0]
        if uid in ("root", "0"):
            span = service.value_span("user")
            yield Hit(
                f"{subject(service, span)} runs as root (`user: {raw}`): run it as an "
                "unprivileged uid (`user: \"10001:10001\"`) that owns what it writes",
                span,
                subject=about("service", service, span, "user"),
            )
    if service.privileged:
        span = service.value_span("privileged")
        yield Hit(
            f"{subject(service, span)} runs privileged (`privileged: true`): it gets every "
            "capability and all host devices; grant only the capabilities it needs with "
            "`cap_add:`",
            span,
            subject=about("service", service, span, "privileged"),
        )
