"""Stages and variable scope: which ARG and ENV values each instruction sees, stage by stage,
and the user each stage runs as."""

from __future__ import annotations

from types import MappingProxyType

from docker_standard.model.dockerfile.nodes import Instruction, Stage, _expand
from docker_standard.model.dockerfile.syntax import _AUTOMATIC_ARGS, _STAGE_NAME, DockerfileError

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
