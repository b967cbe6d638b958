"""DS206 dockerfile-trivial-healthcheck: a HEALTHCHECK that cannot fail."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import crlf, syntax_variants


def hc(command: str, marker: bool) -> dict[str, str]:
    mark = "  # expect: DS206" if marker else ""
    return {"Dockerfile": f"FROM python:3.12-slim\nHEALTHCHECK {command}{mark}\n"}


TRIVIAL = [
    "CMD true",
    "CMD /bin/true",
    "CMD :",
    "CMD exit 0",
    "CMD exit",
    'CMD ["true"]',
    'CMD ["/bin/true"]',
    'CMD ["sh", "-c", "exit 0"]',
    "CMD echo ok",
    "CMD echo ok > /dev/null 2>&1",
    'CMD python -c "import sys; sys.exit(0)"',
    "CMD python3 -c 'import sys; sys.exit()'",
    'CMD ["python3", "-c", "import sys; sys.exit(0)"]',
    'CMD python -c "pass"',
    'CMD python -c "raise SystemExit(0)"',
    'CMD node -e "process.exit(0)"',
    "CMD curl -f http://localhost:8000/health || exit 0",
    "CMD curl -f http://localhost:8000/health || true",
    "CMD wget -q -O- http://localhost/ || :",
    "CMD curl -f http://localhost/; exit 0",
    "CMD exit 0; curl -f http://localhost/",
    "--interval=30s --timeout=3s CMD true",
    'CMD ["sh", "-c", "curl -f http://localhost/ || true"]',
    "CMD sh -c 'exit 0'",
    "CMD exit 0 || exit 1",
    "CMD curl -f http://a/ || wget -q http://a/ || true",
]
REAL = [
    "CMD curl -f http://localhost:8000/health || exit 1",
    "CMD curl -fsS http://localhost:8000/health",
    'CMD ["curl", "-f", "http://localhost/"]',
    "CMD pg_isready -U postgres",
    "CMD curl -fsS http://localhost/ | grep -q ok || exit 1",
    "CMD curl -f http://localhost/ && true",
    "CMD true && curl -f http://localhost/",
    "CMD python -c \"import urllib.request as u; u.urlopen('http://localhost:8000/')\"",
    "CMD python -c 'import asyncio; asyncio.run(ping())'",
    'CMD python -c "import app"',
    'CMD python -c "import sys; sys.exit(1)"',
    "CMD false",
    "CMD exit 1",
    "NONE",
    "CMD echo 'unbalanced",
    "CMD if curl -f http://localhost/; then exit 0; fi",
    "CMD curl -f http://localhost/ || true && wget -q http://localhost/",
]

CASES = [
    *(pytest.param(hc(command, True), id=f"trivial: {command}") for command in TRIVIAL),
    *(pytest.param(hc(command, False), id=f"real: {command}") for command in REAL),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.11-slim\nUSER botuser\n"
            "HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \\"
            "  # expect: DS206\n"
            '  CMD python -c "import sys; sys.exit(0)"\n'
            'CMD ["python", "-m", "bot.main"]\n'
        },
        id="the Standard's own example, continued on the next line",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM alpine:3.20 AS a\nHEALTHCHECK CMD true  # expect: DS206\n"
            "FROM alpine:3.20\n"
        },
        id="in any stage",
    ),
    pytest.param(
        {"Dockerfile": "from alpine:3.20\nhealthcheck cmd true  # expect: DS206\n"}, id="lower-case"
    ),
    pytest.param(
        {"Dockerfile": crlf("FROM alpine:3\nHEALTHCHECK CMD exit 0  # expect: DS206\n")}, id="CRLF"
    ),
    pytest.param(
        {
            "Dockerfile": "# escape=`\nFROM alpine:3.20\nHEALTHCHECK `  # expect: DS206\n"
            "  CMD true\n"
        },
        id="escape directive",
    ),
]

CASES += syntax_variants(
    {
        "Dockerfile": "FROM a:1\nHEALTHCHECK --interval=5s \\  # expect: DS206\n"
        "  CMD curl -f http://localhost/ || true\n"
    }
)


@pytest.mark.parametrize("files", CASES)
def test_ds206(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS206",)), ("DS206",))


def test_message_does_not_echo_arguments(lint) -> None:  # type: ignore[no-untyped-def]
    files = hc('CMD curl -H "Authorization: Bearer s3cr3tt0ken" http://localhost/ || true', False)
    findings, _ = lint(files, select=("DS206",))
    assert len(findings) == 1
    assert "s3cr3tt0ken" not in findings[0].message
    assert "`|| true`" in findings[0].message and "fallback" in findings[0].message
