"""Dockerfile syntax as BuildKit defines it: instruction names, directives, the spaces Go
trims, and the error every part raises."""

from __future__ import annotations

import re

INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_LOWER_INSTRUCTIONS = frozenset(name.lower() for name in INSTRUCTIONS)
_HEREDOC_INSTRUCTIONS = frozenset({"ADD", "COPY", "RUN"})
_EXEC_FORM_INSTRUCTIONS = frozenset({"CMD", "ENTRYPOINT", "RUN", "SHELL"})
_LIST_INSTRUCTIONS = frozenset({"ADD", "COPY", "VOLUME"})
_STRING_INSTRUCTIONS = frozenset({"MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"})
# BuildKit defines these in the scope of every FROM line without any ARG. Their values depend
# on the machine that builds, so for a linter they are known to exist but not what they hold.
_AUTOMATIC_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
)
AUTOMATIC_ARGS = _AUTOMATIC_ARGS
_DIRECTIVES = frozenset({"syntax", "escape", "check"})

# Go's unicode.IsSpace, which BuildKit's TrimSpace and friends use. Python's str.isspace()
# also accepts \x1c-\x1f, so an explicit set keeps the two languages in step.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501
_GO_SPACE_SET = frozenset(_GO_SPACE)
# The regexp \s of Go's RE2 (directives use it).
_RE2_SPACE = "\t\n\f\r "
# BuildKit's reWhitespace: how FROM, EXPOSE and COPY arguments are split.
_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
_DIRECTIVE_NAME = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=")
_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9_.-]*")
_TAB_INDENT = re.compile(r"^\t+", re.MULTILINE)


class DockerfileError(Exception):
    """The text is not a Dockerfile BuildKit would build.

    The message never quotes the file: a line that fails to parse may hold a secret. It does
    not repeat the position either, which ``line`` and ``column`` carry for the finding.
    """

    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
