"""DS107 env-example-real-secret.

Cases are ``{path: text}``; ``# expect: DS107`` marks each template line holding what looks
like a real credential. Every secret below is random text made up for these tests; those with
a recognisable prefix are split in two in the source, so that no secret scanner trips on it.
The rule docs' examples follow ``tests/test_meta.py``.

The last tests render every output format for a project with planted secrets and check that
no raw value appears anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_findings
from docker_standard.check import check_project
from docker_standard.findings import mask
from docker_standard.formatters import FORMATS, render

OPENAI = "sk-proj-" + "Zq4Lr8Tn2Vx6Bw0Ym3Kc7Hd1Jf5Gs9Pa2QeWt5N"  # and 40 random characters
GITHUB = "ghp_" + "a8Fk2LmQ9rT4vW7xZ1cB3nD5eG6hJ0pS2uY8"
AWS = "AKIA" + "J7Q2ZP4LXW9RT3MB"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
URL_PASSWORD = "Xk29fhQ83jdL"
ENTROPY = "p9Vq2Lx7Rk4Tz8Wm1Nc6Hb3Jf5Gd0Sa7Ye2Uo"
PRIVATE_KEY = (
    "-----BEGIN RSA " + "PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2hy6\\n"
    "-----END RSA " + "PRIVATE KEY-----"
)

# The template of docs/docker-standard.md: placeholders only.
STANDARD_TEMPLATE = """\
# PostgreSQL Configuration
POSTGRES_USER=appuser
POSTGRES_PASSWORD=changeme
POSTGRES_DB=appdb
POSTGRES_PORT=5432

# Redis Configuration
REDIS_PASSWORD=changeme
REDIS_PORT=6379

# Telegram Bot
BOT_TOKEN=your_bot_token_here

# Backend API
BACKEND_PORT=8000
SECRET_KEY=your_secret_key_here

# AI Services
OPENAI_API_KEY=your_openai_key_here
COMET_API_KEY=your_comet_key_here

# Celery
CELERY_BROKER_URL=redis://:changeme@redis:6379/1
CELERY_RESULT_BACKEND=redis://:changeme@redis:6379/2

# Application Settings
LOG_LEVEL=INFO
DEBUG=false
"""

PLACEHOLDERS = """\
A_PASSWORD=
B_PASSWORD=""
C_PASSWORD=change_me
D_PASSWORD=CHANGE-ME
E_API_KEY=<your-api-key>
F_TOKEN=xxx
G_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
H_KEY=sk-...
I_SECRET=example
J_SECRET=placeholder
K_SECRET=secret
L_PASSWORD=password
M_PASSWORD=dummy
N_PASSWORD=test
O_PASSWORD=${DB_PASSWORD}
DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app
POSTGRES_PASSWORD=postgres
MYSQL_ROOT_PASSWORD=rootpassword
JWT_SECRET=super-secret-jwt-key
SESSION_SECRET=replace-with-a-long-random-string
REDIS_PASSWORD=mysecretpassword
RABBITMQ_DEFAULT_PASS=guest
PGADMIN_PASSWORD=admin123
P_PASSWORD=p@ssw0rd
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
STRIPE_PUBLISHABLE_KEY=pk_live_4eC39HqLyjWDarjtT1zdp7dc
DB_PASSWORD_FILE=/run/secrets/db_password
ACCESS_TOKEN_EXPIRE_MINUTES=30
TOKEN_URL=https://auth.example.com/oauth/token
SIGNING_KEY={{ vault_signing_key }}
ADMIN_TOKEN=%ADMIN_TOKEN%
"""

CASES = [
    pytest.param({".env.example": f"OPENAI_API_KEY={OPENAI}  # expect: DS107\n"},
                 id="OpenAI project key"),
    pytest.param({".env.example": f"GH_TOKEN={GITHUB}  # expect: DS107\n"}, id="GitHub token"),
    pytest.param({".env.example": f"AWS_ACCESS_KEY_ID={AWS}  # expect: DS107\n"},
                 id="AWS access key under a non-secret name"),
    pytest.param({".env.example": f"PAYMENTS={STRIPE}  # expect: DS107\n"},
                 id="Stripe live key under a neutral name"),
    pytest.param({".env.example":
                  f"DATABASE_URL=postgres://app:{URL_PASSWORD}@db/app  # expect: DS107\n"},
                 id="password in a URL"),
    pytest.param({".env.example":
                  f"BROKER_URL=redis://:{URL_PASSWORD}@redis:6379/0  # expect: DS107\n"},
                 id="password in a URL without user name"),
    pytest.param({".env.example": "DB_PASSWORD=hunter2  # expect: DS107\n"},
                 id="literal under a credential name"),
    pytest.param({".env.example": "export DB_PASSWORD='Kc!9vTq#2mZ'  # expect: DS107\n"},
                 id="quoted and exported"),
    pytest.param({".env.example": f"BUILD_ID={ENTROPY}  # expect: DS107\n"},
                 id="high-entropy string under a neutral name"),
    pytest.param({".env.example": f'TLS_KEY="{PRIVATE_KEY}"  # expect: DS107\n'},
                 id="private key"),
    pytest.param({".env.example": f"# ok\nA=1\n\n{GITHUB}  # expect: DS107\n"},
                 id="credential pasted alone on a line"),
    pytest.param({".env.sample": "API_TOKEN=f8Kq2Lm9Zx4Rt7Vw  # expect: DS107\n"},
                 id=".env.sample"),
    pytest.param({"services/api/.env.template": "API_TOKEN=f8Kq2Lm9Zx4Rt7Vw  # expect: DS107\n"},
                 id="nested .env.template"),
    pytest.param({".env.example": STANDARD_TEMPLATE}, id="the standard's own template"),
    pytest.param({".env.example": PLACEHOLDERS}, id="placeholders"),
    pytest.param({".env": f"OPENAI_API_KEY={OPENAI}\n", ".env.local": f"GH_TOKEN={GITHUB}\n"},
                 id="local files hold real values"),
    pytest.param({".env.example": "LOG_LEVEL=info\nTZ=Europe/Berlin\nWORKERS=4\n"
                  "ALLOWED_HOSTS=localhost,127.0.0.1\nIMAGE_TAG=1.25.3-alpine\n"},
                 id="ordinary settings"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds107(lint: Callable[..., Any], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=["DS107"]), ["DS107"])


def test_message_names_the_key_and_masks_the_value(lint: Callable[..., Any]) -> None:
    findings, _ = lint({".env.example": f"OPENAI_API_KEY={OPENAI}\n"}, select=["DS107"])
    assert len(findings) == 1
    message = findings[0].message
    assert "OPENAI_API_KEY" in message
    assert OPENAI not in message
    assert mask(OPENAI) in message
    assert findings[0].rule == "env-example-real-secret"


SECRETS = (OPENAI, GITHUB, AWS, STRIPE, URL_PASSWORD, ENTROPY, "Kc!9vTq#2mZ", "MIIEpAIBAAKCAQEA")
PLANTED = {
    "compose.yaml": "services:\n  app:\n    image: alpine:3.20\n    environment:\n"
    "      KEY: ${OPENAI_API_KEY}\n",
    ".env.example": (
        f"OPENAI_API_KEY={OPENAI}\nGH_TOKEN={GITHUB}\n"
        f"AWS_ACCESS_KEY_ID={AWS}\nPAYMENTS={STRIPE}\n"
        f"DATABASE_URL=postgres://app:{URL_PASSWORD}@db/app\nBUILD_ID={ENTROPY}\n"
        f"DB_PASSWORD='Kc!9vTq#2mZ'\nTLS_KEY=\"{PRIVATE_KEY}\"\n\n{GITHUB}\n"
        f"{GITHUB} = {OPENAI}\nBAD KEY={STRIPE}\nDUP={AWS}\nDUP={AWS}\nOPEN=\"{ENTROPY}\n"
    ),
    ".env": f"OPENAI_API_KEY={OPENAI}\nEXTRA={ENTROPY}\n{GITHUB}\n",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_reveals_a_secret(
    fmt: str, tmp_path: Path, lint: Callable[..., Any]
) -> None:
    lint(PLANTED)  # writes the files into tmp_path (and runs once)
    report = check_project([str(tmp_path)])
    assert any(f.code == "DS107" for f in report.findings)
    output = render(fmt, report)
    assert output.strip()
    for secret in SECRETS:
        assert secret not in output, f"{fmt} output reveals a planted secret"


# ----------------------------------------------------------------- the scan root, issue 10


def _copy(source: Path, target: Path) -> None:
    import shutil

    shutil.copytree(source, target)


@pytest.mark.parametrize("root", ["plane", "."], ids=["plane/ as the root", "its parent"])
def test_plane_placeholders_whatever_the_scan_root(tmp_path: Path, root: str) -> None:
    """precision/plane: `POSTGRES_PASSWORD="plane"`, `sk_test_your_stripe_test_key_here`,
    `magical_password`, a bare `sk-` … are samples, and the verdict on `plane` no longer
    depends on whether `plane/` or its parent is the folder the scan starts from."""
    from conftest import shared

    _copy(shared("precision", "plane"), tmp_path / "plane")
    report = check_project([str(tmp_path / root)], select=("DS107",))
    assert [f.message for f in report.findings] == []


# ----------------------------------------------------------------- committed env_file files

NETBOX_LIKE = {
    "compose.yaml": "services:\n  app:\n    image: a/b:1\n    env_file: env/app.env\n",
    "env/app.env": (
        "DB_HOST=postgres\nDB_USER=app\nDB_PASSWORD=J7brHrAXFLQSif0Q  # expect: DS107\n"
        "EMAIL_PASSWORD=\nREDIS_PASSWORD=${REDIS_PASSWORD}\nCACHE_PASSWORD=changeme\n"
        "POSTGRES_PASSWORD=postgres\nDEBUG=true\nPORT=8080\nMEDIA_ROOT=/opt/app/media\n"
        "SECRET_KEY='r(m)8nLGnz$(_q3N4z1k(EFsMCjjjzx08x9VhNVcfd%6RF#r!6DE@+V5Zk2X'"
        "  # expect: DS107\n"
    ),
}


def test_a_committed_env_file_is_judged_like_a_template(lint: Callable[..., Any]) -> None:
    assert_findings(lint(NETBOX_LIKE, select=["DS107"], tracked=["env/app.env"]), ["DS107"])


def test_a_committed_env_file_outside_git(lint: Callable[..., Any]) -> None:
    assert_findings(lint(NETBOX_LIKE, select=["DS107"], use_git=False), ["DS107"])


@pytest.mark.parametrize(
    ("extra", "use_git"),
    [
        ({}, True),  # in git but not tracked: not committed (yet)
        ({".gitignore": "env/app.env\n"}, False),  # outside git, ignored
    ],
    ids=["untracked", "ignored outside git"],
)
def test_an_env_file_nobody_commits(
    lint: Callable[..., Any], extra: dict[str, str], use_git: bool
) -> None:
    files = {k: v.replace("  # expect: DS107", "") for k, v in NETBOX_LIKE.items()}
    findings, _ = lint({**files, **extra}, select=["DS107"], use_git=use_git)
    assert findings == []


def test_an_env_file_no_service_loads(lint: Callable[..., Any]) -> None:
    files = {
        "compose.yaml": "services:\n  app:\n    image: a/b:1\n",
        "env/app.env": "DB_PASSWORD=J7brHrAXFLQSif0Q\n",
    }
    findings, _ = lint(files, select=["DS107"], tracked=["env/app.env"])
    assert findings == []


def test_the_message_says_committed_env_file(lint: Callable[..., Any]) -> None:
    findings, _ = lint(NETBOX_LIKE, select=["DS107"], tracked=["env/app.env"])
    assert findings and all("committed env file" in f.message for f in findings)
    assert all("J7brHrAXFLQSif0Q" not in f.message for f in findings)
