"""DS316: the obsolete top-level version key."""

from __future__ import annotations

from collections.abc import Iterator

from docker_standard.findings import Fix, Hit, Severity, Subject
from docker_standard.model.project import ComposeFile, Project
from docker_standard.model.yamltree import YMap
from docker_standard.registry import rule


@rule(
    code="DS316",
    name="compose-obsolete-version",
    severity=Severity.INFO,
    target=ComposeFile,
    fixable=True,
)
def check(compose: ComposeFile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports the top-level `version:` key of a compose file (each document of a multi-document
    file is checked).

    The fix removes the key's line (with a comment only when it is the key's own trailing
    comment on that line, and the blank line after it when the file started with the key).
    A multi-line value, an anchored key, or a file with several documents stays a finding.

    ## Why is this bad?
    Compose v2 ignores it and prints `the attribute version is obsolete, it will be ignored,
    please remove it to avoid potential confusion` on every command. It suggests a file format
    and feature set that no longer apply.

    ## Example
    ```yaml
    version: "3.9"
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/acme/api:1.4.2
    ```
    """
    for document in compose.documents:
        if isinstance(document, YMap) and "version" in document:
            yield Hit(
                "the top-level `version:` is obsolete: Compose v2 ignores it and warns on every "
                "command; remove it",
                document.key_span("version"),
                subject=Subject("key", ("version",)),
                fix=Fix(("remove-version",)),
            )
