"""Dockerfiles read the way BuildKit reads them: instructions, stages, ARG scoping and USER.

Why this does not delegate to ``dockerfile-parse``: its ``DockerfileParser.structure`` (2.0.1)
gets the files this project lints wrong, and each mistake would become a false finding:

* heredoc bodies are parsed as instructions (``RUN <<EOF`` / ``set -e`` / ``EOF`` gives a
  ``SET`` instruction, and a body line ending in ``\\`` swallows the terminator);
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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Heredoc:
    """A here-document attached to ``RUN``, ``COPY`` or ``ADD``.

    ``body`` is what the instruction receives: the lines between the opening line and the
    terminator, each ending in ``\\n`` (a CRLF file gives LF too), with leading tabs removed
    for ``<<-``. ``expand`` is false when the name was quoted (``<<'EOF'``), as in a shell.
    ``line`` is the line of the first body line.
    """

    name: str
    body: str
    line: int
    expand: bool = True
    chomp: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Instruction:
    """One instruction, continuation lines joined.

    ``value`` is everything after the keyword as written (flags included); ``argument_text``
    is what follows the flags, which is what Docker hands to the instruction. ``args`` follows
    BuildKit's parser: the decoded array for the JSON (exec) form; for FROM, COPY, ADD, EXPOSE,
    VOLUME the words split on white space; for ARG the ``NAME[=default]`` words, quotes kept;
    for ENV and LABEL the flattened ``name, value, name, value`` list, quotes kept; for USER,
    WORKDIR, STOPSIGNAL and MAINTAINER the whole text as one argument; for HEALTHCHECK the
    type (``CMD``/``NONE``) then the command; otherwise (the shell form of RUN, CMD,
    ENTRYPOINT) the text split on white space. ``flags`` maps names without dashes to values;
    a bare flag such as ``--link`` reads ``"true"``, as in BuildKit, and a repeated flag
    (``--mount``) keeps its last value in ``flags`` and every value in ``flag_items``.
    """

    keyword: str
    value: str
    line: int
    end_line: int
    column: int
    flags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    args: tuple[str, ...] = ()
    json_form: bool = False
    heredocs: tuple[Heredoc, ...] = ()
    argument_text: str = ""
    flag_items: tuple[tuple[str, str], ...] = ()

    def assignments(self) -> tuple[tuple[str, str | None], ...]:
        """``(name, value as written)`` pairs of ENV, LABEL and ARG; ``None`` for ``ARG NAME``."""
        if self.keyword == "ARG":
            pairs: list[tuple[str, str | None]] = []
            for word in self.args:
                name, equals, default = word.partition("=")
                pairs.append((name, default if equals else None))
            return tuple(pairs)
        if self.keyword in ("ENV", "LABEL"):
            return tuple(zip(self.args[::2], self.args[1::2], strict=True))
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """A build stage: its FROM line and the instructions up to the next FROM.

    ``base_stage`` is set when FROM names an earlier stage (after ARG substitution, compared
    case-insensitively as BuildKit does), since a stage name is not an image. ``env`` holds the
    ENV values in force at the end of the stage, including those of ``base_stage``; values a
    base *image* sets are unknown. ``own_user`` is the stage's last USER after substitution, or
    ``None`` when the stage has no USER of its own.
    """

    index: int
    name: str | None
    base: str
    base_resolved: str | None
    base_unresolved_args: tuple[str, ...]
    base_stage: Stage | None
    platform: str | None
    line: int
    column: int
    instructions: tuple[Instruction, ...]
    from_instruction: Instruction
    env: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False, repr=False
    )
    own_user: str | None = None
    own_user_instruction: Instruction | None = field(default=None, repr=False)

    @property
    def user(self) -> str | None:
        """The user this stage runs as; ``None`` means Docker's default, root.

        ARG and ENV references are resolved with the defaults in scope (per Docker's scoping:
        a global ARG counts only where ``ARG NAME`` re-declares it in the stage). A reference
        nothing gives a value to stays as written (``${UID}``), since a build argument may
        supply it; :func:`is_root_user` reads that as not root. A stage without USER inherits
        the user of the earlier stage it is built on; ``FROM scratch`` or an image inherits
        nothing known.
        """
        deciding = self._user_stage()
        return deciding.own_user if deciding is not None else None

    def user_instruction(self) -> Instruction | None:
        """The USER instruction that decides :attr:`user`, possibly in a parent stage."""
        deciding = self._user_stage()
        return deciding.own_user_instruction if deciding is not None else None

    def _user_stage(self) -> Stage | None:
        """This stage or the nearest one it is built on that sets USER."""
        stage: Stage | None = self
        while stage is not None and stage.own_user_instruction is None:
            stage = stage.base_stage
        return stage

    def healthcheck(self) -> Instruction | None:
        """The last HEALTHCHECK here or inherited through ``base_stage``.

        ``HEALTHCHECK NONE`` is returned as it is: whether it counts is the caller's call.
        """
        stage: Stage | None = self
        while stage is not None:
            for instruction in reversed(stage.instructions):
                if instruction.keyword == "HEALTHCHECK":
                    return instruction
            stage = stage.base_stage
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dockerfile:
    """A parsed Dockerfile. ``instructions`` lists every instruction in file order, including
    the global ARGs and each FROM, for rules that look at the file rather than a stage."""

    path: str
    stages: tuple[Stage, ...]
    global_args: Mapping[str, str | None] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    escape: str = "\\"
    syntax: str | None = None
    instructions: tuple[Instruction, ...] = ()

    @property
    def final_stage(self) -> Stage | None:
        """The stage ``docker build`` builds when no target is given."""
        return self.stages[-1] if self.stages else None

    def stage_named(self, name: str) -> Stage | None:
        """The stage called ``name`` (stage names are case-insensitive), if any."""
        wanted = name.lower()
        for stage in self.stages:
            if stage.name == wanted:
                return stage
        return None

    def expand_base(
        self, stage: Stage, values: Mapping[str, str] = MappingProxyType({})
    ) -> tuple[str, tuple[str, ...]]:
        """The FROM image of ``stage`` as a build given ``values`` as build arguments sees it.

        The global ARGs are replayed in order, a value in ``values`` replacing the default of
        the ARG it names (as ``--build-arg`` does; a name no global ARG declares does not
        reach FROM, except the automatic platform ARGs). Returns the expanded text and the
        names that had no value. With no ``values`` this is ``base_resolved``.
        """
        scope: dict[str, str | None] = {name: values.get(name) for name in _AUTOMATIC_ARGS}
        taints: dict[str, tuple[str, ...]] = {}
        for instruction in self.instructions:
            if instruction.keyword == "FROM":
                break
            for name, default in instruction.assignments():
                if name in values:
                    scope[name], taints[name] = values[name], ()
                elif default is None:
                    scope[name], taints[name] = None, ()
                else:
                    scope[name], taints[name] = _expand(
                        default, self.escape, scope, taints, instruction
                    )
        from_instruction = stage.from_instruction
        return _expand(from_instruction.args[0], self.escape, scope, taints, from_instruction)


def is_root_user(user: str | None) -> bool:
    """Whether a USER value runs as root: no user, ``root`` or uid 0, whatever the group."""
    if user is None:
        return True
    name = user.strip().partition(":")[0].strip()
    if name in ("", "root"):
        return True
    return name.isascii() and name.isdigit() and int(name) == 0


def substitute_args(
    text: str, values: Mapping[str, str | None], *, escape: str = "\\"
) -> tuple[str, tuple[str, ...]]:
    """Substitute ``$VAR``, ``${VAR}``, ``${VAR:-d}``, ``${VAR:+a}`` … as Dockerfile expansion.

    Only substitution is done: quotes and escapes stay as written, and nothing inside single
    quotes or after the escape character is expanded. A name whose value is ``None`` or absent
    is unset: it expands to nothing and, when no ``-``/``+`` form covers it, is reported in the
    second element. Malformed text (``${``, an unclosed quote) comes back unchanged.
    """
    if "$" not in text:
        return text, ()
    lexer = _Lexer(text, escape, values, raw_quotes=True, raw_escapes=True)
    try:
        result, _ = lexer.process()
    except _LexError:
        return text, ()
    return result, tuple(lexer.missing)


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


# --- reading lines into instructions -------------------------------------------------------


class _Scan:
    """BuildKit's ``parser.Parse``: physical lines to instructions, directives, heredocs."""

    def __init__(self, text: str) -> None:
        self.escape = "\\"
        self.syntax: str | None = None
        self.instructions: list[Instruction] = []
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = text.split("\n")
        if lines[-1] == "":
            # A final newline ends the last line; it does not start another.
            lines.pop()
        self._lines = lines
        self._next = 0
        self._directives_done = False
        self._seen_directives: set[str] = set()
        self._read()

    def _read(self) -> None:
        lines = self._lines
        count = len(lines)
        while self._next < count:
            raw = lines[self._next].rstrip("\r")
            self._next += 1
            start = self._next
            token = raw.lstrip(_GO_SPACE)
            if not self._directives_done:
                self._directive(token, start)
            if not token or token.startswith("#"):
                continue
            column = len(raw) - len(token) + 1
            joined, ended = self._trim_continuation(token)
            parts = [joined]
            while not ended and self._next < count:
                raw = lines[self._next].rstrip("\r")
                self._next += 1
                stripped = raw.lstrip(_GO_SPACE)
                if not stripped or stripped.startswith("#"):
                    # BuildKit skips comment and empty lines inside a continued instruction.
                    continue
                joined, ended = self._trim_continuation(raw)
                parts.append(joined)
            self.instructions.append(self._instruction("".join(parts), start, column))

    def _directive(self, token: str, line: int) -> None:
        """BuildKit's ``DirectiveParser.ParseLine``; the first non-directive line ends them."""
        if not token.startswith("#"):
            self._directives_done = True
            return
        body = token[1:].lstrip(_GO_SPACE)
        match = _DIRECTIVE_NAME.match(body)
        if match is None:
            self._directives_done = True
            return
        after = body[match.end() :]
        # RE2's "\s*=\s*(.+?)\s*$": the value is the rest, trimmed, and cannot be empty. Done
        # by hand because the regex backtracks quadratically on long runs of spaces.
        value = after.strip(_RE2_SPACE) or after[-1:]
        name = match.group(1).lower()
        if not value or name not in _DIRECTIVES:
            self._directives_done = True
            return
        if name in self._seen_directives:
            raise DockerfileError(f"only one {name} parser directive can be used", line)
        self._seen_directives.add(name)
        if name == "escape":
            if value not in ("\\", "`"):
                raise DockerfileError("invalid escape token: use ` or \\", line)
            self.escape = value
        elif name == "syntax":
            self.syntax = value

    def _trim_continuation(self, line: str) -> tuple[str, bool]:
        """Strip a trailing escape character; report whether the instruction ends here.

        BuildKit's regex ``([^E])E[ \\t]*$|^E[ \\t]*$``: an escaped escape (``\\\\``) at the
        end of a line is a literal, not a continuation.
        """
        trimmed = line.rstrip(" \t")
        escape = self.escape
        if trimmed.endswith(escape) and not trimmed.endswith(escape + escape):
            return trimmed[:-1], False
        return line, True

    def _instruction(self, text: str, line: int, column: int) -> Instruction:
        trimmed = text.strip(_GO_SPACE)
        split = _WHITESPACE.split(trimmed, maxsplit=1)
        # Compare lower-cased as BuildKit does: Python's upper() maps "ſ" to "S".
        keyword = split[0].lower()
        value = split[1] if len(split) == 2 else ""
        if keyword not in _LOWER_INSTRUCTIONS:
            raise DockerfileError("unknown instruction", line, column)
        keyword = keyword.upper()
        rest, flag_words = _extract_flags(value) if value.startswith("--") else (value, [])
        rest = rest.strip(_GO_SPACE)
        flag_items = tuple(_flag(word) for word in flag_words)
        try:
            args, json_form = _arguments(keyword, rest, self.escape)
        except _ArgumentError as error:
            raise DockerfileError(error.message, line, column) from None
        heredocs: tuple[Heredoc, ...] = ()
        if "<<" in text and _can_contain_heredoc(keyword, rest, json_form):
            heredocs = self._heredocs(text, line, column)
        return Instruction(
            keyword=keyword,
            value=value,
            line=line,
            end_line=self._next,
            column=column,
            flags=MappingProxyType(dict(flag_items)),
            args=args,
            json_form=json_form,
            heredocs=heredocs,
            argument_text=rest,
            flag_items=flag_items,
        )

    def _heredocs(self, text: str, line: int, column: int) -> tuple[Heredoc, ...]:
        """``heredocsFromLine`` and the body reading of ``Parse``."""
        try:
            # BuildKit always lexes heredoc words with "\" whatever the escape directive says.
            _, words = _Lexer(
                text, "\\", {}, raw_quotes=True, raw_escapes=True, skip_unset=True
            ).process()
        except _LexError:
            # BuildKit ignores the lexer's error here: the line simply has no heredoc.
            return ()
        found: list[Heredoc] = []
        for word in words:
            match = _HEREDOC_WORD.fullmatch(word)
            if match is None or not match.group(3):
                continue
            name, expand = _heredoc_name(match.group(3), line, column)
            if name is None:
                continue
            chomp = match.group(2) == "-"
            body: list[str] = []
            first = self._next + 1
            while True:
                if self._next >= len(self._lines):
                    raise DockerfileError("unterminated heredoc", line, column)
                raw = self._lines[self._next].rstrip("\r")
                self._next += 1
                if (raw.lstrip("\t") if chomp else raw) == name:
                    break
                body.append(raw + "\n")
            content = "".join(body)
            if chomp:
                content = _TAB_INDENT.sub("", content)
            found.append(Heredoc(name=name, body=content, line=first, expand=expand, chomp=chomp))
        return tuple(found)


def _heredoc_name(rest: str, line: int, column: int) -> tuple[str | None, bool]:
    """``heredocFromMatch``: the terminator and whether the body is expanded."""
    try:
        _, words = _Lexer(rest, "\\", {}, skip_unset=True).process()
        if len(words) != 1:
            return None, False
        _, raw_words = _Lexer(rest, "\\", {}, raw_quotes=True, skip_unset=True).process()
    except _LexError:
        raise DockerfileError("invalid heredoc name", line, column) from None
    if len(raw_words) != 1:
        raise DockerfileError("invalid heredoc name", line, column)
    name = words[0]
    quotes = name.count("'") + name.count('"')
    raw_quotes = raw_words[0].count("'") + raw_words[0].count('"')
    return name, quotes == raw_quotes


def _can_contain_heredoc(keyword: str, rest: str, json_form: bool) -> bool:
    if keyword == "ONBUILD":
        # BuildKit looks through ONBUILD at the instruction it wraps.
        split = _WHITESPACE.split(rest, maxsplit=1)
        keyword = split[0].upper()
        inner = split[1] if len(split) == 2 else ""
        if inner.startswith("--"):
            inner = _extract_flags(inner)[0]
        try:
            json_form = _parse_json(inner.strip(_GO_SPACE)) is not None
        except _ArgumentError:
            return False
    return keyword in _HEREDOC_INSTRUCTIONS and not json_form


def _extract_flags(line: str) -> tuple[str, list[str]]:
    """BuildKit's ``extractBuilderFlags``: leading ``--name=value`` words, and the rest."""
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    blank_ok = False
    index = 0
    length = len(line)
    while index <= length:
        char = line[index] if index < length else ""
        if not in_word and not quote:
            if index == length:
                break
            if char in _GO_SPACE_SET:
                index += 1
                continue
            if char != "-" or index + 1 == length or line[index + 1] != "-":
                return line[index:], words
            in_word = True
        if index == length:
            text = "".join(word)
            if text != "--" and (blank_ok or text):
                words.append(text)
            break
        if not quote:
            if char in _GO_SPACE_SET:
                in_word = False
                text = "".join(word)
                if text == "--":
                    return line[index:], words
                if blank_ok or text:
                    words.append(text)
                word = []
                blank_ok = False
                index += 1
                continue
            if char in "'\"":
                quote = char
                blank_ok = True
                index += 1
                continue
        elif char == quote:
            quote = ""
            index += 1
            continue
        if char == "\\":
            if index + 1 == length:
                quote = ""
                index += 1
                continue
            index += 1
            char = line[index]
        word.append(char)
        index += 1
    return "", words


def _flag(word: str) -> tuple[str, str]:
    name, equals, value = word[2:].partition("=")
    return name, value if equals else "true"


# --- instruction arguments -----------------------------------------------------------------


class _ArgumentError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _arguments(keyword: str, rest: str, escape: str) -> tuple[tuple[str, ...], bool]:
    """BuildKit's line parsers plus the argument checks of ``instructions.Parse``."""
    if keyword in _EXEC_FORM_INSTRUCTIONS or keyword in _LIST_INSTRUCTIONS:
        decoded = _parse_json(rest)
        if decoded is not None:
            args, json_form = tuple(decoded), True
        else:
            args, json_form = _split(rest), False
        if keyword == "SHELL" and not (json_form and args):
            raise _ArgumentError("SHELL requires a JSON array")
        if keyword in ("ADD", "COPY") and len(args) < 2:
            raise _ArgumentError(f"{keyword} requires at least two arguments")
        if keyword == "VOLUME" and not args:
            raise _ArgumentError("VOLUME requires at least one argument")
        return args, json_form
    if keyword in ("FROM", "EXPOSE", "ONBUILD"):
        args = _split(rest)
        stage_form = len(args) == 3 and args[1].lower() == "as"
        if keyword == "FROM" and len(args) != 1 and not stage_form:
            raise _ArgumentError("FROM requires either one or three arguments")
        if not args:
            raise _ArgumentError(f"{keyword} requires at least one argument")
        if keyword == "ONBUILD" and args[0].upper() in ("ONBUILD", "FROM", "MAINTAINER"):
            raise _ArgumentError(f"{args[0].upper()} is not allowed as an ONBUILD trigger")
        return args, False
    if keyword in _STRING_INSTRUCTIONS:
        if not rest:
            raise _ArgumentError(f"{keyword} requires exactly one argument")
        return (rest,), False
    if keyword in ("ENV", "LABEL"):
        return _name_values(keyword, rest, escape), False
    if keyword == "ARG":
        words = _parse_words(rest, escape)
        if not words:
            raise _ArgumentError("ARG requires at least one argument")
        return tuple(words), False
    return _healthcheck(rest)


def _healthcheck(rest: str) -> tuple[tuple[str, ...], bool]:
    """``parseHealthConfig`` and ``parseHealthcheck``: the type, then the command."""
    split = _WHITESPACE.split(rest, maxsplit=1) if rest else []
    if not split:
        raise _ArgumentError("HEALTHCHECK requires at least one argument")
    kind = split[0]
    command = split[1] if len(split) == 2 else ""
    decoded = _parse_json(command)
    args, json_form = (tuple(decoded), True) if decoded is not None else (_split(command), False)
    if kind.upper() == "NONE":
        if args:
            raise _ArgumentError("HEALTHCHECK NONE takes no arguments")
    elif kind.upper() == "CMD":
        if not args:
            raise _ArgumentError("missing command after HEALTHCHECK CMD")
    else:
        raise _ArgumentError("unknown HEALTHCHECK type (use CMD or NONE)")
    return (kind, *args), json_form


def _split(rest: str) -> tuple[str, ...]:
    return tuple(_WHITESPACE.split(rest)) if rest else ()


def _reject_constant(_: str) -> Any:
    # Go's encoding/json has no NaN or Infinity: such an array is shell form for BuildKit.
    raise ValueError("not JSON")


def _parse_json(rest: str) -> list[str] | None:
    """``parseJSON``: the array of an exec-form instruction, or ``None`` for shell form."""
    text = rest.lstrip(_GO_SPACE)
    if not text.startswith("["):
        return None
    # json is imported here, not at the top: most files are parsed without needing it, and
    # this module's import time counts in every pre-commit run.
    import json

    try:
        value, _ = json.JSONDecoder(parse_constant=_reject_constant).raw_decode(text)
    except RecursionError:
        # Go decodes the nesting and then rejects it as not an array of strings.
        raise _ArgumentError("a JSON array must hold only strings") from None
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _ArgumentError("a JSON array must hold only strings")
    return value


def _name_values(keyword: str, rest: str, escape: str) -> tuple[str, ...]:
    """``parseNameVal`` then ``parseKvps``: ``name value`` or ``name=value ...``."""
    words = _parse_words(rest, escape)
    if not words:
        raise _ArgumentError(f"{keyword} requires at least one argument")
    if "=" not in words[0]:
        # The legacy form: the first word is the name and the rest of the line the value.
        split = _WHITESPACE.split(rest, maxsplit=1)
        if len(split) < 2:
            raise _ArgumentError(f"{keyword} must have two arguments")
        flat = [split[0], split[1]]
    else:
        flat = []
        for word in words:
            name, equals, value = word.partition("=")
            if not equals:
                raise _ArgumentError(f"{keyword} syntax error: expected name=value")
            flat += [name, value]
    if any(not name for name in flat[::2]):
        raise _ArgumentError(f"{keyword} names can not be blank")
    return tuple(flat)


def _parse_words(rest: str, escape: str) -> list[str]:
    """BuildKit's ``parseWords``: split on white space outside quotes, quotes and escapes kept
    for the shell lexer that later expands each word."""
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    blank_ok = False
    index = 0
    length = len(rest)
    while index < length:
        char = rest[index]
        if not in_word:
            if char in _GO_SPACE_SET:
                index += 1
                continue
            in_word = True
        if not quote:
            if char in _GO_SPACE_SET:
                in_word = False
                if blank_ok or word:
                    words.append("".join(word))
                word = []
                blank_ok = False
                index += 1
                continue
            if char in "'\"":
                quote = char
                blank_ok = True
            elif char == escape:
                if index + 1 == length:
                    index += 1
                    continue
                word.append(char)
                index += 1
                char = rest[index]
            word.append(char)
            index += 1
            continue
        if char == quote:
            quote = ""
        elif char == escape and quote != "'":
            if index + 1 == length:
                quote = ""
                index += 1
                continue
            word.append(char)
            index += 1
            char = rest[index]
        word.append(char)
        index += 1
    if in_word and (blank_ok or word):
        words.append("".join(word))
    return words


# --- stages and variable scope -------------------------------------------------------------


class _StageBuilder:
    """``instructions.Parse`` and the ARG/ENV scoping of BuildKit's dispatcher."""

    def __init__(self, escape: str) -> None:
        self.escape = escape
        self.stages: list[Stage] = []
        self._stage_names: dict[str, Stage] = {}  # FROM <stage> looks up here: linear in stages
        self.global_args: dict[str, str | None] = {}
        # For each variable, the ARGs without a default its value was built from: a value
        # that only looks resolved must not count as known.
        self.global_taints: dict[str, tuple[str, ...]] = {}
        self._current: _StageState | None = None

    def add(self, instruction: Instruction) -> None:
        if instruction.keyword == "FROM":
            self._finish()
            self._current = self._start(instruction)
        elif self._current is not None:
            self._current.add(instruction)
        elif instruction.keyword == "ARG":
            self._global_arg(instruction)
        else:
            raise DockerfileError(
                "instruction before the first FROM", instruction.line, instruction.column
            )

    def _finish(self) -> None:
        if self._current is not None:
            stage = self._current.build()
            self.stages.append(stage)
            if stage.name is not None:
                self._stage_names.setdefault(stage.name, stage)
            self._current = None

    def _global_arg(self, instruction: Instruction) -> None:
        # BuildKit expands each global default with the globals before it, one by one.
        for name, default in instruction.assignments():
            if default is None:
                self.global_args[name] = None
                self.global_taints[name] = ()
                continue
            scope: dict[str, str | None] = dict.fromkeys(_AUTOMATIC_ARGS)
            scope.update(self.global_args)
            value, missing = _expand(default, self.escape, scope, self.global_taints, instruction)
            self.global_args[name] = value
            self.global_taints[name] = missing

    def _start(self, instruction: Instruction) -> _StageState:
        base = instruction.args[0]
        scope: dict[str, str | None] = dict.fromkeys(_AUTOMATIC_ARGS)
        scope.update(self.global_args)
        resolved, missing = _expand(base, self.escape, scope, self.global_taints, instruction)
        name: str | None = None
        if len(instruction.args) == 3:
            name = instruction.args[2].lower()
            if not _STAGE_NAME.fullmatch(name):
                raise DockerfileError(
                    "invalid stage name: it must start with a letter and hold only letters, "
                    "digits, '-', '_' and '.'",
                    instruction.line,
                    instruction.column,
                )
        base_stage: Stage | None = None
        if not missing:
            wanted = resolved.lower()
            base_stage = self._stage_names.get(wanted)
        return _StageState(
            builder=self,
            index=len(self.stages),
            name=name,
            from_instruction=instruction,
            base_resolved=None if missing else resolved,
            base_unresolved_args=missing,
            base_stage=base_stage,
        )

    def finish(self) -> None:
        self._finish()


class _StageState:
    """A stage while its instructions are read: the variables in scope at each point."""

    def __init__(
        self,
        *,
        builder: _StageBuilder,
        index: int,
        name: str | None,
        from_instruction: Instruction,
        base_resolved: str | None,
        base_unresolved_args: tuple[str, ...],
        base_stage: Stage | None,
    ) -> None:
        self.builder = builder
        self.index = index
        self.name = name
        self.from_instruction = from_instruction
        self.base_resolved = base_resolved
        self.base_unresolved_args = base_unresolved_args
        self.base_stage = base_stage
        self.instructions: list[Instruction] = []
        # ENV survives into stages built FROM this one; ARGs do not.
        self.env: dict[str, str] = dict(base_stage.env) if base_stage is not None else {}
        self.env_taints: dict[str, tuple[str, ...]] = {}
        self.args: dict[str, str | None] = {}
        self.arg_taints: dict[str, tuple[str, ...]] = {}
        self.user: str | None = None
        self.user_instruction: Instruction | None = None

    def _scope(self) -> tuple[dict[str, str | None], dict[str, tuple[str, ...]], set[str]]:
        """The variables an instruction sees, their taints, and the names known to be unset."""
        # Docker: "an ENV instruction always overrides an ARG of the same name".
        scope: dict[str, str | None] = dict(self.args)
        scope.update(self.env)
        taints = dict(self.arg_taints)
        taints.update(self.env_taints)
        # A global ARG that the stage does not re-declare is out of scope, and no build
        # argument can reach it there: it is empty for sure, not unknown. Any other unknown
        # name may come from the base image's ENV, which a linter cannot see.
        known_unset = self.builder.global_args.keys() - scope.keys()
        return scope, taints, known_unset

    def add(self, instruction: Instruction) -> None:
        self.instructions.append(instruction)
        keyword = instruction.keyword
        if keyword not in ("ARG", "ENV", "USER"):
            return
        escape = self.builder.escape
        scope, taints, known_unset = self._scope()
        if keyword == "USER":
            written = instruction.args[0]
            value, missing = _expand(written, escape, scope, taints, instruction, known_unset)
            self.user = written if missing else value
            self.user_instruction = instruction
            return
        # All assignments of one ARG or ENV see the scope from before the instruction.
        updates: list[tuple[str, str | None, tuple[str, ...]]] = []
        for name, written_value in instruction.assignments():
            if written_value is None:
                # "ARG NAME" in a stage brings a global ARG's default into scope.
                global_args = self.builder.global_args
                taint = self.builder.global_taints.get(name, ())
                updates.append((name, global_args.get(name), taint))
                continue
            value, missing = _expand(written_value, escape, scope, taints, instruction, known_unset)
            updates.append((name, value, missing))
        for name, assigned, taint in updates:
            if keyword == "ENV":
                self.env[name] = assigned or ""
                self.env_taints[name] = taint
            else:
                self.args[name] = assigned
                self.arg_taints[name] = taint

    def build(self) -> Stage:
        instruction = self.from_instruction
        return Stage(
            index=self.index,
            name=self.name,
            base=instruction.args[0],
            base_resolved=self.base_resolved,
            base_unresolved_args=self.base_unresolved_args,
            base_stage=self.base_stage,
            platform=instruction.flags.get("platform"),
            line=instruction.line,
            column=instruction.column,
            instructions=tuple(self.instructions),
            from_instruction=instruction,
            env=MappingProxyType(self.env),
            own_user=self.user,
            own_user_instruction=self.user_instruction,
        )


def _expand(
    word: str,
    escape: str,
    scope: Mapping[str, str | None],
    taints: Mapping[str, tuple[str, ...]],
    instruction: Instruction,
    known_unset: set[str] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """Docker's ``ProcessWord``: expand variables and remove quotes, as FROM/ARG/ENV/USER do."""
    if "$" not in word and "'" not in word and '"' not in word and escape not in word:
        # Most values are plain text; the lexer would hand them back unchanged.
        return word, ()
    lexer = _Lexer(word, escape, scope, taints, known_unset=known_unset)
    try:
        value, _ = lexer.process()
    except _LexError:
        raise DockerfileError(
            f"invalid variable substitution in {instruction.keyword}",
            instruction.line,
            instruction.column,
        ) from None
    return value, tuple(lexer.missing)


# --- the shell lexer -----------------------------------------------------------------------


class _LexError(Exception):
    pass


class _Lexer:
    """BuildKit's ``shell.Lex``: quotes, escapes and ``$`` expansion in one pass.

    ``raw_quotes``/``raw_escapes`` keep quotes and escape characters in the result (BuildKit's
    RawQuotes/RawEscapes); ``skip_unset`` leaves references to unset names as written.
    ``missing`` collects the names that had no value where nothing else stood in for them,
    plus those behind a value that was itself built from such names (``taints``), but not the
    names in ``known_unset``, whose emptiness is certain.
    """

    def __init__(
        self,
        text: str,
        escape: str,
        env: Mapping[str, str | None],
        taints: Mapping[str, tuple[str, ...]] | None = None,
        *,
        raw_quotes: bool = False,
        raw_escapes: bool = False,
        skip_unset: bool = False,
        known_unset: set[str] | None = None,
    ) -> None:
        self.text = text
        self.pos = 0
        self.escape = escape
        self.env = env
        self.taints = taints or {}
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.skip_unset = skip_unset
        self.known_unset = known_unset or set()
        self.missing: dict[str, None] = {}

    def process(self) -> tuple[str, list[str]]:
        try:
            return self._until(None, self.raw_escapes)
        except RecursionError:
            # Only absurdly nested ${…} gets here; BuildKit would cope, a linter need not.
            raise _LexError from None

    def _lookup(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is not None:
            for taint in self.taints.get(name, ()):
                self.missing[taint] = None
        return value

    def _unset(self, name: str) -> None:
        # Special parameters ($1, $@ …) are shell business, not ARGs someone forgot.
        if (name[:1].isalpha() or name[:1] == "_") and name not in self.known_unset:
            self.missing[name] = None

    def _until(self, stop: str | None, raw_escapes: bool) -> tuple[str, list[str]]:
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            return self._scan_until(stop)
        finally:
            self.raw_escapes = saved

    def _scan_until(self, stop: str | None) -> tuple[str, list[str]]:
        text = self.text
        length = len(text)
        result: list[str] = []
        words = _Words()
        while self.pos < length:
            char = text[self.pos]
            if char == stop:
                self.pos += 1
                return "".join(result), words.finish()
            if char == "$":
                piece = self._dollar()
                result.append(piece)
                words.add_string(piece)
            elif char == "<":
                piece = self._angle()
                result.append(piece)
                words.add_raw(piece)
            elif char == "'":
                piece = self._single_quoted()
                result.append(piece)
                words.add_raw(piece)
            elif char == '"':
                piece = self._double_quoted()
                result.append(piece)
                words.add_raw(piece)
            else:
                self.pos += 1
                if char == self.escape:
                    if self.raw_escapes:
                        words.add_raw(char)
                        result.append(char)
                    if self.pos >= length:
                        break
                    char = text[self.pos]
                    self.pos += 1
                    words.add_raw(char)
                else:
                    words.add_char(char)
                result.append(char)
        if stop is not None:
            raise _LexError
        return "".join(result), words.finish()

    def _angle(self) -> str:
        """``processPossibleHeredoc``: keep ``<<  EOF`` one word, as BuildKit does."""
        text = self.text
        self.pos += 1
        if self.pos >= len(text) or text[self.pos] != "<":
            return "<"
        start = self.pos - 1
        self.pos += 1
        while self.pos < len(text) and text[self.pos] in " \t":
            self.pos += 1
        return text[start : self.pos]

    def _single_quoted(self) -> str:
        text = self.text
        end = text.find("'", self.pos + 1)
        if end < 0:
            raise _LexError
        start = self.pos
        self.pos = end + 1
        return text[start : end + 1] if self.raw_quotes else text[start + 1 : end]

    def _double_quoted(self) -> str:
        text = self.text
        length = len(text)
        self.pos += 1
        result = ['"'] if self.raw_quotes else []
        while True:
            if self.pos >= length:
                raise _LexError
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                if self.raw_quotes:
                    result.append(char)
                return "".join(result)
            if char == "$":
                result.append(self._dollar())
                continue
            self.pos += 1
            if char == self.escape and self.pos < length:
                following = text[self.pos]
                if following in ('"', "$", self.escape):
                    self.pos += 1
                    # BuildKit's raw mode writes the escape twice before a character it does
                    # not escape; keeping it once is what substitution-only callers expect.
                    if self.raw_escapes:
                        result.append(char)
                    char = following
            result.append(char)

    def _name(self) -> str:
        text = self.text
        length = len(text)
        start = self.pos
        if start >= length:
            return ""
        first = text[start]
        if first.isdecimal():
            while self.pos < length and text[self.pos].isdecimal():
                self.pos += 1
            return text[start : self.pos]
        if first in "@*#?-$!0":
            self.pos += 1
            return first
        while self.pos < length and (
            text[self.pos].isalpha() or text[self.pos].isdecimal() or text[self.pos] == "_"
        ):
            self.pos += 1
        return text[start : self.pos]

    def _dollar(self) -> str:
        text = self.text
        length = len(text)
        self.pos += 1
        if self.pos >= length or text[self.pos] != "{":
            name = self._name()
            if not name:
                return "$"
            value = self._lookup(name)
            if value is None:
                if self.skip_unset:
                    return "$" + name
                self._unset(name)
                return ""
            return value
        self.pos += 1
        if self.pos >= length or text[self.pos] in "{}:":
            raise _LexError
        name = self._name()
        if self.pos >= length:
            raise _LexError
        operator = text[self.pos]
        self.pos += 1
        if operator == "}":
            value = self._lookup(name)
            if value is None:
                if self.skip_unset:
                    return "${" + name + "}"
                self._unset(name)
                return ""
            return value
        if operator == "/":
            return self._replace(name)
        colon = operator == ":"
        if colon:
            if self.pos >= length:
                raise _LexError
            operator = text[self.pos]
            self.pos += 1
        if operator not in "-+?#%":
            raise _LexError
        word, _ = self._until("}", operator in "#%")
        written = self.env.get(name)
        if written is None and self.skip_unset:
            return "${" + name + (":" if colon else "") + operator + word + "}"
        empty = written is None or (colon and written == "")
        if operator == "-":
            return word if empty else self._lookup(name) or ""
        if operator == "+":
            return "" if empty else word
        if operator == "?":
            if empty:
                # BuildKit fails the build unless a build argument supplies the value.
                self._unset(name)
                return ""
            return self._lookup(name) or ""
        value = self._lookup(name)
        if value is None:
            self._unset(name)
            return ""
        greedy = word.startswith(operator)
        if greedy:
            word = word[1:]
        return _trim(value, _shell_pattern(word), suffix=operator == "%", longest=greedy)

    def _replace(self, name: str) -> str:
        every = self.pos < len(self.text) and self.text[self.pos] == "/"
        if every:
            self.pos += 1
        pattern, _ = self._until("/", True)
        replacement, _ = self._until("}", True)
        if self.env.get(name) is None and self.skip_unset:
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        value = self._lookup(name)
        if value is None:
            self._unset(name)
            return ""
        compiled = re.compile(_shell_pattern(pattern))
        return compiled.sub(lambda _: replacement, value, count=0 if every else 1)


class _Words:
    """BuildKit's ``wordsStruct``: the words of a lexed line, for heredoc detection."""

    __slots__ = ("current", "in_word", "words")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.current = ""
        self.in_word = False

    def add_char(self, char: str) -> None:
        if char in _GO_SPACE_SET:
            if self.in_word and self.current:
                self.words.append(self.current)
                self.current = ""
                self.in_word = False
        else:
            self.add_raw(char)

    def add_raw(self, text: str) -> None:
        # An empty quoted string ("") opens a word without adding to it, as in BuildKit.
        self.current += text
        self.in_word = True

    def add_string(self, text: str) -> None:
        for char in text:
            self.add_char(char)

    def finish(self) -> list[str]:
        if self.current:
            self.words.append(self.current)
            self.current = ""
            self.in_word = False
        return self.words


def _shell_pattern(pattern: str) -> str:
    """``convertShellPatternToRegex``: ``*`` any run, ``?`` one character, ``\\`` escapes."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "\\":
            following = pattern[index : index + 1]
            if following in ("}", "/"):
                continue
            if following not in ("*", "?", "\\"):
                raise _LexError
            out.append(re.escape(following))
            index += 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _trim(value: str, pattern: str, *, suffix: bool, longest: bool) -> str:
    """``${v#p}``, ``${v##p}``, ``${v%p}``, ``${v%%p}``: drop the matching prefix or suffix."""
    compiled = re.compile(pattern, re.DOTALL)
    cuts = range(len(value) + 1)
    if suffix:
        # The shortest suffix starts as far right as possible.
        starts = cuts if longest else reversed(cuts)
        for start in starts:
            if compiled.fullmatch(value, start):
                return value[:start]
        return value
    ends = reversed(cuts) if longest else cuts
    for end in ends:
        if compiled.fullmatch(value, 0, end):
            return value[end:]
    return value
