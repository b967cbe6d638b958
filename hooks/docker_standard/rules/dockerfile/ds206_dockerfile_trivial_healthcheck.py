"""DS206: a HEALTHCHECK that cannot fail."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator, Sequence

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile
from docker_standard.model.project import Project
from docker_standard.model.shell import (
    Command,
    ParsedShell,
    Pipeline,
    is_shell,
    program,
    without_redirections,
)
from docker_standard.patterns import lazy
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import span_of, stage_subject
from docker_standard.runtime_typing import TYPE_CHECKING

# Outcomes of a command as far as a linter can tell.
_OK, _FAIL, _MAYBE = "ok", "fail", "maybe"
_ALWAYS_OK = frozenset({"true", ":", "echo", "printf"})
_PYTHONS = lazy(r"python[0-9.]*|pypy[0-9.]*")
_NODE_EXIT = lazy(r"\s*process\.exit\(\s*0?\s*\)\s*;?\s*")

if TYPE_CHECKING:
    import ast


@rule(
    code="DS206",
    name="dockerfile-trivial-healthcheck",
    severity=Severity.WARNING,
    target=Dockerfile,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a `HEALTHCHECK CMD` that succeeds whatever state the application is in:
    `true`, `/bin/true`, `:`, `exit 0`, an `echo` on its own, Python that only exits
    (`python -c "import sys; sys.exit(0)"`), `node -e "process.exit(0)"`, and any check whose
    last resort cannot fail (`curl -f http://localhost/ || exit 0`, `… || true`,
    `…; exit 0`). Shell and exec forms (`CMD ["true"]`, `CMD ["sh", "-c", "…"]`) are both
    read. `HEALTHCHECK NONE` is not a check at all: DS207 reports it.

    ## Why is this bad?
    A health check that always passes turns `condition: service_healthy` into
    `service_started`: dependants start against a service that is not ready, and a hung or
    crashed application is reported healthy, so nothing restarts it. The Standard's own
    example (`CMD python -c "import sys; sys.exit(0)"`) has this flaw.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    USER nobody
    HEALTHCHECK --interval=30s CMD python -c "import sys; sys.exit(0)"
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    USER nobody
    HEALTHCHECK CMD python -c "import urllib.request as u; u.urlopen('http://localhost:8000/')"
    ```
    """
    for instruction in dockerfile.instructions:
        if instruction.keyword != "HEALTHCHECK" or not instruction.args:
            continue
        if instruction.args[0].upper() != "CMD":
            continue
        reason = _trivial(instruction.shell())
        if reason is not None:
            yield Hit(
                f"HEALTHCHECK cannot fail ({reason}), so the container is reported healthy "
                "whatever its state; check what the service does (e.g. `curl -fsS "
                "http://localhost:8000/health`, `pg_isready`), and let a failure fail",
                span_of(dockerfile, instruction),
                subject=stage_subject(dockerfile, instruction, "HEALTHCHECK"),
            )


def _trivial(parsed: ParsedShell) -> str | None:
    """Why the check cannot fail, naming only the deciding command (never its arguments,
    which may hold a token)."""
    lists = parsed.lists
    outcome, deciding_list = _script(parsed, 0)
    if not lists or outcome != _OK:
        return None
    decided = lists[deciding_list]
    made_ok = _made_ok(decided)
    pipeline = decided[made_ok]
    deciding = pipeline.commands[-1].words
    if not deciding:
        return "it cannot exit with an error"
    if deciding_list < len(lists) - 1:
        return f"it exits early with {_describe(deciding)}"
    if pipeline.op == "||":
        if program(deciding[0]) in ("true", ":") or deciding[0] == "exit":
            return f"its fallback `|| {' '.join(deciding[:2])}` cannot fail"
        return f"its fallback after `||`, {_describe(deciding)}, cannot fail"
    if len(lists) > 1 or len(decided) > 1:
        return f"it runs {_describe(deciding)}, which always succeeds"
    return f"{_describe(deciding)} always succeeds"


def _made_ok(and_or: Sequence[Pipeline]) -> int:
    """The index of the pipeline after which the and-or list can only succeed."""
    found = 0
    for index in range(len(and_or)):
        if _and_or(and_or[: index + 1], 0) != _OK:
            found = index + 1
    return min(found, len(and_or) - 1)


def _describe(words: Sequence[str]) -> str:
    name = program(words[0])
    if name in ("true", ":", "false") or words[0] == "exit":
        return f"`{' '.join(words[:2])}`"
    if name in ("echo", "printf"):
        return f"`{words[0]} …`"
    if is_shell(words[0]):
        return f"`{words[0]} -c` with a script that cannot fail"
    return f"`{words[0]} {words[1] if len(words) > 1 else ''}` code that does nothing but exit"


def _script(parsed: ParsedShell, depth: int) -> tuple[str, int]:
    """The outcome of a shell script and the index of the list that decides it: the last
    list, unless an earlier one is a bare ``exit``."""
    lists = parsed.lists
    if not lists or depth > 3:
        return _MAYBE, 0
    if parsed.compound:
        return _MAYBE, 0  # conditionals and loops: more than a linter should evaluate
    outcome = _MAYBE
    for index, and_or in enumerate(lists):
        outcome = _and_or(and_or, depth)
        pipeline = and_or[0].commands if len(and_or) == 1 else ()
        if len(pipeline) == 1 and _exits(pipeline[0].words) and outcome == _OK:
            return _OK, index  # `exit 0; anything` never runs the rest
    return outcome, len(lists) - 1


def _and_or(and_or: Sequence[Pipeline], depth: int) -> str:
    outcome = ""
    for pipeline in and_or:
        op, commands = pipeline.op, pipeline.commands
        # A pipeline's status is its last command's (no pipefail in /bin/sh).
        current = _simple(commands[-1], depth) if commands else _MAYBE
        if not outcome:
            outcome = current
        elif op == "&&":
            outcome = (
                _FAIL if _FAIL in (outcome, current) else (current if outcome == _OK else _MAYBE)
            )
        elif op == "||":
            outcome = (
                _OK if _OK in (outcome, current) else (current if outcome == _FAIL else _MAYBE)
            )
    return outcome or _MAYBE


def _exits(words: Sequence[str]) -> bool:
    return bool(words) and words[0] == "exit"


def _simple(command: Command, depth: int) -> str:
    """The outcome of one command."""
    words = command.words
    if not words:
        return _MAYBE
    name = command.name
    args = without_redirections(words[1:])
    if name in _ALWAYS_OK:
        return _OK
    if name == "false":
        return _FAIL
    if words[0] == "exit":
        if not args or args[0] == "0":
            return _OK
        return _FAIL if args[0].isdigit() else _MAYBE
    script = command.script
    if script is not None:
        return _script(script, depth + 1)[0]
    if _PYTHONS.fullmatch(name) and len(args) >= 2 and args[0] == "-c":
        return _python(args[1])
    if name in ("node", "nodejs") and len(args) >= 2 and args[0] in ("-e", "--eval"):
        return _OK if _NODE_EXIT.fullmatch(args[1]) else _MAYBE
    return _MAYBE


def _python(code: str) -> str:
    """Python that can only exit successfully: stdlib imports, ``pass``, constants, prints,
    then ``sys.exit(0)``/``exit()``/``quit()`` or the end of the program."""
    if len(code) > 2000:
        return _MAYBE  # a real program, not a stub
    import ast  # only a `python -c` check needs the parser (1.4 ms of every start-up)

    try:
        with warnings.catch_warnings():
            # Python warns on stderr about odd literals; a linter's output is its findings.
            warnings.simplefilter("ignore")
            tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _MAYBE
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            if all(_stdlib(alias.name) for alias in statement.names):
                continue
            return _MAYBE
        if isinstance(statement, ast.ImportFrom):
            if statement.level == 0 and _stdlib(statement.module or ""):
                continue
            return _MAYBE
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.Constant):
                continue
            if (
                isinstance(value, ast.Call)
                and _call_name(value) == "print"
                and all(isinstance(arg, ast.Constant) for arg in value.args)
            ):
                continue
            if isinstance(value, ast.Call) and _call_name(value) in (
                "sys.exit",
                "exit",
                "quit",
                "os._exit",
            ):
                if not value.args or (
                    isinstance(value.args[0], ast.Constant) and value.args[0].value in (0, None)
                ):
                    return _OK
                return _MAYBE
        if isinstance(statement, ast.Raise) and isinstance(statement.exc, (ast.Call, ast.Name)):
            exc = statement.exc
            name = _call_name(exc) if isinstance(exc, ast.Call) else exc.id
            if name == "SystemExit" and (
                not isinstance(exc, ast.Call)
                or not exc.args
                or (isinstance(exc.args[0], ast.Constant) and exc.args[0].value in (0, None))
            ):
                return _OK
        return _MAYBE
    return _OK


def _call_name(call: ast.Call) -> str:
    import ast

    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return ""


def _stdlib(module: str) -> bool:
    return module.partition(".")[0] in sys.stdlib_module_names
