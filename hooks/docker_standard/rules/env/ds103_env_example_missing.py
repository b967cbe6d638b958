"""DS103: a stack needs environment values but no .env.example is committed beside it."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Span, Subject
from docker_standard.model.project import Project, Stack
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import (
    committed,
    defaults_file,
    from_environment,
    ignored_outside_git,
    include_keys,
    join,
    passes_whole_dotenv,
    stacks_in,
    template_for,
)


@rule(
    code="DS103",
    name="env-example-missing",
    severity=Severity.ERROR,
    target=Stack,
    fixable=True,
)
def check(stack: Stack, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a compose stack that references variables (`${POSTGRES_PASSWORD}`, pass-through
    `environment: [API_KEY]` entries …) or hands its `.env` to a service with `env_file`, when
    no template of `.env` (`.env.example`, `env.example`, `example.env` …: the list below) is
    committed in the stack's own folder.

    Templates are, in this order of preference, `.env.example`, `.env.sample`,
    `.env.template`, `.env.dist`, `env.example`, `example.env`, `sample.env`, `template.env`,
    then `.env.defaults`, `.env.tmpl`, `.env.tpl`; the template of another env file `X`
    (`env_file: X`) is `X.example` (`X.sample`, `X.template`, `X.dist` …), and for `app.env`
    also `app.example.env`. Every rule and `--fix` use this one list.

    A template that exists but is ignored by git and not tracked is not committed: a fresh
    clone will not have it. Outside a git repository nobody can tell what is tracked, so a
    template that a `.gitignore` matches is reported as info only. A `.env` that the project
    commits as its defaults file is reported by DS102 (outside git, DS101), not here. Each
    folder needs its own template (one in another folder does not count), reported once for
    all the stacks of the folder. A compose file another stack `include`s is part of that
    stack and needs no template of its own. Names the environment always provides
    (`COMPOSE_PROJECT_NAME`, `PWD`, `HOME`, proxy settings) do not require a template.

    ## Why is this bad?
    The template is the documented setup: `cp .env.example .env` and `docker compose up`.
    Without it, a new developer (or CI) has to read every compose file to find out which
    values to provide, and the stack starts with empty passwords or fails.

    ## Example
    ```yaml
    # compose.yaml
    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
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
    # Password of the PostgreSQL superuser
    POSTGRES_PASSWORD=changeme
    ```

    `--fix` creates `.env.example` with every variable the stack uses, each with its default
    or an empty value.
    """
    folder = stacks_in(project, stack.directory)
    if folder[0] is not stack:
        return  # one finding per folder: one template serves all its stacks
    names = sorted(
        {
            use.name
            for other in folder
            for use in other.variables
            if use.name
            and not from_environment(use.name)
            and use.name not in include_keys(other, use.span.path)
        }
    )
    if not names and not passes_whole_dotenv(folder):
        return
    if defaults_file(stack) is not None:
        return  # a committed .env: DS102 (DS101 outside git) says what to do with it
    template = template_for(stack)
    if template is not None:
        if ignored_outside_git(project, template.path):
            yield Hit(
                f"'{template.path}' matches a pattern of .gitignore, so `git add` skips it: "
                "this is no git repository, so whether it is committed (`git add -f`) cannot "
                f"be told; un-ignore it (e.g. '!{template.name}')",
                Span(stack.base.path),
                Subject("template", (template.path,)),
                severity=Severity.INFO,
            )
        if committed(project, template.path):
            return
    who = "the stack" if len(folder) == 1 else f"the {len(folder)} stacks of this folder"
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        need = f"use{'s' if len(folder) == 1 else ''} {len(names)} variable"
        need += f"{'s' if len(names) != 1 else ''} ({shown})"
    else:
        need = f"pass{'es' if len(folder) == 1 else ''} {join(stack.directory, '.env')} to "
        need += "services with env_file"
    if template is not None:
        problem = f"'{template.path}' is ignored by git and not tracked, so a fresh clone lacks it"
    else:
        problem = f"no '{join(stack.directory, '.env.example')}' is committed beside it"
    # An ignored template is not replaced: un-ignoring it is the fix, and a person's call.
    fix = None if template is not None else Fix(
        ("create-template", join(stack.directory, ".env.example"), stack.base.path)
    )
    yield Hit(
        f"{who} {need}, but {problem}",
        Span(stack.base.path),
        Subject("template", (join(stack.directory, ".env.example") if template is None
                             else template.path,)),
        fix,
    )
