"""DS002: an inline suppression that suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Span, Subject
from docker_standard.model.project import Project, Suppression
from docker_standard.registry import all_codes, rule

# Rules whose verdict on a file depends on stacks in other folders: a hook given some files
# loads only their folders, so it cannot tell whether such a suppression is still needed.
_SEES_OTHER_FOLDERS = ("DS318",)

_WHERE = {"line": "on this line", "next": "on the next line", "file": "in this file"}


@rule(
    code="DS002",
    name="unused-suppression",
    severity=Severity.INFO,
    target=Project,
    fixable=True,
    after_suppressions=True,
)
def check(project: Project, _project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a code in a `# docker-standard: ignore=…` or `ignore-file=…` comment that
    suppressed no finding in this run, and a code that matches no rule at all. A code counts
    only when every rule it names ran: `--select`, `--ignore` and a hook's own area never make
    a suppression look unused. `--fix` removes the code, or the whole comment when it was the
    last one (in Dockerfiles and env files only comment lines are edited: a `#` after an
    instruction is part of its arguments).

    ## Why is this bad?
    A suppression outlives the problem it was written for: the line was fixed, moved or
    deleted, and the comment stays behind. It then hides the next real finding on that line
    without anyone deciding to, and readers keep trusting a reason that is no longer true.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2  # docker-standard: ignore=DS360
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
    ```

    The same holds for a real code whose finding is gone: `restart: unless-stopped  #
    docker-standard: ignore=DS305` suppresses nothing once the restart policy is there.
    """
    if "DS002" not in project.rules_run:
        return
    codes = all_codes()
    for path in sorted(project.sources):
        for suppression in project.sources[path].suppressions:
            for code, column in suppression.codes:
                if (suppression, code) in project.suppressions_used:
                    continue
                message = _unused(project, suppression, code, codes)
                if message is not None:
                    yield Hit(
                        message,
                        Span(path, suppression.line, column),
                        Subject("suppression", (suppression.scope, code)),
                        Fix(("remove-suppression", code)) if _fixable(project, suppression)
                        else None,
                    )


def _unused(project: Project, suppression: Suppression, code: str, codes: list[str]) -> str | None:
    named = [c for c in codes if c.startswith(code)]
    if not named:
        return f"'{code}' in this suppression comment matches no rule"
    if not all(c in project.rules_run for c in named):
        return None  # a rule it names did not run: nothing is known
    if project.scoped and any(c.startswith(_SEES_OTHER_FOLDERS) for c in named):
        return None
    return f"'ignore={code}' suppresses no finding {_WHERE[suppression.scope]}"


def _fixable(project: Project, suppression: Suppression) -> bool:
    if suppression.scope != "line":
        return True
    path = suppression.path
    return path not in project.dockerfiles and path not in project.env_files
