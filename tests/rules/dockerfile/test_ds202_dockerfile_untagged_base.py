"""DS202 dockerfile-untagged-base: FROM without a tag or digest, or with an unknowable tag."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

DIGEST = "sha256:" + "a" * 64

CASES = [
    pytest.param({"Dockerfile": "FROM debian  # expect: DS202\n"}, id="untagged"),
    pytest.param({"Dockerfile": "FROM debian:12\n"}, id="tagged"),
    pytest.param({"Dockerfile": f"FROM debian@{DIGEST}\n"}, id="digest"),
    pytest.param({"Dockerfile": "FROM debian:latest\n"}, id="latest is DS203's business"),
    pytest.param(
        {"Dockerfile": "FROM registry:5000/team/img  # expect: DS202\n"},
        id="registry port is not a tag",
    ),
    pytest.param({"Dockerfile": "FROM registry:5000/team/img:1.2\n"}, id="registry port and tag"),
    pytest.param(
        {"Dockerfile": "FROM localhost:5000/debian  # expect: DS202\n"},
        id="localhost registry port",
    ),
    pytest.param({"Dockerfile": "FROM ghcr.io/acme/base  # expect: DS202\n"}, id="ghcr untagged"),
    pytest.param({"Dockerfile": "FROM scratch\n"}, id="scratch is not an image"),
    pytest.param(
        {"Dockerfile": "FROM debian:12 AS builder\nFROM builder\n"}, id="stage name is not an image"
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12 AS Builder\nFROM BUILDER\n"},
        id="stage names are case-insensitive",
    ),
    pytest.param(
        {"Dockerfile": "FROM builder  # expect: DS202\nFROM debian:12 AS builder\n"},
        id="a later stage's name is an image",
    ),
    pytest.param(
        {"Dockerfile": "ARG BASE=python\nFROM ${BASE}  # expect: DS202\n"},
        id="untagged ARG default",
    ),
    pytest.param(
        {"Dockerfile": "ARG BASE=python:3.12-slim\nFROM ${BASE}\n"}, id="tagged ARG default"
    ),
    pytest.param(
        {"Dockerfile": "ARG BASE\nFROM ${BASE}  # expect: DS202\n"},
        id="ARG without default: unresolvable",
    ),
    pytest.param(
        {"Dockerfile": "ARG PY\nFROM python:${PY}-slim  # expect: DS202\n"},
        id="tag from an ARG without default",
    ),
    pytest.param(
        {"Dockerfile": "ARG PY=3.12\nFROM python:${PY}-slim\n"}, id="tag from an ARG default"
    ),
    pytest.param(
        {"Dockerfile": "ARG REGISTRY\nFROM ${REGISTRY}/python:3.12\n"},
        id="unknown registry, literal tag",
    ),
    pytest.param(
        {"Dockerfile": "ARG REGISTRY\nFROM ${REGISTRY}/python  # expect: DS202\n"},
        id="unknown registry, no tag",
    ),
    pytest.param(
        {"Dockerfile": "ARG REG\nARG IMG=${REG}/python:3.12\nFROM ${IMG}\n"},
        id="ARG built from another ARG",
    ),
    pytest.param({"Dockerfile": "FROM ${NOPE}:1  # expect: DS202\n"}, id="undeclared variable"),
    pytest.param(
        {
            "Dockerfile": "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n"
            "FROM --platform=$BUILDPLATFORM golang AS t  # expect: DS202\n"
        },
        id="platform flag",
    ),
    pytest.param(
        {"Dockerfile": "FROM example/tool:${TARGETARCH}\n"},
        id="automatic platform ARG always has a value",
    ),
    pytest.param(
        {"Dockerfile": "FROM example/tool-${TARGETARCH}  # expect: DS202\n"},
        id="automatic platform ARG in the name, no tag",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"BASE": "python:3.12"})),
            "Dockerfile": "ARG BASE\nFROM ${BASE}\n",
        },
        id="compose build.args supply the ARG",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"BASE": "python"})),
            "Dockerfile": "ARG BASE\nFROM ${BASE}  # expect: DS202\n",
        },
        id="compose build.args supply an untagged image",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service("a", args={"BASE": "python:3.12"}), service("b")),
            "Dockerfile": "ARG BASE\nFROM ${BASE}  # expect: DS202\n",
        },
        id="one building service does not pass the ARG",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"PY_TAG": "${PY_TAG:-3.12}"})),
            "Dockerfile": "ARG PY_TAG\nFROM python:${PY_TAG}\n",
        },
        id="build arg interpolated with its default",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"OTHER": "x"})),
            "Dockerfile": "ARG BASE=python:3.12\nFROM ${BASE}\nARG OTHER\n",
        },
        id="build args that do not reach FROM",
    ),
    pytest.param({"Dockerfile": "from debian  # expect: DS202\n"}, id="lower-case"),
    pytest.param(
        {"Dockerfile": crlf("FROM debian:12 AS a\nFROM debian  # expect: DS202\n")}, id="CRLF"
    ),
    pytest.param(
        {
            "Dockerfile": "# syntax=docker/dockerfile:1\n# escape=`\n"
            "FROM `  # expect: DS202\n  # a comment\n  debian\n"
        },
        id="directives and continuation: at the FROM line",
    ),
]

CASES += syntax_variants(
    {
        "Dockerfile": "ARG BASE=debian\nFROM alpine:3.20 AS a\nFROM ${BASE}  # expect: DS202\n"
        "COPY --from=a /x \\\n  /x\n"
    }
)


@pytest.mark.parametrize("files", CASES)
def test_ds202(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS202",)), ("DS202",))


@pytest.mark.parametrize(
    ("files", "wanted"),
    [
        ({"Dockerfile": "FROM debian\n"}, "has no tag or digest"),
        ({"Dockerfile": "ARG B=debian\nFROM $B\n"}, "'$B' (= 'debian' with the ARG defaults)"),
        ({"Dockerfile": "ARG BASE\nFROM ${BASE}\n"}, "cannot be checked: ARG BASE has no default"),
        (
            {
                "compose.yaml": compose(service("a", args={"B": "debian:12"}), service("b")),
                "Dockerfile": "ARG B\nFROM ${B}\n",
            },
            "not every compose service that builds",
        ),
        ({"Dockerfile": "FROM ${X}:1\n"}, "is not declared by an ARG"),
        (
            {
                "compose.yaml": compose(service("api", args={"B": "debian"})),
                "Dockerfile": "ARG B\nFROM ${B}\n",
            },
            "for service 'api', whose build.args set B=debian",
        ),
    ],
)
def test_messages(lint, files, wanted: str) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(files, select=("DS202",))
    assert len(findings) == 1
    assert wanted in findings[0].message
