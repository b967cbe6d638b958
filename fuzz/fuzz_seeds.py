"""Seed inputs for each fuzz target: real files from ../shared, the example stack, and a few
hand-written hostile snippets, so the fuzzers start from what Compose users actually write."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "standard-stack"

_COMPOSE_SNIPPETS = [
    b"services:\n  app:\n    image: alpine:3.20\n",
    b"x-base: &base\n  restart: unless-stopped\nservices:\n  a:\n    <<: *base\n    image: a:1\n",
    b"services:\n  a:\n    image: ${IMAGE:-a}:${TAG:?set TAG}\n    environment:\n"
    b"      - A=$$B\n      - C=${D:-${E:+f}}\n",
    b"services:\n  a: !reset null\n  b:\n    ports: !override ['80:80']\n",
    b"include:\n  - other.yaml\nservices:\n  a:\n    extends:\n      service: b\n"
    b"  b:\n    image: b:1\n",
    b"\xef\xbb\xbfservices: {a: {build: {context: ., args: [A=1]}}}\n",
    b"---\nservices: {}\n---\nservices:\n  a:\n    image: a:1\n...\n",
]
_DOCKERFILE_SNIPPETS = [
    b"FROM alpine:3.20\nUSER 1000\nHEALTHCHECK CMD true\n",
    b"# syntax=docker/dockerfile:1\n# escape=`\nARG BASE=python:3.12\nFROM ${BASE} AS b\n"
    b"RUN <<EOF\nset -e\necho hi\nEOF\nFROM b\nCOPY --from=b --chown=1:1 /a /b\n"
    b"USER ${UID:-1000}\n",
    b"FROM a:1\nRUN apt-get update \\\n\n  && apt-get install -y gcc \\\n  # comment\n  && true\n",
    b"FROM scratch\nENV A=1 B=\"two words\" \\\n    C='x'\nARG TOKEN=abc\nLABEL a=b\n",
]
_DOTENV_SNIPPETS = [
    b"# comment\nA=1\nexport B='two'\nC=\"multi\nline\"\nD= # not a comment\n",
    b"E=${A:-x}\nF=\"\\n\\t\\$\"\nG='it''s'\nKEY = value\nBARE\n",
    b"\xef\xbb\xbfA=1\r\nB=2\r\n",
]
_INTERPOLATION_SNIPPETS = [
    b"$A ${B} ${C:-d} ${D-d} ${E:?e} ${F?e} ${G:+a} ${H+a} $$I ${J:-${K:-${L}}}",
    b"${", b"${A", b"${A:-", b"${A:-}", b"$${", b"${A:?${B}}", b"}${A}{",
    b"${ A }", b"${1}", b"$1", b"${A:-{}}}",
]
_IGNORE_SNIPPETS = [
    b".env\n.env.*\n!.env.example\n**/node_modules\n/build/\n\0.env\nsub/.env.local\n.env.example\n",
    b"*\n!*/\n!.env.example\n\\#literal\n  # not a comment\n[a-z]*.py\n\0a.py\nsub/b/c.py\n",
    b"!\n\\\nfoo\\\n**\n/\n\0x\n",
]


def _files(pattern_dirs: list[Path], accept: object) -> Iterator[Path]:
    assert callable(accept)
    for folder in pattern_dirs:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and accept(path):
                    yield path


def _is_compose(path: Path) -> bool:
    return path.suffix in (".yml", ".yaml") and "_oracle" not in path.parts


def _is_env(path: Path) -> bool:
    return path.name.startswith(".env") or path.suffix == ".env"


def _is_dockerfile(path: Path) -> bool:
    return path.name.startswith("Dockerfile") or path.name.endswith(".dockerfile")


def _is_ignore(path: Path) -> bool:
    return path.name in (".gitignore", ".dockerignore")


def _read(paths: Iterator[Path], limit: int) -> list[bytes]:
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if len(data) <= 64 * 1024:
            found.append(data)
        if len(found) >= limit:
            break
    return found


def seeds(target: str, *, limit: int = 400) -> list[bytes]:
    """Seed inputs for ``target`` (a key of ``fuzz_targets.TARGETS``)."""
    roots = [SHARED / "corpus", SHARED / "vectors", EXAMPLE]
    if target in ("yaml", "interpolation"):
        found = _read(_files(roots, _is_compose), limit)
        return [*(_COMPOSE_SNIPPETS if target == "yaml" else _INTERPOLATION_SNIPPETS), *found]
    if target == "dotenv":
        return [*_DOTENV_SNIPPETS, *_read(_files(roots, _is_env), limit)]
    if target == "dockerfile":
        return [*_DOCKERFILE_SNIPPETS, *_read(_files([REPO], _is_dockerfile), limit)]
    if target == "ignore":
        ignores = _read(_files(roots, _is_ignore), limit)
        paths = b"\0.env\nsub/.env\n.env.example\n"
        return [*_IGNORE_SNIPPETS, *(data + paths for data in ignores)]
    if target == "check":
        return check_seeds(limit)
    raise KeyError(target)


def check_seeds(limit: int) -> list[bytes]:
    """Projects: each real compose file with a Dockerfile, env files and ignore files."""
    from fuzz_targets import SEPARATOR

    real = _read(_files([SHARED / "corpus", EXAMPLE], _is_compose), limit)
    composes = [*_COMPOSE_SNIPPETS, *real]
    dockerfiles = [*_DOCKERFILE_SNIPPETS, *_read(_files([REPO], _is_dockerfile), 20)]
    envs = _DOTENV_SNIPPETS
    found = []
    for index, compose in enumerate(composes):
        sections = [
            compose,
            dockerfiles[index % len(dockerfiles)],
            envs[index % len(envs)],
            b"A=1\n",
            b".env\n",
            b".env\n.env.*\n!.env.example\n" if index % 2 else b"",
        ]
        found.append(SEPARATOR.join(sections))
    return found


def write_seeds(target: str, folder: Path, *, limit: int = 400) -> int:
    """Write the seeds of ``target`` into ``folder`` (content-addressed names); return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for data in seeds(target, limit=limit):
        name = hashlib.sha1(data).hexdigest()
        (folder / name).write_bytes(data)
        count += 1
    return count
