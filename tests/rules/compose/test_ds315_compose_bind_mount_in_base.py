"""DS315 compose-bind-mount-in-base: source code mounts belong in a development overlay."""

from __future__ import annotations

import pytest
from conftest import assert_findings


def svc(*mounts: str, extra: str = "") -> str:
    return "services:\n  api:\n    image: a/b:1\n" + extra + "    volumes:\n" + "".join(
        f"      - {m}\n" for m in mounts
    )


CASES = [
    pytest.param({"docker-compose.yml": svc("./src:/app/src  # expect: DS315")},
                 id="source folder into /app"),
    pytest.param({"docker-compose.yml": svc(".:/app  # expect: DS315")}, id="the whole project"),
    pytest.param({"docker-compose.yml": svc("./bot:/app/bot:ro  # expect: DS315")},
                 id="read-only does not make code configuration"),
    pytest.param({"docker-compose.yml": svc("./nginx.conf:/etc/nginx/nginx.conf:ro",
                                            "./scripts/init-db.sh:/docker-entrypoint-initdb.d/"
                                            "init-db.sh",
                                            "./config:/app/config:ro",
                                            "./certs:/etc/ssl/private:ro",
                                            "./data:/var/lib/data",
                                            "./.htpasswd:/etc/nginx/.htpasswd")},
                 id="config files, init scripts, certs and data folders are fine"),
    pytest.param({"docker-compose.yml": svc("/var/run/docker.sock:/var/run/docker.sock",
                                            "pgdata:/data", "${SRC_DIR}:/app")
                  + "volumes:\n  pgdata:\n"},
                 id="host paths, named volumes and variables"),
    pytest.param({"docker-compose.yml": svc("./web:/opt/site  # expect: DS315").replace(
        "image: a/b:1", "build: ./web")},
                 id="the folder the service builds from"),
    pytest.param({"docker-compose.yml": svc("./lib:/opt/service/lib  # expect: DS315").replace(
        "image: a/b:1", "build: ."),
                  "Dockerfile": "FROM python:3.12\nWORKDIR /opt/service\n"},
                 id="into the Dockerfile's WORKDIR"),
    pytest.param({"docker-compose.yml": svc("./lib:/opt/service/lib")},
                 id="unknown folder outside any code location"),
    pytest.param(
        {
            "docker-compose.yml": "services:\n  bot:\n    image: a/b:1\n",
            "docker-compose.dev.yml": "services:\n  bot:\n    volumes:\n"
                                      "      - ./bot:/app/bot:ro\n",
        },
        id="in the dev overlay, as the Standard shows",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    image: a/b:1\n",
            "compose.override.yaml": svc(".:/app"),
        },
        id="in the auto-loaded override (the conventional development file)",
    ),
    pytest.param(
        {
            "compose.yaml": "services:\n  api:\n    extends:\n      file: common.yml\n"
                            "      service: app\n",
            "common.yml": svc("./src:/app/src  # expect: DS315").replace("api:", "app:"),
        },
        id="brought into the base by extends",
    ),
    pytest.param({"compose.dev.yaml": svc(".:/app")},
                 id="a development file used on its own"),
    pytest.param({".devcontainer/docker-compose.yml": svc("..:/workspace")},
                 id="a devcontainer compose file"),
    pytest.param({"devcontainer-example/docker-compose.yml": svc("..:/workspace")},
                 id="a compose file in a devcontainer example folder"),
    pytest.param({"docker-compose.yml": svc("./html:/var/www/html  # expect: DS315",
                                            "./consume:/usr/src/paperless/consume",
                                            "./data-logs:/app/data-logs")},
                 id="code folder under /var/www; data folders by name or word"),
    pytest.param({"docker-compose.yml": svc("./certbot/letsencrypt/:/var/www/letsencrypt",
                                            "./gnupg/:/app/gnupg", "./data:/app",
                                            "./logs:/var/www/logs", "./backups:/srv/backups",
                                            "./pgdata:/code/db")},
                 id="data and certificate folders, whatever the target"),
]


@pytest.mark.parametrize("files", CASES)
def test_ds315(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS315",)), ("DS315",))


def test_precision_r10_certbot(lint) -> None:  # type: ignore[no-untyped-def]
    """../shared/precision/r10: a certbot certificate folder is not source code."""
    from conftest import shared

    root = shared("precision", "r10")
    files = {p.name: p.read_text(encoding="utf-8") for p in root.iterdir() if p.is_file()}
    findings, _ = lint(files, select=("DS315", "DS314"))
    assert findings == []
