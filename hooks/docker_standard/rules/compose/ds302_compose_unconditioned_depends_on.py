"""DS302: depends_on without a readiness condition."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Span
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, resolve, subject, view_of


@rule(
    code="DS302",
    name="compose-unconditioned-depends-on",
    severity=Severity.ERROR,
    target=Service,
    fixable=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `depends_on` entry in short form (`depends_on: [db]`) or with
    `condition: service_started`. The fix writes the long form with
    `condition: service_healthy`, or `condition: service_completed_successfully` when the
    dependency is a one-shot job (docs/one-shot-jobs.md: a migration or seed that others
    wait for, or one with restart `"no"`/`on-failure` whose name, command or profile names
    its task).

    Dependencies on services that are not defined are left to DS304.

    ## Why is this bad?
    The short form only waits until the dependency's container *started*: the database may
    still be initialising when the application connects, and the application crashes or
    races on a cold `docker compose up`. A health condition waits until it is ready.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        depends_on:
          - db
      db:
        image: postgres:16.4
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        depends_on:
          db:
            condition: service_healthy
      db:
        image: postgres:16.4
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
    ```
    """
    services = view_of(service)
    for dependency in service.depends_on:
        target = services.get(dependency.name)
        if target is None:
            continue  # DS304
        condition = dependency.condition
        if "$" in condition:
            condition = resolve(service.stack, condition)[0]
        if not dependency.short_form and condition != "service_started":
            continue
        wanted = "service_completed_successfully" if target.one_shot else "service_healthy"
        why = (
            f"'{dependency.name}' is a one-shot job" if target.one_shot
            else f"so it waits until '{dependency.name}' is ready, not merely started"
        )
        span = dependency.span if dependency.short_form else dependency.condition_span
        fix = Fix(("depends-on-condition", service.name, dependency.name,
                   *_fix(service, dependency.name, span)))
        if dependency.short_form:
            yield Hit(
                f"{subject(service, dependency.span)} depends on '{dependency.name}' without a "
                "condition: "
                f"use the long form with `condition: {wanted}` ({why})",
                dependency.span,
                about("dependency", service, span, dependency.name),
                fix,
            )
        else:
            yield Hit(
                f"{subject(service, dependency.condition_span)} waits only for "
                f"'{dependency.name}' to start "
                f"(`service_started`): use `condition: {wanted}` ({why})",
                dependency.condition_span,
                about("dependency", service, span, dependency.name),
                fix,
            )


def _fix(service: Service, name: str, span: Span) -> tuple[str, str]:
    """The condition ``--fix`` writes at ``span``, or none and why. The edit must hold in every
    view of the stack (base + override, with each overlay) and for one service only."""
    pairs: set[tuple[str, str]] = set()
    answers: set[tuple[str, str]] = set()
    for view in service.stack.views.values():
        for other in view.values():
            for dependency in other.depends_on:
                at = dependency.span if dependency.short_form else dependency.condition_span
                if at == span:
                    pairs.add((other.name, dependency.name))
                    answers.add(_condition(view.get(dependency.name)))
    if len(pairs) > 1:
        return "", "several services share this entry (an anchor or a merge key); edit it by hand"
    if len({condition for condition, _why in answers}) > 1:
        return "", ("the stack's views (base, override, overlays) disagree on what it should "
                    "wait for")
    return min(answers) if answers else _condition(view_of(service).get(name))


def _condition(target: Service | None) -> tuple[str, str]:
    """The condition to wait for ``target`` with, or none and why: a target with no
    healthcheck that is not a job would make ``service_healthy`` fail ``up``."""
    if target is None:
        return "", "the target is not defined"
    if target.one_shot:
        return "service_completed_successfully", ""
    if target.effective_healthcheck is not None:
        return "service_healthy", ""
    return "", (f"'{target.name}' has no healthcheck and is not a one-shot job; give it a "
                "healthcheck, then wait for service_healthy")
