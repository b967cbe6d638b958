r"""Dockerfiles read the way BuildKit reads them: instructions, stages, ARG scoping and USER.

Why this does not delegate to ``dockerfile-parse``: its ``DockerfileParser.structure`` (2.0.1)
gets the files this project lints wrong, and each mistake would become a false finding:

* heredoc bodies are parsed as instructions (``RUN <<EOF`` / ``set -e`` / ``EOF`` gives a
  ``SET`` instruction, and a body line ending in ``\`` swallows the terminator);
* a blank line inside a continued ``RUN`` ends the instruction, so the rest of it becomes
  bogus instructions such as ``&&`` (BuildKit skips blank and comment lines there);
* any parser directive other than ``syntax``/``escape`` (e.g. ``# check=``, valid since
  Dockerfile 1.8) stops directive detection, so a following ``# escape=`` is ignored;
* it gives no columns, and drops a bare keyword (``RUN`` with nothing after it) on the last
  line.

Patching its output would mean re-scanning the raw lines anyway, so this module scans them
itself, following BuildKit's ``frontend/dockerfile/parser`` line for line (``Parse``,
``splitCommand``, ``extractBuilderFlags``, the line parsers, ``heredocsFromLine``) and its
``shell`` lexer for variable expansion. Nothing here reads a file: callers pass the text.
"""

from __future__ import annotations

from types import MappingProxyType

from docker_standard.model.dockerfile.lexer import substitute_args
from docker_standard.model.dockerfile.nodes import (
    Dockerfile,
    Heredoc,
    Instruction,
    Stage,
    is_root_user,
)
from docker_standard.model.dockerfile.scanner import _Scan
from docker_standard.model.dockerfile.scope import _StageBuilder
from docker_standard.model.dockerfile.syntax import AUTOMATIC_ARGS, DockerfileError

__all__ = [
    "AUTOMATIC_ARGS",
    "Dockerfile",
    "DockerfileError",
    "Heredoc",
    "Instruction",
    "Stage",
    "is_root_user",
    "parse_dockerfile",
    "substitute_args",
]


def parse_dockerfile(text: str, path: str) -> Dockerfile:
    """Parse Dockerfile ``text``; ``path`` is only recorded. Raises :class:`DockerfileError`."""
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise DockerfileError("binary content", line, nul - text.rfind("\n", 0, nul))
    scan = _Scan(text)
    instructions = scan.instructions
    builder = _StageBuilder(scan.escape)
    for instruction in instructions:
        builder.add(instruction)
    builder.finish()
    if not builder.stages:
        line = instructions[-1].line if instructions else 1
        raise DockerfileError("no FROM instruction", line)
    return Dockerfile(
        path=path,
        stages=tuple(builder.stages),
        global_args=MappingProxyType(dict(builder.global_args)),
        escape=scan.escape,
        syntax=scan.syntax,
        instructions=tuple(instructions),
    )
