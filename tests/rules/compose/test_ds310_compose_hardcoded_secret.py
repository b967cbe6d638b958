"""DS310 compose-hardcoded-secret: literal credentials, never interpolated ones."""

from __future__ import annotations

import pytest
from conftest import assert_findings

GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" + "K1l2M3n4O5p6Q7r8"  # 36 chars after the prefix
AWS = "AKIA" + "IOSFODNN7EXAMPLE"


def env(*lines: str) -> str:
    return "services:\n  api:\n    image: a/b:1\n    environment:\n" + "".join(
        f"      {line}\n" for line in lines
    )


CASES = [
    pytest.param({"compose.yaml": env("POSTGRES_PASSWORD: hunter2  # expect: DS310")},
                 id="literal password, map form"),
    pytest.param({"compose.yaml": env("- POSTGRES_PASSWORD=hunter2  # expect: DS310")},
                 id="literal password, list form"),
    pytest.param({"compose.yaml": env("REDIS_PASSWORD: changeme  # expect: DS310")},
                 id="a placeholder in a compose file is still a credential"),
    pytest.param({"compose.yaml": env("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}",
                                      "API_TOKEN: ${API_TOKEN:?set it in .env}",
                                      "DB_PASS: ${DB_PASS:-}")},
                 id="interpolated values"),
    pytest.param({"compose.yaml": env("POSTGRES_PASSWORD: ${PW:-hunter2}  # expect: DS310")},
                 id="secret as an interpolation default"),
    pytest.param({"compose.yaml": env("APP_CONFIG: ${DB_PASSWORD:-hunter2}  # expect: DS310")},
                 id="default of a credential-named variable"),
    pytest.param({"compose.yaml": env("LOG_LEVEL: ${LOG_LEVEL:-debug}", "DB_HOST: db")},
                 id="ordinary defaults and values"),
    pytest.param({"compose.yaml": env("POSTGRES_PASSWORD_FILE: /run/secrets/db_password",
                                      "POSTGRES_USER: admin", "TOKEN_URL: https://auth/token",
                                      "API_KEY_HEADER: X-Api-Key", "AWS_ACCESS_KEY_ID_PATH: /k",
                                      "MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"",
                                      "MYSQL_RANDOM_ROOT_PASSWORD: \"1\"",
                                      "SMTP_AUTH: login", "PASSWORD_MIN_LENGTH: 12",
                                      "PWD: /srv", "DB_PASSWORD:")},
                 id="names that are not credentials, switches and pass-through"),
    pytest.param({"compose.yaml": env(
        "DATABASE_URL: postgresql://app:Sup3rS3cretPw@db:5432/app  # expect: DS310")},
                 id="literal password in a connection string"),
    pytest.param({"compose.yaml": env(
        "POSTGRES_DSN: postgresql+asyncpg://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db:5432/app",
        "REDIS_URL: redis://:${REDIS_PASSWORD}@redis:6379/0",
        "SENTRY_DSN: https://publickey@o1.ingest.sentry.io/1",
        "DATABASE_URL: postgresql://app@db/app")},
                 id="interpolated credentials in connection strings (compose-lint reports these)"),
    pytest.param({"compose.yaml": env(
        "REDIS_URL: redis://:${REDIS_PASSWORD:-changeme}@redis:6379/0  # expect: DS310")},
                 id="literal default inside a connection string"),
    pytest.param({"compose.yaml": env(
        "DATABASE_URL: ${DATABASE_URL:-postgres://u:pw@db/app}  # expect: DS310")},
                 id="connection string as a default"),
    pytest.param({"compose.yaml": env("POSTGRES_PASSWORD: $$DB_PASSWORD",
                                      "DATABASE_URL: postgres://u:$${PW}@db/app")},
                 id="escaped dollar: a runtime reference, not a literal"),
    pytest.param({"compose.yaml": env(f"SOME_SETTING: {GITHUB}  # expect: DS310")},
                 id="detect-secrets finds a token under any name"),
    pytest.param({"compose.yaml": env(f"AWS_ACCESS_KEY_ID: {AWS}  # expect: DS310")},
                 id="AWS access key id"),
    pytest.param({"compose.yaml": env("SECRET_KEY_BASE: 0a1b2c3d4e5f  # expect: DS310",
                                      "N8N_ENCRYPTION_KEY: abc  # expect: DS310",
                                      "apiKey: abc  # expect: DS310")},
                 id="qualified and camelCase names"),
    pytest.param({"compose.yaml": "services:\n  web:\n    image: traefik:3.1\n    labels:\n"
                                  "      - \"traefik.http.routers.web.rule=Host(`x`)\"\n"
                                  "      - \"traefik.http.middlewares.auth.basicauth.users="
                                  "admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/\""
                                  "  # expect: DS310\n"},
                 id="htpasswd in a traefik label"),
    pytest.param({"compose.yaml": "services:\n  api:\n    build:\n      context: .\n"
                                  "      args:\n        NPM_TOKEN: abc123  # expect: DS310\n"
                                  "        NODE_ENV: production\n",
                  "Dockerfile": "FROM node:20\n"},
                 id="build args"),
    pytest.param({"compose.yaml": "services:\n  cache:\n    image: redis:7\n"
                                  "    command: redis-server --requirepass hunter2"
                                  "  # expect: DS310\n"},
                 id="password flag in a command"),
    pytest.param({"compose.yaml": "services:\n  cache:\n    image: redis:7\n"
                                  "    command: redis-server --requirepass ${REDIS_PASSWORD}\n"
                                  "  other:\n    image: redis:7\n"
                                  "    command: [\"sh\", \"-c\", "
                                  "\"redis-server --requirepass $$REDIS_PASSWORD\"]\n"},
                 id="interpolated or shell-expanded command arguments"),
    pytest.param({"compose.yaml": "services:\n  db:\n    image: mysql:8\n    healthcheck:\n"
                                  "      test: [\"CMD\", \"mysqladmin\", \"ping\",\n"
                                  "             \"--password=hunter2\"]  # expect: DS310\n"},
                 id="healthcheck test, list item located on its own line"),
    pytest.param({"compose.yaml": "services:\n  job:\n    image: postgres:16\n"
                                  "    entrypoint: [\"sh\", \"-c\", "
                                  "\"PGPASSWORD=hunter2 psql -h db\"]  # expect: DS310\n"},
                 id="assignment inside sh -c"),
    pytest.param(
        {
            "docker-compose.yml": env("DB_PASSWORD: ${DB_PASSWORD}"),
            "docker-compose.dev.yml": "services:\n  api:\n    environment:\n"
                                      "      DB_PASSWORD: devpass  # expect: DS310\n",
        },
        id="located in the overlay that writes it",
    ),
    pytest.param({"compose.yaml": env("PAPERLESS_DBPASS: paperless  # expect: DS310",
                                      "STRIPE_KEY: Kq8zLm2Xv9Rt  # expect: DS310",
                                      "REDIS_REQUIREPASS: Kq8zLm2Xv9Rt  # expect: DS310",
                                      "PGPASSWORD: Kq8zLm2Xv9Rt  # expect: DS310",
                                      "GOOGLE_APPLICATION_CREDENTIALS: /run/app/key.json",
                                      "CACHE_KEY: sessions", "GPG_KEY: 7169605F62C751356D05")},
                 id="one judge of names: run-together names, paths, public keys"),
    pytest.param({"compose.yaml": "services:\n  cache:\n    image: bitnami/redis:7.2\n"
                                  "    healthcheck:\n"
                                  "      test: [\"CMD\", \"redis-cli\", \"-a\",\n"
                                  "             \"bitnami\", \"ping\"]  # expect: DS310\n"
                                  "  db:\n    image: mysql:8.4\n    healthcheck:\n"
                                  "      test: mysqladmin ping -uroot -pKq8zLm2Xv9Rt"
                                  "  # expect: DS310\n"
                                  "  mongo:\n    image: mongo:7\n"
                                  "    command: [\"mongosh\", \"-u\", \"root\", \"-p\",\n"
                                  "              \"Kq8zLm2Xv9Rt\"]  # expect: DS310\n"},
                 id="short password flags of database clients"),
    pytest.param({"compose.yaml": "services:\n  cache:\n    image: redis:7\n"
                                  "    command: [\"redis-server\", \"--requirepass\",\n"
                                  "              \"Kq8zLm2Xv9Rt\"]  # expect: DS310\n"
                                  "  db:\n    image: mysql:8.4\n    healthcheck:\n"
                                  "      test: [\"CMD-SHELL\", \"mysqladmin ping -p$$MYSQL_PWD\"]\n"
                                  "  tool:\n    image: a/b:1\n"
                                  "    command: [\"ls\", \"-a\", \"/data\"]\n"},
                 id="a flag and its value as two exec-form items"),
    pytest.param(
        {"compose.yaml": "x-env: &env\n  JWT_SECRET: s3cr3t  # expect: DS310\n"
                         "services:\n  api:\n    image: a/b:1\n    environment: *env\n"
                         "  worker:\n    image: a/w:1\n    environment: *env\n"},
        id="anchor shared by two services: one finding where the value is written",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds310(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS310",)), ("DS310",))


@pytest.mark.parametrize(
    "value",
    ["hunter2-very-secret", "postgresql://app:Sup3rS3cretPw@db/app", GITHUB,
     "${PW:-hunter2-very-secret}"],
)
def test_messages_never_show_the_secret(lint, value: str) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": env(f"DB_PASSWORD: \"{value}\"")}, select=("DS310",))
    assert len(findings) == 1
    message = findings[0].message
    for secret in ("hunter2", "Sup3rS3cretPw", GITHUB):
        assert secret not in message
    assert "DB_PASSWORD" in message and "'api'" in message


def test_the_standards_own_compose_has_no_hardcoded_secret(lint) -> None:  # type: ignore[no-untyped-def]
    from conftest import shared

    doc = shared("docs", "docker-standard.md").read_text(encoding="utf-8")
    compose = doc.split("### Complete Example\n\n```yaml\n", 1)[1].split("```", 1)[0]
    findings, _ = lint({"docker-compose.yml": compose}, select=("DS310",))
    assert findings == []


def _message(lint, line: str) -> str:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": env(line)}, select=("DS310",))
    assert len(findings) == 1
    return str(findings[0].message)


def test_a_placeholder_is_moved_to_the_template_not_rotated(lint) -> None:  # type: ignore[no-untyped-def]
    message = _message(lint, "APP_SECRET: REPLACE_ME")
    assert "placeholder" in message and ".env.example" in message
    assert "rotate" not in message and "REPLACE_ME" not in message


def test_a_real_value_is_rotated(lint) -> None:  # type: ignore[no-untyped-def]
    message = _message(lint, "APP_SECRET: Kq8zLm2Xv9Rt")
    assert "rotate" in message and "untracked .env" in message
    assert "Kq8zLm2Xv9Rt" not in message


def test_the_message_blames_the_password_default(lint) -> None:  # type: ignore[no-untyped-def]
    """genai-stack: the username's default is no secret; the password's is."""
    message = _message(lint, "- NEO4J_AUTH=${NEO4J_USERNAME-neo4j}/${NEO4J_PASSWORD-password}")
    assert "${NEO4J_PASSWORD}" in message
    assert "NEO4J_USERNAME" not in message


def test_a_placeholder_default_is_dropped_not_moved(lint) -> None:  # type: ignore[no-untyped-def]
    """Nobody edits the file to override a default: the risk is a clone that forgets to set
    the variable, so the advice is to drop the default."""
    message = _message(lint, "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}")
    assert "drop the default" in message and "${POSTGRES_PASSWORD:?" in message
    assert "edit this tracked file" not in message and "rotate" not in message
