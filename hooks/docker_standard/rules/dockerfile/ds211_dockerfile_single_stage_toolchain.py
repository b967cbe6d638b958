"""DS211: a single-stage image that installs build toolchains."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from docker_standard.findings import Hit, Severity
from docker_standard.model.dockerfile import Dockerfile, Instruction
from docker_standard.model.project import Project
from docker_standard.patterns import lazy
from docker_standard.registry import rule
from docker_standard.rules.dockerfile._helpers import span_of, stage_subject

_TOOLCHAIN = frozenset(
    {
        "gcc",
        "g++",
        "gcc-c++",
        "cpp",
        "make",
        "build-essential",
        "build-base",
        "alpine-sdk",
        "cmake",
        "clang",
        "llvm",
        "rustc",
        "cargo",
        "rust",
        "golang",
        "golang-go",
        "go",
        "gfortran",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "pkgconfig",
        "ninja-build",
        "ninja",
        "meson",
        "musl-dev",
        "libc-dev",
        "libc6-dev",
        "glibc-devel",
        "linux-headers",
        "kernel-headers",
        "@development-tools",
        "development tools",
    }
)
# Header packages: libpq-dev (Debian), postgresql-dev (Alpine), openssl-devel (Red Hat).
_HEADERS = lazy(r".+-(dev|devel)")
# Version and architecture suffixes: gcc=4:12.2, gcc~12, gcc:amd64, python3-dev>=3.11.
_SUFFIX = lazy(r"[=~<>:].*$")

# Options that take a value in the next word (`apk add --virtual .build-deps gcc`).
_VALUE_OPTIONS = {
    "apt-get": {"-o", "-t", "-c", "--target-release", "--option", "--config-file"},
    "apt": {"-o", "-t", "-c", "--target-release", "--option", "--config-file"},
    "apk": {"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir"},
    "yum": {"-c", "--config", "-x", "--exclude", "--setopt", "--enablerepo", "--disablerepo"},
    "dnf": {"-c", "--config", "-x", "--exclude", "--setopt", "--enablerepo", "--disablerepo"},
    "microdnf": {"--setopt", "--enablerepo", "--disablerepo"},
    "zypper": {"-r", "--repo"},
}
_INSTALL = {
    "apt-get": {"install"},
    "apt": {"install"},
    "apk": {"add"},
    "yum": {"install", "groupinstall"},
    "dnf": {"install", "groupinstall"},
    "microdnf": {"install"},
    "zypper": {"install", "in"},
}
_REMOVE = {
    "apt-get": {"purge", "remove", "autoremove"},
    "apt": {"purge", "remove", "autoremove"},
    "apk": {"del"},
    "yum": {"remove", "erase", "autoremove"},
    "dnf": {"remove", "erase", "autoremove"},
    "microdnf": {"remove"},
    "zypper": {"remove", "rm"},
}


@rule(
    code="DS211",
    name="dockerfile-single-stage-toolchain",
    severity=Severity.INFO,
    target=Dockerfile,
)
def check(dockerfile: Dockerfile, project: Project) -> Iterator[Hit]:
    """## What it does
    Reports a single-stage Dockerfile whose `RUN` installs build toolchains with `apt-get`,
    `apt`, `apk`, `yum`, `dnf`, `microdnf` or `zypper`: compilers and build tools (`gcc`,
    `g++`, `make`, `build-essential`, `build-base`, `cmake`, `clang`, `rustc`, `cargo`,
    `golang` …) and header packages (`python3-dev`, `libpq-dev`, `openssl-devel`, any
    `*-dev`/`*-devel`). Shell form, `sh -c` exec form and `RUN <<EOF` scripts are read.

    One finding per Dockerfile, at the first such `RUN`, listing the lines of the others.

    Not reported: Dockerfiles with two or more stages (a builder can hold the toolchain),
    and packages the same `RUN` removes again (`apt-get purge`, `apt-get autoremove`,
    `apk del` of the packages or of their `--virtual` group).

    ## Why is this bad?
    Compilers and headers are needed to build wheels and native modules, not to run them.
    Shipping them makes the image hundreds of megabytes larger, slower to pull, and gives an
    attacker inside the container a compiler. The Standard asks for multi-stage builds.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    USER nobody
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim AS builder
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    RUN python -m venv /opt/venv && /opt/venv/bin/pip install psycopg2
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends libpq5
    COPY --from=builder /opt/venv /opt/venv
    USER nobody
    ```
    """
    if len(dockerfile.stages) != 1:
        return
    # One finding per file, at the first RUN: being single-stage is a fact about the file,
    # however many RUNs install something (laradock's workspace has dozens).
    packages: dict[str, None] = {}
    runs: list[Instruction] = []
    for instruction in dockerfile.stages[0].instructions:
        if instruction.keyword != "RUN":
            continue
        found = _toolchain(instruction)
        if found:
            packages.update(dict.fromkeys(found))
            runs.append(instruction)
    if not runs:
        return
    names = list(packages)
    shown = ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
    where = ""
    if len(runs) > 1:
        where = f" in {len(runs)} RUNs (lines {', '.join(str(r.line) for r in runs)})"
    yield Hit(
        f"this single-stage image installs build toolchains ({shown}){where} and ships them; "
        "build in a builder stage and copy only the results into the final stage",
        span_of(dockerfile, runs[0]),
        subject=stage_subject(dockerfile, dockerfile.stages[0], "RUN"),
    )


def _toolchain(instruction: Instruction) -> list[str]:
    installed: dict[str, str] = {}  # package -> the --virtual group it came with, or ""
    removed: set[str] = set()
    removes_everything = False
    for command in instruction.shell().commands:
        manager = command.name
        if manager not in _INSTALL:
            continue
        verb, packages, group = _parse(manager, command.args)
        if verb in _INSTALL[manager]:
            for package in packages:
                if _is_toolchain(package):
                    installed.setdefault(package, group)
        elif verb in _REMOVE[manager]:
            if verb == "autoremove" or command.has_flag("--auto-remove"):
                removes_everything = True
            removed.update(packages)
    if removes_everything:
        return []
    return [
        package
        for package, group in installed.items()
        if package not in removed and not (group and group in removed)
    ]


def _parse(manager: str, words: Sequence[str]) -> tuple[str, list[str], str]:
    """The subcommand, the package names and the ``--virtual`` group of a package command."""
    takes_value = _VALUE_OPTIONS[manager]
    verb = ""
    packages: list[str] = []
    group = ""
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word.startswith("-"):
            name, equals, value = word.partition("=")
            if name in takes_value and not equals and index < len(words):
                value = words[index]
                index += 1
            if manager == "apk" and name in ("-t", "--virtual"):
                group = value
            continue
        if not verb:
            verb = word
            continue
        packages.append(_SUFFIX.sub("", word).lower())
    return verb, packages, group


def _is_toolchain(package: str) -> bool:
    return package in _TOOLCHAIN or bool(_HEADERS.fullmatch(package))
