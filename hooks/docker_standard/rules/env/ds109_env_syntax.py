"""DS109: syntax problems in an env file."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import EnvFile, Project
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import read_as_dotenv, redact_quoted


@rule(
    code="DS109",
    name="env-syntax",
    severity=Severity.WARNING,
    target=EnvFile,
)
def check(env: EnvFile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports lines of `.env*` files that Compose reads differently from what they seem to say,
    or refuses: duplicate keys (the last one wins), invalid variable names, spaces around `=`
    (allowed by Compose but not by `docker run --env-file` nor by shells that `source` the
    file), and unterminated quotes. A shell script named like an env file
    (`permanent_data.env` with bash arrays, loops or functions) is not a dotenv file and is
    not checked, unless an `env_file:` reads it.

    ## Why is this bad?
    Env files are read by several tools with slightly different rules. A duplicated key
    silently overrides the first; `KEY = value` works in Compose but breaks
    `docker run --env-file` and `source .env`; an unterminated quote swallows the following
    lines or stops Compose.

    ## Example
    ```sh
    # .env.example
    # Port of the API on the host
    API_PORT = 8000
    # Port of the API on the host, again
    API_PORT=8001
    ```

    ## Use instead
    ```sh
    # .env.example
    # Port of the API on the host
    API_PORT=8000
    ```
    """
    if not read_as_dotenv(project, env):
        return
    for problem in env.parsed.problems:
        # The parser quotes the key a problem is about; a pasted credential can be that key.
        message = redact_quoted(problem.message)
        yield Hit(
            message,
            Span(env.path, problem.line, problem.column),
            Subject("syntax", (problem.kind,)),  # never the key: it can be a pasted secret
        )
