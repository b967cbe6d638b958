"""The baseline on real projects (issue 13): baseline the shared corpus's apps, make 20 edits
that add a violation and 20 that only move things around; exactly the 20 new ones are reported,
and no baseline entry goes stale."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import git, shared
from docker_standard.check import check_project
from docker_standard.config import Settings
from docker_standard.model.loading import load_project

EDITS = 20

# What each added service gets wrong, with the rule that must report it.
ADDED = [
    ("    image: redis:latest\n    restart: unless-stopped\n", "DS306"),
    ("    image: ghcr.io/acme/added:1.0.0\n    restart: unless-stopped\n    environment:\n"
     "      ADMIN_PASSWORD: Wq8-zL2v-Tn4x-pR7k\n", "DS310"),
    ("    image: ghcr.io/acme/added:1.0.0\n    restart: unless-stopped\n", "DS301"),
    ("    image: ghcr.io/acme/added:1.0.0\n    restart: \"no\"\n", "DS305"),
]


def _services_line(text: str) -> tuple[int, str] | None:
    """The line index of a top-level ``services:`` block and its services' indentation."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.rstrip() != "services:":
            continue
        for following in lines[index + 1:]:
            if not following.strip() or following.lstrip().startswith("#"):
                continue
            indent = following[: len(following) - len(following.lstrip())]
            return (index, indent) if indent else None
        return None
    return None


def add_service(text: str, number: int) -> str | None:
    found = _services_line(text)
    if found is None:
        return None
    index, indent = found
    body, _code = ADDED[number % len(ADDED)]
    block = f"{indent}added-{number}:\n" + "".join(
        f"{indent}{line[2:]}\n" for line in body.splitlines()
    )
    lines = text.splitlines(keepends=True)
    return "".join([*lines[: index + 1], block, *lines[index + 1:]])


def _top_blocks(text: str) -> list[str] | None:
    """The file cut before each top-level key; None when it holds anything else at column 0
    (a document marker, a comment, a flow collection)."""
    blocks: list[str] = []
    for line in text.splitlines(keepends=True):
        if line[:1] not in ("", " ", "\t", "\n", "\r") and re.match(r"[A-Za-z_x][\w.-]*:", line):
            blocks.append(line)
        elif not blocks or line.startswith(("#", "-", "%", "{")):
            return None
        else:
            blocks[-1] += line
    return blocks if len(blocks) > 1 else None


def _service_blocks(text: str) -> tuple[str, list[str], str] | None:
    found = _services_line(text)
    if found is None:
        return None
    index, indent = found
    lines = text.splitlines(keepends=True)
    head = "".join(lines[: index + 1])
    chunks: list[str] = []
    rest = index + 1
    for rest in range(index + 1, len(lines)):
        line = lines[rest]
        if line.strip() and not line.startswith((" ", "\t")):
            break
        if line.startswith(indent) and not line.startswith(indent + " ") and line.strip() \
                and not line.lstrip().startswith("#"):
            chunks.append(line)
        elif chunks:
            chunks[-1] += line
        elif line.strip():
            return None
    else:
        rest = len(lines)
    tail = "".join(lines[rest:]) if lines[rest:] and lines[rest].strip() else ""
    if len(chunks) < 2 or not chunks[-1].endswith("\n"):
        return None
    return head, chunks, tail


def move(text: str, number: int) -> str | None:
    """A change that moves things around without changing what the file says."""
    kind = number % 4
    if kind == 0:
        return "# kept by the platform team\n\n" + text
    if kind == 1:
        return text + ("" if text.endswith("\n") else "\n") + "\n# end of file\n"
    if "&" in text or "*" in text or "<<" in text:
        return None  # reordering could put an alias before its anchor
    if kind == 2:
        parts = _service_blocks(text)
        if parts is None:
            return None
        head, chunks, tail = parts
        return head + "".join(reversed(chunks)) + tail
    blocks = _top_blocks(text)
    if blocks is None or not blocks[-1].endswith("\n"):
        return None
    return "".join(reversed(blocks))


def _same_data(old: str, new: str) -> bool:
    try:
        return bool(yaml.safe_load(old) == yaml.safe_load(new))
    except yaml.YAMLError:
        return False


def test_a_baselined_corpus_reports_exactly_the_new_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "apps"
    shutil.copytree(shared("corpus", "apps"), root)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    git(root, "init", "-q")
    git(root, "add", "-A")
    monkeypatch.chdir(root)
    from docker_standard.baseline import make_baseline

    make_baseline(None)
    baseline = check_project([])
    assert not baseline.findings and len(baseline.baselined) > 1000

    # Base files of whole stacks get a new service; any other compose file a move.
    project = load_project(root, Settings(), is_repo=True)
    bases = sorted({s.base.path for s in project.stacks if not s.fragment})
    others = sorted({c.path for s in project.stacks for c in s.compose_files} - set(bases))
    added: dict[str, str] = {}
    moved: list[str] = []
    for path in bases:
        if len(added) == EDITS:
            break
        new = add_service((root / path).read_text(encoding="utf-8"), len(added))
        if new is not None:
            added[f"added-{len(added)}"] = ADDED[len(added) % len(ADDED)][1]
            (root / path).write_text(new, encoding="utf-8")
    for path in [*others, *bases[::-1]]:
        text = (root / path).read_text(encoding="utf-8")
        if len(moved) == EDITS or "added-" in text:
            continue
        new = move(text, len(moved))
        if new is not None and new != text and _same_data(text, new):
            moved.append(path)
            (root / path).write_text(new, encoding="utf-8")
    assert len(added) == EDITS and len(moved) == EDITS, (len(added), len(moved))
    assert {number % 4 for number in range(len(moved))} == {0, 1, 2, 3}

    report = check_project([])
    about = {f.subject.names[0] if f.subject else "" for f in report.findings}
    assert about == set(added), [f"{f.path}:{f.span.line} {f.code} {f.message}"
                                 for f in report.findings if f.subject is None
                                 or f.subject.names[0] not in added]
    for service, code in added.items():
        assert any(f.code == code and f.subject and f.subject.names[0] == service
                   for f in report.findings), (service, code)
    assert report.stale == 0
    assert len(report.baselined) == len(baseline.baselined)
