"""DS108: the local .env and the stack's .env.example disagree on their keys."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import Project, Stack
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import (
    commented_keys,
    compose_setting,
    first_in_folder,
    shown_key,
    template_for,
    template_keys,
)


@rule(
    code="DS108",
    name="env-drift",
    severity=Severity.WARNING,
    target=Stack,
)
def check(stack: Stack, project: Project) -> Iterator[Hit]:
    """## What it does
    Compares the local `.env` of a stack's folder (usually gitignored: it exists on the
    developer's disk) with the folder's `.env.example`. Each key of `.env` the template lacks
    is reported at its line; the keys of the template that `.env` lacks are reported together
    at line 1 of `.env`. A key the template lists as a commented-out assignment
    (`# LOG_FORMAT=json`) is documented, so `.env` may set it; keys Compose reads itself
    (`COMPOSE_PROJECT_NAME`, `COMPOSE_PROFILES`, `DOCKER_HOST` …) are personal settings and
    never reported as extra.

    ## Why is this bad?
    A key only in `.env` is configuration nobody else knows about: the next fresh clone
    misses it. A key only in the template was added after this `.env` was created: the
    stack runs with an empty value until someone notices.

    ## Example
    ```yaml
    # compose.yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4
        env_file: .env
    ```
    ```sh
    # .env.example
    # Password of the PostgreSQL superuser
    POSTGRES_PASSWORD=changeme
    # Port of the API on the host
    API_PORT=8000
    ```
    ```sh
    # .env
    POSTGRES_PASSWORD=local-only-pass
    ```

    ## Use instead
    ```yaml
    # compose.yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4
        env_file: .env
    ```
    ```sh
    # .env.example
    # Password of the PostgreSQL superuser
    POSTGRES_PASSWORD=changeme
    # Port of the API on the host
    API_PORT=8000
    ```
    ```sh
    # .env
    POSTGRES_PASSWORD=local-only-pass
    API_PORT=8000
    ```
    """
    dotenv, template = stack.dotenv, template_for(stack)
    if dotenv is None or template is None or not first_in_folder(stack):
        return
    documented = template_keys(template)
    present = template_keys(dotenv)
    optional = commented_keys(template)
    for entry in dotenv.parsed.entries:
        key = entry.key
        if not key or key in documented or key in optional or compose_setting(key):
            continue
        if present.get(key) != entry.line:
            continue  # a duplicate: reported once, at its first line
        yield Hit(
            f"{shown_key(entry)} is set in {dotenv.path} but missing from {template.path}",
            Span(dotenv.path, entry.line, entry.column),
            subject=Subject("variable", (shown_key(entry),)),
        )
    missing = list(
        dict.fromkeys(
            shown_key(e) for e in template.parsed.entries if e.key and e.key not in present
        )
    )
    if missing:
        shown = ", ".join(missing[:8])
        if len(missing) > 8:
            shown += f" and {len(missing) - 8} more"
        plural = "s" if len(missing) != 1 else ""
        yield Hit(
            f"{dotenv.path} lacks {len(missing)} key{plural} of {template.path}: {shown}",
            Span(dotenv.path),
            subject=Subject("missing-keys", (template.path,)),
        )
