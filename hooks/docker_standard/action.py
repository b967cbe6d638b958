"""The GitHub container action's entrypoint (console script ``docker-standard-action``).

GitHub starts the container as root with the workspace, ``HOME`` and the file-command files
(``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``) mounted from the runner, and passes each input as
``INPUT_<NAME>`` with the name upper-cased and hyphens kept (``INPUT_FAIL-ON``). Before anything
else the entrypoint drops to the uid/gid that owns ``GITHUB_WORKSPACE``, so no check runs as
root and nothing it writes is root-owned. Outside Actions (``docker run``, any ``--user``) the
same entrypoint works with whatever of that environment exists.

Exit codes: 0 = nothing at or above ``fail-on``; 1 = findings at or above it; 2 = a bad input,
a configuration error, or any failure (reported as ``::error::``, never as a traceback).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import uuid
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass

from docker_standard.findings import Finding, Severity
from docker_standard.outputs import FAIL_ON
from docker_standard.report import Report

# Every input action.yml declares; the only names read from the environment.
INPUTS = (
    "path",
    "select",
    "ignore",
    "config",
    "fail-on",
    "sarif-file",
    "annotations",
    "summary",
    "new-since",
    "cold-start",
    "cold-start-timeout",
)
DEFAULTS = {
    "path": ".",
    "fail-on": "warning",
    "sarif-file": "docker-standard.sarif",
    "annotations": "true",
    "summary": "true",
    "cold-start": "false",
    "cold-start-timeout": "300",
}
OUTPUTS = ("findings", "errors", "warnings", "sarif-file")

SUMMARY_LIMIT = 200_000  # bytes; GitHub rejects a step summary over 1 MiB
SUMMARY_ROWS = 500  # findings listed in the summary's table at most
_CELL_LIMIT = 500  # characters of one message in the summary table

USAGE = """\
usage: docker-standard-action

The docker-standard GitHub Action. Configure it through the action's inputs, which arrive as
environment variables: INPUT_PATH, INPUT_SELECT, INPUT_IGNORE, INPUT_CONFIG, INPUT_FAIL-ON,
INPUT_SARIF-FILE, INPUT_ANNOTATIONS, INPUT_SUMMARY, INPUT_NEW-SINCE, INPUT_COLD-START,
INPUT_COLD-START-TIMEOUT. For local use, run `docker-standard check`.
"""


class InputError(ValueError):
    """An input or configuration the action cannot use (exit 2, message as ``::error::``)."""


@dataclass(frozen=True)
class Inputs:
    paths: tuple[str, ...]  # workspace-relative, as given
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    config: str | None
    fail_on: Severity | None  # None: never fail on findings
    sarif_file: str
    annotations: bool
    summary: bool
    new_since: str | None = None  # a git revision: report only findings it did not have
    cold_start: bool = False
    cold_start_timeout: float = 300


def input_env_name(name: str) -> str:
    """The variable the runner sets for an input: ``fail-on`` -> ``INPUT_FAIL-ON``."""
    return "INPUT_" + name.replace(" ", "_").upper()


def read_inputs(environ: Mapping[str, str]) -> dict[str, str]:
    """Each declared input's raw value, stripped; an empty or absent one takes its default."""
    values: dict[str, str] = {}
    for name in INPUTS:
        value = environ.get(input_env_name(name), "").strip()
        values[name] = value or DEFAULTS.get(name, "")
    return values


def parse_inputs(raw: Mapping[str, str]) -> Inputs:
    fail_on = raw["fail-on"].lower()
    if fail_on not in FAIL_ON:
        raise InputError(f"input fail-on: {raw['fail-on']!r} is not one of {', '.join(FAIL_ON)}")
    paths = tuple(line.strip() for line in raw["path"].splitlines() if line.strip()) or (".",)
    return Inputs(
        paths=paths,
        select=_selectors(raw["select"]),
        ignore=_selectors(raw["ignore"]),
        config=raw["config"] or None,
        fail_on=None if fail_on == "never" else Severity.parse(fail_on),
        sarif_file=raw["sarif-file"],
        annotations=_boolean("annotations", raw["annotations"]),
        summary=_boolean("summary", raw["summary"]),
        new_since=raw.get("new-since") or None,
        cold_start=_boolean("cold-start", raw.get("cold-start") or "false"),
        cold_start_timeout=_seconds(raw.get("cold-start-timeout") or "300"),
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 6 * 3600:
        raise InputError(f"input cold-start-timeout: {text!r} is not a number of seconds")
    return value


def _selectors(text: str) -> tuple[str, ...]:
    """``DS301, DS302`` or one per line, as a YAML block scalar gives them."""
    return tuple(part for part in re.split(r"[\s,]+", text) if part)


def _boolean(name: str, text: str) -> bool:
    # The YAML 1.2 core-schema booleans, as @actions/core getBooleanInput accepts them.
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    raise InputError(f"input {name}: {text!r} is not a boolean (true or false)")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        workspace = os.path.abspath(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
        cold = os.environ.get(input_env_name("cold-start"), "").strip().lower() == "true"
        drop_privileges(workspace, engine_socket=DOCKER_SOCKET if cold else None)
        if args and args[0] in ("-h", "--help"):
            _write(USAGE)
            return 0
        if args:
            raise InputError(f"unexpected arguments: {' '.join(args)} (use the action's inputs)")
        trust_workspace(workspace)
        return run(workspace, parse_inputs(read_inputs(os.environ)), os.environ)
    except InputError as exc:
        _error(str(exc))
        return 2
    except Exception as exc:  # never a traceback: one annotation and exit 2
        _error(f"docker-standard failed: {exc or type(exc).__name__}")
        return 2


DOCKER_SOCKET = "/var/run/docker.sock"


def drop_privileges(workspace: str, engine_socket: str | None = None) -> None:
    """As root, become the owner of ``workspace`` (uid and gid, no supplementary groups but
    the group of ``engine_socket``, which a cold start needs to reach the runner's engine).

    HOME moves to a fresh folder that the new user owns, since the inherited one may belong to
    root. Does nothing when not root, or when root owns the workspace.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    owner = os.stat(workspace)
    if owner.st_uid == 0:
        return
    try:
        groups = []
        if engine_socket is not None and os.path.exists(engine_socket):
            groups.append(os.stat(engine_socket).st_gid)
        os.setgroups(groups)
        os.setgid(owner.st_gid)
        os.setuid(owner.st_uid)
    except OSError as exc:
        raise RuntimeError(
            f"cannot switch to the workspace owner (uid {owner.st_uid}, gid {owner.st_gid}):"
            f" {exc.strerror or exc}; refusing to check as root"
        ) from exc
    if os.geteuid() == 0 or os.getuid() == 0:  # pragma: no cover - the kernel refused
        raise RuntimeError("could not drop root privileges; refusing to check as root")
    os.environ["HOME"] = tempfile.mkdtemp(prefix="docker-standard-home-")


def trust_workspace(*folders: str, environ: MutableMapping[str, str] | None = None) -> None:
    """Add ``safe.directory`` entries through git's environment, after any already there.

    No config file is written: ``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n``.
    """
    env = os.environ if environ is None else environ
    try:
        count = max(0, int(env.get("GIT_CONFIG_COUNT", "0") or "0"))
    except ValueError:
        count = 0
    for folder in dict.fromkeys(folders):
        env[f"GIT_CONFIG_KEY_{count}"] = "safe.directory"
        env[f"GIT_CONFIG_VALUE_{count}"] = folder
        count += 1
    env["GIT_CONFIG_COUNT"] = str(count)


def run(workspace: str, inputs: Inputs, environ: Mapping[str, str]) -> int:
    targets = [_inside(workspace, path, "path") for path in inputs.paths]
    for path, target in zip(inputs.paths, targets, strict=True):
        if not os.path.exists(target):
            raise InputError(f"input path: {path!r} does not exist in the workspace")
    config = _inside(workspace, inputs.config, "config") if inputs.config else None
    sarif_path = _inside(workspace, inputs.sarif_file, "sarif-file")
    # The target folders too: a repository checked out below the workspace has its own top.
    trust_workspace(*(t for t in targets if os.path.isdir(t) and t != workspace))
    os.chdir(workspace)

    from docker_standard import check  # late: the check is the heavy part, and tests swap it

    try:
        report = check.check_project(
            targets,
            config_path=config,
            select=inputs.select,
            ignore=inputs.ignore,
            hook="docker-standard",
            fix=False,
            new_since=inputs.new_since,
        )
    except check.ConfigError as exc:
        raise InputError(str(exc)) from exc
    if inputs.cold_start:
        report = _with_cold_start(report, workspace, targets[0], config, inputs)

    from docker_standard.formatters import render, write_atomic
    from docker_standard.formatters.text import one_line, summary_line

    if inputs.annotations:
        _write(render("github", report))
        _write(f"docker-standard: {summary_line(report)}\n")
    else:  # the text format ends with the same summary line
        _write(_without_commands(render("text", report)))
    for note in report.notes:  # plain lines: they never start with "::"
        _write(f"docker-standard: note: {one_line(note)}\n")
    if report.files == 0:
        _write("::warning::docker-standard checked no files: check the action's path input\n")

    os.makedirs(os.path.dirname(sarif_path), exist_ok=True)
    write_atomic(sarif_path, render("sarif", report))
    sarif_output = os.path.relpath(sarif_path, workspace).replace(os.sep, "/")

    failed = inputs.fail_on is not None and any(
        f.severity >= inputs.fail_on for f in report.findings
    )
    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if inputs.summary and summary_file:
        markdown = job_summary(report, fail_on=inputs.fail_on, failed=failed, sarif=sarif_output)
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(markdown)
    output_file = environ.get("GITHUB_OUTPUT")
    if output_file:
        values = {
            "findings": str(len(report.findings)),
            "errors": str(report.count(Severity.ERROR)),
            "warnings": str(report.count(Severity.WARNING)),
            "sarif-file": sarif_output,
        }
        with open(output_file, "a", encoding="utf-8") as handle:
            handle.write("".join(output_entry(k, v) for k, v in values.items()))
    return 1 if failed else 0


def _with_cold_start(
    report: Report, workspace: str, target: str, config: str | None, inputs: Inputs
) -> Report:
    """Add a cold start's findings (DS4xx) to the static report.

    The fresh copy goes under the workspace, and Compose gets its host path: the runner's
    engine resolves bind mounts on the runner, where a path of this container does not exist
    (a file mount would become an empty folder).
    """
    from pathlib import Path

    from docker_standard.coldstart.engine import Interrupted, Options, cold_start
    from docker_standard.coldstart.tools import ColdStartError
    from docker_standard.config import ConfigError

    work = Path(workspace) / ".docker-standard-cold-start"
    work.mkdir(exist_ok=True)
    options = Options(
        path=target,
        timeout=inputs.cold_start_timeout,
        config_path=config,
        work_dir=work,
        host_work_dir=_host_path(str(work)),
        progress=lambda message: _write(f"docker-standard: cold-start: {message}\n"),
    )
    try:
        cold, run = cold_start(options)
    except (ColdStartError, ConfigError) as exc:
        raise InputError(f"cold-start: {exc}") from exc
    except Interrupted:
        raise InputError("cold-start: interrupted; everything it created is removed") from None
    finally:
        with contextlib.suppress(OSError):
            work.rmdir()
    from docker_standard.coldstart.command import service_table

    _write(service_table(run).lstrip("\n"))
    findings = tuple(sorted((*report.findings, *cold.findings), key=Finding.sort_key))
    return Report(
        report.root,
        findings,
        report.files,
        (*report.rules, *cold.rules),
        report.fixed,
        (*report.notes, *cold.notes),
    )


def _host_path(path: str) -> str | None:
    """``path`` (in this container) as the engine's host sees it, from this container's own
    mounts; None outside a container or when the engine cannot say."""
    try:
        import socket

        import docker

        client = docker.from_env(timeout=30)
        mounts = client.containers.get(socket.gethostname()).attrs.get("Mounts") or []
    except Exception:
        return None
    best: tuple[str, str] | None = None
    for mount in mounts:
        destination = str(mount.get("Destination", ""))
        inside = path == destination or path.startswith(destination.rstrip("/") + "/")
        if inside and (best is None or len(destination) > len(best[0])):
            best = (destination, str(mount.get("Source", "")))
    if best is None:
        return None
    return best[1] + path[len(best[0]) :]


def output_entry(name: str, value: str) -> str:
    """One ``GITHUB_OUTPUT`` entry in the multi-line form, with a delimiter the value lacks."""
    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    while delimiter in value:  # pragma: no cover - a random UUID does not collide
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def job_summary(report: Report, *, fail_on: Severity | None, failed: bool, sarif: str) -> str:
    """The Markdown step summary, kept under :data:`SUMMARY_LIMIT` bytes."""
    from docker_standard.formatters.text import summary_line

    threshold = fail_on.label if fail_on is not None else "never"
    verdict = "❌ failed" if failed else "✅ passed"
    head = [
        "## docker-standard",
        "",
        f"**{summary_line(report)}** · fail-on `{threshold}`: {verdict}",
        "",
    ]
    if report.notes:
        head += ["What could not be checked:", ""]
        head += [f"- {_md(note[:_CELL_LIMIT])}" for note in report.notes[:20]]
        head.append("")
    findings = sorted(report.findings, key=Finding.sort_key)
    if not findings:
        return "\n".join(head) + "\n"

    rules = {r.code: r for r in report.rules}
    counts: dict[str, dict[Severity, int]] = {}
    names: dict[str, str] = {}
    for f in findings:
        counts.setdefault(f.code, dict.fromkeys(Severity, 0))[f.severity] += 1
        names.setdefault(f.code, f.rule)
    head += [
        "### Findings by rule",
        "",
        "| Rule | Errors | Warnings | Info |",
        "| --- | ---: | ---: | ---: |",
    ]
    for code in sorted(counts, key=lambda c: (-max(s for s, n in counts[c].items() if n), c)):
        title = _md(f"{code} {names[code]}")
        link = f"[{title}]({rules[code].help_uri})" if code in rules else title
        tally = counts[code]
        head.append(
            f"| {link} | {tally[Severity.ERROR]} | {tally[Severity.WARNING]}"
            f" | {tally[Severity.INFO]} |"
        )
    head += [
        "",
        "### Findings",
        "",
        "| Severity | Location | Rule | Message |",
        "| --- | --- | --- | --- |",
    ]
    text = "\n".join(head) + "\n"

    # Most severe first, as in the annotations; stop at the row or byte budget.
    ordered = sorted(findings, key=lambda f: (-f.severity, f.sort_key()))
    reserve = 1_000  # room for the closing note
    budget = SUMMARY_LIMIT - len(text.encode("utf-8")) - reserve
    shown = 0
    rows: list[str] = []
    for f in ordered[:SUMMARY_ROWS]:
        where = _md(f"{f.path}:{f.span.line}:{f.span.column}")
        message = f.message if len(f.message) <= _CELL_LIMIT else f.message[:_CELL_LIMIT] + "…"
        row = f"| {f.severity.label} | {where} | {f.code} | {_md(message)} |\n"
        size = len(row.encode("utf-8"))
        if size > budget:
            break
        budget -= size
        rows.append(row)
        shown += 1
    text += "".join(rows)
    if shown < len(ordered):
        text += (
            f"\n_Showing the first {shown} of {len(ordered)} findings (most severe first) to keep"
            f" this summary small; the SARIF file `{_md(sarif)}` lists them all._\n"
        )
    return text


def _md(text: str) -> str:
    """Plain text for one Markdown table cell: no HTML, links, emphasis or cell breaks."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#!~@])", r"\\\1", text)


def _inside(workspace: str, path: str, name: str) -> str:
    """``path`` joined with the workspace; it may not lead outside it."""
    full = os.path.normpath(os.path.join(workspace, path))
    if os.path.commonpath([full, workspace]) != workspace:
        raise InputError(f"input {name}: {path!r} is outside the workspace")
    return full


def _without_commands(text: str) -> str:
    """Print text as it is: file names cannot be read as workflow commands."""
    token = uuid.uuid4().hex
    return f"::stop-commands::{token}\n{text}::{token}::\n"


def _error(message: str) -> None:
    from docker_standard.formatters.github import escape_data

    sys.stdout.write(f"::error::{escape_data(message)}\n")
    sys.stdout.flush()


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
