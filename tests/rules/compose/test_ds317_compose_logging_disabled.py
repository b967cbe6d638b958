"""DS317 compose-logging-disabled."""

from __future__ import annotations

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n    logging:\n"
                                  "      driver: none  # expect: DS317\n"}, id="driver none"),
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n    logging:\n"
                                  "      driver: \"${LOG_DRIVER:-none}\"  # expect: DS317\n"},
                 id="none through a variable default"),
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n    logging:\n"
                                  "      driver: local\n      options:\n        max-size: 10m\n"},
                 id="local driver"),
    pytest.param({"compose.yaml": "services:\n  a:\n    image: x:1\n"}, id="default driver"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  a:\n    image: x:1\n    logging:\n"
                                  "      driver: json-file\n",
            "docker-compose.quiet.yml": "services:\n  a:\n    logging:\n"
                                        "      driver: none  # expect: DS317\n",
        },
        id="in an overlay",
    ),
    pytest.param(
        {"compose.yaml": "x-log: &nolog\n  driver: none  # expect: DS317\n"
                         "services:\n  a:\n    image: x:1\n    logging: *nolog\n"},
        id="from an anchor",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds317(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS317",)), ("DS317",))
