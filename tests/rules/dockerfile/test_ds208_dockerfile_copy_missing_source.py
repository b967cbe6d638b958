"""DS208 dockerfile-copy-missing-source: COPY/ADD sources the build context cannot provide."""

from __future__ import annotations

import pytest
from conftest import assert_findings
from dockerfile_cases import compose, crlf, service, syntax_variants

BASE = "FROM python:3.12-slim\n"


def df(*lines: str, **files: str) -> dict[str, str]:
    result = {"Dockerfile": BASE + "".join(f"{line}\n" for line in lines)}
    result.update(
        {name.replace("__", "/").replace("_DOT_", "."): text for name, text in files.items()}
    )
    return result


CASES = [
    pytest.param(df("COPY requirements.txt .  # expect: DS208"), id="missing file"),
    pytest.param(df("COPY requirements.txt .", requirements_DOT_txt="x\n"), id="present file"),
    pytest.param(df("COPY src/ /app/src/  # expect: DS208"), id="missing folder"),
    pytest.param(df("COPY src/ /app/src/", src__main_DOT_py=""), id="present folder"),
    pytest.param(df("COPY ./src/../src/main.py /app/", src__main_DOT_py=""), id="path cleaned"),
    pytest.param(
        df("COPY /src/main.py /app/", src__main_DOT_py=""), id="leading slash is the context root"
    ),
    pytest.param(df("COPY *.txt /app/", a_DOT_txt=""), id="glob matches"),
    pytest.param(df("COPY *.txt /app/  # expect: DS208", a_DOT_md=""), id="glob matches nothing"),
    pytest.param(
        df("COPY src/*.py /app/  # expect: DS208", src__sub__a_DOT_py=""),
        id="glob star does not cross a slash",
    ),
    pytest.param(df("COPY src/*/a.py /app/", src__sub__a_DOT_py=""), id="glob through a folder"),
    pytest.param(df("COPY requirement?.txt /app/", requirements_DOT_txt=""), id="question mark"),
    pytest.param(df("COPY [abc].txt /app/", b_DOT_txt=""), id="character class"),
    pytest.param(
        df(
            "COPY secret.txt /app/  # expect: DS208",
            secret_DOT_txt="",
            _DOT_dockerignore="secret.txt\n",
        ),
        id="excluded by .dockerignore",
    ),
    pytest.param(
        df("COPY src/ /app/  # expect: DS208", src__a_DOT_py="", _DOT_dockerignore="src\n"),
        id="folder excluded",
    ),
    pytest.param(
        df(
            "COPY src/ /app/",
            src__a_DOT_py="",
            src__keep_DOT_py="",
            _DOT_dockerignore="src\n!src/keep.py\n",
        ),
        id="folder excluded but a file re-included",
    ),
    pytest.param(
        df("COPY src/ /app/", src__a_DOT_py="", _DOT_dockerignore="*.md\n"),
        id="unrelated exclusions",
    ),
    pytest.param(
        df("COPY *.txt /app/  # expect: DS208", a_DOT_txt="", _DOT_dockerignore="*.txt\n"),
        id="glob matches only excluded files",
    ),
    pytest.param(
        df(
            "COPY secret.txt /app/",
            secret_DOT_txt="",
            _DOT_dockerignore="secret.txt\n",
            Dockerfile_DOT_dockerignore="*.md\n",
        ),
        id="Dockerfile.dockerignore takes precedence",
    ),
    pytest.param(
        df(
            "COPY a.txt /app/  # expect: DS208",
            a_DOT_txt="",
            _DOT_dockerignore="*.md\n",
            Dockerfile_DOT_dockerignore="a.txt\n",
        ),
        id="Dockerfile.dockerignore excludes",
    ),
    pytest.param(df("COPY --from=builder /app/dist /app/"), id="--from is another stage"),
    pytest.param(df("COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/"), id="--from an image"),
    pytest.param(df("COPY <<EOF /app/config.ini", "[app]", "EOF"), id="heredoc source"),
    pytest.param(
        df("COPY <<EOF missing.txt /app/  # expect: DS208", "x", "EOF"),
        id="heredoc and a missing file",
    ),
    pytest.param(
        df("COPY --chown=app:app --chmod=644 --link app.py /app/", app_DOT_py=""), id="flags"
    ),
    pytest.param(df("COPY --chown=app:app app.py /app/  # expect: DS208"), id="flags, missing"),
    pytest.param(df('COPY ["app.py", "/app/"]', app_DOT_py=""), id="JSON form"),
    pytest.param(df('COPY "app.py" /app/', app_DOT_py=""), id="quoted shell-form source"),
    pytest.param(df('COPY ["my app.py", "/app/"]  # expect: DS208'), id="JSON form, missing"),
    pytest.param(df("ADD https://example.com/a.tar.gz /tmp/"), id="ADD URL"),
    pytest.param(df("ADD git@github.com:acme/tool.git /src/"), id="ADD git"),
    pytest.param(df("ADD vendor.tar.gz /opt/  # expect: DS208"), id="ADD missing archive"),
    pytest.param(df("ARG APP=api", "COPY ${APP}/ /app/"), id="variable skipped"),
    pytest.param(df("COPY . /app/"), id="whole context"),
    pytest.param(df("COPY a.txt b.txt /app/  # expect: DS208,DS208"), id="each source once"),
    pytest.param(df("COPY .git/HEAD /x"), id=".git is not listed"),
    pytest.param(
        {
            "compose.yaml": compose(service(context="./app", dockerfile="../docker/Dockerfile")),
            "docker/Dockerfile": BASE + "COPY main.py /app/\nCOPY docker/x /x  # expect: DS208\n",
            "app/main.py": "",
        },
        id="compose context and dockerfile elsewhere",
    ),
    pytest.param(
        {
            "compose.yaml": compose(
                service("a", context="./a", dockerfile="../Dockerfile"),
                service("b", context="./b", dockerfile="../Dockerfile"),
            ),
            "Dockerfile": BASE + "COPY main.py /app/  # expect: DS208\n",
            "a/main.py": "",
            "b/other.py": "",
        },
        id="reported once though one of two contexts lacks it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(
                service("a", context="./a", dockerfile="../Dockerfile"),
                service("b", context="./b", dockerfile="../Dockerfile"),
            ),
            "Dockerfile": BASE + "COPY main.py /app/  # expect: DS208\n",
            "a/other.py": "",
            "b/other.py": "",
        },
        id="reported once when both contexts lack it",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(context=".", dockerfile="services/bot/Dockerfile")),
            "services/bot/Dockerfile": BASE + "COPY bot/ ./bot/\nCOPY shared/ ./shared/\n",
            "bot/main.py": "",
            "shared/util.py": "",
        },
        id="the Standard's layout: context is the root",
    ),
    pytest.param(
        {
            "services/bot/Dockerfile": BASE + "COPY main.py .\nCOPY bot/ ./bot/\n"
            "COPY nowhere.py .  # expect: DS208\n",
            "services/bot/main.py": "",
            "bot/x.py": "",
        },
        id="no service: own folder, then the repository root",
    ),
    pytest.param(
        {
            "compose.yaml": compose(service(context="./api")),
            "api/Dockerfile": BASE + "COPY requirements.txt .  # expect: DS208\n",
            "api/.dockerignore": "*.txt\n",
            "api/requirements.txt": "",
        },
        id="the context's own .dockerignore",
    ),
    pytest.param(df("copy app.py /app/  # expect: DS208"), id="lower-case"),
    pytest.param(
        {
            "Dockerfile": crlf(BASE + "COPY a.txt /app/\nCOPY b.txt .  # expect: DS208\n"),
            "a.txt": "",
        },
        id="CRLF",
    ),
    pytest.param(
        df("COPY a.txt \\  # expect: DS208", "  # a comment inside", "  b.txt /app/", a_DOT_txt=""),
        id="continuation: at the COPY line",
    ),
]

CASES += syntax_variants(
    {"Dockerfile": "FROM a:1\nCOPY a.txt \\  # expect: DS208\n  b.txt /app/\n", "a.txt": ""}
)


@pytest.mark.parametrize("files", CASES)
def test_ds208(lint, files) -> None:  # type: ignore[no-untyped-def]
    assert_findings(lint(files, select=("DS208",)), ("DS208",))


def test_message_names_the_ignore_file(lint) -> None:  # type: ignore[no-untyped-def]
    files = df("COPY secret.txt /app/", secret_DOT_txt="", _DOT_dockerignore="secret.txt\n")
    findings, _ = lint(files, select=("DS208",))
    assert len(findings) == 1
    assert "excluded from the build context by .dockerignore" in findings[0].message
