"""DS107: an env template holds what looks like a real credential."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span, mask
from docker_standard.model.project import EnvFile, Project
from docker_standard.registry import rule
from docker_standard.rules.env._helpers import real_secret, shown_key, stacks_in


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
    credential-like name (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, `STRIPE_KEY` …;
    not `*_PASSWORD_FILE`, `*_TOKEN_TTL`, `*_KEY_ID` and the like), a password inside a URL
    (`postgres://app:s3cr3t@db/app`), a token that detect-secrets recognises (AWS, GitHub,
    Slack, Stripe, private keys, JWTs …), or a long high-entropy string. Placeholders pass:
    empty values, `changeme`, `your_api_key_here`, `<token>`, `xxx`, `sk-xxxxxxxx`,
    `${OTHER}` references, values spelled with the variable's own name (`POSTGRES_PASSWORD=
    postgres`), the folder's or the services' names, the software's name (`miniosecret`), or
    words such as `example`, `dummy`, `test`, `secret`, `password`. The message names the key
    and shows the value only masked.

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
    if not env.is_template:
        return
    # A value spelled with the project's own names is a sample (laradock_gitlab).
    context = [part for part in env.directory.split("/") if part]
    for stack in stacks_in(project, env.directory):
        context.extend(name for view in stack.views.values() for name in view)
    for entry in env.parsed.entries:
        span = Span(env.path, entry.line, entry.column)
        if entry.value is None and not entry.raw_value:
            # A bare line is read as a key: a credential pasted alone on a line lands here.
            if real_secret("", entry.key) is not None:
                yield Hit(
                    f"line {entry.line} of {env.path} holds what looks like a pasted credential "
                    f"({mask(entry.key)}): remove it and rotate the credential",
                    span,
                )
            continue
        if not entry.key or not entry.value:
            continue
        reason = real_secret(
            entry.key, entry.value, interpolated=entry.quote != "'", context=context
        )
        if reason is not None:
            yield Hit(
                f"{shown_key(entry)} in {env.path} holds {reason} ({mask(entry.value.strip())}), "
                "not a placeholder: replace it (e.g. changeme) and rotate the credential",
                span,
            )
