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

import os
import sys
from collections.abc import Sequence
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "json", "sarif", "github", "gitlab")

# The options of cli.check_options, by how they are read: a test compares them with click's.
FLAGS = {
    "--fix": "fix",
    "--diff": "diff",
    "--no-color": "no_color",
    "--quiet": "quiet",
    "-q": "quiet",
    "--debug": "debug",
}
MULTIPLE = {"--select": "select", "--ignore": "ignore", "--format": "formats"}
SINGLE = {"--fail-on": "fail_on", "--config": "config_path"}


def main(argv: Sequence[str] | None = None) -> int:
    """``docker-standard``: ``check`` read here when it can be, everything else by click."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"] and _no_completion("docker-standard"):
        parsed = parse_check(args[1:])
        if parsed is not None:
            return _guarded("docker-standard", *parsed, args)
    from docker_standard.cli import main as click_main

    return click_main(args)


def _hook_main(hook: str, argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parsed = parse_check(args) if _no_completion(hook) else None
    if parsed is not None:
        return _guarded(hook, *parsed, args)
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
    options.update(fail_on="warning", config_path=None)
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
    if options["fail_on"] not in FAIL_ON or format_problem(lists["formats"]) is not None:
        return None
    options.update({name: tuple(values) for name, values in lists.items()})
    return paths, options


def format_problem(values: Sequence[str]) -> str | None:
    """Why ``--format`` values are invalid (click's ``BadParameter`` message), or ``None``."""
    to_stdout = 0
    for value in values or ("text",):
        name, sep, path = value.partition("=")
        name = name.strip().lower()
        if name not in FORMATS:
            return f"{name!r} is not one of {', '.join(FORMATS)}"
        if sep and not path:
            return f"{value!r}: no file after '='"
        to_stdout += not path
    if to_stdout > 1:
        return "only one format can go to standard output; write the others with FMT=PATH"
    return None


def parse_formats(values: Sequence[str]) -> list[tuple[str, str | None]]:
    """``--format`` values checked by :func:`format_problem` -> ``[(name, path or None)]``."""
    result = []
    for value in values or ("text",):
        name, _sep, path = value.partition("=")
        result.append((name.strip().lower(), path or None))
    return result


def echo(message: str = "", *, nl: bool = True, err: bool = False) -> None:
    """``click.echo`` for text: ANSI codes are stripped when the stream is not a terminal."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    out = message + "\n" if nl else message
    if "\033" in out and not _isatty(stream):
        import re

        out = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", out)
    if out:
        stream.write(out)
    stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:  # click's isatty: a stream without a working isatty is not a terminal
        return False


def run_check(
    hook: str,
    paths: Sequence[str],
    select: Sequence[str],
    ignore: Sequence[str],
    fail_on: str,
    formats: Sequence[str],
    fix: bool,
    diff: bool,
    config_path: str | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
) -> int:
    """Check, print every chosen format, and say with the exit code whether it failed."""
    from docker_standard.findings import Severity
    from docker_standard.formatters import render, write_atomic
    from docker_standard.runner import ConfigError, check_project

    problem = format_problem(formats)
    if problem is not None:  # only through click, which shows its own usage error
        import click

        raise click.BadParameter(problem, param_hint="--format")
    try:
        chosen = parse_formats(formats)
        report = check_project(
            paths,
            config_path=config_path,
            select=_split(select),
            ignore=_split(ignore),
            hook=hook,
            fix=fix,
            diff=diff,
        )
    except ConfigError as exc:
        echo(f"docker-standard: {exc}", err=True)
        return EXIT_USAGE
    color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    for name, path in chosen:
        text = render(name, report, color=color and path is None)
        if quiet and name == "text":
            text = "\n".join(line for line in text.splitlines() if ": DS" in line)
            text = text + "\n" if text else ""
        if path is None:
            echo(text, nl=False)
        else:
            try:
                write_atomic(path, text)
            except OSError as exc:
                echo(f"docker-standard: cannot write {path}: {exc.strerror}", err=True)
                return EXIT_USAGE
    if not quiet:
        for note in report.notes:
            echo(f"docker-standard: note: {note}", err=True)
    if fix and report.fixed:
        for line in report.fixed:
            echo(f"fixed: {line}" if not diff else line, err=not diff)
        return EXIT_FINDINGS
    if diff and report.fixed:
        for line in report.fixed:
            echo(line)
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity.parse(fail_on)
    failing = any(f.severity >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _split(values: Sequence[str]) -> list[str]:
    """``--select DS1 --select DS301,DS302`` -> ["DS1", "DS301", "DS302"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


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


def internal_error(exc: BaseException, args: Sequence[str]) -> int:
    """Say where an unexpected error happened, never its message: it could hold a value read
    from a file, and values may be secrets. ``--debug`` shows the frames."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    echo(
        f"docker-standard: internal error ({exc.__class__.__name__} at {where}); "
        "please report it. Run with --debug for the stack.",
        err=True,
    )
    if "--debug" in args:
        # Frames only, without source lines or the message: either could quote a value.
        for frame in frames:
            echo(f"  {frame.filename}:{frame.lineno} in {frame.name}", err=True)
    return EXIT_USAGE
