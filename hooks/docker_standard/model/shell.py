"""Shell text parsed once into commands: the one reader of what ``RUN``, ``HEALTHCHECK CMD``
and a compose ``command`` run (after hadolint's ``ParsedShell``).

Shell text becomes *lists* (split on ``;``, ``&`` and newlines) of and-or *pipelines* (joined
by ``&&``/``||``), each a pipe of simple *commands*. A :class:`Command` keeps its words as
written (``raw``) and the words of the program it runs (``words``): reserved words,
``sudo``-like wrappers and ``NAME=value`` assignments taken off its front. An exec-form list
(``["sh", "-c", "…"]``, ``["true"]``) is one command, or the script a shell runs with ``-c``.

What is not parsed: here-documents inside the text (the Dockerfile parser hands their bodies
over), expansions (``$(…)`` and ``$VAR`` stay in the words as written), and the inside of
compound commands beyond their words (``if``/``for``/``case`` show as :attr:`compound`).

The lists of words that mean something to the shell live here and nowhere else.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Iterator, Sequence

# Programs that are a shell: `sh -c SCRIPT` runs SCRIPT.
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})
# Reserved words and grouping that open or close a compound command (a conditional, a loop, a
# group, a subshell): the words after them are still a command (`then apt-get install …`).
_COMPOUND = frozenset(
    {"if", "then", "else", "elif", "fi", "while", "until", "do", "done", "case", "esac"}
    | {"{", "}", "(", ")"}
)
# Reserved words that end a compound command.
_CLOSING = frozenset({"fi", "done", "esac", "}"})
# Compound commands whose next word is no command (a loop variable, a function's name): a
# command that starts with one is compound, but nothing is taken off its front.
_NAMING = frozenset({"for", "select", "function"})
# Words before a command that leave it the command that runs: negation, timing, `exec`.
_MODIFIERS = frozenset({"!", "time", "exec"})
# Programs that run the command in their arguments (after one option: `sudo -E`, `env -i`).
_WRAPPERS = frozenset({"sudo", "nice", "nohup", "env", "command"})
# Shell options that take a value in the next word (`bash -o pipefail -c …`).
_SHELL_VALUE_OPTIONS = frozenset({"-o", "+o", "-O", "+O"})

_OPERATOR_CHARS = frozenset(";&|()<>\n")


def program(word: str) -> str:
    """``/usr/bin/python3`` -> ``python3``."""
    return posixpath.basename(word)


def is_shell(word: str) -> bool:
    return program(word) in SHELLS


class Command:
    """One simple command. ``raw`` holds its words as the shell splits them (quotes removed,
    redirections kept as words); ``words`` the program and its arguments, without what
    precedes the program (reserved words, wrappers, assignments; in the exec form only
    wrappers, since no shell reads it)."""

    __slots__ = ("_script", "exec_form", "raw", "words")

    def __init__(self, raw: tuple[str, ...], *, exec_form: bool = False) -> None:
        self.raw = raw
        self.exec_form = exec_form
        self.words = _program_words(raw, exec_form=exec_form)
        self._script: ParsedShell | bool | None = False  # False: not looked at yet

    @property
    def name(self) -> str:
        """The program's name without its folder; ``""`` when nothing runs (a bare ``fi``)."""
        return program(self.words[0]) if self.words else ""

    @property
    def args(self) -> tuple[str, ...]:
        return self.words[1:]

    def has_flag(self, flag: str) -> bool:
        """Is ``flag`` (as written, ``-y`` or ``--auto-remove``) one of the arguments?"""
        return flag in self.words[1:]

    @property
    def compound(self) -> bool:
        """Does the command open, continue or close a conditional, a loop or a group?"""
        return not self.exec_form and bool(self.raw) and self.raw[0] in _COMPOUND | _NAMING

    @property
    def closes(self) -> bool:
        """Is the command only the end of a compound one (``fi``, ``done``, ``esac``, ``}``)?"""
        return not self.exec_form and bool(self.raw) and self.raw[0] in _CLOSING

    @property
    def script(self) -> ParsedShell | None:
        """The script of a shell given ``-c`` (``bash -lc 'a && b'``), parsed on first use."""
        if self._script is False:
            text = shell_script(self.words[:1] + tuple(without_redirections(self.words[1:])))
            self._script = None if text is None else parse_shell(text)
        return self._script if isinstance(self._script, ParsedShell) else None

    def __repr__(self) -> str:
        return f"Command({self.raw!r})"


class Pipeline:
    """Commands joined by ``|``; ``op`` is how it joins the pipeline before it in its and-or
    list: ``""`` for the first, else ``"&&"`` or ``"||"``."""

    __slots__ = ("commands", "op")

    def __init__(self, op: str, commands: tuple[Command, ...]) -> None:
        self.op = op
        self.commands = commands

    def __repr__(self) -> str:
        return f"Pipeline({self.op!r}, {self.commands!r})"


class ParsedShell:
    """A script as lists of and-or pipelines. ``lists`` is empty when the text does not
    tokenise (an unbalanced quote) or holds no command."""

    __slots__ = ("lists",)

    def __init__(self, lists: tuple[tuple[Pipeline, ...], ...]) -> None:
        self.lists = lists

    def steps(self) -> Iterator[Command]:
        """Every command in order, including those that run nothing (a bare ``fi``)."""
        for and_or in self.lists:
            for pipeline in and_or:
                yield from pipeline.commands

    @property
    def commands(self) -> list[Command]:
        """The commands that run a program, in order (hadolint's ``presentCommands``)."""
        return [command for command in self.steps() if command.words]

    @property
    def compound(self) -> bool:
        """Does the script hold a conditional, a loop or a group?"""
        return any(command.compound for command in self.steps())

    def __add__(self, other: ParsedShell) -> ParsedShell:
        return ParsedShell(self.lists + other.lists)

    def __repr__(self) -> str:
        return f"ParsedShell({self.lists!r})"


EMPTY = ParsedShell(())


def parse_shell(text: str) -> ParsedShell:
    """Shell text as lists of and-or pipelines. A word that starts with ``#`` starts a comment;
    redirections and grouping stay in the words of their command."""
    try:
        tokens = list(_tokens(text))
    except ValueError:
        return EMPTY
    lists: list[tuple[Pipeline, ...]] = []
    current: list[Pipeline] = []
    commands: list[Command] = []
    words: list[str] = []
    op = ""
    comment = False
    for token in tokens:
        kind = _operator(token)
        if comment:
            if kind != ";" or "\n" not in token:
                continue
            comment = False
        if kind is None and token.startswith("#"):
            comment = True
            continue
        if kind is None:
            words.append(token)
            continue
        if kind == "|":
            if words:
                commands.append(Command(tuple(words)))
            words = []
            continue
        if kind == "word":
            words.append(token.strip("\n"))
            continue
        if words:
            commands.append(Command(tuple(words)))
        words = []
        if commands:
            current.append(Pipeline(op, tuple(commands)))
        commands = []
        if kind in ("&&", "||"):
            op = kind
            continue
        op = ""
        if current:
            lists.append(tuple(current))
        current = []
    if words:
        commands.append(Command(tuple(words)))
    if commands:
        current.append(Pipeline(op, tuple(commands)))
    if current:
        lists.append(tuple(current))
    return ParsedShell(tuple(lists))


def parse_exec(words: Sequence[str]) -> ParsedShell:
    """An exec-form list: the script when it runs a shell with ``-c``, else one command."""
    words = tuple(words)
    script = shell_script(words)
    if script is not None:
        return parse_shell(script)
    if not words:
        return EMPTY
    return ParsedShell(((Pipeline("", (Command(words, exec_form=True),)),),))


def shell_script(words: Sequence[str]) -> str | None:
    """The script of ``SHELL [options] -c SCRIPT …`` (``-c`` alone or in a cluster such as
    ``-lc``, ``-ec``); ``None`` when ``words`` do not run a shell on a script given inline."""
    if not words or not is_shell(words[0]):
        return None
    index = 1
    inline = False
    while index < len(words):
        word = words[index]
        if word in _SHELL_VALUE_OPTIONS:
            index += 2
            continue
        if len(word) < 2 or word[0] not in "-+" or word.startswith("--"):
            break  # the script (or its file) is the first word that is no option
        inline = inline or (word[0] == "-" and "c" in word[1:])
        index += 1
    if inline and index < len(words):
        return words[index]
    return None


def split_words(text: str) -> list[str]:
    """A command line split into words as a shell would split a simple command: quotes
    removed, operators left inside the words they touch (``a&&b`` is one word); split on
    white space when a quote is unbalanced."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def ends_command(word: str) -> bool:
    """Is ``word`` (of :func:`split_words`) an operator after which another command starts:
    ``;``, ``&``, ``&&``, ``||``, ``|``?"""
    return _operator(word) in (";", "&&", "||", "|")


def without_redirections(words: Sequence[str]) -> list[str]:
    """Arguments without ``> file``, ``2>&1``, ``< in`` (the tokenizer splits them apart)."""
    kept: list[str] = []
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if word.isdigit() and following[:1] in ("<", ">"):
            continue
        if word[:1] in ("<", ">") or word in ("&>", "&>>"):
            skip = True
            continue
        kept.append(word)
    return kept


def _tokens(text: str) -> Iterator[str]:
    """shlex tokens split on blanks and operators; runs of operator characters (newlines
    included) come as one token."""
    joined = text.replace("\\\r\n", " ").replace("\\\n", " ")
    lexer = shlex.shlex(joined, posix=True, punctuation_chars=";&|()<>\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    yield from lexer


def _operator(token: str) -> str | None:
    """What an operator token does: ``;`` (ends a list), ``&&``, ``||``, ``|``, ``word``
    (a redirection or grouping, kept as a word), or ``None`` for an ordinary word."""
    if not token or not set(token) <= _OPERATOR_CHARS:
        return None
    bare = token.replace("\n", "")
    if bare in ("", ";", ";;", "&", ";&", ";;&"):
        return ";"
    if bare in ("&&", "||", "|"):
        return bare
    if bare == "|&":
        return "|"
    return "word"


def _program_words(raw: tuple[str, ...], *, exec_form: bool) -> tuple[str, ...]:
    """``raw`` from the program on: reserved words, wrappers and assignments skipped."""
    index = 0
    while index < len(raw):
        word = raw[index]
        if word in _WRAPPERS or (
            not exec_form and (word in _COMPOUND or word in _MODIFIERS or _assignment(word))
        ):
            index += 1
            continue
        if word.startswith("-") and index > 0 and raw[index - 1] in _WRAPPERS:
            index += 1  # sudo -E, env -i
            continue
        break
    return raw[index:]


def _assignment(word: str) -> bool:
    name, equals, _ = word.partition("=")
    return bool(equals) and name.replace("_", "a").isalnum() and not name[:1].isdigit()
