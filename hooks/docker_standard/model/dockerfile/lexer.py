"""BuildKit's ``shell`` lexer: variable expansion and quote removal in Dockerfile words."""

from __future__ import annotations

import re
from collections.abc import Mapping

from docker_standard.model.dockerfile.syntax import _GO_SPACE_SET


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
