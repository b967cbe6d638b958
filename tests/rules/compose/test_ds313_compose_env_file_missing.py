"""DS313 compose-env-file-missing: judged against what a fresh clone contains."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from docker_standard.findings import Severity


def svc(env_file: str) -> str:
    return f"services:\n  api:\n    image: a/b:1\n    env_file:\n{env_file}"


MISSING = svc("      - .env  # expect: DS313\n")
PRESENT = svc("      - .env\n")

CASES = [
    pytest.param({"compose.yaml": MISSING}, {}, id="absent, no template"),
    pytest.param({"compose.yaml": MISSING, ".env.example": "A=1\n"}, {},
                 id="absent, with .env.example"),
    pytest.param({"compose.yaml": svc("      - path: .env\n        required: false\n")}, {},
                 id="required false"),
    pytest.param({"compose.yaml": PRESENT, ".env": "A=1\n"}, {},
                 id="present and not ignored (DS101's business)"),
    pytest.param({"compose.yaml": MISSING, ".env": "A=1\n", ".gitignore": ".env\n"}, {},
                 id="present but gitignored: a fresh clone lacks it"),
    pytest.param({"compose.yaml": PRESENT, ".env": "A=1\n", ".gitignore": ".env\n"},
                 {"tracked": [".env"]},
                 id="gitignored yet tracked: a clone has it"),
    pytest.param({"compose.yaml": svc("      - settings.env  # expect: DS313\n"),
                  "settings.env.example": "A=1\n"}, {},
                 id="X.example template"),
    pytest.param({"compose.yaml": svc("      - settings.env  # expect: DS313\n"),
                  "settings.example.env": "A=1\n"}, {},
                 id="name.example.env template"),
    pytest.param({"compose.yaml": svc("      - settings.env\n"), "settings.env": "A=1\n"}, {},
                 id="committed env file"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    env_file: config/app.env  # expect: DS313\n"}, {},
                 id="string form"),
    pytest.param({"compose.yaml": svc("      - ${ENV_FILE:-defaults.env}\n"),
                  "defaults.env": "A=1\n"}, {},
                 id="path through a variable default"),
    pytest.param({"compose.yaml": svc("      - ../outside.env\n")}, {},
                 id="outside the repository"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n",
            "docker-compose.dev.yml": svc("      - .env.dev  # expect: DS313\n"),
        },
        {},
        id="located in the overlay",
    ),
]


@pytest.mark.parametrize(("files", "options"), CASES)
def test_ds313(lint, files, options) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS313",), **options), ("DS313",))


def test_the_standards_env_file_entry_triggers_it(lint) -> None:  # type: ignore[no-untyped-def]
    from conftest import shared

    doc = shared("docs", "docker-standard.md").read_text(encoding="utf-8")
    compose = doc.split("### Complete Example\n\n```yaml\n", 1)[1].split("```", 1)[0]
    findings, _ = lint({"docker-compose.yml": compose, ".env.example": "A=1\n",
                        ".gitignore": ".env\n"}, select=("DS313",))
    assert {f.span.line for f in findings} and all(f.code == "DS313" for f in findings)
    assert len(findings) == compose.count("env_file:")
    assert all("required: false" in f.message for f in findings)


def test_messages_tell_template_from_nothing(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": MISSING}, select=("DS313",))
    assert "no template" in findings[0].message


def test_template_case_is_info(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint({"compose.yaml": MISSING, ".env.example": "A=1\n"}, select=("DS313",))
    assert [f.severity for f in findings] == [Severity.INFO]
    findings, _ = lint({"compose.yaml": svc("      - other.env\n")}, select=("DS313",))
    assert [f.severity for f in findings] == [Severity.ERROR]
