"""DS211 dockerfile-single-stage-toolchain: compilers shipped in a single-stage image."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import crlf, syntax_variants


def df(*lines: str) -> dict[str, str]:
    return {"Dockerfile": "FROM python:3.12-slim\n" + "".join(f"{line}\n" for line in lines)}


APT = "RUN apt-get update && apt-get install -y --no-install-recommends"

CASES = [
    pytest.param(df(f"{APT} gcc  # expect: DS211"), id="gcc"),
    pytest.param(df(f"{APT} build-essential libpq-dev  # expect: DS211"), id="build-essential"),
    pytest.param(df(f"{APT} libpq5 curl"), id="runtime libraries only"),
    pytest.param(df(f"{APT} python3-dev=3.11.2-1  # expect: DS211"), id="versioned headers"),
    pytest.param(df("RUN apk add --no-cache gcc musl-dev  # expect: DS211"), id="apk"),
    pytest.param(
        df(
            "RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\",
            "    && pip install psycopg2 \\",
            "    && apk del .build-deps",
        ),
        id="apk virtual group removed in the same RUN",
    ),
    pytest.param(
        df(f"{APT} gcc \\", "    && pip install x \\", "    && apt-get purge -y --auto-remove gcc"),
        id="purged in the same RUN",
    ),
    pytest.param(
        df(f"{APT} gcc && pip install x && apt-get autoremove -y"), id="autoremove in the same RUN"
    ),
    pytest.param(
        df(f"{APT} gcc make  # expect: DS211", "RUN apt-get purge -y gcc make"),
        id="removed in a later RUN: the layer keeps them",
    ),
    pytest.param(
        df(f"{APT} gcc  # expect: DS211", "RUN apk add make", f"{APT} cmake"),
        id="one finding per file, at the first RUN",
    ),
    pytest.param(
        df(f"{APT} gcc make \\  # expect: DS211", "    && apt-get purge -y gcc"),
        id="only some removed",
    ),
    pytest.param(df("RUN yum install -y gcc-c++ openssl-devel  # expect: DS211"), id="yum"),
    pytest.param(df("RUN dnf -y install cmake  # expect: DS211"), id="dnf, option first"),
    pytest.param(
        df("RUN apt-get install -y -o Dpkg::Options::=--force-confold gcc  # expect: DS211"),
        id="option with a value",
    ),
    pytest.param(
        df('RUN ["/bin/sh", "-c", "apt-get install -y clang"]  # expect: DS211'),
        id="exec form through sh -c",
    ),
    pytest.param(
        df(
            "RUN <<EOF  # expect: DS211",
            "set -e",
            "apt-get update",
            "apt-get install -y gcc",
            "EOF",
        ),
        id="heredoc script",
    ),
    pytest.param(df("RUN pip install gcc-python-plugin"), id="not a package manager"),
    pytest.param(df("RUN echo apt-get install gcc"), id="only echoed"),
    pytest.param(df("RUN apt-get update"), id="no install"),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS build\n" + APT + " gcc\n"
            "FROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv\n"
        },
        id="multi-stage",
    ),
    pytest.param(df("run apt-get install -y gcc  # expect: DS211"), id="lower-case"),
    pytest.param(
        {"Dockerfile": crlf("FROM python:3.12-slim\nRUN apk add gcc  # expect: DS211\n")}, id="CRLF"
    ),
    pytest.param(
        df("RUN apt-get install -y \\  # expect: DS211", "    # the compiler", "    gcc"),
        id="comment inside the continuation",
    ),
]

CASES += syntax_variants(
    {
        "Dockerfile": "FROM a:1\nRUN apt-get update \\  # expect: DS211\n"
        "  && apt-get install -y gcc\n"
    }
)


@pytest.mark.parametrize("files", CASES)
def test_ds211(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS211",)), ("DS211",))


def test_message_lists_the_packages(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(df(f"{APT} gcc libpq-dev curl"), select=("DS211",))
    assert len(findings) == 1
    assert "(gcc, libpq-dev)" in findings[0].message


def test_message_lists_the_lines_of_every_run(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(df(f"{APT} gcc", "RUN echo hi", "RUN apk add make"), select=("DS211",))
    assert len(findings) == 1
    assert "(gcc, make) in 2 RUNs (lines 2, 4)" in findings[0].message
