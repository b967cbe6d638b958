"""DS301: a long-running service has no healthcheck."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Span, Subject
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import (
    about,
    command_words,
    image_info,
    reset_span,
    subject,
    text_of,
)


@rule(
    code="DS301",
    name="compose-missing-healthcheck",
    severity=Severity.ERROR,
    target=Service,
    fixable=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a long-running service that has no healthcheck: none in the compose files (base,
    override, the overlay being judged, `extends`, `include`), and none in the stage of the
    Dockerfile it builds (its `build.target`, else the final stage).
    `healthcheck: {disable: true}`, `test: ["NONE"]`, a `!reset` in an override, and a
    `HEALTHCHECK NONE` in the Dockerfile count as no healthcheck.

    One-shot jobs are exempt (docs/one-shot-jobs.md: a service others wait on with
    `service_completed_successfully`, or one whose restart policy is `"no"` or `on-failure`
    and whose name, command or profile says it is a task such as `migrate` or `seed`;
    `on-failure` alone does not make a job). A service that
    only uses a pre-built `image:` is reported even if that image happens to define a
    `HEALTHCHECK`, since no static check can see inside an image: write the check in compose,
    where readers (and `service_healthy` dependants) can see it.

    The fix writes the healthcheck the image's maintainers support, for the images and tag
    ranges of a table kept with its sources (`model/healthcheck_images.py`): postgres, postgis
    and timescaledb (`pg_isready`), mysql and mariadb 10 (`mysqladmin ping`), mariadb 11 and
    later (`healthcheck.sh`), redis and valkey (`redis-cli`/`valkey-cli ping`, with the
    password from the service's own variable when its command sets one), mongo (`mongosh`
    from 5, `mongo` before) and rabbitmq 3.8 and later (`rabbitmq-diagnostics ping`).
    Credentials are read in the container (`$$VAR`), never copied. There is no fix for a
    service built from a Dockerfile, an image not in the table, a tag that names no version
    (`latest`, `alpine`), or a service whose entrypoint, port, socket or configuration file
    the test could not know: those findings carry no fix.

    ## Why is this bad?
    Without a healthcheck Docker only knows that the process started, not that it serves.
    `depends_on: {condition: service_healthy}` cannot wait for it (Compose fails at `up`),
    `docker compose ps` cannot show it as unhealthy, and a hung process stays in rotation.

    ## Example
    ```yaml
    services:
      cache:
        image: redis:7.4
        restart: unless-stopped
    ```

    ## Use instead
    ```yaml
    services:
      cache:
        image: redis:7.4
        restart: unless-stopped
        healthcheck:
          test: ["CMD-SHELL", "redis-cli ping | grep -q PONG"]
          interval: 10s
          timeout: 5s
          retries: 5
          start_period: 30s
    ```

    For your own image, test what it serves:
    `test: ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"]`.
    """
    if service.one_shot or service.effective_healthcheck is not None:
        return
    name = service.name
    check_ = service.healthcheck
    if check_ is not None and check_.disabled:
        span = _key_span(service, "disable") or check_.span
        yield Hit(
            f"{subject(service, span)} disables its healthcheck (`disable: true`): give it a "
            "test that fails when it cannot serve",
            span,
            subject=about("service", service, span, "healthcheck"),
        )
        return
    if check_ is not None and check_.test and check_.test[0] == "NONE":
        span = _key_span(service, "test") or check_.span
        yield Hit(
            f"{subject(service, span)} turns its healthcheck off (`test: [\"NONE\"]`): give it "
            "a test that fails when it cannot serve",
            span,
            subject=about("service", service, span, "healthcheck"),
        )
        return
    if check_ is not None:  # options only: the test would come from the image
        source = _where_the_test_would_come_from(service)
        yield Hit(
            f"service '{name}' sets healthcheck options but no `test`, and {source}: "
            "add a `test:`",
            check_.span,
            subject=about("service", service, check_.span, "healthcheck"),
        )
        return
    removed = reset_span(service, "healthcheck")
    if removed is not None:
        yield Hit(
            f"service '{name}' has no healthcheck: `!reset` removes the one it inherits; "
            "give it one here or drop the reset",
            removed,
            subject=about("service", service, removed, "healthcheck"),
        )
        return
    if service.build is not None:
        yield Hit(
            f"service '{name}' has no healthcheck: {_where_the_test_would_come_from(service)}; "
            "add `healthcheck:` to the service or `HEALTHCHECK` to "
            f"{'that stage' if service.dockerfile is not None else 'its final stage'}",
            service.span,
            subject=Subject("service", (name, "healthcheck")),
        )
        return
    yield Hit(
        f"service '{name}' has no healthcheck: add `healthcheck:` with a test that fails when it "
        "cannot serve (an image's own HEALTHCHECK cannot be verified from here)",
        service.span,
        subject=Subject("service", (name, "healthcheck")),
        fix=_fix(service),
    )


def _key_span(service: Service, key: str) -> Span | None:
    body = service.data.get("healthcheck")
    if isinstance(body, YMap) and key in body:
        return body.key_span(key)
    return None


def _where_the_test_would_come_from(service: Service) -> str:
    build = service.build
    if build is None:
        return "the image's own HEALTHCHECK cannot be verified"
    path = build.dockerfile_path or build.dockerfile or "its Dockerfile"
    if service.dockerfile is None:
        return f"its Dockerfile ({path}) cannot be read"
    return f"{_stage_name(service)} of {path} has no HEALTHCHECK"


def _stage_name(service: Service) -> str:
    """The stage the service builds, as a message names it: its `build.target`, else the
    final stage."""
    stage = service.built_stage
    dockerfile = service.dockerfile
    if stage is None or dockerfile is None or stage is dockerfile.final_stage:
        return "the final stage"
    return f"stage '{stage.name}' (its `build.target`)"


# ------------------------------------------------------------------ the fix


def _fix(service: Service) -> Fix | None:
    """The healthcheck ``--fix`` writes: ``("add-healthcheck", service, interval, timeout,
    retries, start_period, *test)``. None where the table has no test for the service, or
    where the stack's views (an overlay may change the image) would need different ones: a
    finding carries a fix only when ``--fix`` writes it (the rule doc says when it does not)."""
    answers = {
        _healthcheck(other)
        for view in service.stack.views.values()
        if (other := view.get(service.name)) is not None and other.span == service.span
    } or {_healthcheck(service)}
    if len(answers) != 1 or None in answers:
        return None
    (answer,) = answers
    assert answer is not None
    return Fix(("add-healthcheck", service.name, *answer))


def _healthcheck(service: Service) -> tuple[str, ...] | None:
    """The healthcheck's fields for the image the service runs, as the table gives them."""
    # Imported here: a stack whose services all have healthchecks never pays for the table.
    from docker_standard.model.healthcheck_images import (
        INTERVAL,
        RETRIES,
        START_PERIOD,
        TIMEOUT,
        known_check,
        with_password,
    )

    info = image_info(service)
    if info is None or info.ref is None or info.unresolved:
        return None  # a fresh clone may run another image
    answer = known_check(info.ref)
    if answer is None or _unknowable(service, answer.family):
        return None
    test = answer.check.test
    password = _password_variable(service)
    if password is None:
        return None  # a password the container cannot read: never copy it into the test
    if password:
        if answer.check.with_password is None:
            return None
        test = with_password(answer.check.with_password, password)
    return (INTERVAL, TIMEOUT, RETRIES, START_PERIOD, *test)


def _unknowable(service: Service, family: str) -> bool:
    """Does the service change something the table's test cannot follow (its entrypoint, the
    server's port or socket, a configuration file, TLS)?"""
    if "entrypoint" in service.data:
        return True
    words = [word.lower() for word in command_words(service.command)]
    if any(part in word for word in words for part in ("port", "socket", "conf", "cnf")):
        return True
    if family == "mongo" and any(w.startswith(("--tls", "--ssl", "-f")) for w in words):
        return True
    if any(name in service.environment for name in ("PGPORT", "MYSQL_TCP_PORT")):
        return True
    # mysql and mariadb read every file in /etc/mysql/conf.d: one may move the port or socket.
    return family == "mysql" and any(
        (mount.target or "").startswith("/etc/mysql") for mount in service.volumes
    )


_VARIABLE = re.compile(r"(\$?)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _password_variable(service: Service) -> str | None:
    """The container variable holding the password the command requires (redis
    ``--requirepass``): '' without a password, None when it is not in such a variable."""
    words = command_words(service.command)
    if "--requirepass" not in words:
        return ""
    position = words.index("--requirepass")
    value = words[position + 1] if position + 1 < len(words) else ""
    match = _VARIABLE.fullmatch(value)
    if match is None:
        return None  # written in the command, or built from several parts
    name = match.group(2) or match.group(3)
    if match.group(1):
        return name  # `$$NAME`: the command already reads it from the container
    # `${NAME}`: Compose fills the command in; the container has the same value only when its
    # environment passes the same variable through.
    if name not in service.environment:
        return None
    passed = text_of(service.environment.get(name))
    if passed is None:
        return name  # `- NAME` without a value: Compose passes its own value through
    inner = _VARIABLE.fullmatch(passed)
    if inner is None or inner.group(1) or (inner.group(2) or inner.group(3)) != name:
        return None
    return name
