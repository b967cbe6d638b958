"""Fuzz targets: one function per parser, plus ``check`` end to end.

Each target takes raw bytes and raises only when docker-standard misbehaves: an exception the
parser does not document, a broken invariant, a secret echoed in an error message. The same
functions serve three callers:

* ``fuzz/fuzz.py`` runs them under atheris (coverage-guided, for minutes or hours);
* ``tests/test_fuzz.py`` feeds them hypothesis-generated and corpus-mutated inputs in CI;
* ``tests/regressions/test_regressions.py`` replays every input that ever crashed one.

Nothing here imports atheris, so the module works without it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

# --------------------------------------------------------------------------- helpers


def text_of(data: bytes) -> str:
    """Bytes as the parsers receive them: the project decodes files strictly, so parsers only
    ever see valid text (never lone surrogates)."""
    return data.decode("utf-8", "replace")


def _halves(data: bytes) -> tuple[str, str]:
    """Patterns and paths for the ignore target: split on the first NUL (or the middle)."""
    cut = data.find(b"\0")
    if cut < 0:
        cut = len(data) // 2
        return text_of(data[:cut]), text_of(data[cut:])
    return text_of(data[:cut]), text_of(data[cut + 1 :])


# --------------------------------------------------------------------------- parsers


def yaml_target(data: bytes) -> None:
    """The compose loader: YamlError or a tree of YMap/YSeq/scalars with sane spans."""
    from docker_standard.findings import Span
    from docker_standard.model import compose as cm
    from docker_standard.model.yamltree import YamlError, YMap, YSeq, load_documents, walk_strings

    try:
        documents = load_documents(text_of(data), "compose.yaml")
    except YamlError as exc:
        assert isinstance(exc.line, int) and exc.line >= 1, exc.line
        assert isinstance(exc.column, int) and exc.column >= 1, exc.column
        assert exc.message, "a YAML error without a message"
        return
    for document in documents:
        for _text, span, _in_list in walk_strings(document, Span("compose.yaml")):
            assert span.line >= 1 and span.column >= 1, span
        seen: set[int] = set()
        todo = [document]
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, YMap):
                for key, value in node.items():
                    assert isinstance(key, str), f"non-string key {key!r}"
                    todo.append(value)
            elif isinstance(node, YSeq):
                todo.extend(node)
    mappings = [d for d in documents if isinstance(d, YMap)]
    if mappings and len(mappings) == len([d for d in documents if d is not None]):
        cm.merge_documents(mappings)


def dotenv_target(data: bytes) -> None:
    """parse_dotenv never raises, whatever the text, in every mode."""
    from docker_standard.model.dotenv import parse_dotenv

    text = text_of(data)
    for parsed in (
        parse_dotenv(text),
        parse_dotenv(text, interpolate=False),
        parse_dotenv(text, lambda name: "x" if len(name) % 2 else None),
    ):
        for entry in parsed.entries:
            assert entry.line >= 1 and entry.column >= 1 and entry.end_line >= entry.line
        for problem in parsed.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
        parsed.as_dict()
        parsed.keys()


def dockerfile_target(data: bytes) -> None:
    """parse_dockerfile raises only DockerfileError; the stage model answers every question, and
    every instruction's shell parses."""
    from docker_standard.model.dockerfile import (
        DockerfileError,
        is_root_user,
        parse_dockerfile,
        substitute_args,
    )

    text = text_of(data)
    try:
        dockerfile = parse_dockerfile(text, "Dockerfile")
    except DockerfileError as exc:
        assert exc.line >= 1 and exc.column >= 1, (exc.line, exc.column)
        assert str(exc)
        return
    for stage in dockerfile.stages:
        is_root_user(stage.user)
        stage.user_instruction()
        stage.healthcheck()
        dict(stage.env)
    for instruction in dockerfile.instructions:
        assert instruction.line >= 1 and instruction.end_line >= instruction.line
        instruction.assignments()
        substitute_args(instruction.value, dict(dockerfile.global_args), escape=dockerfile.escape)
        for command in instruction.shell().steps():  # model/shell.py never raises either
            assert command.raw
            _ = command.name, command.script
    if dockerfile.final_stage is not None:
        dockerfile.stage_named(dockerfile.final_stage.name or "x")


def interpolation_target(data: bytes) -> None:
    """references / substitute / literal_parts / has_references never raise and agree."""
    from docker_standard.model.interpolation import (
        compose_error,
        has_references,
        literal_parts,
        references,
        substitute,
    )

    text = text_of(data)
    found = references(text)
    for ref in found:
        assert 0 <= ref.start < ref.end <= len(text), (ref.start, ref.end, len(text))
    assert has_references(text) == bool(found), "has_references disagrees with references"
    literal_parts(text)
    for lookup in (lambda _n: None, lambda _n: "", lambda name: name.lower()):
        result = substitute(text, lookup)
        assert isinstance(result.value, str)
        for error in result.errors:
            compose_error(error, "services.app.environment.X")


def ignore_target(data: bytes) -> None:
    """.dockerignore matching and the outside-git .gitignore matcher never raise; the
    matcher's candidate filter gives pathspec's own answer."""
    from docker_standard.model.dockerignore import parse_dockerignore
    from docker_standard.model.git import GitStatus, _IgnoreFile, compile_gitignore

    patterns, paths_text = _halves(data)
    dockerignore = parse_dockerignore(patterns)
    lines = patterns.splitlines()
    status = GitStatus(Path("."), False, _gitignores={"": lines, "sub": lines[::2]})
    whole = compile_gitignore([line for line in lines if line.strip() and not line.startswith("#")])
    filtered = _IgnoreFile(lines)
    for path in paths_text.split("\n")[:50]:
        path = path.strip("/") or "x"
        dockerignore.excluded(path)
        status.is_ignored(path)
        assert bool(filtered.spec_for(path).match_file(path)) == bool(whole.match_file(path)), (
            f"the candidate filter changes the verdict for {path!r}"
        )


# --------------------------------------------------------------------------- end to end

#: The files of a fuzzed project, in the order the input's sections fill them.
SECTION_FILES = (
    "compose.yaml",
    "Dockerfile",
    ".env.example",
    ".env",
    ".dockerignore",
    ".gitignore",
    "compose.override.yaml",
    ".docker-standard.yaml",
    "pyproject.toml",
)
#: The line between sections of a ``check`` input (regression files stay readable).
SEPARATOR = b"\n=====\n"

_WORKDIR: Path | None = None


def _workdir() -> Path:
    global _WORKDIR
    if _WORKDIR is None:
        _WORKDIR = Path(tempfile.mkdtemp(prefix="ds-fuzz-"))
        atexit.register(shutil.rmtree, _WORKDIR, True)
    return _WORKDIR


def write_sections(data: bytes, root: Path) -> None:
    """Lay out a ``check`` input as a project: section *i* becomes ``SECTION_FILES[i]``.

    An empty section means no such file. The part of a section after a ``\\0\\0`` goes to
    ``sub/`` under the same name, so nested stacks and nested ignores get fuzzed too.
    """
    for index, chunk in enumerate(data.split(SEPARATOR)[: len(SECTION_FILES)]):
        name = SECTION_FILES[index]
        top, _, nested = chunk.partition(b"\0\0")
        if top:
            (root / name).write_bytes(top)
        if nested:
            (root / "sub").mkdir(exist_ok=True)
            (root / "sub" / name).write_bytes(nested)


MODES = ("plain", "diff", "fix")


def check_target(data: bytes, mode: str | None = None) -> None:
    """``docker-standard check`` on a project made of the input: never an exception (a bad
    configuration file is the one allowed error), every format renders, and nothing written
    without ``--fix``.

    Unless ``mode`` says (``plain``, ``diff``, ``fix``), the input's length picks it, so the
    fuzzer explores all three; ``fix`` writes, inside the scratch folder only.
    """
    from docker_standard.check import check_project
    from docker_standard.config import ConfigError
    from docker_standard.formatters import FORMATS, render
    from docker_standard.variables import render_variables, stack_variables

    root = _workdir() / "project"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    write_sections(data, root)
    mode = mode or MODES[len(data) % 3]
    before = snapshot(root) if mode != "fix" else None
    try:
        report = check_project(
            [str(root)], select=("DS",), diff=mode == "diff", fix=mode == "fix"
        )
    except ConfigError:
        return
    for fmt in FORMATS:
        render(fmt, report)
    if mode == "plain":
        try:
            stacks = stack_variables(str(root))
        except ConfigError:
            return
        render_variables(stacks, "json")
        render_variables(stacks, "text")
    if before is not None:
        assert snapshot(root) == before, "check wrote to the project without --fix"


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file below ``root``: mode, mtime and content."""
    found: dict[str, tuple[int, int, bytes]] = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            info = path.lstat()
            content = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
            found[str(path.relative_to(root))] = (info.st_mode, info.st_mtime_ns, content)
    return found


TARGETS: dict[str, Callable[[bytes], None]] = {
    "yaml": yaml_target,
    "dotenv": dotenv_target,
    "dockerfile": dockerfile_target,
    "interpolation": interpolation_target,
    "ignore": ignore_target,
    "check": check_target,
}
