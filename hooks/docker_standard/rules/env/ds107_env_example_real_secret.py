"""DS107: an env template, or a committed env file a service loads, holds what looks like a
real credential."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, Subject
from docker_standard.model.project import EnvFile, Project
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import shown_key, stacks_in
from docker_standard.secrets import Place, context_of, judge, mask, stack_words


@rule(
    code="DS107",
    name="env-example-real-secret",
    severity=Severity.ERROR,
    target=EnvFile,
    security=True,
)
def check(env: EnvFile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a value in an env template (`.env.example`, `.env.sample`, `.env.template` …)
    that looks like a real credential rather than a placeholder: a literal value under a
    credential-like name (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, `STRIPE_KEY`,
    `PGPASSWORD`, `*_DBPASS` …; not `*_PASSWORD_FILE`, `*_TOKEN_TTL`, `*_KEY_ID` and the
    like), a password inside a URL (`postgres://app:s3cr3t@db/app`), a token that
    detect-secrets recognises (AWS, GitHub, Slack, Stripe, private keys, JWTs …), or a long
    high-entropy string. Placeholders pass: empty values, `changeme`, `your_api_key_here`,
    `<token>`, `xxx`, `sk-xxxxxxxx`, a bare `sk-`, phrases such as `magical_password`,
    `${OTHER}` references, file paths, values spelled with the variable's own name
    (`POSTGRES_PASSWORD=postgres`), the names of the folders holding the file or of the
    services, the software's name (`miniosecret`), or words such as `example`, `dummy`,
    `test`, `secret`, `password`. The verdict does not depend on the folder the scan starts
    from. The message names the key and shows the value only masked.

    The same check covers a committed env file that a service loads with `env_file:`
    (`env/app.env`, tracked in git; outside git, present and not ignored): it is as public
    as a template. Local `.env` files are left to DS101/DS102.

    ## Why is this bad?
    The template is committed and public to everyone who can read the repository. A real
    key in it is leaked the moment it is pushed, and developers who copy the template all
    share (and keep using) the same credential.

    ## Example
    ```sh
    # .env.example
    # OpenAI key used by the summariser
    OPENAI_API_KEY=sk-proj-4fQ9zR2mXw7LpV3kT8nB1cY6dH0sJ5gUaE2rWqZx
    ```

    ## Use instead
    ```sh
    # .env.example
    # OpenAI key used by the summariser (https://platform.openai.com/api-keys)
    OPENAI_API_KEY=your_openai_key_here
    ```

    Rotate the leaked credential: it is in the repository's history.
    """
    if not (env.is_template or _committed_env_file(env, project)):
        return
    # A value spelled with the project's own names is a sample (laradock_gitlab): the folders
    # the file sits in, from the file system's root so that the verdict does not depend on
    # where the scan started, and the services' names and images.
    names = stack_words(
        service for stack in stacks_in(project, env.directory) for service in stack.all_services()
    )
    context = context_of(project.abspath(env.directory), *names)
    kind = "template" if env.is_template else "committed env file"
    for entry in env.parsed.entries:
        span = Span(env.path, entry.line, entry.column)
        if entry.value is None and not entry.raw_value:
            # A bare line is read as a key: a credential pasted alone on a line lands here.
            if judge("", entry.key, Place.TEMPLATE) is not None:
                yield Hit(
                    f"line {entry.line} of {env.path} holds what looks like a pasted credential "
                    f"({mask(entry.key)}): remove it and rotate the credential",
                    span,
                    subject=Subject("pasted-credential"),
                )
            continue
        if not entry.key or not entry.value:
            continue
        verdict = judge(
            entry.key,
            entry.value,
            Place.TEMPLATE,
            interpolated=entry.quote != "'",
            context=context,
        )
        if verdict is not None:
            yield Hit(
                f"{shown_key(entry)} in {env.path} holds {verdict.describe()} "
                f"({mask(entry.value.strip())}), not a placeholder, and this {kind} is "
                "readable by everyone who can read the repository: replace it with a "
                "placeholder (e.g. changeme) and rotate the credential",
                span,
                subject=Subject("variable", (shown_key(entry),)),
            )


def _committed_env_file(env: EnvFile, project: Project) -> bool:
    """An env file a service loads with ``env_file:`` that a fresh clone has: tracked in git
    (outside git: present and not ignored). Local ``.env`` files are DS101/DS102's concern."""
    if env.is_local or env.path not in _env_file_paths(project):
        return False
    git = project.git
    return git.is_tracked(env.path) if project.in_git else not git.is_ignored(env.path)


def _env_file_paths(project: Project) -> frozenset[str]:
    """Every file some service of the project loads with ``env_file:`` (once per run)."""
    found: frozenset[str] | None = project.memo.get("ds107_env_file_paths")
    if found is None:
        found = frozenset(
            ref.resolved
            for stack in project.stacks
            for service in stack.all_services()
            for ref in service.env_files
        )
        project.memo["ds107_env_file_paths"] = found
    return found
