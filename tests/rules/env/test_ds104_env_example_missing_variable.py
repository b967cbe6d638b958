"""DS104 env-example-missing-variable.

Cases are ``{path: text}``; ``# expect: DS104`` marks the first use of each variable missing
from the stack's template. The rule docs' examples follow ``tests/test_meta.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import LintResult, assert_findings
from docker_standard.findings import Severity

TEMPLATE = "# Documented\nKNOWN=1\n"


def compose(*lines: str) -> str:
    return "services:\n  app:\n    image: alpine:3.20\n" + "".join(f"{line}\n" for line in lines)


CASES = [
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${MISSING}  # expect: DS104",
                                          "      B: ${KNOWN}"),
                  ".env.example": TEMPLATE}, id="no default"),
    pytest.param({"compose.yaml": compose("    command: echo $BARE  # expect: DS104"),
                  ".env.example": TEMPLATE}, id="unbraced"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${PORT:-8000}  # expect: DS104"),
                  ".env.example": TEMPLATE}, id="with a default (warning)"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${REQ:?set REQ}  # expect: DS104"),
                  ".env.example": TEMPLATE}, id="required"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      - API_KEY  # expect: DS104"),
                  ".env.example": TEMPLATE}, id="pass-through list entry"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      API_KEY:  # expect: DS104"),
                  ".env.example": TEMPLATE}, id="pass-through null value"),
    pytest.param({"compose.yaml": compose("    environment:", "      A: ${KNOWN}"),
                  ".env.example": TEMPLATE}, id="documented"),
    pytest.param({"compose.yaml": "name: ${COMPOSE_PROJECT_NAME}\n" + compose(
                  "    volumes:", "      - ${PWD}/data:/data", "      - ${HOME}/.ssh:/ssh:ro"),
                  ".env.example": TEMPLATE}, id="always-defined names"),
    pytest.param({"compose.yaml": compose("    environment:", "      - http_proxy",
                                          "      - NO_PROXY", "      P: ${HTTPS_PROXY:-}"),
                  ".env.example": TEMPLATE}, id="the host's proxy settings"),
    pytest.param({"compose.yaml": compose("    environment:", "      A: ${KNOWN}",
                                          "      B: ${OTHER}  # expect: DS104"),
                  "example.env": TEMPLATE}, id="example.env is the template"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${TWICE}  # expect: DS104",
                                          "      B: ${TWICE}",
                                          "      C: ${TWICE:-x}"),
                  ".env.example": TEMPLATE}, id="reported once at the first use"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${KEY-}",
                                          "      B: ${KEY}  # expect: DS104"),
                  "env.example": TEMPLATE + "#KEY=sk-...\n"},
                 id="at the first use without a default (genai-stack)"),
    pytest.param({"compose.yaml": compose("    environment:", "      A: ${MISSING}")},
                 id="no template: DS103's"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${LOG_FORMAT:-text}"),
                  ".env.example": TEMPLATE + "# Log format: text or json\n# LOG_FORMAT=json\n"},
                 id="commented-out line documents a defaulted variable"),
    pytest.param({"compose.yaml": compose("    environment:",
                                          "      A: ${SECRET_KEY}  # expect: DS104"),
                  ".env.example": TEMPLATE + "# SECRET_KEY=\n"},
                 id="commented-out line does not give a value"),
    pytest.param({"compose.yaml": compose("    environment:", "      - SES_USER",
                                          "      B: ${SES_PORT:-25}"),
                  "template.env": TEMPLATE + "# Mail (optional)\n#SES_USER=\n# SES_PORT=587\n"},
                 id="commented out in template.env: optional, documented"),
    pytest.param({"compose.yaml": compose("    environment:", "      A: ${KNOWN}"),
                  "compose.override.yaml": "services:\n  app:\n    environment:\n"
                  "      B: ${OVERRIDDEN}  # expect: DS104\n",
                  ".env.example": TEMPLATE}, id="override file"),
    pytest.param({"compose.yaml": compose("    environment:", "      A: ${ROOT_ONLY}"),
                  ".env.example": "# Root\nROOT_ONLY=1\n",
                  "services/api/compose.yaml": compose(
                      "    environment:",
                      "      A: ${ROOT_ONLY}  # expect: DS104",
                      "      B: ${API_ONLY}"),
                  "services/api/.env.example": "# Api\nAPI_ONLY=1\n"},
                 id="each template covers its own stack"),
    pytest.param({"compose.yaml": "include:\n  - path: db/compose.yaml\n"
                  "    env_file: db/defaults.env\n" + compose("    environment:",
                                                             "      A: ${KNOWN}"),
                  "db/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                  "    environment:\n      P: ${DB_PASSWORD}\n"
                  "      U: ${DB_USER}  # expect: DS104\n",
                  "db/defaults.env": "DB_PASSWORD=changeme\n",
                  ".env.example": TEMPLATE}, id="include env_file supplies values"),
    pytest.param({"compose.yaml": "include:\n  - db/compose.yaml\n" + compose(),
                  "db/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                  "    environment:\n      P: ${DB_PASSWORD}\n"
                  "      U: ${DB_USER}  # expect: DS104\n",
                  "db/.env": "DB_PASSWORD=changeme\n",
                  ".env.example": TEMPLATE}, id="an included file's own .env by default"),
    pytest.param({"compose.yaml": compose("    environment:", "      A: ${X:-$${NOT_A_VAR}}"),
                  ".env.example": "# X\nX=1\n"}, id="escaped dollar is no reference"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds104(lint: Callable[..., Any], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=["DS104"]), ["DS104"])


def test_message_names_the_variable_and_the_template(lint: Callable[..., Any]) -> None:
    files = {"deploy/compose.yaml": compose("    environment:", "      A: ${DB_URL}"),
             "deploy/.env.example": TEMPLATE}
    findings, _ = lint(files, select=["DS104"])
    assert len(findings) == 1
    assert "DB_URL" in findings[0].message
    assert "deploy/.env.example" in findings[0].message
    assert (findings[0].span.path, findings[0].span.line) == ("deploy/compose.yaml", 5)
    assert findings[0].fixable


def test_severity_depends_on_defaults(lint: Callable[..., Any]) -> None:
    files = {
        "compose.yaml": compose("    environment:", "      A: ${NONE}", "      B: ${DEF:-1}",
                                "      C: ${REQ:?x}", "      D: ${ALT:+y}"),
        ".env.example": TEMPLATE,
    }
    findings, _ = lint(files, select=["DS104"])
    graded = {f.message.split()[1]: f.severity for f in findings}
    assert graded == {
        "NONE": Severity.ERROR,
        "DEF": Severity.WARNING,
        "REQ": Severity.ERROR,
        "ALT": Severity.WARNING,
    }


def test_passthrough_is_a_warning(lint: Callable[..., Any]) -> None:
    files = {"compose.yaml": compose("    environment:", "      - API_KEY"),
             ".env.example": TEMPLATE}
    findings, _ = lint(files, select=["DS104"])
    assert [f.severity for f in findings] == [Severity.WARNING]


MISP_TEMPLATE = """\
# Base URL of MISP
BASE_URL=https://localhost

# Amazon SES (optional)
# SES_USER=
#SES_PASSWORD=
# SES_PORT=587
"""


def test_commented_out_without_a_default_says_so(lint: Callable[..., Any]) -> None:
    """misp-docker: a variable only commented out in template.env is optional; a use without
    a default is a warning that names the commented line, not "is not in template.env"."""
    files = {
        "compose.yaml": compose("    environment:", '      - "BASE_URL=${BASE_URL}"',
                                '      - "SES_USER=${SES_USER}"',
                                '      - "SES_PASSWORD=${SES_PASSWORD}"',
                                '      - "SES_PORT=${SES_PORT:-25}"',
                                '      - "SES_REGION=${SES_REGION:?set it}"'),
        "template.env": MISP_TEMPLATE + "# SES_REGION=\n",
    }
    findings, _ = lint(files, select=["DS104"])
    graded = {f.message.split()[1]: (f.severity, f.fixable) for f in findings}
    assert graded == {
        "SES_USER": (Severity.WARNING, False),
        "SES_PASSWORD": (Severity.WARNING, False),
        "SES_REGION": (Severity.ERROR, True),
    }
    for finding in findings:
        assert "commented out" in finding.message
        assert "template.env" in finding.message


def test_a_template_comment_naming_the_variable_documents_a_defaulted_use(
    lint: Callable[..., LintResult],
) -> None:
    files = {
        "compose.yaml": "services:\n  app:\n    image: a/b:1\n    user: ${UID:-1000}\n"
        "    command: run ${MODE}  # expect: DS104\n",
        ".env.example": "# Images are built for $UID (1000 when unset); MODE too, $MODE\nA=1\n",
    }
    result = lint(files, select=("DS104",))
    assert_findings(result, ("DS104",))
