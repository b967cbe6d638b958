"""DS203 dockerfile-latest-tag: FROM image:latest, written or through an ARG."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

CASES = [
    pytest.param({"Dockerfile": "FROM debian:latest  # expect: DS203\n"}, id="latest"),
    pytest.param({"Dockerfile": "FROM debian:12\n"}, id="tagged"),
    pytest.param({"Dockerfile": "FROM debian\n"}, id="untagged is DS202's business"),
    pytest.param(
        {"Dockerfile": "FROM debian:latest@sha256:" + "b" * 64 + "\n"},
        id="a digest pins whatever the tag says",
    ),
    pytest.param(
        {"Dockerfile": "FROM registry:5000/team/img:latest  # expect: DS203\n"},
        id="registry port and latest",
    ),
    pytest.param(
        {"Dockerfile": "ARG BASE=python:latest\nFROM ${BASE}  # expect: DS203\n"},
        id="latest through an ARG default",
    ),
    pytest.param(
        {"Dockerfile": "ARG TAG=latest\nFROM python:$TAG  # expect: DS203\n"},
        id="tag ARG default latest",
    ),
    pytest.param(
        {"Dockerfile": "ARG TAG\nFROM python:${TAG:-latest}  # expect: DS203\n"},
        id="latest as the substitution default",
    ),
    pytest.param({"Dockerfile": "ARG BASE\nFROM ${BASE}\n"}, id="unresolvable is DS202's business"),
    pytest.param(
        {"Dockerfile": "FROM node:22 AS latest\nFROM latest\n"}, id="a stage called latest"
    ),
    pytest.param(
        {
            "Dockerfile": "FROM --platform=$BUILDPLATFORM node:latest AS b  # expect: DS203\n"
            "FROM b\n"
        },
        id="platform flag and stage name",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20 AS a\nFROM debian:latest AS b  # expect: DS203\nFROM a\n"},
        id="every stage is judged",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"TAG": "latest"})),
            "Dockerfile": "ARG TAG=3.12\nFROM python:${TAG}  # expect: DS203\n",
        },
        id="a service builds it with latest",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"TAG": "3.12"})),
            "Dockerfile": "ARG TAG\nFROM python:${TAG}\n",
        },
        id="a service pins the tag",
    ),
    pytest.param({"Dockerfile": "from debian:latest  # expect: DS203\n"}, id="lower-case"),
    pytest.param(
        {"Dockerfile": crlf("ARG B=debian:latest\nFROM $B  # expect: DS203\n")}, id="CRLF"
    ),
]

CASES += syntax_variants(
    {"Dockerfile": "ARG TAG=latest\nFROM python:${TAG}  # expect: DS203\nRUN echo \\\n  hi\n"}
)


@pytest.mark.parametrize("files", CASES)
def test_ds203(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS203",)), ("DS203",))


def test_message_shows_the_resolution(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"Dockerfile": "ARG BASE=python:latest\nFROM ${BASE}\n"}, select=("DS203",))
    assert [f.message.split(" uses")[0] for f in findings] == [
        "FROM '${BASE}' (= 'python:latest' with the ARG defaults)"
    ]
