"""DS105: .env.example defines a variable nothing references."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import Project, Stack
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import (
    compose_setting,
    first_in_folder,
    passes_whole_dotenv,
    shown_key,
    stacks_in,
    template_for,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.dotenv import Entry


@rule(
    code="DS105",
    name="env-example-unused-variable",
    severity=Severity.INFO,
    target=Stack,
)
def check(stack: Stack, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a variable in `.env.example` that no compose file of its folder references, and
    no other entry of the template uses (`URL=http://${HOST}`). It stays silent when a service
    receives the whole `.env` through `env_file` (then the application itself may read any
    key), and for keys Compose reads from `.env` on its own (`COMPOSE_PROFILES`,
    `COMPOSE_FILE`, `DOCKER_HOST` …). All stacks of the folder count.

    ## Why is this bad?
    A leftover variable makes the template lie: developers fill in values that nothing reads,
    and wonder why changing them has no effect.

    ## Example
    ```yaml
    # compose.yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "${WEB_PORT:-8080}:80"
    ```
    ```sh
    # .env.example
    # Port of the web server on the host
    WEB_PORT=8080
    # Old setting from the Flask days
    FLASK_DEBUG=1
    ```

    ## Use instead
    ```yaml
    # compose.yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "${WEB_PORT:-8080}:80"
    ```
    ```sh
    # .env.example
    # Port of the web server on the host
    WEB_PORT=8080
    ```
    """
    template = template_for(stack)
    if template is None or not first_in_folder(stack):
        return
    neighbours = stacks_in(project, stack.directory)
    if passes_whole_dotenv(neighbours):
        return
    used = {use.name for other in neighbours for use in other.variables}
    used.update(_referenced_in_template(template.parsed.entries))
    reported: set[str] = set()
    for entry in template.parsed.entries:
        key = entry.key
        if not key or key in used or key in reported or compose_setting(key):
            continue
        reported.add(key)
        yield Hit(
            f"{shown_key(entry)} is defined in {template.path} but no compose file of this "
            "folder uses it",
            Span(template.path, entry.line, entry.column),
            subject=Subject("variable", (shown_key(entry),)),
        )


def _referenced_in_template(entries: Iterable[Entry]) -> set[str]:
    from docker_standard.model.interpolation import references

    names: set[str] = set()
    for entry in entries:
        if entry.quote != "'" and "$" in entry.raw_value:
            names.update(ref.name for ref in references(entry.raw_value))
    return names
