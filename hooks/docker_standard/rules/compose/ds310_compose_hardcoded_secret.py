"""DS310: a literal credential in environment, command, labels or build args."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import (
    command_items,
    command_secrets,
    find_secret,
    subject,
    text_of,
)


@rule(
    code="DS310",
    name="compose-hardcoded-secret",
    severity=Severity.ERROR,
    target=Service,
    security=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a credential written literally into a compose file, in `environment`, `labels`,
    `build.args`, `command`, `entrypoint` or the healthcheck `test`:

    - a credential-like name (`*PASSWORD`, `*PASSWD`, `*_PASS`, `*SECRET`, `*TOKEN`,
      `*API_KEY`, `*SECRET_KEY`, `*PRIVATE_KEY`, `*ACCESS_KEY`, `*CREDENTIALS`, `*_AUTH`,
      `SECRET_KEY_BASE`, traefik `basicauth.users` …) with a literal value, `changeme`
      included. Not credential-like: names ending in `_FILE`, `_PATH`, `_URL`, `_USER`,
      `_USERNAME`, `_HOST`, `_PORT`, `_ID` …; switch values (`true`, `no`, `1`) and paths
      under `/run/secrets/`;
    - a connection string with a literal password (`postgresql://app:s3cret@db/app`);
    - tokens that detect-secrets recognises (AWS, GitHub, GitLab, Slack, Stripe, OpenAI, JWT,
      private keys, …) in the literal parts of any value;
    - `--password=…`, `--requirepass …` and `PGPASSWORD=…` in a command line;
    - a literal *default* of a variable holding a credential: `${DB_PASSWORD:-hunter2}`.

    Interpolated values are not literals: `${DB_PASSWORD}` and
    `postgresql://${USER}:${PASSWORD}@db/app` are what the Standard asks for, and `$$VAR`
    (which reaches the container as `$VAR`, for a shell to expand) reveals nothing either.
    The message names the key, never the value; tokens are masked (`gh****89`).

    ## Why is this bad?
    The compose file is committed: everyone with read access to the repository, its forks
    and its history has the credential, and rotating it means rewriting the file on every
    machine. Values belong in an untracked `.env` (documented in `.env.example`) or in
    Compose `secrets:`.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        environment:
          POSTGRES_PASSWORD: hunter2
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:16.4
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}
    ```
    """
    yield from _mapping(service, "environment", service.environment)
    yield from _mapping(service, "labels", service.labels)
    if service.build is not None:
        yield from _mapping(service, "build.args", service.build.args)
    for key in ("command", "entrypoint"):
        if key in service.data:
            yield from _command(service, key, service.data[key], service.value_span(key))
    check_ = service.data.get("healthcheck")
    if isinstance(check_, YMap) and "test" in check_:
        yield from _command(
            service, "healthcheck test", check_["test"], check_.value_span("test")
        )


def _mapping(service: Service, where: str, values: YMap) -> Iterator[Hit]:
    for key, value in values.items():
        text = text_of(value)
        if not text:
            continue
        found = find_secret(text, key)
        if found is not None:
            span = values.value_span(key)
            yield Hit(
                f"{subject(service, span)}: {where} {key} holds {found}: move the value to an "
                f"untracked .env and write `{key}: ${{{_variable(key)}}}` (or use `secrets:`)",
                span,
            )


def _command(service: Service, where: str, value: object, span: Span) -> Iterator[Hit]:
    for text, item_span in command_items(value, span):
        for found in command_secrets(text):
            yield Hit(
                f"{subject(service, item_span)}: {where} holds {found}: pass it in from an "
                "untracked .env through a variable (or read it from a `secrets:` file)",
                item_span,
            )


def _variable(key: str) -> str:
    cleaned = "".join(c if c.isalnum() else "_" for c in key).strip("_").upper()
    return cleaned or "SECRET"
