"""The installed commands' entry points, without click for the common case.

``docker-standard check …`` and the pre-commit hooks (``check-compose …``) are what every
commit pays for, and importing click costs about as much as checking a small stack. Their
options are few and flat, so this module reads them by hand when the arguments are plainly
ordinary (known options, valid choices, no ``--help``); anything else — help, version, an
unknown or malformed option, an invalid value, shell completion — goes to the click commands
in :mod:`docker_standard.cli` unchanged, so every message and exit code is click's own.
``tests/test_entry.py`` runs both on the same arguments and requires the same result.

Printing, exit codes and the guard against tracebacks follow ``cli`` exactly: click's
``echo`` (ANSI codes stripped when the stream is not a terminal) and its ``Abort`` on
Ctrl-C (a blank line, ``Aborted.``, exit 2).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from docker_standard.checkrun import EXIT_FINDINGS, EXIT_USAGE, echo, internal_error, run_check
from docker_standard.outputs import FAIL_ON, SARIF_BASELINED, format_problem
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, NoReturn

# The options of cli.check_options, by how they are read: a test compares them with click's.
FLAGS = {
    "--fix": "fix",
    "--diff": "diff",
    "--unsafe-fixes": "unsafe_fixes",
    "--no-color": "no_color",
    "--quiet": "quiet",
    "-q": "quiet",
    "--debug": "debug",
    "--no-baseline": "no_baseline",
}
MULTIPLE = {"--select": "select", "--ignore": "ignore", "--format": "formats"}
SINGLE = {
    "--fail-on": "fail_on",
    "--config": "config_path",
    "--baseline": "baseline",
    "--new-since": "new_since",
    "--sarif-baselined": "sarif_baselined",
}


def main(argv: Sequence[str] | None = None) -> int:
    """``docker-standard``: ``check`` read here when it can be, everything else by click."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"] and _no_completion("docker-standard"):
        parsed = parse_check(args[1:])
        if parsed is not None:
            return _run("docker-standard", parsed, args, as_command=argv is None)
    from docker_standard.cli import main as click_main

    return click_main(args)


def _hook_main(hook: str, argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parsed = parse_check(args) if _no_completion(hook) else None
    if parsed is not None:
        return _run(hook, parsed, args, as_command=argv is None)
    from docker_standard.cli import _hook_main as click_hook_main

    return click_hook_main(hook, args)


def check_env_gitignored(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-env-gitignored", argv)


def check_env_example(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-env-example", argv)


def check_dockerfiles(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-dockerfiles", argv)


def check_compose(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-compose", argv)


def _no_completion(prog: str) -> bool:
    """Click answers shell completion when ``_PROG_COMPLETE`` is set: leave it to click."""
    return f"_{prog.replace('-', '_').upper()}_COMPLETE" not in os.environ


def parse_check(args: Sequence[str]) -> tuple[list[str], dict[str, Any]] | None:
    """``(paths, options)`` for ``run_check``, or ``None`` when click must read ``args``."""
    options: dict[str, Any] = {name: False for name in FLAGS.values()}
    lists: dict[str, list[str]] = {name: [] for name in MULTIPLE.values()}
    options.update(fail_on="warning", config_path=None, baseline=None, new_since=None,
                   sarif_baselined="omit")
    paths: list[str] = []
    index, only_paths = 0, False
    while index < len(args):
        arg = args[index]
        index += 1
        if not arg:
            return None  # click's Path type decides about an empty path
        if only_paths or not arg.startswith("-"):
            paths.append(arg)
            continue
        if arg == "--":
            only_paths = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in FLAGS and not eq:
            options[FLAGS[name]] = True
            continue
        if name not in MULTIPLE and name not in SINGLE:
            return None  # --help, --version, -qq, an unknown option, '-': click's answer
        if not eq:
            if index >= len(args) or args[index].startswith("-"):
                return None
            value = args[index]
            index += 1
        if name in MULTIPLE:
            lists[MULTIPLE[name]].append(value)
        else:
            options[SINGLE[name]] = value
    if (
        options["fail_on"] not in FAIL_ON
        or options["sarif_baselined"] not in SARIF_BASELINED
        or format_problem(lists["formats"]) is not None
    ):
        return None
    options.update({name: tuple(values) for name, values in lists.items()})
    return paths, options


def _run(
    hook: str, parsed: tuple[list[str], dict[str, Any]], args: list[str], *, as_command: bool
) -> int:
    """Check; as the installed command (no ``argv`` given), end the process right after.

    A check makes next to no cyclic garbage (the 10,000-stack run peaks at the same 450 MB
    either way), so the cyclic collector only costs time: about 4 ms of a 100 ms run, 25 % of a
    large one. So does the interpreter's teardown, which frees the objects of ~200 modules one
    by one (about 9 ms). mypy skips both the same way. A fixing run keeps the collector: its
    ruamel.yaml trees are cyclic (``--diff`` on the corpus peaks at 200 MB without it, 120 MB
    with it). Called from Python (tests, another program), it returns and leaves the
    interpreter alone."""
    if not as_command:
        return _guarded(hook, *parsed, args)
    options = parsed[1]
    if not (options["fix"] or options["diff"]):
        import gc

        gc.disable()
    code = _guarded(hook, *parsed, args)
    _hard_exit(code)


def _hard_exit(code: int) -> NoReturn:
    """Flush the streams and leave without the interpreter's teardown: nothing else is
    pending (fixes were written atomically and their files closed, temporary folders removed)."""
    import errno

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                # A closed pipe (`check | head`): exit 1 without a message, as click does.
                code = code or EXIT_FINDINGS
                continue
            with contextlib.suppress(OSError):  # a full disk: say so, as the interpreter would
                os.write(2, f"docker-standard: cannot write the output: {exc.strerror}\n".encode())
            code = EXIT_USAGE
        except ValueError:
            pass  # a stream the caller closed
    os._exit(code)


def _guarded(hook: str, paths: list[str], options: dict[str, Any], args: list[str]) -> int:
    """:func:`run_check` under the same guard as click's path (``cli._guarded``)."""
    try:
        return run_check(hook, paths, **options)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    except (EOFError, KeyboardInterrupt):
        echo(err=True)  # what click does before its Abort
        echo("Aborted.", err=True)
        return EXIT_USAGE
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            return internal_error(exc, args)
        # As click does for a closed pipe (`check | head`): exit 1, and no error when the
        # interpreter flushes the streams at exit.
        sys.stdout = _Pacified(sys.stdout)
        sys.stderr = _Pacified(sys.stderr)
        return EXIT_FINDINGS
    except Exception as exc:  # the last line of defence: no traceback for users
        return internal_error(exc, args)


class _Pacified:
    """A stream whose ``flush`` ignores a closed pipe (click's ``_PacifyFlushWrapper``)."""

    __slots__ = ("wrapped",)

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        import errno

        try:
            self.wrapped.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)
