"""DS204 dockerfile-digest-unpinned (off by default): FROM image:tag without a digest."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import crlf, syntax_variants

DIGEST = "sha256:" + "c" * 64

CASES = [
    pytest.param({"Dockerfile": "FROM python:3.12-slim  # expect: DS204\n"}, id="tag only"),
    pytest.param({"Dockerfile": f"FROM python:3.12-slim@{DIGEST}\n"}, id="tag and digest"),
    pytest.param({"Dockerfile": f"FROM python@{DIGEST}\n"}, id="digest only"),
    pytest.param({"Dockerfile": "FROM python\n"}, id="untagged is DS202's business"),
    pytest.param({"Dockerfile": "FROM scratch\n"}, id="scratch"),
    pytest.param(
        {"Dockerfile": "FROM python:3.12 AS b  # expect: DS204\nFROM b\n"},
        id="stage reference is not judged again",
    ),
    pytest.param(
        {"Dockerfile": "ARG BASE=python:3.12\nFROM ${BASE}  # expect: DS204\n"},
        id="through an ARG default",
    ),
    pytest.param(
        {"Dockerfile": f"ARG BASE=python:3.12@{DIGEST}\nFROM ${{BASE}}\n"},
        id="digest through an ARG default",
    ),
    pytest.param({"Dockerfile": "ARG BASE\nFROM ${BASE}\n"}, id="unresolvable"),
    pytest.param(
        {"Dockerfile": "FROM registry:5000/team/img:1.2  # expect: DS204\n"}, id="registry port"
    ),
    pytest.param({"Dockerfile": crlf("FROM python:3.12  # expect: DS204\n")}, id="CRLF"),
]

CASES += syntax_variants({"Dockerfile": "FROM python:3.12  # expect: DS204\nRUN echo \\\n  hi\n"})


@pytest.mark.parametrize("files", CASES)
def test_ds204(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS204",)), ("DS204",))


def test_off_by_default(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"Dockerfile": "FROM python:3.12-slim\nUSER nobody\n"})
    assert "DS204" not in {f.code for f in findings}
    findings, _ = lint({"Dockerfile": "FROM python:3.12-slim\nUSER nobody\n"}, select=("DS",))
    assert "DS204" not in {f.code for f in findings}
