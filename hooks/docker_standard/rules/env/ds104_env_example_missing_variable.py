"""DS104: a variable the stack references is absent from its .env.example."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Subject
from docker_standard.model.project import Project, Stack, VariableUse
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import (
    commented_keys,
    from_environment,
    include_keys,
    mentioned_keys,
    template_for,
    template_keys,
)
from docker_standard.variables import Variable, aggregate


@rule(
    code="DS104",
    name="env-example-missing-variable",
    severity=Severity.ERROR,
    target=Stack,
    fixable=True,
)
def check(stack: Stack, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports each variable a stack references that its `.env.example` does not define. It is
    an error when some occurrence has no fallback (`${DB_PASSWORD}`, `$DB_PASSWORD`,
    `${DB_PASSWORD:?set it}`): a fresh clone gets an empty value or a failing `up`. It is a
    warning when every occurrence has one (`${PORT:-8000}`, `${DEBUG:+--debug}`) and for
    pass-through entries (`environment: [API_KEY]`), which simply stay unset.

    A commented-out line in the template (`# SES_USER=`, `#PORT=8000`) documents the variable
    as optional: then a use with a default (or a pass-through entry) is fine, and a use with
    none is a warning that says so (Compose warns "variable is not set" and uses an empty
    string; `${SES_USER:-}` says that empty is meant). A required use (`?`) stays an error.
    A comment that names the variable (`# populated by $UID, else 1000`) documents a use with
    a default too.
    The template is the one DS103 names (`.env.example`, `env.example`, `example.env` …).
    `COMPOSE_PROJECT_NAME`, `PWD` and `HOME` are always defined, and the host's proxy settings
    (`http_proxy`, `NO_PROXY` …) are the environment's, so these are never reported. A use in
    an `include`d file is also satisfied by that include's `env_file` (by default the `.env`
    beside the included file). Each variable is reported once, at its first use.

    ## Why is this bad?
    `.env.example` is the list of everything a developer must (or may) set. A variable missing
    from it is found only when the stack misbehaves: a blank password, a wrong port, a
    `required variable DB_PASSWORD is missing a value` error.

    ## Example
    ```yaml
    # compose.yaml
    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    ```
    ```sh
    # .env.example
    # Name of the application database
    POSTGRES_DB=app
    ```

    ## Use instead
    ```yaml
    # compose.yaml
    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    ```
    ```sh
    # .env.example
    # Name of the application database
    POSTGRES_DB=app
    # Password of the PostgreSQL superuser
    POSTGRES_PASSWORD=changeme
    ```

    `--fix` appends each missing variable to the template with its default, or empty.
    """
    template = template_for(stack)
    if template is None:
        return  # DS103 reports the missing template
    defined = template_keys(template)
    commented = commented_keys(template)
    mentioned = mentioned_keys(template)
    order = {compose.path: index for index, compose in enumerate(stack.compose_files)}
    for variable in aggregate(stack.variables):
        if variable.name in defined or from_environment(variable.name):
            continue
        # An included file also takes values from its include's env_file (or its own .env).
        unmet = [u for u in variable.uses if variable.name not in include_keys(stack, u.span.path)]
        if not unmet:
            continue
        variable = Variable(variable.name, unmet)
        # Where a value is needed, point at a use without a fallback: the message is about it.
        bare = [use for use in variable.uses if _without_fallback(use)]
        first = min(bare or variable.uses, key=lambda use: _position(use, order))
        if _needs_value(variable) and variable.name in commented and not variable.required:
            # Not fixable: appending ``NAME=`` would repeat what the commented line documents.
            yield Hit(
                f"variable {variable.name} is only commented out in {template.path} (optional), "
                "but this use has no default: Compose warns that it is not set and uses an "
                f"empty string; write `${{{variable.name}:-}}` if empty is meant, or set it in "
                "the template",
                first.span,
                Subject("variable", (variable.name,)),
                severity=Severity.WARNING,
            )
        elif _needs_value(variable):
            detail = "it has no default, so a fresh clone leaves it empty"
            if variable.required:
                detail = "it is required (`?`), so a fresh clone fails to start"
            if variable.name in commented:
                detail += " (it is only commented out there)"
            yield Hit(
                f"variable {variable.name} is not in {template.path}: {detail}",
                first.span,
                Subject("variable", (variable.name,)),
                Fix(("append-template", template.path, variable.name)),
                severity=Severity.ERROR,
            )
        elif variable.name not in commented and variable.name not in mentioned:
            if variable.passthrough_only:
                detail = "it is passed through from the environment and stays unset without it"
            else:
                detail = "every use has a default, but it is undocumented"
            yield Hit(
                f"variable {variable.name} is not in {template.path}: {detail}",
                first.span,
                Subject("variable", (variable.name,)),
                Fix(("append-template", template.path, variable.name)),
                severity=Severity.WARNING,
            )


def _needs_value(variable: Variable) -> bool:
    """Some real interpolation has no fallback (pass-through entries have one: unset)."""
    return any(_without_fallback(use) for use in variable.uses)


def _without_fallback(use: VariableUse) -> bool:
    return not use.passthrough and use.default is None and use.operator not in ("+", ":+")


def _position(use: VariableUse, order: dict[str, int]) -> tuple[int, str, int, int]:
    span = use.span
    return (order.get(span.path, len(order)), span.path, span.line, span.column)
