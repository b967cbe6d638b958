"""DS210 dockerfile-root-owned-deps: a non-root stage that relies on files under /root."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

# The Standard's own "Multi-Stage Build" example, verbatim.
STANDARD = """\
# services/bot/Dockerfile
FROM python:3.11-slim as builder

WORKDIR /app

# Install dependencies
COPY requirements.txt .
RUN pip install --no-cache-dir --user -r requirements.txt

# Production stage
FROM python:3.11-slim

WORKDIR /app

# Copy dependencies from builder
COPY --from=builder /root/.local /root/.local  # expect: DS210
ENV PATH=/root/.local/bin:$PATH  # expect: DS210

# Copy application code
COPY bot/ ./bot/
COPY shared/ ./shared/

# Non-root user
RUN useradd -m -u 1000 botuser && chown -R botuser:botuser /app
USER botuser

# Health check script
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \\
  CMD python -c "import sys; sys.exit(0)"

CMD ["python", "-m", "bot.main"]
"""

BUILDER = (
    "FROM python:3.12-slim AS builder\nRUN pip install --user fastapi\nFROM python:3.12-slim\n"
)

CASES = [
    pytest.param({"services/bot/Dockerfile": STANDARD}, id="the Standard's example"),
    pytest.param(
        {
            "Dockerfile": BUILDER + "COPY --from=builder /root/.local /home/app/.local\n"
            "ENV PATH=/home/app/.local/bin:$PATH\nUSER app\n"
        },
        id="copied to the user's home",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS builder\n"
            "RUN python -m venv /opt/venv && /opt/venv/bin/pip install x\n"
            "FROM python:3.12-slim\nCOPY --from=builder /opt/venv /opt/venv\n"
            "ENV PATH=/opt/venv/bin:$PATH\nUSER 10001\n"
        },
        id="virtualenv in /opt",
    ),
    pytest.param(
        {
            "Dockerfile": BUILDER + "COPY --from=builder /root/.local /root/.local\n"
            "ENV PATH=/root/.local/bin:$PATH\n"
        },
        id="runs as root: DS201's business",
    ),
    pytest.param(
        {
            "Dockerfile": BUILDER + "COPY --from=builder /root/.local /root/.local\n"
            "RUN chmod 755 /root\nUSER app\n"
        },
        id="/root opened with chmod",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /root/app  # expect: DS210\nUSER app\n"},
        id="WORKDIR under /root",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /root  # expect: DS210\n"
            "WORKDIR app  # expect: DS210\nUSER app\n"
        },
        id="relative WORKDIR under /root",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install --user fastapi"
            "  # expect: DS210\nUSER app\n"
        },
        id="pip install --user as root in the final stage",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nRUN python3 -m pip install --user x"
            "  # expect: DS210\nUSER app\n"
        },
        id="python -m pip install --user",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nUSER app\nRUN pip install --user x\n"},
        id="pip install --user as the user",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nRUN pipx install poetry  # expect: DS210\n"
            "USER app\n"
        },
        id="pipx as root",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nENV PYTHONPATH=/root/lib  # expect: DS210\n"
            "USER app\n"
        },
        id="PYTHONPATH under /root",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nENV ROOTFS=/rootfs CHROOT=/var/root\nUSER app\n"},
        id="paths that only look like /root",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS base\n"
            "COPY x /root/x  # expect: DS210\n"
            "FROM base\nUSER app\n",
            "x": "",
        },
        id="in the stage the final stage is built on",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(target="dev")),
            "Dockerfile": "FROM python:3.12-slim AS dev\nENV PATH=/root/.local/bin:$PATH"
            "  # expect: DS210\nUSER app\nFROM python:3.12-slim\nUSER app\n",
        },
        id="a build.target stage",
    ),
    pytest.param(
        {
            "Dockerfile": crlf(
                "FROM python:3.12-slim\nENV PATH=/root/bin:$PATH  # expect: DS210\nUSER app\n"
            )
        },
        id="CRLF",
    ),
    pytest.param(
        {
            "Dockerfile": "from python:3.12-slim\nenv PATH=/root/bin:$PATH"
            "  # expect: DS210\nuser app\n"
        },
        id="lower-case",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nRUN <<EOF  # expect: DS210\n"
            "pip install --user fastapi\nEOF\nUSER app\n"
        },
        id="heredoc RUN",
    ),
]

CASES += syntax_variants({"services/bot/Dockerfile": STANDARD}, "services/bot/Dockerfile")


@pytest.mark.parametrize("files", CASES)
def test_ds210(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS210",)), ("DS210",))
