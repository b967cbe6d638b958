"""DS310: a literal credential in environment, command, labels or build args."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span
from docker_standard.model.compose import Service
from docker_standard.model.project import Project
from docker_standard.model.yamltree import YMap, YSeq, untag
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import about, command_items, subject, text_of
from docker_standard.secrets import (
    Place,
    Verdict,
    command_secrets,
    context_of,
    judge,
    stack_words,
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
    - `--password=…`, `--requirepass …`, `PGPASSWORD=…` and the short password flags of
      database clients (`redis-cli -a …`, `mysql -p…`, `mongosh -p …`) in a command line or
      healthcheck, also as separate items of an exec-form list (`["--password", "…"]`);
    - a literal *default* of a variable holding a credential: `${DB_PASSWORD:-hunter2}`. In
      a value made of several variables (`${NEO4J_USER-neo4j}/${NEO4J_PASSWORD-password}`)
      each default is judged under its own variable, so the message names the password's.

    A placeholder (`changeme`, `REPLACE_ME`, `postgres` …, the same list as DS107's) is still
    reported: every deployer would have to edit a tracked file to set the real value. The
    message then asks to define the variable in the template and reference it; as a default
    (`${DB_PASSWORD:-changeme}`) it asks to drop the default, since a clone that forgets the
    variable runs with it. For a real credential it asks to move the value out and rotate it.

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
    context = _context(service)
    for key, value in values.items():
        text = text_of(value)
        if not text:
            continue
        verdict = judge(key, text, Place.COMPOSE, context=context)
        if verdict is None:
            continue
        span = values.value_span(key)
        yield Hit(
            f"{subject(service, span)}: {where} {key} holds {_phrase(verdict)}: "
            f"{_advice(verdict, f'`{key}: ${{{_variable(key)}}}`')}",
            span,
            subject=about("service", service, span, *where.split("."), key),
        )


def _command(service: Service, where: str, value: object, span: Span) -> Iterator[Hit]:
    items = command_items(value, span)
    exec_form = isinstance(untag(value), YSeq)
    texts = [text for text, _span in items]
    for index, verdict in command_secrets(texts, exec_form=exec_form, context=_context(service)):
        item_span = items[index][1]
        yield Hit(
            f"{subject(service, item_span)}: {where} holds {_phrase(verdict)}: "
            f"{_advice(verdict, 'a variable')}",
            item_span,
            subject=about("service", service, item_span, *where.split(), str(index)),
        )


def _advice(verdict: Verdict, reference: str) -> str:
    """What to do: a default is dropped, a placeholder moves to the template, and a real
    credential moves to an untracked .env and is rotated."""
    variable = verdict.variable
    if variable is not None:
        required = f"`${{{variable}:?set it in .env}}`"
        if verdict.placeholder:
            return (
                f"a fresh clone that does not set {variable} runs with it: drop the default "
                f"({required}) and document {variable} in the template (.env.example)"
            )
        return (
            f"drop the default ({required}), set {variable} in an untracked .env and rotate "
            "the credential"
        )
    if verdict.placeholder:
        return (
            "every deployer would have to edit this tracked file: define the variable in the "
            f"template (.env.example) and write {reference} instead"
        )
    return (
        f"move the value to an untracked .env, write {reference} instead (or use `secrets:`) "
        "and rotate the credential"
    )


def _phrase(verdict: Verdict) -> str:
    """The verdict's reason, saying ``placeholder`` where the value stands in for one."""
    if not verdict.placeholder:
        return verdict.describe()
    reason = verdict.reason
    for literal, placeholder in (
        ("a literal value for ", "a placeholder credential for "),
        ("a literal value", "a placeholder credential"),
        ("a connection string with a literal password", "a connection string with a "
         "placeholder password"),
    ):
        if reason.startswith(literal):
            return Verdict(placeholder + reason[len(literal):], True, verdict.variable).describe()
    return f"{verdict.describe()} (a placeholder)"


def _context(service: Service) -> tuple[str, ...]:
    """Words a sample value may be spelled with (see DS107): the compose file's folders and
    the services' names and images. They only decide which advice the message gives."""
    stack = service.stack
    # Per run (on the project), per stack: the words of its folders, services and images.
    by_stack: dict[int, tuple[str, ...]] = stack.project.memo.setdefault("ds310_contexts", {})
    found = by_stack.get(id(stack))
    if found is None:
        folder = stack.project.abspath(stack.directory)
        found = by_stack[id(stack)] = context_of(folder, *stack_words(stack.all_services()))
    return found


def _variable(key: str) -> str:
    cleaned = "".join(c if c.isalnum() else "_" for c in key).strip("_").upper()
    return cleaned or "SECRET"
