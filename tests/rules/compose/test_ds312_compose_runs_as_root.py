"""DS312 compose-runs-as-root."""

from __future__ import annotations

import pytest
from conftest import assert_findings


def svc(line: str) -> str:
    return f"services:\n  app:\n    image: a/b:1\n    {line}\n"


CASES = [
    pytest.param({"compose.yaml": svc("user: root  # expect: DS312")}, id="root"),
    pytest.param({"compose.yaml": svc('user: "0"  # expect: DS312')}, id="uid 0"),
    pytest.param({"compose.yaml": svc("user: 0  # expect: DS312")}, id="uid 0 as an integer"),
    pytest.param({"compose.yaml": svc('user: "0:0"  # expect: DS312')}, id="0:0"),
    pytest.param({"compose.yaml": svc('user: "root:docker"  # expect: DS312')}, id="root:group"),
    pytest.param({"compose.yaml": svc('user: "${APP_UID:-0}"  # expect: DS312')},
                 id="root through a variable default"),
    pytest.param({"compose.yaml": svc('user: "1000:1000"')}, id="unprivileged uid"),
    pytest.param({"compose.yaml": svc("user: app")}, id="named user"),
    pytest.param({"compose.yaml": svc('user: "${UID:-1000}:${GID:-1000}"')},
                 id="unprivileged through variables"),
    pytest.param({"compose.yaml": svc('user: "10:0"')}, id="root group only"),
    pytest.param({"compose.yaml": svc("privileged: true  # expect: DS312")}, id="privileged"),
    pytest.param({"compose.yaml": svc("privileged: false")}, id="not privileged"),
    pytest.param(
        {
            "docker-compose.yml": svc('user: "1000"'),
            "docker-compose.debug.yml": "services:\n  app:\n    user: root  # expect: DS312\n",
        },
        id="located in the overlay",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds312(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS312",)), ("DS312",))
