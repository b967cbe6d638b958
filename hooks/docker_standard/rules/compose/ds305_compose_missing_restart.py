"""DS305: a long-running service has no restart policy."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject, text_of


@rule(
    code="DS305",
    name="compose-missing-restart",
    severity=Severity.WARNING,
    target=Service,
    fixable=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a long-running service with no `restart:` policy (and no
    `deploy.restart_policy`), or with `restart: "no"` although nothing marks it as a one-shot
    job. The fix adds `restart: unless-stopped`.

    One-shot jobs are exempt (docs/one-shot-jobs.md): services others wait on with
    `service_completed_successfully`, and those whose restart policy is `"no"` or
    `on-failure` and whose name, command or profile says it is a task (`migrate`, `init`,
    `setup`, `seed`, `bootstrap` …).

    ## Why is this bad?
    Without a policy a crashed container stays down, and after a host reboot or a Docker
    daemon restart nothing comes back until someone runs `docker compose up` again.

    ## Example
    ```yaml
    services:
      worker:
        image: ghcr.io/acme/worker:2.0.1
    ```

    ## Use instead
    ```yaml
    services:
      worker:
        image: ghcr.io/acme/worker:2.0.1
        restart: unless-stopped
    ```
    """
    if service.one_shot:
        return
    restart = service.restart
    if restart is not None and "$" in restart:
        restart = resolve(service.stack, restart)[0]
    if restart is None:
        restart = _deploy_policy(service)
    if restart is None:
        yield Hit(
            f"service '{service.name}' has no restart policy: add `restart: unless-stopped` so it "
            "comes back after a crash or a reboot",
            service.span,
            subject=Subject("service", (service.name, "restart")),
            fix=Fix(("add-restart", service.name, *_fix(service))),
        )
    elif restart in ("no", "none", ""):
        span = (service.value_span("restart") if service.restart is not None
                else service.key_span("deploy"))
        yield Hit(
            f"{subject(service, span)} never restarts ({_shown(service.restart, restart)}) "
            "although it is "
            "not a one-shot job: use `restart: unless-stopped`; if it is a job, make others wait "
            "for it with `service_completed_successfully` (or name it for its task, "
            "e.g. `migrate`, `seed`)",
            span,
            subject=about("service", service, span, "restart"),
        )


def _shown(raw: str | None, value: str) -> str:
    if raw is None:
        return f"`deploy.restart_policy.condition: {value}`"
    if raw != value:
        return f"`restart: {raw}`, which a fresh clone resolves to \"{value}\""
    return f"`restart: \"{value}\"`"


def _deploy_policy(service: Service) -> str | None:
    deploy = service.data.get("deploy")
    if not isinstance(deploy, YMap):
        return None
    policy = deploy.get("restart_policy")
    if not isinstance(policy, YMap):
        return None
    # Swarm's default condition is "any": a restart_policy block without one still restarts.
    return text_of(policy.get("condition")) or "any"


def _fix(service: Service) -> tuple[str, str]:
    """The policy ``--fix`` adds, and why none: the same lines are a one-shot job in another
    view of the stack (an overlay's command), where a restart policy would loop it."""
    for view in service.stack.views.values():
        other = view.get(service.name)
        if other is not None and other.span == service.span and other.one_shot:
            return "", "the service is a one-shot job in some view of the stack"
    return "unless-stopped", ""
