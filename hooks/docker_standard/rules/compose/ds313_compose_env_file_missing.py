"""DS313: an env_file a fresh clone lacks."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity
from docker_standard.model.compose import EnvFileRef, Service, resolve_path
from docker_standard.model.env_layout import committed
from docker_standard.model.project import Project
from docker_standard.registry import rule
from docker_standard.rules.compose._helpers import (
    about,
    has_variable,
    in_fresh_clone,
    resolve,
    subject,
)


@rule(
    code="DS313",
    name="compose-env-file-missing",
    severity=Severity.ERROR,
    target=Service,
    fixable=True,
)
def check(service: Service, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports an `env_file` entry that a fresh clone does not have, and that is not marked
    `required: false`: the file is absent, or it exists only locally because git ignores it
    (and it is not tracked).

    Severity **error** when nothing in the repository says how to create it; **info** when a
    template for it is committed (for `.env` the templates DS103 lists: `.env.example`,
    `env.example`, `example.env` …; `X.example`, `X.sample`, `X.template`, `X.dist` … for
    `X`, and `app.example.env` for `app.env`), since the documented setup creates it: then
    the fix is `required: false`, so that `up` also works before anyone copies the template.
    The Standard's own `env_file: [.env]` is such a case. Outside a git repository nobody can
    tell what is tracked: the message says what `.gitignore` shows, and a template counts.

    The fix, only where a template is committed, writes the entry in the long form with
    `required: false` (`env_file: .env`, `- .env` or `[.env]` → `- path: .env` +
    `required: false`; a long-form entry gets `required: false`). The long form needs
    Compose 2.24 or later. Without a template the finding is the real error and has no fix;
    an entry inside an anchor that an alias repeats stays a finding too.

    ## Why is this bad?
    Compose fails before starting anything: `env file /path/.env not found: stat …: no such
    file or directory`. "`docker compose up` works from a fresh clone" is broken.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        env_file:
          - settings.env
    ```
    ```env
    # settings.env.example
    LOG_LEVEL=info
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
        env_file:
          - path: settings.env
            required: false
    ```
    ```env
    # settings.env.example
    LOG_LEVEL=info
    ```
    """
    for ref in service.env_files:
        if not ref.required:
            continue
        rel = _path(service, ref)
        if rel is None or rel.startswith(("/", "~", "..")):
            continue  # outside the repository: the host's business
        present = project.exists(rel)
        if present and in_fresh_clone(project, rel):
            continue
        why = "does not exist"
        if present and project.in_git:
            why = "is gitignored and not tracked, so a fresh clone lacks it"
        elif present:
            why = ("matches .gitignore, so a fresh clone lacks it unless it was committed with "
                   "`git add -f`")
        template = _template(project, rel)
        if template is not None:
            yield Hit(
                f"{subject(service, ref.span)}: env_file '{ref.path}' {why} until it is created "
                f"from {template}; mark it `required: false` (`- path: {ref.path}` + "
                "`required: false`) so `docker compose up` works before that step",
                ref.span,
                subject=about("env_file", service, ref.span, ref.path),
                fix=Fix(("env-file-optional", service.name, ref.path)),
                severity=Severity.INFO,
            )
        else:
            yield Hit(
                f"{subject(service, ref.span)}: env_file '{ref.path}' {why}, and no template for "
                "it is committed: `docker compose up` fails with \"env file … not found\"; "
                f"commit a template ({posixpath.basename(rel)}.example) and mark the entry "
                "`required: false`, or drop it",
                ref.span,
                subject=about("env_file", service, ref.span, ref.path),
            )


def _path(service: Service, ref: EnvFileRef) -> str | None:
    if not has_variable(ref.path):
        return ref.resolved
    value, unresolved = resolve(service.stack, ref.path)
    if unresolved or not value:
        return None
    return resolve_path(service.stack.directory, value)


def _template(project: Project, rel: str) -> str | None:
    """The first committed template of ``rel``, by name (the model's one lookup)."""
    for path in project.env_templates_of(rel):
        if committed(project, path):
            return posixpath.basename(path)
    return None
