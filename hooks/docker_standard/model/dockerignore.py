""".dockerignore files with the semantics of the Docker builder.

Reading follows ``ignorefile.ReadAll`` and matching follows ``patternmatcher`` (both in
moby/patternmatcher), which BuildKit uses to filter the build context. The details that differ
from gitignore and matter to the rules: a ``#`` starts a comment only in the first column, ``*``
never crosses a ``/``, a pattern names a path from the context root (no implicit ``**/``), a
pattern that matches a directory excludes everything below it, and the last matching pattern wins.
"""

from __future__ import annotations

import re
import warnings

from docker_standard.runtime_typing import NamedTuple

# Go's strings.TrimSpace trims Unicode white space; Python's str.strip() also trims the ASCII
# information separators \x1c-\x1f, which Go keeps.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501
# patternmatcher escapes these because they are regex syntax without a meaning in a glob.
_REGEX_ONLY = frozenset(".+()|{}$")
# A pattern that matches a directory also matches everything inside it.
_BELOW = "(?s:/.*)?"


class IgnorePattern(NamedTuple):
    """One effective line of a .dockerignore file.

    ``pattern`` is the cleaned pattern without its ``!``; ``exclusion`` is true for a ``!``
    line, which re-includes what earlier lines excluded.
    """

    pattern: str
    exclusion: bool
    line: int
    regex: re.Pattern[str]


class DockerIgnore(NamedTuple):
    """The patterns of one .dockerignore file, compiled once.

    ``invalid_lines`` lists lines that Docker rejects (a lone ``!``, a malformed ``[...]``);
    BuildKit fails the build on them, so they are kept out of matching and left for a rule.
    """

    patterns: tuple[IgnorePattern, ...]
    invalid_lines: tuple[int, ...] = ()

    def excluded(self, path: str) -> bool:
        """Whether ``path`` (POSIX, relative to the build context) is left out of the context."""
        cleaned = _clean(path).lstrip("/")
        if cleaned in ("", "."):
            # Docker never lets a pattern exclude the context root itself.
            return False
        matched = False
        for pattern in self.patterns:
            # Only a pattern that could change the verdict is worth a regex match: the loop
            # then yields the verdict of the last matching pattern.
            if pattern.exclusion != matched:
                continue
            if pattern.regex.match(cleaned):
                matched = not pattern.exclusion
        return matched


def parse_dockerignore(text: str) -> DockerIgnore:
    """Read the text of a .dockerignore file."""
    patterns: list[IgnorePattern] = []
    invalid: list[int] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, raw in enumerate(text.split("\n"), start=1):
        # ignorefile.ReadAll. It tests for a comment before trimming: "  # x" is a pattern.
        if raw.startswith("#"):
            continue
        line = raw.strip(_GO_SPACE)
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip(_GO_SPACE)
        if line:
            line = _clean(line)
            if len(line) > 1 and line.startswith("/"):
                line = line[1:]
        if invert:
            line = "!" + line
        # patternmatcher.New trims and cleans the line again, its "!" included, so "!/" ends
        # up as a lone "!" and "foo /" as "foo".
        line = line.strip(_GO_SPACE)
        if not line:
            continue
        line = _clean(line)
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:]
        regex = _compile(line) if line else None
        if regex is None:
            invalid.append(number)
            continue
        patterns.append(IgnorePattern(pattern=line, exclusion=exclusion, line=number, regex=regex))
    return DockerIgnore(patterns=tuple(patterns), invalid_lines=tuple(invalid))


def _clean(path: str) -> str:
    """Go's ``filepath.Clean`` on a POSIX path.

    ``posixpath.normpath`` differs: it keeps a leading ``//``.
    """
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append(part)
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def _compile(pattern: str) -> re.Pattern[str] | None:
    """Translate one cleaned pattern as ``Pattern.compile`` does, plus the directory rule.

    patternmatcher tests a path and then each of its parent directories against the pattern;
    appending ``(/.*)?`` gives the same answer in one match.
    """
    if not _valid_glob(pattern):
        return None
    if pattern.startswith("**") and not _has_wildcard(pattern[2:]):
        # patternmatcher's "suffix" match: a plain string comparison, even across "/".
        suffix = pattern[2:].removeprefix("/") if pattern[2:3] == "/" else pattern[2:]
        if pattern[2:3] == "/":
            body = f"(?:(?s:.*)/{re.escape(suffix)}|{re.escape(suffix)})"
        else:
            body = f"(?s:.*){re.escape(suffix)}"
        return re.compile(body + _BELOW + r"\Z")
    if pattern.endswith("**") and not _has_wildcard(pattern[:-2]):
        # A "prefix" match: the pattern without its trailing ** is a plain string prefix.
        return re.compile(re.escape(pattern[:-2]))
    out: list[str] = []
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        index += 1
        if char == "*":
            if index < length and pattern[index] == "*":
                index += 1
                if index < length and pattern[index] == "/":
                    index += 1
                # "**" at the end accepts everything, as in .gitignore; elsewhere any number
                # of directories, none included.
                out.append(".*" if index == length else "(.*/)?")
            else:
                out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char in _REGEX_ONLY:
            out.append("\\" + char)
        elif char == "\\":
            if index < length:
                out.append("\\" + pattern[index])
                index += 1
            else:
                out.append("\\\\")
        else:
            out.append(char)
    source = "".join(out) + _BELOW + r"\Z"
    try:
        if "[" not in pattern:
            return re.compile(source)
        with warnings.catch_warnings():
            # Python warns about "[[" in a character class, which Go's RE2 reads the same way.
            warnings.simplefilter("ignore")
            return re.compile(source)
    except re.error:
        return None


def _has_wildcard(text: str) -> bool:
    return any(char in "*?[]\\" for char in text)


def _valid_glob(pattern: str) -> bool:
    """What ``filepath.Match(pattern, ".")`` rejects: a bad ``[...]`` or a trailing ``\\``.

    patternmatcher.New calls it only for its error, so Docker refuses such files outright.
    """
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            if index + 1 >= length:
                return False
            index += 2
        elif char == "[":
            index += 1
            if index < length and pattern[index] == "^":
                index += 1
            ranges = 0
            while not (index < length and pattern[index] == "]" and ranges > 0):
                index = _class_char_end(pattern, index)
                if index < 0:
                    return False
                if pattern[index] == "-":
                    index = _class_char_end(pattern, index + 1)
                    if index < 0:
                        return False
                ranges += 1
            index += 1
        else:
            index += 1
    return True


def _class_char_end(pattern: str, index: int) -> int:
    """Go's ``getEsc``: the index after one class character, or -1 when the class is bad."""
    length = len(pattern)
    if index >= length or pattern[index] in "-]":
        return -1
    if pattern[index] == "\\":
        index += 1
        if index >= length:
            return -1
    index += 1
    # A class must be closed: running out of pattern here is an error.
    return index if index < length else -1
