"""DS205 dockerfile-secret-in-env: credentials baked into ENV or ARG."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import crlf, syntax_variants

AWS_KEY = "AKIAIOSFODNN7EXAMPLF"
GITHUB_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0" + "k1L2m3N4o5P6q7R8"


def df(*lines: str) -> dict[str, str]:
    return {"Dockerfile": "FROM python:3.12-slim\n" + "".join(f"{line}\n" for line in lines)}


CASES = [
    pytest.param(df("ENV POSTGRES_PASSWORD=hunter2  # expect: DS205"), id="literal password"),
    pytest.param(df("ENV POSTGRES_PASSWORD hunter2  # expect: DS205"), id="legacy ENV form"),
    pytest.param(df('ENV SECRET_KEY="Kq8 Lm2 Xv9"  # expect: DS205'), id="quoted value"),
    pytest.param(df("ARG API_TOKEN=abc123  # expect: DS205"), id="ARG default"),
    pytest.param(
        {"Dockerfile": "ARG NPM_TOKEN=f7Qz2Lw9  # expect: DS205\nFROM node:22\n"},
        id="global ARG default",
    ),
    pytest.param(df("ARG API_TOKEN"), id="ARG without value"),
    pytest.param(df('ENV DB_PASSWORD=""'), id="empty value"),
    pytest.param(df("ENV DB_PASSWORD=${DB_PASSWORD}"), id="reference"),
    pytest.param(df("ARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD"), id="from a build argument"),
    pytest.param(
        df("ENV DB_PASSWORD=${DB_PASSWORD:-hunter2}  # expect: DS205"),
        id="literal default of a reference",
    ),
    pytest.param(df("ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password"), id="_FILE path"),
    pytest.param(df("ENV TOKEN_URL=https://auth.example.com/token"), id="TOKEN_URL"),
    pytest.param(df("ENV API_KEY_HEADER=X-Api-Key"), id="API_KEY_HEADER"),
    pytest.param(df("ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes"), id="a switch"),
    pytest.param(df("ENV DB_PASSWORD=changeme", "ARG SECRET_KEY=build-time-dummy",
                    "ENV JWT_SECRET=your_jwt_secret_here", "ENV POSTGRES_PASSWORD=postgres",
                    "ENV DB_PASSWORD=magical_password", "ARG OPENAI_API_KEY=sk-"),
                 id="build-time dummies are no secrets"),
    pytest.param(df("ENV GOOGLE_APPLICATION_CREDENTIALS=/run/app/key.json",
                    'ENV DATABASE_URL="postgresql://placeholder:placeholder@localhost:5432/x"'),
                 id="a path under a credential name, a placeholder password in a URL (r11)"),
    pytest.param(df("ENV PAPERLESS_DBPASS=Kq8zLm2Xv9  # expect: DS205",
                    "ENV PGPASSWORD=Kq8zLm2Xv9  # expect: DS205",
                    "ENV STRIPE_KEY=Kq8zLm2Xv9  # expect: DS205",
                    "ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305",
                    "ENV CACHE_BYPASS=Kq8zLm2Xv9"),
                 id="run-together credential names; a GPG key id is public"),
    pytest.param(df("ENV DB_USER=app DB_HOST=db"), id="not credentials"),
    pytest.param(
        df("ENV DATABASE_URL=postgresql://app:Sup3rS3cretPw@db/app  # expect: DS205"),
        id="DSN with a literal password",
    ),
    pytest.param(
        df("ENV DATABASE_URL=postgresql://app:${DB_PASSWORD}@db/app"),
        id="DSN with a referenced password",
    ),
    pytest.param(df("ENV DATABASE_URL=postgresql://app@db/app"), id="DSN without password"),
    pytest.param(df(f"ENV SOME_SETTING={AWS_KEY}  # expect: DS205"), id="AWS key by pattern"),
    pytest.param(df(f"ARG GH={GITHUB_TOKEN}  # expect: DS205"), id="GitHub token by pattern"),
    pytest.param(
        df("ENV A=1 \\  # expect: DS205", "    DB_PASSWORD=hunter2 \\", "    B=2"),
        id="continuation: at the ENV line",
    ),
    pytest.param(df("env db_password=hunter2  # expect: DS205"), id="lower-case"),
    pytest.param(
        {"Dockerfile": crlf("FROM python:3.12\nENV DB_PASSWORD=hunter2  # expect: DS205\n")},
        id="CRLF",
    ),
    pytest.param(
        df("RUN <<EOF", "ENV DB_PASSWORD=hunter2", "EOF"), id="heredoc body is not an instruction"
    ),
    pytest.param(
        {
            "Dockerfile": "# escape=`\nFROM python:3.12-slim\n"
            "ENV A=1 `  # expect: DS205\n    DB_PASSWORD=hunter2\n"
        },
        id="escape directive",
    ),
]

CASES += syntax_variants(
    {"Dockerfile": "FROM a:1\nENV A=1 \\  # expect: DS205\n  DB_PASSWORD=hunter2\n"}
)


@pytest.mark.parametrize("files", CASES)
def test_ds205(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS205",)), ("DS205",))


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("ENV POSTGRES_PASSWORD=Sup3rS3cretPw", "Sup3rS3cretPw"),
        ("ENV DATABASE_URL=postgresql://app:Sup3rS3cretPw@db/app", "Sup3rS3cretPw"),
        (f"ENV SOME_SETTING={AWS_KEY}", AWS_KEY),
    ],
)
def test_value_never_printed(lint, line: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(df(line), select=("DS205",))
    assert len(findings) == 1
    assert secret not in findings[0].message
    assert secret[2:-2] not in findings[0].message


def test_precision_r11_path_and_placeholder_url(lint) -> None:  # type: ignore[no-untyped-def]
    """precision/r11: a file path under a credential name and a `placeholder:placeholder`
    URL are no secrets."""
    from conftest import shared

    text = shared("precision", "r11", "Dockerfile").read_text(encoding="utf-8")
    findings, _ = lint({"Dockerfile": text}, select=("DS205",))
    assert findings == []
