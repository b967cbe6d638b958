"""The one judge of secrets (docker_standard.secrets): names, placeholders, places, commands,
the mask. DS107, DS205 and DS310 all ask it, so these answers hold for every rule.

Every "real" value below is random text made up for these tests.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from docker_standard.secrets import (
    Place,
    command_secrets,
    is_credential_name,
    is_placeholder,
    judge,
    mask,
)

REAL = "Kq8zLm2Xv9Rt"  # random, no word in it


@pytest.mark.parametrize(
    "name",
    [
        "POSTGRES_PASSWORD", "apiKey", "SECRET_KEY_BASE", "--requirepass", "JWT_SECRET",
        # where the compose and env copies used to disagree
        "STRIPE_KEY", "SMTP_AUTH", "REDIS_REQUIREPASS", "PGPASSWORD",
        # no underscore before the word
        "PAPERLESS_DBPASS", "DBPASSWORD", "MYSQLPASS", "BOTTOKEN", "POSTGRES_PWD",
        "ADMIN_PASSWORD_2", "traefik.http.middlewares.a.basicauth.users",
    ],
)
def test_credential_names(name: str) -> None:
    assert is_credential_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "POSTGRES_PASSWORD_FILE", "TOKEN_URL", "DB_USER", "API_KEY_HEADER", "AWS_ACCESS_KEY_ID",
        "PASSWORD_MIN_LENGTH", "JWT_TOKEN_EXPIRES_IN", "PWD", "OLDPWD", "CACHE_KEY", "GPG_KEY",
        "STRIPE_PUBLISHABLE_KEY", "CACHE_BYPASS", "KEY", "AUTH_DOMAIN", "SECRETS_DIR",
    ],
)
def test_not_credential_names(name: str) -> None:
    assert not is_credential_name(name)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # issue 10: placeholders, or no secrets at all
        ("DB_PASSWORD", "magical_password"),
        ("STRIPE_API_KEY", "sk_test_your_stripe_test_key_here"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_your_webhook_secret_here"),
        ("SECRET_KEY_BASE", "please_generate_a_more_secure_unique_secret_value_for_your_project"),
        ("ENCRYPTION_KEY", "data encryption key with 32 char"),
        ("OPENAI_API_KEY", "sk-"),
        ("GOOGLE_APPLICATION_CREDENTIALS", "/run/app/key.json"),
        ("DATABASE_URL", "postgresql://placeholder:placeholder@localhost:5432/placeholder"),
        # the classics
        ("POSTGRES_PASSWORD", "postgres"), ("APP_SECRET", "REPLACE_ME"), ("X_TOKEN", "<token>"),
        ("X_TOKEN", "ghp_xxxxxxxxxxxxxxxx"), ("X_PASSWORD", "p@ssw0rd"), ("X_PASSWORD", ""),
        ("MYSQL_ALLOW_EMPTY_PASSWORD", "yes"), ("SMTP_AUTH", "login"),
    ],
)
def test_placeholders(name: str, value: str) -> None:
    assert is_placeholder(value, name)
    assert judge(name, value, Place.TEMPLATE) is None
    assert judge(name, value, Place.DOCKERFILE) is None


@pytest.mark.parametrize(
    "value",
    [REAL, "hunter2", "correct-horse-battery-staple", "/Kq8zLm2Xv9RtWp4Yb7Nc1Hd5Jf0Gs3Ae"],
)
def test_real_values(value: str) -> None:
    assert not is_placeholder(value, "DB_PASSWORD")
    for place in Place:
        verdict = judge("DB_PASSWORD", value, place)
        assert verdict is not None and not verdict.placeholder, place


def test_the_context_makes_a_sample() -> None:
    """A value spelled with the project's folder, service or image names is a sample."""
    assert judge("POSTGRES_PASSWORD", "plane2024", Place.TEMPLATE) is not None
    context = ("work", "plane", "apps", "api")
    assert judge("POSTGRES_PASSWORD", "plane2024", Place.TEMPLATE, context=context) is None


def test_the_place_decides_what_a_placeholder_means() -> None:
    assert judge("APP_SECRET", "REPLACE_ME", Place.TEMPLATE) is None
    assert judge("APP_SECRET", "REPLACE_ME", Place.DOCKERFILE) is None
    verdict = judge("APP_SECRET", "REPLACE_ME", Place.COMPOSE)
    assert verdict is not None and verdict.placeholder
    # Switches, paths and references are no credential anywhere.
    for value in ("true", "/run/app/key.json", "${APP_SECRET}", "$$APP_SECRET"):
        assert judge("APP_SECRET", value, Place.COMPOSE) is None, value


def test_a_relative_path_to_a_key_file_is_no_secret() -> None:
    """temporal's `xpack.security.http.ssl.key=certs/elasticsearch-key.pem`."""
    for value in ("certs/elasticsearch-key.pem", "config/secrets/app.json", "./tls/server.key"):
        assert judge("xpack.security.http.ssl.key", value, Place.COMPOSE) is None, value
    # A token with a slash and a dot is still one: its last part is no file type.
    assert judge("API_KEY", "Zx81kQ2pLr/9vTq7Yw3n.Hs6dF4gJ2kL8mN0bV5c", Place.COMPOSE) is not None


def test_a_default_is_judged_under_its_own_variable() -> None:
    verdict = judge(
        "NEO4J_AUTH", "${NEO4J_USERNAME-neo4j}/${NEO4J_PASSWORD-password}", Place.COMPOSE
    )
    assert verdict is not None and verdict.variable == "NEO4J_PASSWORD"
    assert verdict.describe() == "a literal value as the default of ${NEO4J_PASSWORD}"
    verdict = judge("POSTGRES_PASSWORD", f"${{PW:-{REAL}}}", Place.COMPOSE)
    assert verdict is not None and verdict.variable == "PW" and not verdict.placeholder
    assert judge("NEO4J_AUTH", "${NEO4J_USERNAME-neo4j}/${NEO4J_PASSWORD}", Place.COMPOSE) is None


@pytest.mark.parametrize(
    ("items", "exec_form", "index"),
    [
        (["redis-cli -a bitnami ping"], False, 0),
        (["CMD", "redis-cli", "-a", REAL, "ping"], True, 3),
        (["CMD-SHELL", f"mysqladmin ping -uroot -p{REAL}"], True, 1),
        ([f"mysql -h db -p{REAL} app"], False, 0),
        (["mongosh", "-u", "root", "-p", REAL], True, 4),
        (["redis-server", "--requirepass", REAL], True, 2),
        (["serve", "--password", REAL], True, 2),
        ([f"sh -c 'PGPASSWORD={REAL} psql -h db'"], False, 0),
    ],
)
def test_command_lines(items: list[str], exec_form: bool, index: int) -> None:
    found = list(command_secrets(items, exec_form=exec_form))
    assert [at for at, _verdict in found] == [index]
    assert REAL not in found[0][1].reason


@pytest.mark.parametrize(
    ("items", "exec_form"),
    [
        (["mysql -h db -p app"], False),  # -p alone prompts; "app" is the database
        (["mysqladmin ping -p$$MYSQL_ROOT_PASSWORD"], False),
        (["CMD", "redis-cli", "-a", "${REDIS_PASSWORD}", "ping"], True),
        (["redis-server", "--requirepass", "$$REDIS_PASSWORD"], True),
        (["ls", "-a", "/data"], True),  # -a is a password only for redis-cli
        (["redis-cli ping && ls -a tmpfiles"], False),
        (["mongod", "--auth", "--bind_ip_all"], True),
        (["[ $$(valkey-cli --pass \"$${REDIS_PASSWORD}\" ping) = 'PONG' ]"], False),
    ],
)
def test_command_lines_without_secrets(items: list[str], exec_form: bool) -> None:
    assert list(command_secrets(items, exec_form=exec_form)) == []


@pytest.mark.parametrize("value", ["a", "abcd", "abcdefg", "abcdefgh", REAL, "x" * 200])
def test_mask_never_shows_the_value(value: str) -> None:
    masked = mask(value)
    assert "****" in masked
    assert value not in masked
    assert len(masked.replace("*", "")) <= 4


def test_detect_secrets_is_imported_only_when_needed() -> None:
    code = (
        "import sys\n"
        "from docker_standard.secrets import Place, judge\n"
        "judge('DB_PASSWORD', 'hunter2', Place.COMPOSE)\n"
        "judge('URL', 'http://localhost:8000/health', Place.TEMPLATE)\n"
        "assert 'detect_secrets' not in sys.modules\n"
        "judge('X', 'ghp_' + 'Zq7Lm2Xv9Rt4Wk8Yp3Bn6Hc1Jd5Gf0Sa2Eux', Place.COMPOSE)\n"
        "assert 'detect_secrets' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "line",
    [
        f"connecting to postgres://app:{REAL}@db:5432/app",
        f"POSTGRES_PASSWORD={REAL} starting",
        f"config: password: {REAL}",
        f"redis-server --requirepass {REAL}",
        "token ghp_" + "Zq7Lm2Xv9Rt4Wk8Yp3Bn6Hc1Jd5Gf0Sa2Eux leaked",
    ],
)
def test_redact_text_masks_what_a_log_line_shows(line: str) -> None:
    from docker_standard.secrets import redact_text

    redacted = redact_text(line)
    assert REAL not in redacted and "Zq7Lm2Xv9Rt4Wk8" not in redacted
    assert "****" in redacted


def test_redact_text_masks_known_values_and_keeps_ordinary_text() -> None:
    from docker_standard.secrets import redact_text

    assert REAL not in redact_text(f"mysql -uroot -p{REAL}", known=[REAL])
    for line in ("the password is wrong", "LOG_LEVEL=info", "ready on port 5432",
                 "MYSQL_ALLOW_EMPTY_PASSWORD=yes",
                 "services.api.environment.API_TOKEN: required variable API_TOKEN is missing"):
        assert redact_text(line, known=["", "yes"]) == line


def test_one_lower_case_word_in_a_template_is_a_sample_wherever_the_scan_starts() -> None:
    """precision/plane copied anywhere: `POSTGRES_PASSWORD="plane"` with no `plane` folder."""
    assert judge("POSTGRES_PASSWORD", "plane", Place.TEMPLATE) is None
    assert judge("POSTGRES_PASSWORD", "plane", Place.COMPOSE) is not None  # DS310 keeps it
    assert judge("POSTGRES_PASSWORD", "H733Kdjndks81", Place.TEMPLATE) is not None
