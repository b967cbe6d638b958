"""DS201 dockerfile-root-user: the stage that runs has no USER or a root USER."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

CASES = [
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20  # expect: DS201\nRUN echo hi\n"},
        id="no USER: at the final FROM",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nUSER root  # expect: DS201\n"}, id="last USER root"
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nUSER root\nRUN apk add curl\nUSER app\n"},
        id="root then app",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nUSER app\nUSER root  # expect: DS201\n"},
        id="app then root",
    ),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nUSER 0  # expect: DS201\n"}, id="uid 0"),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nUSER 0:0  # expect: DS201\n"}, id="0:0"),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nUSER root:root  # expect: DS201\n"}, id="root:root"
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nUSER 0:10001  # expect: DS201\n"},
        id="uid 0 with another group",
    ),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nUSER 10001:10001\n"}, id="numeric non-root"),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nUSER app:app\n"}, id="app:app"),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nUSER nobody\n"}, id="nobody"),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nUSER 00  # expect: DS201\n"}, id="uid 00 is 0"),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nARG UID=0\nUSER ${UID}  # expect: DS201\n"},
        id="ARG default 0",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nARG UID=10001\nUSER ${UID}:${UID}\n"},
        id="ARG default non-root",
    ),
    pytest.param(
        {"Dockerfile": "ARG UID=0\nFROM alpine:3.20\nARG UID\nUSER $UID  # expect: DS201\n"},
        id="global ARG 0 brought into the stage",
    ),
    pytest.param(
        {"Dockerfile": "ARG UID=10001\nFROM alpine:3.20\nUSER ${UID}  # expect: DS201\n"},
        id="global ARG not re-declared: empty user is root",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nARG UID\nUSER ${UID}\n"},
        id="ARG without default: a build argument decides",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM golang:1.23 AS build\nUSER nobody\nRUN go build\n"
            "FROM alpine:3.20  # expect: DS201\nCOPY --from=build /x /x\n"
        },
        id="USER in the builder only",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN echo hi\n"},
        id="inherits USER from the stage it is built on",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM alpine:3.20 AS base\nUSER root  # expect: DS201\n"
            "FROM base\nRUN echo hi\n"
        },
        id="inherited root: at the deciding USER",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20 AS Base\nUSER app\nFROM BASE\n"},
        id="stage names are case-insensitive",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM alpine:3.20 AS build\nUSER app\n"
            "FROM scratch  # expect: DS201\nCOPY --from=build /x /x\n"
        },
        id="scratch starts as root",
    ),
    pytest.param(
        {"Dockerfile": "FROM scratch\nCOPY app /app\nUSER 65534:65534\n"}, id="scratch with a USER"
    ),
    pytest.param(
        {"Dockerfile": "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /\n"},
        id="nonroot variant of the base image",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM --platform=$BUILDPLATFORM alpine:3.20 AS b\nUSER app\n"
            "FROM --platform=$TARGETPLATFORM b\n"
        },
        id="platform flags",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(target="dev")),
            "Dockerfile": "FROM python:3.12 AS dev  # expect: DS201\nRUN pip install debugpy\n"
            "FROM python:3.12-slim\nUSER nobody\n",
        },
        id="build.target stage runs as root",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(target="prod")),
            "Dockerfile": "FROM python:3.12-slim AS prod\nUSER nobody\n"
            "FROM prod AS debug\nUSER root  # expect: DS201\n",
        },
        id="final stage still judged when a service targets another",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(target="missing")),
            "Dockerfile": "FROM python:3.12-slim  # expect: DS201\n",
        },
        id="unknown target falls back to the final stage",
    ),
    pytest.param(
        {
            "Dockerfile": "# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.20\n"
            "RUN echo a `\n  # a comment inside the continuation\n  && echo b\n"
            "USER `  # expect: DS201\n  root\n"
        },
        id="escape directive and continuation",
    ),
    pytest.param(
        {"Dockerfile": "from alpine:3.20\nuser root  # expect: DS201\n"},
        id="lower-case instructions",
    ),
    pytest.param(
        {"Dockerfile": crlf("FROM alpine:3.20\nUSER app\nUSER root  # expect: DS201\n")}, id="CRLF"
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nRUN <<EOF\nUSER root\nEOF\nUSER app\n"},
        id="USER inside a heredoc body is not an instruction",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\nUSER root  # expect: DS201\n"},
        id="heredoc before the USER",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\n# docker-standard: ignore=DS201\nUSER root\n"},
        id="inline suppression",
    ),
]

CASES += syntax_variants(
    {
        "Dockerfile": "FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN apk add \\\n    curl\n"
        "USER root  # expect: DS201\n"
    }
)


@pytest.mark.parametrize("files", CASES)
def test_ds201(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS201",)), ("DS201",))


@pytest.mark.parametrize(
    ("dockerfile", "wanted"),
    [
        ("FROM alpine:3.20\n", "sets no USER"),
        ("FROM scratch\n", "FROM scratch"),
        ("FROM alpine:3.20\nARG UID=0\nUSER ${UID}\n", "'${UID}' (= '0' with the ARG defaults)"),
        ("ARG UID=1\nFROM alpine:3.20\nUSER ${UID}\n", "empty"),
        ("FROM alpine:3.20 AS a\nUSER root\nFROM a\n", "inherited"),
    ],
)
def test_messages(lint, dockerfile: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"Dockerfile": dockerfile}, select=("DS201",))
    assert len(findings) == 1
    assert wanted in findings[0].message


def test_target_stage_is_named(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        "compose.yaml": compose(service("api", target="dev")),
        "Dockerfile": "FROM python:3.12 AS dev\nFROM python:3.12-slim\nUSER nobody\n",
    }
    findings, _ = lint(files, select=("DS201",))
    assert [f.message.split(" runs as root")[0] for f in findings] == [
        "stage 'dev' (the build.target of service 'api')"
    ]


KNOWN_USERS = [
    pytest.param({"Dockerfile": "FROM grafana/grafana:11.2.0\n"}, id="grafana runs as 472"),
    pytest.param(
        {"Dockerfile": "FROM grafana/grafana:5.0.4  # expect: DS201\n"},
        id="grafana before 5.1 ran as root",
    ),
    pytest.param(
        {"Dockerfile": "ARG V\nFROM grafana/grafana:${V}  # expect: DS201\n"},
        id="variable tag: grafana has root tags, so no claim",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(args={"V": "11.2.0"})),
            "Dockerfile": "ARG V\nFROM grafana/grafana:${V}\n",
        },
        id="the building service's build.args give the tag",
    ),
    pytest.param(
        {"Dockerfile": "FROM docker.elastic.co/elasticsearch/elasticsearch:8.15.0\n"},
        id="elasticsearch runs as 1000",
    ),
    pytest.param(
        {"Dockerfile": "FROM docker.elastic.co/kibana/kibana:latest  # expect: DS201\n"},
        id="no version: kibana's oldest tags are unknown",
    ),
    pytest.param(
        {"Dockerfile": "FROM mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04\n"},
        id="mssql 2022 runs as 10001",
    ),
    pytest.param(
        {"Dockerfile": "FROM mcr.microsoft.com/mssql/server:2017-latest  # expect: DS201\n"},
        id="mssql 2017 runs as root",
    ),
    pytest.param({"Dockerfile": "FROM bitnami/postgresql:16.4.0\n"}, id="bitnami app image"),
    pytest.param(
        {"Dockerfile": "FROM bitnami/minideb:bookworm  # expect: DS201\n"},
        id="bitnami minideb runs as root",
    ),
    pytest.param(
        {"Dockerfile": "FROM nginxinc/nginx-unprivileged:1.27-alpine\n"},
        id="nginx-unprivileged",
    ),
    pytest.param(
        {"Dockerfile": "FROM cgr.dev/chainguard/wolfi-base:latest  # expect: DS201\n"},
        id="chainguard wolfi-base runs as root",
    ),
    pytest.param({"Dockerfile": "FROM cgr.dev/chainguard/python:latest\n"}, id="chainguard app"),
    pytest.param(
        {"Dockerfile": "FROM grafana/grafana:11.2.0\nUSER root  # expect: DS201\n"},
        id="an explicit USER root wins over the base image",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(extra="    user: \"1000:1000\"\n")),
            "Dockerfile": "FROM python:3.12-slim\n",
        },
        id="compose user non-root on the service that builds it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(extra="    user: \"${UID:-1000}\"\n")),
            "Dockerfile": "FROM python:3.12-slim\n",
        },
        id="compose user from a variable default",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(extra="    user: root\n")),
            "Dockerfile": "FROM python:3.12-slim  # expect: DS201\n",
        },
        id="compose user root keeps it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(
                service("a", extra="    user: \"1000\"\n"), service("b", extra="")
            ),
            "Dockerfile": "FROM python:3.12-slim  # expect: DS201\n",
        },
        id="one building service without user keeps it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(extra="    user: \"${UID}\"\n")),
            "Dockerfile": "FROM python:3.12-slim  # expect: DS201\n",
        },
        id="compose user a fresh clone cannot resolve",
    ),
]


@pytest.mark.parametrize("files", KNOWN_USERS)
def test_ds201_known_base_users(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS201",)), ("DS201",))


def test_table_verdict_root_is_named(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {"Dockerfile": "FROM mcr.microsoft.com/mssql/server:2017-latest\n"}, select=("DS201",)
    )
    assert len(findings) == 1
    message = findings[0].message
    assert "mcr.microsoft.com/mssql/server (before 2019) runs as root" in message
    assert "https://learn.microsoft.com/" in message


def test_precision_r6_grafana(lint) -> None:  # type: ignore[no-untyped-def]
    """../shared/precision/r6: FROM grafana/grafana:11.2.0 without USER runs as uid 472."""
    from conftest import shared

    root = shared("precision", "r6")
    files = {p.name: p.read_text(encoding="utf-8") for p in root.iterdir() if p.is_file()}
    findings, _ = lint(files, select=("DS201",))
    assert findings == []
