"""What a parsed Dockerfile is made of: instructions (with heredocs), stages, the file."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from docker_standard.model.dockerfile.lexer import _Lexer, _LexError
from docker_standard.model.dockerfile.syntax import _AUTOMATIC_ARGS, DockerfileError
from docker_standard.model.shell import EMPTY, ParsedShell, parse_exec, parse_shell
from docker_standard.runtime_typing import NamedTuple

_NO_FLAGS: Mapping[str, str] = MappingProxyType({})


class Heredoc(NamedTuple):
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

    # Plain classes, not dataclasses: creating a dataclass costs a millisecond of every start-up
    # (and importing ``dataclasses`` brings ``inspect``). An instruction compares by value and is
    # read-only; stages and files compare by identity and are read-only by convention.
    __slots__ = (
        "_shell", "args", "argument_text", "column", "end_line", "flag_items", "flags",
        "heredocs", "json_form", "keyword", "line", "value",
    )
    keyword: str
    value: str
    line: int
    end_line: int
    column: int
    flags: Mapping[str, str]
    args: tuple[str, ...]
    json_form: bool
    heredocs: tuple[Heredoc, ...]
    argument_text: str
    flag_items: tuple[tuple[str, str], ...]
    _shell: ParsedShell | None

    def __init__(
        self,
        *,
        keyword: str,
        value: str,
        line: int,
        end_line: int,
        column: int,
        flags: Mapping[str, str] = _NO_FLAGS,
        args: tuple[str, ...] = (),
        json_form: bool = False,
        heredocs: tuple[Heredoc, ...] = (),
        argument_text: str = "",
        flag_items: tuple[tuple[str, str], ...] = (),
    ) -> None:
        init = object.__setattr__  # read-only afterwards, as a frozen dataclass is
        init(self, "keyword", keyword)
        init(self, "value", value)
        init(self, "line", line)
        init(self, "end_line", end_line)
        init(self, "column", column)
        init(self, "flags", flags)
        init(self, "args", args)
        init(self, "json_form", json_form)
        init(self, "heredocs", heredocs)
        init(self, "argument_text", argument_text)
        init(self, "flag_items", flag_items)
        # Parsed on the first call of shell(), then kept: several rules read the same RUN.
        init(self, "_shell", None)

    def __setattr__(self, name: str, value: object) -> None:
        if name != "_shell":
            raise AttributeError(f"Instruction is read-only: cannot set {name!r}")
        object.__setattr__(self, name, value)

    def _key(self) -> tuple[object, ...]:
        return (self.keyword, self.value, self.line, self.end_line, self.column, self.args,
                self.json_form, self.heredocs, self.argument_text, self.flag_items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Instruction):
            return NotImplemented
        return self._key() == other._key() and dict(self.flags) == dict(other.flags)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Instruction({self.keyword} {self.value!r} at line {self.line})"

    def shell(self) -> ParsedShell:
        """The commands a RUN, CMD, ENTRYPOINT or ``HEALTHCHECK CMD`` runs; nothing for
        other instructions. The exec form is one command, or the script of ``sh -c``; a
        RUN's here-documents are scripts fed to its shell, so their bodies are read too."""
        parsed = self._shell
        if parsed is None:
            parsed = self._shell = self._parse_shell()
        return parsed

    def _parse_shell(self) -> ParsedShell:
        if self.keyword == "HEALTHCHECK":
            if not self.args or self.args[0].upper() != "CMD":
                return EMPTY
            if self.json_form:
                return parse_exec(self.args[1:])
            text = self.argument_text.split(None, 1)
            return parse_shell(text[1]) if len(text) == 2 else EMPTY
        if self.keyword not in ("RUN", "CMD", "ENTRYPOINT"):
            return EMPTY
        bodies = [heredoc.body for heredoc in self.heredocs]
        if self.json_form:
            parsed = parse_exec(self.args)
            return parsed + parse_shell("\n".join(bodies)) if bodies else parsed
        return parse_shell("\n".join([self.argument_text, *bodies]))

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


class Stage:
    """A build stage: its FROM line and the instructions up to the next FROM.

    ``base_stage`` is set when FROM names an earlier stage (after ARG substitution, compared
    case-insensitively as BuildKit does), since a stage name is not an image. ``env`` holds the
    ENV values in force at the end of the stage, including those of ``base_stage``; values a
    base *image* sets are unknown. ``own_user`` is the stage's last USER after substitution, or
    ``None`` when the stage has no USER of its own.
    """

    __slots__ = (
        "base", "base_resolved", "base_stage", "base_unresolved_args", "column", "env",
        "from_instruction", "index", "instructions", "line", "name", "own_user",
        "own_user_instruction", "platform",
    )

    def __init__(
        self,
        *,
        index: int,
        name: str | None,
        base: str,
        base_resolved: str | None,
        base_unresolved_args: tuple[str, ...],
        base_stage: Stage | None,
        platform: str | None,
        line: int,
        column: int,
        instructions: tuple[Instruction, ...],
        from_instruction: Instruction,
        env: Mapping[str, str] = _NO_FLAGS,
        own_user: str | None = None,
        own_user_instruction: Instruction | None = None,
    ) -> None:
        self.index = index
        self.name = name
        self.base = base
        self.base_resolved = base_resolved
        self.base_unresolved_args = base_unresolved_args
        self.base_stage = base_stage
        self.platform = platform
        self.line = line
        self.column = column
        self.instructions = instructions
        self.from_instruction = from_instruction
        self.env = env
        self.own_user = own_user
        self.own_user_instruction = own_user_instruction

    def __repr__(self) -> str:
        return f"Stage({self.index} {self.name or ''} FROM {self.base} at line {self.line})"

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


class Dockerfile:
    """A parsed Dockerfile. ``instructions`` lists every instruction in file order, including
    the global ARGs and each FROM, for rules that look at the file rather than a stage."""

    __slots__ = ("escape", "global_args", "instructions", "path", "stages", "syntax")

    def __init__(
        self,
        *,
        path: str,
        stages: tuple[Stage, ...],
        global_args: Mapping[str, str | None] = _NO_FLAGS,
        escape: str = "\\",
        syntax: str | None = None,
        instructions: tuple[Instruction, ...] = (),
    ) -> None:
        self.path = path
        self.stages = stages
        self.global_args = global_args
        self.escape = escape
        self.syntax = syntax
        self.instructions = instructions

    def __repr__(self) -> str:
        return f"Dockerfile({self.path!r}, {len(self.stages)} stages)"

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
