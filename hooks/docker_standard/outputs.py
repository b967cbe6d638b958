"""What the command line and the Action accept for output: formats and fail-on thresholds.

Click-free: the hand-read entry points (``entry.py``) use it as much as the click commands.
"""

from __future__ import annotations

from collections.abc import Sequence

FAIL_ON = ("error", "warning", "info", "never")
SARIF_BASELINED = ("omit", "include")
FORMATS = ("text", "json", "sarif", "github", "gitlab")


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
    """``--format json --format sarif=out.sarif`` -> [("json", None), ("sarif", "out.sarif")].

    Raises click's ``BadParameter`` (for the click commands' usage error) when
    :func:`format_problem` finds a problem.
    """
    problem = format_problem(values)
    if problem is not None:
        import click

        raise click.BadParameter(problem, param_hint="--format")
    result = []
    for value in values or ("text",):
        name, _sep, path = value.partition("=")
        result.append((name.strip().lower(), path or None))
    return result
