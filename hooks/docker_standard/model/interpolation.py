"""Compose variable interpolation, reproduced from compose-go v2.9.1 ``template/template.go``.

Compose matches every value against one regular expression::

    \\$(?i:(?P<escaped>\\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))

and hands each match to a replacement function. Three properties of that design decide what a
value resolves to, and this module keeps all of them:

* ``.*`` is greedy, so a ``${NAME<op>...}`` match runs to the *last* ``}`` of its line.
  Compose then cuts it at the first balanced ``}`` (``getFirstBraceClosingIndex``, which counts
  every ``{`` and skips the character after it) and interpolates the remainder as a separate
  template. That is why ``${E:-x}}`` gives ``x}``, and why an error anywhere in that remainder
  blanks the whole run. We scan linearly and keep track of that "run" instead of re-matching
  ever shorter remainders, which would be quadratic on long lines.
* Arguments of every operator, ``?`` messages included, are interpolated *before* the variable
  is looked at (eager evaluation): ``${SET:-${X:?boom}}`` fails although ``SET`` is set, and
  ``${SET:-$UNSET}`` warns about ``UNSET``.
* ``(?i:...)`` makes Go fold ``[a-z]`` with Unicode simple folding, which also admits the
  Kelvin sign (U+212A) and the long s (U+017F) in names.

``references`` follows compose-go's ``ExtractVariables`` (what ``config --variables`` reports):
the same matches, recursing into ``-``/``+`` arguments but not into ``?`` messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from docker_standard.patterns import lazy
from docker_standard.runtime_typing import NamedTuple

__all__ = [
    "Reference",
    "Substituted",
    "compose_error",
    "has_references",
    "literal_parts",
    "references",
    "substitute",
]

# Go's case-insensitive ``[_a-z]`` (see the module docstring for the two non-ASCII letters).
# A class holding them compiles as a Unicode bitmap, four times slower than the ASCII class,
# at every start-up; a text without either letter (in practice all of them) needs only the
# ASCII one.
_NAME = lazy("[_A-Za-z\u017f\u212a][_A-Za-z0-9\u017f\u212a]*")
_ASCII_NAME = re.compile("[_A-Za-z][_A-Za-z0-9]*")
_BRACE = re.compile(r"[{}]")

# Arguments nest through recursion; the cap keeps a pathological value from exhausting the
# Python stack (Go has no such limit, but no real compose file nests anywhere near this deep).
_MAX_DEPTH = 64

# Compose reports only the first error of a value; we keep a few more for context.
_MAX_ERRORS = 32

_INVALID_PREFIX = "invalid interpolation format.\nYou may need to escape any $ with another $.\n"

# Token kinds produced by _scan.
_ESCAPED = 0
_NAMED = 1
_BRACED = 2
_OPERATOR = 3
_INVALID = 4

# (kind, start, end, name, operator, argument start, argument end, end of the run)
_Token = tuple[int, int, int, str, str, int, int, int]


class Reference(NamedTuple):
    """One ``$NAME`` / ``${...}`` occurrence.

    ``argument`` is the raw text after the operator (``$$`` kept, nothing interpolated), which is
    what ``config --variables`` prints as the default or alternate value.
    """

    name: str
    operator: str
    argument: str
    start: int
    end: int
    nested: bool
    braced: bool

    @property
    def required(self) -> bool:
        return self.operator in ("?", ":?")

    @property
    def default(self) -> str | None:
        return self.argument if self.operator in ("-", ":-") else None

    @property
    def invalid(self) -> bool:
        return self.name == ""


class Substituted(NamedTuple):
    """The outcome of interpolating one string.

    ``errors[0]`` is the error Compose reports for the string; later entries are further
    failures met on the way (Compose keeps only the first). Messages are compose-go's without
    the ``services.x.y`` path; ``compose_error`` adds it back.
    """

    value: str
    unset: tuple[str, ...]
    errors: tuple[str, ...]


def compose_error(error: str, path: str) -> str:
    """``error`` (from ``Substituted.errors``) worded exactly as ``docker compose config`` prints
    it for the value at ``path`` (for example ``services.app.environment.KEY``)."""
    if error.startswith(_INVALID_PREFIX):
        rest = error[len("invalid interpolation format.") :]
        return f"invalid interpolation format for {path}.{rest}"
    return f"error while interpolating {path}: {error}"


class _Braces:
    """compose-go ``getFirstBraceClosingIndex`` answered from one pass over the text.

    Go rescans from each ``${`` with a counter that counts every ``{`` (not only ``${``) and
    skips the character after a ``{``, so ``{}`` never closes anything. Every scan starts on the
    ``{`` of a ``${`` and a ``$`` is never skipped over meaningfully, so all scans agree on which
    braces count: pairing those braces once gives each scan's answer without rescanning, which
    keeps deeply nested or unbalanced values linear.
    """

    __slots__ = ("_pairs", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._pairs: dict[int, int] | None = None

    def closing(self, dollar: int, limit: int) -> int:
        """Index of the ``}`` closing the ``${`` at ``dollar`` before ``limit``, or -1."""
        if self._pairs is None:
            self._pairs = self._pair()
        close = self._pairs.get(dollar + 1, -1)
        return close if close < limit else -1

    def _pair(self) -> dict[int, int]:
        text = self._text
        pairs: dict[int, int] = {}
        opened: list[int] = []
        pos = 0
        while True:
            match = _BRACE.search(text, pos)
            if match is None:
                return pairs
            at = match.start()
            if text[at] == "{":
                opened.append(at)
                pos = at + 2
            else:
                if opened:
                    pairs[opened.pop()] = at
                pos = at + 1


def _scan(text: str, start: int, end: int, braces: _Braces) -> Iterator[_Token]:
    """Every regex match in ``text[start:end]``, in order, as Go's ReplaceAllStringFunc sees them.

    For an operator match the token ends at its balanced ``}`` rather than at the end of the
    whole regex match; the matches that follow inside the rest of the run are exactly the ones a
    flat scan finds, because each of them would again run to the same last ``}`` of the line.
    """
    pos = start
    name = _NAME if "\u017f" in text or "\u212a" in text else _ASCII_NAME
    # The last "}" of the current line, cached so that many "${" on one long line stay linear.
    line_end = -1
    line_close = -1
    while True:
        at = text.find("$", pos, end)
        if at < 0 or at + 1 >= end:
            return
        char = text[at + 1]
        if char == "$":
            yield (_ESCAPED, at, at + 2, "", "", 0, 0, 0)
            pos = at + 2
            continue
        named = name.match(text, at + 1, end)
        if named is not None:
            yield (_NAMED, at, named.end(), named.group(), "", 0, 0, 0)
            pos = named.end()
            continue
        if char != "{":
            # Compose keeps a "$" that starts no reference ("$5", "$-", "a$ b") verbatim.
            pos = at + 1
            continue
        braced = name.match(text, at + 2, end)
        if braced is None:
            yield (_INVALID, at, at + 2, "", "", 0, 0, 0)
            pos = at + 2
            continue
        after = braced.end()
        follow = text[after] if after < end else ""
        if follow == "}":
            yield (_BRACED, at, after + 1, braced.group(), "", 0, 0, 0)
            pos = after + 1
            continue
        operator = ""
        if follow == ":" and after + 1 < end and text[after + 1] in "-+?":
            operator = text[after : after + 2]
        elif follow in ("-", "+", "?"):
            operator = follow
        if operator:
            arg_start = after + len(operator)
            if arg_start >= line_end:
                newline = text.find("\n", arg_start, end)
                line_end = end if newline < 0 else newline
                line_close = text.rfind("}", arg_start, line_end)
            close = line_close if line_close >= arg_start else -1
            if close >= 0:
                head = braces.closing(at, close + 1)
                head_end = (head if head >= 0 else close) + 1
                yield (
                    _OPERATOR,
                    at,
                    head_end,
                    braced.group(),
                    operator,
                    arg_start,
                    head_end - 1,
                    close + 1,
                )
                pos = head_end
                continue
        # "${" not followed by NAME} or NAME<op>...} on the same line: Go's empty "invalid" group.
        yield (_INVALID, at, at + 2, "", "", 0, 0, 0)
        pos = at + 2


def references(text: str) -> list[Reference]:
    """Every reference in ``text`` in source order, nested ``-``/``+`` arguments included."""
    found: list[Reference] = []
    if "$" in text:
        _collect(text, 0, len(text), _Braces(text), False, 0, found)
    return found


def _collect(
    text: str,
    start: int,
    end: int,
    braces: _Braces,
    nested: bool,
    depth: int,
    found: list[Reference],
) -> None:
    for kind, at, stop, name, operator, arg_start, arg_end, _run in _scan(text, start, end, braces):
        if kind == _ESCAPED:
            continue
        if kind == _INVALID:
            found.append(Reference("", "", "", at, stop, nested, True))
            continue
        argument = text[arg_start:arg_end] if kind == _OPERATOR else ""
        found.append(Reference(name, operator, argument, at, stop, nested, kind != _NAMED))
        # compose-go extracts variables from defaults and alternates but not from "?" messages.
        if (
            operator
            and "?" not in operator
            and depth < _MAX_DEPTH
            and text.find("$", arg_start, arg_end) >= 0
        ):
            _collect(text, arg_start, arg_end, braces, True, depth + 1, found)


def has_references(text: str) -> bool:
    """Whether ``text`` holds any reference (an invalid ``${`` counts; ``$$`` does not)."""
    if "$" not in text:
        return False
    tokens = _scan(text, 0, len(text), _Braces(text))
    return any(token[0] != _ESCAPED for token in tokens)


def literal_parts(text: str) -> str:
    """``text`` with every reference (and its argument) removed and ``$$`` turned into ``$``."""
    if "$" not in text:
        return text
    pieces: list[str] = []
    previous = 0
    for kind, at, stop, *_rest in _scan(text, 0, len(text), _Braces(text)):
        pieces.append(text[previous:at])
        if kind == _ESCAPED:
            pieces.append("$")
        previous = stop
    pieces.append(text[previous:])
    return "".join(pieces)


def substitute(text: str, lookup: Callable[[str], str | None]) -> Substituted:
    """Interpolate ``text`` the way Compose does; ``lookup`` returns ``None`` for unset names."""
    if "$" not in text:
        return Substituted(text, (), ())
    state = _Substituter(text, lookup)
    value, _first = state.run(0, len(text), 0)
    return Substituted(value, tuple(state.unset), state.messages())


# An error while substituting: a required-variable message, or the (start, end) of the template
# Compose would quote for an invalid "${". Ranges stay unmaterialised until the end because a
# pathological value can hold many invalid "${", each quoting most of a long string.
_ErrorKey = str | tuple[int, int]


class _Substituter:
    __slots__ = ("_braces", "_errors", "_lookup", "_text", "unset")

    def __init__(self, text: str, lookup: Callable[[str], str | None]) -> None:
        self._text = text
        self._braces = _Braces(text)
        self._lookup = lookup
        # dicts as insertion-ordered sets: a name or an error is reported once, first time first.
        self.unset: dict[str, None] = {}
        self._errors: dict[_ErrorKey, None] = {}

    def messages(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for key in self._errors:
            if len(seen) >= _MAX_ERRORS:
                break
            if isinstance(key, str):
                seen.setdefault(key)
            else:
                seen.setdefault(_INVALID_PREFIX + self._text[key[0] : key[1]])
        return tuple(seen)

    def _error(self, key: _ErrorKey) -> _ErrorKey:
        self._errors.setdefault(key)
        return key

    def run(self, start: int, end: int, depth: int) -> tuple[str, _ErrorKey | None]:
        """One Go ``SubstituteWith`` call on ``text[start:end]``: (value, first error)."""
        text = self._text
        out: list[str] = []
        first: _ErrorKey | None = None
        previous = start
        # State of the current run: the regex match of the first operator reference, which
        # Go replaces as one unit (see the module docstring).
        run_end = -1
        run_mark = 0
        run_failed = False
        # Go reports an invalid "${" with the text of the SubstituteWith call that met it: the
        # whole string, or the remainder after the last closed reference of the run.
        template_start = start
        invalid_seen = False
        tokens = _scan(text, start, end, self._braces)
        for kind, at, stop, name, operator, arg_start, arg_end, close in tokens:
            if at < previous:
                # Inside a run that a failed reference already blanked.
                continue
            if run_end >= 0 and at >= run_end:
                out.append(text[previous:run_end])
                previous = run_end
                if run_failed:
                    del out[run_mark:]
                run_end, run_failed, template_start = -1, False, start
            out.append(text[previous:at])
            previous = stop
            if kind == _ESCAPED:
                out.append("$")
            elif kind in (_NAMED, _BRACED):
                value = self._lookup(name)
                if value is None:
                    self.unset.setdefault(name)
                    value = ""
                out.append(value)
            elif kind == _INVALID:
                if run_end >= 0:
                    run_failed = True
                if invalid_seen:
                    # Go keeps one error per call; listing every "${" of a long line, each
                    # quoting its own remainder, would only cost memory.
                    continue
                invalid_seen = True
                template_end = run_end if run_end >= 0 else end
                error = self._error((template_start, template_end))
                if first is None:
                    first = error
            else:
                if run_end < 0:
                    run_end, run_mark = close, len(out)
                value, failure = self._operator(name, operator, arg_start, arg_end, depth)
                if failure is not None:
                    # Go stops the run at the first failing reference: nothing after it is
                    # evaluated (no warnings either) and the whole run becomes "".
                    if first is None:
                        first = failure
                    del out[run_mark:]
                    previous = run_end
                    run_end, run_failed, template_start = -1, False, start
                    continue
                out.append(value)
                template_start = stop
        if run_end >= 0:
            out.append(text[previous:run_end])
            previous = run_end
            if run_failed:
                del out[run_mark:]
        out.append(text[previous:end])
        return "".join(out), first

    def _operator(
        self, name: str, operator: str, arg_start: int, arg_end: int, depth: int
    ) -> tuple[str, _ErrorKey | None]:
        if depth >= _MAX_DEPTH or self._text.find("$", arg_start, arg_end) < 0:
            argument, error = self._text[arg_start:arg_end], None
        else:
            argument, error = self.run(arg_start, arg_end, depth + 1)
        if error is not None:
            return "", error
        value = self._lookup(name)
        if operator == ":-":
            return (value if value else argument), None
        if operator == "-":
            return (argument if value is None else value), None
        if operator == ":+":
            return (argument if value else ""), None
        if operator == "+":
            return (argument if value is not None else ""), None
        if value is None or (operator == ":?" and value == ""):
            reason = f": {argument}" if argument else ""
            return "", self._error(f"required variable {name} is missing a value{reason}")
        return value, None
