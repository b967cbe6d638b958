"""DS316 compose-obsolete-version."""

from __future__ import annotations

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({"compose.yaml": "version: \"3.9\"  # expect: DS316\nservices:\n  a:\n"
                                  "    image: x:1\n"}, id="version at the top"),
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n"
                                  "version: '3'  # expect: DS316\n"}, id="version at the end"),
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n"}, id="no version"),
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n"
                                  "    labels:\n      version: \"2\"\n"},
                 id="a nested version key is not the top-level one"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  a:\n    image: x:1\n",
            "docker-compose.dev.yml": "version: \"3.8\"  # expect: DS316\nservices:\n  a:\n"
                                      "    volumes:\n      - ./src:/src\n",
        },
        id="in an overlay, located there",
    ),
    pytest.param({"compose.yaml": "version: \"3\"  # expect: DS316\nservices:\n  a:\n"
                                  "    image: x:1\n---\nversion: \"3\"  # expect: DS316\n"},
                 id="each document of a multi-document file"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds316(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS316",)), ("DS316",))
