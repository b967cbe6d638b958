"""DS318 compose-duplicate-container-name: within a configuration and across stacks."""

from __future__ import annotations

import pytest
from conftest import assert_findings

CASES = [
    pytest.param({"compose.yaml": "services:\n  api:\n    image: x:1\n"
                                  "    container_name: app  # expect: DS318\n"
                                  "  worker:\n    image: y:1\n"
                                  "    container_name: app  # expect: DS318\n"},
                 id="two services of one stack"),
    pytest.param({"compose.yaml": "services:\n  api:\n    image: x:1\n    container_name: app_api\n"
                                  "  worker:\n    image: y:1\n    container_name: app_worker\n"},
                 id="unique names"),
    pytest.param(
        {
            "shop/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                                 "    container_name: postgres  # expect: DS318\n",
            "blog/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                                 "    container_name: postgres  # expect: DS318\n",
        },
        id="stacks in different folders run side by side",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"
                                  "    container_name: db\n",
            "docker-compose.dev.yml": "services:\n  db:\n    ports: [\"127.0.0.1:5432:5432\"]\n",
            "docker-compose.test.yml": "services:\n  db:\n    container_name: db\n",
        },
        id="one service seen through its overlays is one service",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"
                                  "    container_name: db  # expect: DS318\n",
            "docker-compose.dev.yml": "services:\n  adminer:\n    image: adminer:4\n"
                                      "    container_name: db  # expect: DS318\n",
        },
        id="an overlay service clashes with a base service",
    ),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"
                                  "    container_name: db\n",
            "compose.yaml": "services:\n  db:\n    image: postgres:16\n    container_name: db\n",
        },
        id="alternative files of one folder",
    ),
    pytest.param(
        {
            "a/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                              "    container_name: ${COMPOSE_PROJECT_NAME}_db\n",
            "b/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                              "    container_name: ${COMPOSE_PROJECT_NAME}_db\n",
        },
        id="names that depend on the project name",
    ),
    pytest.param(
        {
            "a/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                              "    container_name: ${DB_NAME:-shared_db}  # expect: DS318\n",
            "b/compose.yaml": "services:\n  db:\n    image: postgres:16\n"
                              "    container_name: shared_db  # expect: DS318\n",
        },
        id="resolved through a default",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    profiles: [p1]\n"
                         "    container_name: same\n"
                         "  b:\n    image: x:1\n    profiles: [p2]\n    container_name: same\n"},
        id="disjoint profiles never run together by default",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    profiles: [p1, p2]\n"
                         "    container_name: same  # expect: DS318\n"
                         "  b:\n    image: x:1\n    profiles: [p2]\n"
                         "    container_name: same  # expect: DS318\n"},
        id="a shared profile starts both",
    ),
    pytest.param(
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    profiles: [p1]\n"
                         "    container_name: same  # expect: DS318\n"
                         "  b:\n    image: x:1\n    container_name: same  # expect: DS318\n"},
        id="a service without profiles runs with every profile",
    ),
]


@pytest.mark.parametrize("files", CASES)
def test_ds318(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS318",)), ("DS318",))


def test_each_duplicate_names_the_other(lint) -> None:  # type: ignore[no-untyped-def]
    findings, _ = lint(
        {
            "shop/compose.yaml": "services:\n  db:\n    image: p:1\n    container_name: pg\n",
            "blog/compose.yaml": "services:\n  store:\n    image: p:1\n    container_name: pg\n",
        },
        select=("DS318",),
    )
    messages = {f.span.path: f.message for f in findings}
    assert "service 'db' in shop/compose.yaml" in messages["blog/compose.yaml"]
    assert "service 'store' in blog/compose.yaml" in messages["shop/compose.yaml"]


def test_precision_r14_profiles(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """precision/r14: the same container_name under disjoint profiles is not a clash."""
    import shutil

    from conftest import shared
    from docker_standard.check import check_project

    source = shared("precision", "r14")
    shutil.copytree(source, tmp_path / "r14")
    monkeypatch.chdir(tmp_path / "r14")
    report = check_project([str(tmp_path / "r14")], select=("DS318",))
    assert [f for f in report.findings if f.code == "DS318"] == []
