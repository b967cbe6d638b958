"""The check as the commands run it: print every chosen format, notes and fixes, and choose the
exit code. Click-free; shared by the hand-read entry points (``entry.py``) and the click
commands (``cli.py``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence

from docker_standard.outputs import parse_formats
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.report import Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
    unsafe_fixes: bool,
    config_path: str | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    baseline: str | None = None,
    no_baseline: bool = False,
    new_since: str | None = None,
    sarif_baselined: str = "omit",
) -> int:
    """Check, print every chosen format, and say with the exit code whether it failed."""
    from docker_standard.check import ConfigError, check_project

    chosen = parse_formats(formats)  # a problem raises click's usage error: only click gets one
    try:
        report = check_project(
            paths,
            config_path=config_path,
            select=split_codes(select),
            ignore=split_codes(ignore),
            hook=hook,
            fix=fix,
            diff=diff,
            unsafe_fixes=unsafe_fixes,
            baseline=baseline,
            use_baseline=not no_baseline,
            new_since=new_since,
        )
    except ConfigError as exc:
        echo(f"docker-standard: {exc}", err=True)
        return EXIT_USAGE
    printed = print_report(
        report, chosen, quiet=quiet, no_color=no_color, baselined=sarif_baselined == "include"
    )
    if printed is not None:
        return EXIT_USAGE
    if fix and report.fixed:
        for line in report.fixed:
            echo(f"fixed: {line}" if not diff else line, err=not diff)
        return EXIT_FINDINGS
    if diff and report.fixed:
        for line in report.fixed:
            echo(line)
    return exit_code(report, fail_on)


def print_report(
    report: Report,
    chosen: Sequence[tuple[str, str | None]],
    *,
    quiet: bool,
    no_color: bool,
    text_tail: str = "",
    baselined: bool = False,
) -> int | None:
    """Print each chosen format (to standard output or its file, ``text_tail`` after the text
    one unless quiet) and the notes; ``EXIT_USAGE`` when a file cannot be written.
    ``baselined``: SARIF also carries the baseline's findings, marked suppressed."""
    from docker_standard.formatters import render, write_atomic

    color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    for name, path in chosen:
        text = render(name, report, color=color and path is None, baselined=baselined)
        if name == "text" and not quiet:
            text += text_tail
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
    return None


def exit_code(report: Report, fail_on: str) -> int:
    """1 when a finding is at or above ``fail_on`` (``never``: no finding fails), else 0."""
    from docker_standard.findings import Severity

    if fail_on == "never":
        return EXIT_OK
    threshold = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(f.severity >= threshold for f in report.findings) else EXIT_OK


def split_codes(values: Sequence[str]) -> list[str]:
    """``--select DS1 --select DS301,DS302`` -> ["DS1", "DS301", "DS302"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# Failures of the machine, not of a run: a full disk or quota, an I/O error, a read-only or
# oversized file.
_REFUSALS = frozenset({
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EIO", "EROFS", "EFBIG")
    if hasattr(errno, name)
})


def internal_error(exc: BaseException, args: Sequence[str]) -> int:
    """Say where an unexpected error happened, never its message: it could hold a value read
    from a file, and values may be secrets. ``--debug`` shows the frames."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    if isinstance(exc, OSError) and exc.errno in _REFUSALS and exc.strerror:
        # The system refused (a full disk under the output, an I/O error): no bug to report.
        # strerror is the system's text, never a value of ours; the file name is left out.
        # Any other OSError (a file not found …) may be our bug: it is reported as one.
        message = f"the system refused: {exc.strerror} ({exc.__class__.__name__} at {where})."
    else:
        message = (f"internal error ({exc.__class__.__name__} at {where}); please report it. "
                   "Run with --debug for the stack.")
    with contextlib.suppress(OSError):  # stderr may be what fails
        echo(f"docker-standard: {message}", err=True)
    if "--debug" in args:
        # Frames only, without source lines or the message: either could quote a value.
        for frame in frames:
            echo(f"  {frame.filename}:{frame.lineno} in {frame.name}", err=True)
    return EXIT_USAGE
