"""The command line: the only place that prints or chooses an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from docker_standard import __version__
from docker_standard.outputs import FAIL_ON, FORMATS, parse_formats

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


def _split(values: Sequence[str]) -> list[str]:
    """``--select DS1 --select DS301,DS302`` -> ["DS1", "DS301", "DS302"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def check_options(func: F) -> F:
    options = [
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            help="Only these rule codes or prefixes (comma-separated, repeatable).",
        ),
        click.option(
            "--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes."
        ),
        click.option(
            "--fail-on",
            type=click.Choice(FAIL_ON),
            default="warning",
            show_default=True,
            help="Lowest severity that makes the exit code 1.",
        ),
        click.option(
            "--format",
            "formats",
            multiple=True,
            metavar="FMT[=PATH]",
            help=f"Output format ({', '.join(FORMATS)}); FMT=PATH writes to a file. Repeatable.",
        ),
        click.option("--fix", is_flag=True, help="Repair what the fixable rules found."),
        click.option(
            "--diff", is_flag=True, help="Print the --fix changes as a diff; write nothing."
        ),
        click.option(
            "--unsafe-fixes",
            is_flag=True,
            help="With --fix or --diff, also apply the fixes that can change how the running "
            "stack behaves beyond what the rule names.",
        ),
        click.option(
            "--config",
            "config_path",
            metavar="PATH",
            help="Settings file (default: .docker-standard.yaml or pyproject.toml).",
        ),
        click.option("--no-color", is_flag=True, help="Never colour the output."),
        click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary."),
        click.option("--debug", is_flag=True, help="Show a traceback on internal errors."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run_check(
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
) -> int:
    from docker_standard.check import ConfigError, check_project
    from docker_standard.findings import Severity
    from docker_standard.formatters import render, write_atomic

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
            unsafe_fixes=unsafe_fixes,
        )
    except ConfigError as exc:
        click.echo(f"docker-standard: {exc}", err=True)
        return EXIT_USAGE
    except click.BadParameter:
        raise
    color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    for name, path in chosen:
        text = render(name, report, color=color and path is None)
        if quiet and name == "text":
            text = "\n".join(line for line in text.splitlines() if ": DS" in line)
            text = text + "\n" if text else ""
        if path is None:
            click.echo(text, nl=False)
        else:
            try:
                write_atomic(path, text)
            except OSError as exc:
                click.echo(f"docker-standard: cannot write {path}: {exc.strerror}", err=True)
                return EXIT_USAGE
    if not quiet:
        for note in report.notes:
            click.echo(f"docker-standard: note: {note}", err=True)
    if fix and report.fixed:
        for line in report.fixed:
            click.echo(f"fixed: {line}" if not diff else line, err=not diff)
        return EXIT_FINDINGS
    if diff and report.fixed:
        for line in report.fixed:
            click.echo(line)
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity.parse(fail_on)
    failing = any(f.severity >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docker-standard")
def cli() -> None:
    """Enforce the Docker Standard on docker-compose projects."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@check_options
def check(paths: tuple[str, ...], **options: Any) -> None:
    """Lint the project (or only PATHS and the stacks they belong to)."""
    sys.exit(_run_check("docker-standard", paths, **options))


@cli.command("rules")
@click.option("--markdown", is_flag=True, help="A Markdown table, as in the README.")
@click.option("--reference", is_flag=True, help="Every rule's full documentation (docs/rules.md).")
def rules_command(markdown: bool, reference: bool) -> None:
    """List every rule: code, name, severity, enabled by default."""
    click.echo(rules_reference() if reference else rules_table(markdown=markdown), nl=False)


def rules_reference() -> str:
    """docs/rules.md: each rule's doc under a heading its help URI links to."""
    from docker_standard.registry import all_rules

    parts = [
        "# docker-standard rules\n",
        "Generated by `docker-standard rules --reference`; a test fails when it is stale.\n",
    ]
    for r in all_rules():
        doc = ("\n" + r.doc).replace("\n## ", "\n### ").lstrip("\n")
        default = "" if r.enabled_by_default else ", off by default"
        fix = ", fixable with `--fix`" if r.fixable else ""
        parts.append(
            f"## {r.code} {r.name}\n\nSeverity: {r.severity.label}{default}{fix}.\n\n{doc}\n"
        )
    return "\n".join(parts)


def rules_table(*, markdown: bool) -> str:
    from docker_standard.registry import all_rules

    rows = all_rules()
    if markdown:
        lines = [
            "| code | name | severity | default | fix | what it checks |",
            "|---|---|---|---|---|---|",
        ]
        for r in rows:
            summary = r.summary.replace("|", "\\|")
            lines.append(
                f"| {r.code} | `{r.name}` | {r.severity.label} | "
                f"{'on' if r.enabled_by_default else 'off'} | {'yes' if r.fixable else ''} | "
                f"{summary} |"
            )
        return "\n".join(lines) + "\n"
    width = max((len(r.name) for r in rows), default=10)
    lines = [f"{'code':<6} {'name':<{width}} {'severity':<8} enabled"]
    for r in rows:
        lines.append(
            f"{r.code:<6} {r.name:<{width}} {r.severity.label:<8} "
            f"{'yes' if r.enabled_by_default else 'no (select it)'}"
        )
    return "\n".join(lines) + "\n"


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Show a rule's documentation."""
    from docker_standard.registry import get_rule

    found = get_rule(code)
    if found is None:
        click.echo(f"docker-standard: no rule {code!r} (see `docker-standard rules`)", err=True)
        sys.exit(EXIT_USAGE)
    header = f"{found.code} {found.name} ({found.severity.label}"
    header += ", fixable" if found.fixable else ""
    header += ", off by default)" if not found.enabled_by_default else ")"
    click.echo(f"{header}\n\n{found.doc}")


@cli.command("variables")
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--config", "config_path", metavar="PATH")
def variables_command(path: str | None, fmt: str, config_path: str | None) -> None:
    """Every variable each stack needs: name, required, default, where it is used."""
    from docker_standard.config import ConfigError
    from docker_standard.variables import render_variables, stack_variables

    try:
        stacks = stack_variables(path, config_path=config_path)
    except ConfigError as exc:
        click.echo(f"docker-standard: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(render_variables(stacks, fmt), nl=False)


@cli.command("cold-start")
@click.argument("path", required=False, type=click.Path())
@click.option("-f", "--file", "files", multiple=True, metavar="FILE", help="Compose file(s).")
@click.option("--profile", "profiles", multiple=True, metavar="P", help="Compose profile(s).")
@click.option(
    "--timeout", type=click.FloatRange(1), default=300, show_default=True,
    help="Seconds to wait for healthy services (and for a killed one to come back).",
)
@click.option(
    "--settle", type=click.FloatRange(0), default=10, show_default=True,
    help="Seconds to watch for exits and restarts once the stack is up.",
)
@click.option("--crash-test", is_flag=True, help="SIGKILL each long-running service (DS406).")
@click.option(
    "--pull", type=click.Choice(["missing", "never", "always"]), default="missing",
    show_default=True,
)
@click.option("--ref", metavar="REV", help="Test this commit instead of the working tree.")
@click.option("--keep", is_flag=True, help="Leave the stack up for debugging.")
@click.option(
    "--allow-host-access", is_flag=True,
    help="Run a stack that is privileged or mounts the host (refused by default: DS401).",
)
@click.option("--format", "formats", multiple=True, metavar="FMT[=PATH]")
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True,
)
@click.option("--config", "config_path", metavar="PATH")
@click.option("--no-color", is_flag=True)
@click.option("--quiet", "-q", is_flag=True, help="Findings only: no progress, no summary.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cold_start_command(path: str | None, **options: Any) -> None:
    """A fresh clone's `down -v && up` on a real engine (DS4xx)."""
    from docker_standard.coldstart.command import run_command

    sys.exit(run_command(path, **options))


def _hook_command(hook: str, doc: str) -> click.Command:
    @click.command(hook, help=doc)
    @click.argument("files", nargs=-1, type=click.Path())
    @check_options
    def command(files: tuple[str, ...], **options: Any) -> None:
        sys.exit(_run_check(hook, files, **options))

    return command


HOOKS = {
    "check-env-gitignored": ".env files are ignored by git and never committed (DS101-DS102).",
    "check-env-example": ".env.example covers and documents what the stacks need (DS103-DS109).",
    "check-dockerfiles": "Dockerfiles run as non-root, pin their bases, copy safely (DS2xx).",
    "check-compose": "Compose files: healthchecks, depends_on, restart, volumes, networks (DS3xx).",
}
for _hook, _doc in HOOKS.items():
    cli.add_command(_hook_command(_hook, _doc))


def _guarded(command: click.Command, argv: Sequence[str] | None) -> int:
    """Run a click command; turn any unexpected error into exit 2 without a traceback.

    The message of an unexpected exception is never printed: it could hold a value read from
    a file, and values may be secrets. ``--debug`` shows where it happened.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        command.main(args=args, prog_name=command.name, standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        import traceback

        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        click.echo(
            f"docker-standard: internal error ({exc.__class__.__name__} at {where}); "
            "please report it. Run with --debug for the stack.",
            err=True,
        )
        if "--debug" in args:
            # Frames only, without source lines or the message: either could quote a value.
            for frame in frames:
                click.echo(f"  {frame.filename}:{frame.lineno} in {frame.name}", err=True)
        return EXIT_USAGE
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    return _guarded(cli, argv)


def _hook_main(hook: str, argv: Sequence[str] | None) -> int:
    command = cli.commands[hook]
    return _guarded(command, argv)


def check_env_gitignored(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-env-gitignored", argv)


def check_env_example(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-env-example", argv)


def check_dockerfiles(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-dockerfiles", argv)


def check_compose(argv: Sequence[str] | None = None) -> int:
    return _hook_main("check-compose", argv)


def cold_start(argv: Sequence[str] | None = None) -> int:
    return _hook_main("cold-start", argv)


if __name__ == "__main__":
    sys.exit(main())
