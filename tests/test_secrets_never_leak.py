"""Planted secrets never reach any output: not a format, not a note, not an error, not --debug.

Each case plants one kind of credential in one place a rule can report it, runs the CLI
in-process with every output format (and ``--debug``), and asserts that no 8-character piece of
the secret appears anywhere. Non-leakage is asserted even where no rule detects the secret; the
detection itself is asserted too, and marked xfail only where a rule genuinely misses it.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_project
from docker_standard.cli import main

# Made up for these tests, shaped like the real thing (detect-secrets recognises each), and
# free of placeholder words (EXAMPLE, test, changeme …) so that no rule may shrug them off.
GITHUB_TOKEN = "ghp_Zq7Lm2Xv9Rt4Wk8Yp3Bn6Hc1Jd5Gf0Sa2Eux"
AWS_KEY_ID = "AKIAQ7XW3M9PZK2LR5TB"
AWS_SECRET = "wJ8rXu2Pq7Lz9Kt4Vn6Bc1Hm3Sd5Fg0Ay8Ek2Ri"
DSN_PASSWORD = "Tr0ub4dor-Zx93-Plk7"
PEM_BODY = "MIIEpAIBAAKCAQEA7Zq9Xv2Lm8Rt4Wk3Yp6Bn1Hc5Jd0Gf2Sa"
PEM = f"-----BEGIN RSA PRIVATE KEY----- {PEM_BODY} -----END RSA PRIVATE KEY-----"

#: kind -> (variable, value) pairs planted together
KINDS: dict[str, list[tuple[str, str]]] = {
    "api-key": [("GITHUB_TOKEN", GITHUB_TOKEN)],
    "aws-pair": [("AWS_ACCESS_KEY_ID", AWS_KEY_ID), ("AWS_SECRET_ACCESS_KEY", AWS_SECRET)],
    "dsn-password": [("DATABASE_URL", f"postgres://app:{DSN_PASSWORD}@db:5432/app")],
    "private-key": [("TLS_PRIVATE_KEY", PEM)],
}
SECRETS = {
    "api-key": [GITHUB_TOKEN],
    "aws-pair": [AWS_KEY_ID, AWS_SECRET],
    "dsn-password": [DSN_PASSWORD],
    "private-key": [PEM_BODY],
}

SERVICE = "services:\n  api:\n    image: example/api:1.0\n"


def _yaml(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _environment(pairs: list[tuple[str, str]]) -> str:
    return SERVICE + "    environment:\n" + "".join(
        f"      {name}: {_yaml(value)}\n" for name, value in pairs
    )


def _environment_list(pairs: list[tuple[str, str]]) -> str:
    return SERVICE + "    environment:\n" + "".join(
        f"      - {_yaml(f'{name}={value}')}\n" for name, value in pairs
    )


def _command(pairs: list[tuple[str, str]]) -> str:
    words = ["serve"]
    for name, value in pairs:
        words += ["--" + name.lower().replace("_", "-"), value]
    return SERVICE + f"    command: [{', '.join(_yaml(w) for w in words)}]\n"


def _shell_command(pairs: list[tuple[str, str]]) -> str:
    words = " ".join(f"--{name.lower().replace('_', '-')}={value}" for name, value in pairs)
    return SERVICE + f"    command: {_yaml('serve ' + words)}\n"


def _healthcheck(pairs: list[tuple[str, str]]) -> str:
    # Each value behind a short password flag of a database client, exec form.
    items = ["CMD"]
    for _name, value in pairs:
        items += ["redis-cli", "-a", value, "ping"]
    return SERVICE + f"    healthcheck:\n      test: [{', '.join(_yaml(w) for w in items)}]\n"


def _mysql_healthcheck(pairs: list[tuple[str, str]]) -> str:
    # mysqladmin -pSECRET, shell form: the password is glued to the flag.
    line = " && ".join(f"mysqladmin ping -uroot -p{value}" for _name, value in pairs)
    return SERVICE + f"    healthcheck:\n      test: {_yaml(line)}\n"


def _labels(pairs: list[tuple[str, str]]) -> str:
    return SERVICE + "    labels:\n" + "".join(
        f"      com.example.{name.lower()}: {_yaml(value)}\n" for name, value in pairs
    )


def _build_args(pairs: list[tuple[str, str]]) -> str:
    return "services:\n  api:\n    build:\n      context: .\n      args:\n" + "".join(
        f"        {name}: {_yaml(value)}\n" for name, value in pairs
    )


def _default(pairs: list[tuple[str, str]]) -> str:
    return SERVICE + "    environment:\n" + "".join(
        f"      {name}: {_yaml('${' + name + ':-' + value + '}')}\n" for name, value in pairs
    )


def _dockerfile(keyword: str, pairs: list[tuple[str, str]]) -> str:
    lines = "".join(f'{keyword} {name}="{value}"\n' for name, value in pairs)
    return f"FROM alpine:3.20\n{lines}USER 1000\n"


def _env(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"# {name.lower()} for the api\n{name}=\"{value}\"\n" for name, value in pairs)


PLAIN_COMPOSE = "services:\n  api:\n    build: .\n"
BASIC_DOCKERFILE = "FROM alpine:3.20\nUSER 1000\n"

#: location -> (files for the planted pairs, rule that should report it, file it reports)
LOCATIONS = {
    "compose environment": (lambda p: {"compose.yaml": _environment(p)}, "DS310", "compose.yaml"),
    "compose environment list": (
        lambda p: {"compose.yaml": _environment_list(p)}, "DS310", "compose.yaml"),
    "compose command": (lambda p: {"compose.yaml": _command(p)}, "DS310", "compose.yaml"),
    "compose command string": (
        lambda p: {"compose.yaml": _shell_command(p)}, "DS310", "compose.yaml"),
    "compose healthcheck -a": (
        lambda p: {"compose.yaml": _healthcheck(p)}, "DS310", "compose.yaml"),
    "compose healthcheck -p": (
        lambda p: {"compose.yaml": _mysql_healthcheck(p)}, "DS310", "compose.yaml"),
    "compose labels": (lambda p: {"compose.yaml": _labels(p)}, "DS310", "compose.yaml"),
    "compose build.args": (
        lambda p: {"compose.yaml": _build_args(p), "Dockerfile": BASIC_DOCKERFILE},
        "DS310", "compose.yaml"),
    "interpolation default": (lambda p: {"compose.yaml": _default(p)}, "DS310", "compose.yaml"),
    "Dockerfile ENV": (
        lambda p: {"compose.yaml": PLAIN_COMPOSE, "Dockerfile": _dockerfile("ENV", p)},
        "DS205", "Dockerfile"),
    "Dockerfile ARG": (
        lambda p: {"compose.yaml": PLAIN_COMPOSE, "Dockerfile": _dockerfile("ARG", p)},
        "DS205", "Dockerfile"),
    ".env.example": (
        lambda p: {"compose.yaml": SERVICE, ".env.example": _env(p)}, "DS107", ".env.example"),
    # A committed env file a service loads is as public as a template.
    "committed env_file": (
        lambda p: {"compose.yaml": SERVICE + "    env_file: env/api.env\n",
                   "env/api.env": _env(p)},
        "DS107", "env/api.env"),
    # .env is where real secrets belong: nothing should report them, nothing may print them.
    ".env": (lambda p: {"compose.yaml": SERVICE, ".env": _env(p), ".gitignore": ".env\n"},
             None, ".env"),
}

#: locations that plant every value into one shell string
ONE_STRING = {"compose command string", "compose healthcheck -p"}

#: location -> files to commit (git add) before the run
TRACKED = {"committed env_file": ("env/api.env",)}

FORMATS = ("text", "json", "sarif", "github", "gitlab")


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + "\n" + err.getvalue()


def pieces(secret: str, size: int = 8) -> Iterator[str]:
    """Every ``size``-character slice of ``secret``: a mask shows at most 2+2 characters."""
    for start in range(len(secret) - size + 1):
        yield secret[start : start + size]


def assert_no_leak(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        leaked = [piece for piece in pieces(secret) if piece in text]
        assert not leaked, f"{where}: a piece of a planted secret leaked: {leaked[0]!r}"


def _cases() -> list[object]:
    cases: list[object] = []
    for location in LOCATIONS:
        for kind in KINDS:
            cases.append(pytest.param(location, kind, id=f"{location}-{kind}"))
    return cases


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.mark.parametrize(("location", "kind"), _cases())
def test_planted_secret_never_leaks(planted: Path, location: str, kind: str) -> None:
    files, _rule, _path = LOCATIONS[location]
    write_project(planted, files(KINDS[kind]), tracked=TRACKED.get(location, ()))
    secrets = SECRETS[kind]
    for fmt in FORMATS:
        code, output = _cli("check", "--format", fmt, "--debug", "--fail-on", "never")
        assert code == 0, output
        assert_no_leak(output, secrets, f"--format {fmt}")
    code, output = _cli("check", "--diff", "--fail-on", "never")
    added = "\n".join(line for line in output.splitlines() if line.startswith("+"))
    assert_no_leak(added, secrets, "lines --diff would add")
    for hook in ("check-env-gitignored", "check-env-example", "check-dockerfiles", "check-compose"):
        _code, output = _cli(hook, "--format", "json", "--debug")
        assert_no_leak(output, secrets, hook)


@pytest.mark.parametrize(("location", "kind"), _cases())
def test_planted_secret_is_reported(planted: Path, location: str, kind: str) -> None:
    files, rule, path = LOCATIONS[location]
    write_project(planted, files(KINDS[kind]), tracked=TRACKED.get(location, ()))
    _code, output = _cli("check", "--format", "text", "-q", "--select", "DS1,DS2,DS3")
    reported = [line for line in output.splitlines() if rule and f": {rule} " in line]
    if rule is None:
        assert not [line for line in output.splitlines() if "secret" in line.lower()], output
        return
    assert reported, f"{rule} did not report the planted {kind} in {location}:\n{output}"
    assert all(line.startswith(f"{path}:") for line in reported), reported
    # One finding per planted value (an AWS pair is two), but one per shell string: a finding
    # points at the string, and one is enough to send the reader there.
    planted_values = 1 if location in ONE_STRING else len(KINDS[kind])
    assert len(reported) >= planted_values, reported


# --------------------------------------------------------------------------- broken files


BROKEN = {
    "compose.yaml": f"services:\n  api:\n    environment:\n      GITHUB_TOKEN: {GITHUB_TOKEN}: x\n",
    ".env.example": f"# pasted without a name\n{GITHUB_TOKEN}\nA=1\n",
    ".env": f"GITHUB_TOKEN {GITHUB_TOKEN}\nB='{AWS_SECRET}\n",
    "Dockerfile": f"FROM alpine:3.20\n{GITHUB_TOKEN} {AWS_SECRET}\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_parse_errors_never_quote_the_line(planted: Path, name: str) -> None:
    """A line that fails to parse may be a pasted secret: DS001 says where, never what."""
    files = {"compose.yaml": SERVICE, name: BROKEN[name]}
    write_project(planted, files)
    for fmt in FORMATS:
        _code, output = _cli("check", "--format", fmt, "--debug")
        assert_no_leak(output, [GITHUB_TOKEN, AWS_SECRET], f"{name} --format {fmt}")
    _code, output = _cli("check", "-q")
    assert f"\n{name}:" in "\n" + output, output  # still reported, by place


def test_an_internal_error_never_prints_its_message(
    planted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception's message may hold a value read from a file: neither the user nor --debug
    sees it, only the exception's type and where it happened."""
    import docker_standard.runner as runner

    def explode(*_args: object, **_kwargs: object) -> object:
        raise ValueError(f"cannot handle {GITHUB_TOKEN} / {AWS_SECRET}")

    write_project(planted, {"compose.yaml": _environment(KINDS["api-key"])})
    monkeypatch.setattr(runner, "run_rules", explode)
    for args in (("check",), ("check", "--debug"), ("check-compose", "--debug")):
        code, output = _cli(*args)
        assert code == 2 and "internal error (ValueError" in output, output
        assert_no_leak(output, [GITHUB_TOKEN, AWS_SECRET], " ".join(args))


def test_notes_never_quote_secrets(planted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes carry git's own words; git never sees file contents, but make sure."""
    write_project(planted, {"compose.yaml": _environment(KINDS["aws-pair"]),
                            ".env": _env(KINDS["aws-pair"])})
    (planted / ".git" / "index").write_bytes(b"garbage")  # ls-files fails: a note
    code, output = _cli("check", "--format", "json", "--fail-on", "never")
    assert code == 0 and "note:" in output
    assert_no_leak(output, SECRETS["aws-pair"], "notes")
