"""DS309 compose-default-network."""

from __future__ import annotations

import pytest
from conftest import assert_findings

NET = "networks:\n  backend:\n"

CASES = [
    pytest.param({"compose.yaml": "services:\n  api:  # expect: DS309\n    image: a/b:1\n"},
                 id="implicit default network"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    networks: [default]  # expect: DS309\n"},
                 id="only the default network, written out"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    networks: [backend]\n"
                                  + NET}, id="custom network"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    networks: [default, backend]\n" + NET},
                 id="default plus a custom network"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    network_mode: host  # expect: DS309\n"},
                 id="host network"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "    network_mode: bridge  # expect: DS309\n"},
                 id="legacy bridge"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n    networks: [backend]\n"
                                  "  sidecar:\n    image: a/s:1\n    network_mode: service:api\n"
                                  + NET},
                 id="sharing another service's network stack"),
    pytest.param({"compose.yaml": "services:\n  job:\n    image: a/b:1\n    network_mode: none\n"},
                 id="no network at all"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "networks:\n  default:\n    name: acme_net\n"},
                 id="default network configured by the project"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: a/b:1\n"
                                  "networks:\n  default:\n    external: true\n    name: proxy\n"},
                 id="default network is an external one"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n    networks: [backend]\n"
                                  + NET,
            "docker-compose.dev.yml": "services:\n  api:\n    volumes:\n      - ./src:/app\n",
        },
        id="overlay that only adds volumes",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  api:\n    image: a/b:1\n    networks: [backend]\n"
                                  + NET,
            "docker-compose.debug.yml": "services:\n  api:\n"
                                        "    network_mode: host  # expect: DS309\n"
                                        "    networks: !reset []\n",
        },
        id="overlay switches to the host network",
    ),
    pytest.param(
        {"compose.yaml": "x-net: &net\n  networks: [backend]\nservices:\n  api:\n    <<: *net\n"
                         "    image: a/b:1\n" + NET},
        id="networks from a merge key",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds309(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS309",)), ("DS309",))
