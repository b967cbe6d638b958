"""DS210: a non-root final stage whose dependencies or PATH live under /root."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docker_standard.findings import Hit, Severity, Span
from docker_standard.model.dockerfile import Dockerfile, Instruction, is_root_user
from docker_standard.model.project import Project
from docker_standard.patterns import lazy
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import (
    chain,
    run_script,
    runtime_stages,
    span_of,
    stage_subject,
)

# A path under /root inside a value (PATH lists, plain paths); not /rootfs or /var/root.
_UNDER_ROOT = lazy(r"(?<![\w.~/$-])/root(?=/|:|$|[\s\"';])")
# `chmod … /root` (typically `chmod 755 /root` or `chmod -R a+rX /root`) opens it up.
_OPENS_ROOT = lazy(r"\bchmod\b[^;&|\n]*\s/root/?(?=\s|$|[;&|])")
_PIP = lazy(r"pip[0-9.]*")


@rule(
    code="DS210",
    name="dockerfile-root-owned-deps",
    severity=Severity.WARNING,
    target=Dockerfile,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a stage that runs as a non-root user but keeps what it needs under `/root`,
    which that user cannot read (`/root` is mode 0700 in Debian, Ubuntu and Alpine images).

    What puts things there:

    - `COPY`/`ADD` to a destination under `/root` (typically
      `COPY --from=builder /root/.local /root/.local` after `pip install --user`);
    - `ENV` values pointing under `/root` (`ENV PATH=/root/.local/bin:$PATH`,
      `PYTHONPATH`, `PYTHONUSERBASE` …);
    - `WORKDIR /root/…`;
    - `pip install --user` or `pipx install` run as root in that stage, which installs into
      `/root/.local`.

    The stages the final stage is built `FROM` are included; a builder stage it merely copies
    from is not (only the destination of the copy matters). Nothing is reported when a `RUN`
    opens `/root` up with `chmod`, or when the stage runs as root (DS201's business).

    ## Why is this bad?
    The image builds, but at run time the application cannot import its dependencies or find
    its executables ("ModuleNotFoundError", "command not found"), or it only works as long
    as someone keeps it running as root. The Standard's own multi-stage example has this bug.

    ## Example
    ```dockerfile
    FROM python:3.12-slim AS builder
    RUN pip install --user --no-cache-dir fastapi
    FROM python:3.12-slim
    COPY --from=builder /root/.local /root/.local
    ENV PATH=/root/.local/bin:$PATH
    RUN useradd -m app
    USER app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim AS builder
    RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir fastapi
    FROM python:3.12-slim
    COPY --from=builder /opt/venv /opt/venv
    ENV PATH=/opt/venv/bin:$PATH
    RUN useradd -m app
    USER app
    ```
    """
    reported: set[Span] = set()
    for runtime in runtime_stages(dockerfile, project):
        user = runtime.stage.user
        if is_root_user(user):
            continue
        stages = chain(runtime.stage)
        instructions = [i for stage in stages for i in stage.instructions]
        if any(i.keyword == "RUN" and _OPENS_ROOT.search(run_script(i)) for i in instructions):
            continue
        who = f"{runtime.label} runs as '{user}'"
        current_user: str | None = None
        workdir: str | None = None
        for instruction in instructions:
            keyword = instruction.keyword
            if keyword == "USER":
                current_user = instruction.args[0]
                continue
            problem = None
            if keyword in ("COPY", "ADD"):
                problem = _copy_target(instruction)
            elif keyword == "ENV":
                problem = _env(instruction)
            elif keyword == "WORKDIR":
                workdir = _join(workdir, instruction.args[0])
                if workdir is not None and _under_root(workdir):
                    problem = f"WORKDIR {instruction.args[0]} is under /root"
            elif keyword == "RUN" and is_root_user(current_user):
                problem = _user_install(instruction)
            if problem is None:
                continue
            span = span_of(dockerfile, instruction)
            if span in reported:
                continue
            reported.add(span)
            yield Hit(
                f"{problem}, but {who}, which cannot read /root (mode 0700); install into a "
                "path any user can read (a virtualenv in /opt/venv, /usr/local, or the "
                "user's home) and point PATH there",
                span,
                subject=stage_subject(dockerfile, instruction, keyword),
            )


def _under_root(path: str) -> bool:
    normal = posixpath.normpath(path)
    return normal == "/root" or normal.startswith("/root/")


def _join(workdir: str | None, path: str) -> str | None:
    if path.startswith("/"):
        return path
    if workdir is None or "$" in path:
        return None
    return posixpath.join(workdir, path)


def _copy_target(instruction: Instruction) -> str | None:
    if len(instruction.args) < 2:
        return None
    target = instruction.args[-1]
    if target.startswith("/") and _under_root(target):
        return f"{instruction.keyword} puts files in {target}"
    return None


def _env(instruction: Instruction) -> str | None:
    for name, value in instruction.assignments():
        if value and _UNDER_ROOT.search(value):
            return f"ENV {name} points under /root"
    return None


def _user_install(instruction: Instruction) -> str | None:
    for command in instruction.shell().commands:
        name = command.name
        args = list(command.args)
        if name.startswith("python") and args[:2] == ["-m", "pip"]:
            name, args = "pip", args[2:]
        if _PIP.fullmatch(name) and "install" in args and "--user" in args:
            return "`pip install --user` runs as root and installs into /root/.local"
        if name == "pipx" and args[:1] == ["install"]:
            return "`pipx install` runs as root and installs into /root/.local"
    return None
