"""``.env`` / ``env_file`` parsing, ported from compose-go v2.9.1 ``dotenv/parser.go``.

The values are Compose's, quirks included (see compose-semantics.md §2): ``KEY= # x`` is
``# x``, ``"a" OTHER=b`` also defines ``OTHER``, a bare ``KEY`` on a last line without a newline
becomes the key ``""``, ``\\`` is literal outside double quotes. Where Compose gives up on the
first error, this parser records a :class:`Problem` and carries on with the next line, so a
linter sees every problem of a file at once. Problems also cover things Compose accepts but that
break elsewhere (``docker run --env-file`` rejects ``KEY = value``) or silently surprise.

Problem messages name keys, never values: values may be secrets.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

from docker_standard.model.interpolation import substitute
from docker_standard.patterns import lazy
from docker_standard.runtime_typing import NamedTuple

__all__ = ["DotenvFile", "Entry", "Problem", "looks_like_shell_script", "parse_dotenv"]

# The parser's own isSpace: blanks that never end a line (Go's unicode.IsSpace minus "\n" and
# minus the exotic spaces), used around keys and before values.
_BLANK = "\t\v\f\r \x85\xa0"
# Go's unicode.IsSpace (Python's str.isspace also accepts \x1c-\x1f, which Go does not).
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACE_SET = frozenset(_GO_SPACE)
_BLANK_SET = frozenset(_BLANK)
# RE2's \s in compose-go's ^export\s+ (no \v, but "\n" counts).
_EXPORT_SEPARATORS = frozenset("\t\n\f\r ")
_KEY_PUNCTUATION = frozenset("_.-[]")

# compose-go's escapeSeqRegex; RE2's \d is ASCII-only.
_ESCAPE = re.compile(r'\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})')
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}
_DOUBLE_STOPS = re.compile(r'[\\"]')
_SINGLE_STOPS = re.compile(r"[\\']")
_NEWLINE = re.compile("\n")
_REQUIRED = re.compile(r"required variable (\S+) is missing a value")


class Entry(NamedTuple):
    """One ``KEY=value`` (or bare ``KEY``) statement, in file order."""

    key: str
    value: str | None
    raw_value: str
    line: int
    column: int
    end_line: int
    quote: str
    comment_above: bool


class Problem(NamedTuple):
    """Something a linter should report.

    ``kind`` is one of ``duplicate-key``, ``invalid-name``, ``space-around-equals``,
    ``unterminated-quote``, ``invalid-syntax`` and ``interpolation-error``. ``fatal`` is True
    when Compose itself refuses the file (``config``/``up`` fail); the others are accepted by
    Compose but surprising or not portable.
    """

    line: int
    column: int
    kind: str
    message: str
    fatal: bool = False


class DotenvFile(NamedTuple):
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]

    def as_dict(self) -> dict[str, str]:
        """What Compose ends up with: last value wins, failed bare keys are absent."""
        return {entry.key: entry.value for entry in self.entries if entry.value is not None}

    def keys(self) -> list[str]:
        """Every key written in the file, first-seen order (bare keys included)."""
        return list(dict.fromkeys(entry.key for entry in self.entries))


def parse_dotenv(
    text: str,
    lookup: Callable[[str], str | None] = lambda _n: None,
    *,
    interpolate: bool = True,
) -> DotenvFile:
    """Parse an env file the way Compose does.

    ``lookup`` is the environment Compose consults first (shell, project ``.env``, the service's
    ``environment``); keys defined earlier in the file come next, as in compose-go's
    ``ExpandVariables``. With ``interpolate=False`` unquoted and double-quoted values are the
    templates Compose would interpolate (escapes expanded, ``\\$`` as ``$$``).
    """
    return _Parser(text, lookup, interpolate).parse()


# Lines only a shell script holds: control flow, arrays, arithmetic, function definitions,
# commands, tests. ``export KEY=value`` is not among them: Compose's dotenv accepts it.
_SHELL_LINE = lazy(
    r"""(?x)^\s*(?:
        (?:if|elif|while|until|for|case|select|function)\s
      | (?:then|do|done|fi|esac|else)\s*(?:;|$)
      | [A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=\(        # NAME=( … ) array, NAME+=(
      | [A-Za-z_][A-Za-z0-9_]*\[[^\]]*\(\(                 # NAME[((i++))]=
      | [A-Za-z_][A-Za-z0-9_-]*\s*\(\)\s*(?:\{|$)         # name() {
      | \(\(                                           # (( i++ ))
      | \[\[?\s                                         # [ -f x ] / [[ … ]]
      | (?:source|echo|printf|declare|typeset|local|readonly|unset|eval|exec|shift)(?:\s|$)
      | set\s+[-+]
    )"""
)
# An assignment not opening an array can match none of those branches: a file of nothing else
# (nearly every env file) is told apart without compiling the large pattern above.
_PLAIN_ASSIGNMENT = re.compile(r"\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*=(?!\()")


def looks_like_shell_script(text: str) -> bool:
    """Is ``text`` a shell script named like an env file (``permanent_data.env`` holding bash
    arrays and loops) rather than a dotenv file? A ``#!`` first line, or a line of shell
    syntax no dotenv file has."""
    if text.startswith("#!"):
        return True
    return any(
        _SHELL_LINE.match(line)
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and not _PLAIN_ASSIGNMENT.match(line)
    )


def _quote(text: str) -> str:
    import json  # only a message quoting an odd value needs it: not every run's start-up

    return json.dumps(text, ensure_ascii=False)


def _is_key_char(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char in _KEY_PUNCTUATION
    # Go's unicode.IsLetter / unicode.IsNumber: general categories L* and N*.
    return unicodedata.category(char)[0] in "LN"


def _expand_escape(match: re.Match[str]) -> str:
    escape = match.group()
    if escape == "\\$":
        # Compose turns \$ into $$ so that interpolation leaves a literal "$".
        return "$$"
    simple = _SIMPLE_ESCAPES.get(escape[1])
    if simple is not None:
        return simple
    if escape[1] != "0":
        return escape  # "\c": in the regex, but strconv.UnquoteChar rejects it
    # Go rewrites "\0NNN" to "\NNN" for strconv.UnquoteChar, which wants exactly three octal
    # digits up to \377; on failure Go returns the rewritten text, so the "0" is lost.
    digits = escape[2:]
    if len(digits) == 3 and all(d in "01234567" for d in digits) and int(digits, 8) <= 0o377:
        return chr(int(digits, 8))
    return "\\" + digits


def _expand_escapes(text: str) -> str:
    return _ESCAPE.sub(_expand_escape, text) if "\\" in text else text


class _Parser:
    def __init__(self, text: str, lookup: Callable[[str], str | None], interpolate: bool) -> None:
        # Compose strips one UTF-8 BOM; positions are reported in the text without it.
        self.text = text[1:] if text.startswith("\ufeff") else text
        self.lookup = lookup
        self.interpolate = interpolate
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        self.values: dict[str, str] = {}
        self.first_seen: dict[str, int] = {}
        # (key, value, raw_value, start, value_end, quote) per entry, positions as offsets.
        self.raw_entries: list[tuple[str, str | None, str, int, int, str]] = []
        self.problems: list[Problem] = []
        self.comment_lines: set[int] = set()
        self.broken_lines: set[int] = set()

    # ------------------------------------------------------------------ positions

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        line = self.line_of(offset)
        return line, offset - self.line_starts[line - 1] + 1

    def problem(self, offset: int, kind: str, message: str, *, fatal: bool = False) -> None:
        line, column = self.position(offset)
        self.problems.append(Problem(line, column, kind, message, fatal))

    def next_line(self, offset: int) -> int:
        """Offset just past the newline at or after ``offset`` (recovery after an error)."""
        self.broken_lines.add(self.line_of(offset))
        newline = self.text.find("\n", offset)
        return len(self.text) if newline < 0 else newline + 1

    # ------------------------------------------------------------------ parsing

    def parse(self) -> DotenvFile:
        position = 0
        while True:
            position = self.statement_start(position)
            if position >= len(self.text):
                break
            position = self.statement(position)
        return DotenvFile(self.build_entries(), tuple(self.problems))

    def statement_start(self, position: int) -> int:
        """getStatementStart: skip whitespace and "#" comments up to the next statement."""
        text = self.text
        end = len(text)
        while position < end:
            char = text[position]
            if char in _GO_SPACE_SET:
                position += 1
            elif char == "#":
                self.comment_lines.add(self.line_of(position))
                newline = text.find("\n", position)
                if newline < 0:
                    return end
                position = newline
            else:
                return position
        return end

    def statement(self, start: int) -> int:
        """One statement starting at ``start``; returns where the next one may start."""
        text = self.text
        end = len(text)
        key_start = start
        if (
            text.startswith("export", start)
            and start + 6 < end
            and text[start + 6] in _EXPORT_SEPARATORS
        ):
            key_start = start + 6
            while key_start < end and text[key_start] in _BLANK_SET:
                key_start += 1
        if key_start >= end:
            self.problem(
                start, "invalid-syntax", '"export" is not followed by a variable name', fatal=True
            )
            return end

        # scanKeyEnd: blanks do not end a key (they make "key cannot contain a space" later).
        index = key_start
        terminator = ""
        while index < end:
            char = text[index]
            if char in "=:\n":
                terminator = char
                break
            if char in _BLANK_SET or _is_key_char(char):
                index += 1
                continue
            message = self.bad_character_message(key_start, char)
            self.problem(index, "invalid-name", message, fatal=True)
            return self.next_line(index)

        if terminator:
            key = text[key_start:index].rstrip(_GO_SPACE)
            value_start = index + 1
        else:
            # No "=", ":" or newline before the end of the file: compose-go leaves the key empty
            # and reads the whole statement as the value (the bare-KEY-at-EOF bug).
            key = ""
            value_start = key_start
            self.problem(
                key_start,
                "invalid-syntax",
                "the last line has no '=' and no trailing newline: Compose reads it as the value "
                'of an empty key "" instead of a variable name',
            )
        while value_start < end and text[value_start] in _BLANK_SET:
            value_start += 1

        valid = self.check_key(key, key_start, index, terminator)
        if terminator == "\n":
            if valid:
                self.add(key, self.lookup(key), "", key_start, key_start, "")
            return value_start
        return self.value(key, key_start, value_start, valid)

    def check_key(self, key: str, key_start: int, index: int, terminator: str) -> bool:
        """Problems of the key itself; False when Compose would reject the statement."""
        text = self.text
        if " " in key:
            shown = f" {_quote(key)}" if terminator in ("=", ":") else ""
            self.problem(
                key_start, "invalid-name", f"key{shown} cannot contain a space", fatal=True
            )
            return False
        if key == "" and terminator:
            self.problem(key_start, "invalid-name", "empty variable name")
        elif any(char in _BLANK_SET for char in key):
            self.problem(
                key_start, "invalid-name", f"key {_quote(key)} contains a whitespace character"
            )
        if terminator == "=":
            before = index > key_start and text[index - 1] in _BLANK_SET
            after = index + 1 < len(text) and text[index + 1] in _BLANK_SET
            if before or after:
                self.problem(
                    index,
                    "space-around-equals",
                    f"whitespace around '=' for key {_quote(key)}: Compose trims it, but "
                    "docker run --env-file and other dotenv readers do not",
                )
        return True

    def bad_character_message(self, key_start: int, char: str) -> str:
        # Show the name only when an "=" or ":" on the line marks where it ends: a line without
        # one may be a stray value (a password pasted alone) that must not reach the report.
        text = self.text
        line_end = text.find("\n", key_start)
        line = text[key_start : len(text) if line_end < 0 else line_end]
        cut = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        name = f" {_quote(line[:cut].rstrip(_GO_SPACE))}" if cut >= 0 else ""
        return f"unexpected character {_quote(char)} in variable name{name}"

    def value(self, key: str, key_start: int, value_start: int, valid: bool) -> int:
        """extractVarValue, then record the entry; returns the offset after the value."""
        text = self.text
        end = len(text)
        quote = text[value_start] if value_start < end and text[value_start] in "\"'" else ""
        if not quote:
            newline = text.find("\n", value_start)
            line_end = end if newline < 0 else newline
            raw = text[value_start:line_end]
            comment = raw.find(" #")
            if comment >= 0:
                raw = raw[:comment]
            raw = raw.rstrip(_GO_SPACE)
            if valid:
                value = self.expand(raw, key, key_start)
                self.add(key, value, raw, key_start, value_start, "")
            return end if newline < 0 else newline + 1

        close, unescaped = self.quoted(value_start, quote)
        if close < 0:
            kind = "double" if quote == '"' else "single"
            self.problem(
                value_start,
                "unterminated-quote",
                f"the {kind} quote opening the value of key {_quote(key)} is never closed",
                fatal=True,
            )
            return self.next_line(value_start)
        if valid:
            raw = text[value_start + 1 : close]
            value = unescaped
            if quote == '"':
                value = self.expand(_expand_escapes(unescaped), key, key_start)
            self.add(key, value, raw, key_start, close, quote)
        self.check_after_quote(key, close + 1)
        return close + 1

    def quoted(self, opening: int, quote: str) -> tuple[int, str]:
        """extractQuotedValue: (closing quote offset or -1, text with \\<quote> unescaped)."""
        text = self.text
        stops = _DOUBLE_STOPS if quote == '"' else _SINGLE_STOPS
        chars: list[str] = []
        index = opening + 1
        while True:
            match = stops.search(text, index)
            if match is None:
                return -1, ""
            at = match.start()
            chars.append(text[index:at])
            if text[at] == quote:
                return at, "".join(chars)
            # A backslash takes the next character as is; only an escaped quote loses it
            # (the other escapes are expanded later, for double quotes only).
            if at + 1 >= len(text):
                return -1, ""
            char = text[at + 1]
            if char != quote:
                chars.append("\\")
            chars.append(char)
            index = at + 2

    def check_after_quote(self, key: str, position: int) -> None:
        # After a closing quote compose-go just looks for the next statement, so "a" OTHER=b
        # defines OTHER and "v"junk reads junk as a bare key: almost never what was meant.
        text = self.text
        index = position
        while index < len(text) and text[index] in _BLANK_SET:
            index += 1
        if index < len(text) and text[index] not in "\n#":
            self.problem(
                index,
                "invalid-syntax",
                f"text after the closing quote of key {_quote(key)} is read as another statement",
            )

    def expand(self, template: str, key: str, key_start: int) -> str:
        if not self.interpolate:
            return template

        def resolve(name: str) -> str | None:
            found = self.lookup(name)
            return found if found is not None else self.values.get(name)

        result = substitute(template, resolve)
        if not result.errors:
            return result.value
        required = _REQUIRED.match(result.errors[0])
        reason = (
            f"required variable {required.group(1)} is missing a value"
            if required
            else "invalid interpolation format (write a literal $ as $$)"
        )
        message = f"value of key {_quote(key)}: {reason}"
        self.problem(key_start, "interpolation-error", message, fatal=True)
        # compose-go's ExpandVariables hands back the uninterpolated text with its error.
        return template

    def add(
        self, key: str, value: str | None, raw: str, start: int, value_end: int, quote: str
    ) -> None:
        first = self.first_seen.get(key)
        if first is None:
            self.first_seen[key] = self.line_of(start)
        else:
            self.problem(
                start,
                "duplicate-key",
                f"duplicate key {_quote(key)} (first set on line {first}); the last one wins",
            )
        if value is not None:
            self.values[key] = value
        self.raw_entries.append((key, value, raw, start, value_end, quote))

    # ------------------------------------------------------------------ comments above

    def build_entries(self) -> tuple[Entry, ...]:
        covered: dict[int, bool] = {}  # line -> belongs to an entry
        spans: list[tuple[int, int]] = []
        for _key, _value, _raw, start, value_end, _quote_char in self.raw_entries:
            first_line, last_line = self.line_of(start), self.line_of(value_end)
            spans.append((first_line, last_line))
            for line in range(first_line, last_line + 1):
                covered[line] = True
        # A run of entry lines inherits whether the line above its first entry is a comment.
        commented: dict[int, bool] = {}
        for line in sorted(covered):
            above = line - 1
            if covered.get(above):
                commented[line] = commented[above]
            else:
                commented[line] = above in self.comment_lines and above not in self.broken_lines
        entries = []
        for (key, value, raw, start, _end, quote), (first_line, last_line) in zip(
            self.raw_entries, spans, strict=True
        ):
            line, column = self.position(start)
            entries.append(
                Entry(key, value, raw, line, column, last_line, quote, commented[first_line])
            )
        return tuple(entries)
