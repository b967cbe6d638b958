"""The ``cold-start`` command: options in, report and exit code out."""

from __future__ import annotations

from collections.abc import Sequence

import click

from docker_standard.coldstart.run import ColdStartRun

EXIT_USAGE, EXIT_INTERRUPTED = 2, 130


def run_command(
    path: str | None,
    *,
    files: Sequence[str],
    profiles: Sequence[str],
    timeout: float,
    settle: float,
    crash_test: bool,
    pull: str,
    ref: str | None,
    keep: bool,
    allow_host_access: bool,
    formats: Sequence[str],
    fail_on: str,
    config_path: str | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
) -> int:
    from docker_standard.checkrun import exit_code, print_report
    from docker_standard.coldstart.engine import Interrupted, Options, cold_start
    from docker_standard.coldstart.tools import ColdStartError
    from docker_standard.config import ConfigError
    from docker_standard.outputs import parse_formats

    del debug  # handled by the CLI's guard
    chosen = parse_formats(formats)

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"cold-start: {message}", err=True)

    options = Options(
        path=path,
        files=tuple(files),
        profiles=tuple(profiles),
        timeout=timeout,
        settle=settle,
        crash_test=crash_test,
        pull=pull,
        ref=ref,
        keep=keep,
        allow_host_access=allow_host_access,
        config_path=config_path,
        progress=progress,
    )
    try:
        report, run = cold_start(options)
    except (ColdStartError, ConfigError) as exc:
        click.echo(f"docker-standard: {exc}", err=True)
        return EXIT_USAGE
    except Interrupted:
        click.echo(
            "docker-standard: cold start interrupted; everything it created is removed.", err=True
        )
        return EXIT_INTERRUPTED
    failed = print_report(
        report, chosen, quiet=quiet, no_color=no_color, text_tail=service_table(run)
    )
    return failed if failed is not None else exit_code(report, fail_on)


def service_table(run: ColdStartRun) -> str:
    """The short per-service table of a text report: state, health, seconds to healthy."""
    if not run.rows:
        return ""
    width = max(len("service"), *(len(r.name) for r in run.rows))
    lines = [f"\n{'service':<{width}}  {'state':<12} {'health':<10} {'healthy after':<13} restarts"]
    for row in sorted(run.rows, key=lambda r: r.name):
        after = f"{row.healthy_after:.1f}s" if row.healthy_after is not None else "-"
        lines.append(
            f"{row.name:<{width}}  {row.state:<12} {row.health or '-':<10} {after:<13} "
            f"{row.restarts}"
        )
    return "\n".join(lines) + "\n"
