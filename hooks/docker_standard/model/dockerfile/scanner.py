"""Reading lines into instructions, as BuildKit's ``frontend/dockerfile/parser`` does: line
continuations, directives, heredocs, flags and each instruction's arguments."""

from __future__ import annotations

from types import MappingProxyType

from docker_standard.model.dockerfile.lexer import _Lexer, _LexError
from docker_standard.model.dockerfile.nodes import Heredoc, Instruction
from docker_standard.model.dockerfile.syntax import (
    _DIRECTIVE_NAME,
    _DIRECTIVES,
    _EXEC_FORM_INSTRUCTIONS,
    _GO_SPACE,
    _GO_SPACE_SET,
    _HEREDOC_INSTRUCTIONS,
    _HEREDOC_WORD,
    _LIST_INSTRUCTIONS,
    _LOWER_INSTRUCTIONS,
    _RE2_SPACE,
    _STRING_INSTRUCTIONS,
    _TAB_INDENT,
    _WHITESPACE,
    DockerfileError,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

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
