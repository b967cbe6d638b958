"""DS001 for keys Compose's schema rejects, checked against the CLI's own verdicts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from conftest import LintResult, assert_findings, shared
from docker_standard.config import Settings
from docker_standard.model.loading import load_project

SCHEMA_ERROR = re.compile(r"additional properties|missing property 'condition'|must be one of")


def test_vector_verdicts_match_the_cli() -> None:
    root = shared("vectors")
    vectors = json.loads((root / "vectors.json").read_text())["vectors"]
    project = load_project(root, Settings(), is_repo=False, only=[])
    mismatches = []
    for vector in vectors:
        file = vector["file"]
        before = len(project.errors)
        project.compose_file(file, "base")
        ours = [e.message for e in project.errors[before:]]
        # `config -q` interpolates first, so `condition: ${C:-service_healthy}` (v71) is valid,
        # while `--variables` (uninterpolated) calls it an enum error: `up` follows `config`.
        error = vector.get("config_q_error") or vector.get("variables_error") or ""
        schema_error = bool(SCHEMA_ERROR.search(error)) and vector.get("config_q_error") is not None
        reported = any("unknown key" in m or "condition" in m for m in ours)
        if schema_error != reported:
            mismatches.append(f"{file}: CLI {error!r} vs ours {ours}")
    assert not mismatches, "\n".join(mismatches)


CASES = [
    pytest.param(
        {
            "compose.yaml": "services:\n  app:\n    image: a:1\n"
            "    depend_on: [db]  # expect: DS001\n"
        },
        id="typo in a service key",
    ),
    pytest.param(
        {"compose.yaml": "servces:  # expect: DS001\n  app:\n    image: a:1\n"},
        id="typo at the top level",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  app:\n    image: a:1\n    healthcheck:\n"
            "      test: [CMD, 'true']\n      intervall: 5s  # expect: DS001\n"
        },
        id="typo in healthcheck",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  app:\n    image: a:1\n    depends_on:\n"
            "      db:\n        condition: service_healty  # expect: DS001\n"
            "  db:\n    image: b:1\n"
        },
        id="unknown depends_on condition",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  app:\n    image: a:1\n    depends_on:\n"
            "      db:  # expect: DS001\n        required: true\n  db:\n    image: b:1\n"
        },
        id="long depends_on without condition",
    ),
    pytest.param(
        {
            "compose.yaml": "x-common: &c {restart: always}\nservices:\n  app:\n    <<: *c\n"
            "    image: a:1\n    x-note: fine\n    build:\n      context: .\n      x-meta: 1\n"
        },
        id="extension fields and merge keys are fine",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_schema_keys(lint: Callable[..., LintResult], files: dict[str, str]) -> None:
    assert_findings(lint(files, select=("DS001",)), ("DS001",))
