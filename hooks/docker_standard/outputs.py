"""What the command line and the Action accept for output: formats and fail-on thresholds."""

from __future__ import annotations

from collections.abc import Sequence

FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "json", "sarif", "github", "gitlab")


def parse_formats(values: Sequence[str]) -> list[tuple[str, str | None]]:
    """``--format json --format sarif=out.sarif`` -> [("json", None), ("sarif", "out.sarif")]."""
    import click

    result = []
    for value in values or ("text",):
        name, sep, path = value.partition("=")
        name = name.strip().lower()
        if name not in FORMATS:
            raise click.BadParameter(
                f"{name!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
            )
        if sep and not path:
            raise click.BadParameter(f"{value!r}: no file after '='", param_hint="--format")
        result.append((name, path or None))
    if sum(1 for _, path in result if path is None) > 1:
        raise click.BadParameter(
            "only one format can go to standard output; write the others with FMT=PATH",
            param_hint="--format",
        )
    return result
