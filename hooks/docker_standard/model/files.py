"""Project files: the size limit, the folders never searched, what a file's name says it is,
and a file's text read once."""

from __future__ import annotations

from functools import cached_property

from docker_standard.findings import Span
from docker_standard.model.suppressions import Suppression, find_suppressions
from docker_standard.runtime_typing import NamedTuple

MAX_FILE_BYTES = 1024 * 1024  # real compose files stay under 50 KB; this bounds time and memory
SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hg",
        ".svn",
    }
)
# Env templates: the one list every rule and fixer uses (SPEC "Env files"; docs of DS103).
# The templates of a folder's ``.env``, in order of preference: SPEC's names, then spellings
# in use elsewhere (dotenv-defaults' ``.env.defaults``, ``.env.tmpl``/``.env.tpl`` for
# template engines and secret injectors).
ENV_TEMPLATE_NAMES = (
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "env.example",
    "example.env",
    "sample.env",
    "template.env",
    ".env.defaults",
    ".env.tmpl",
    ".env.tpl",
)
# The template of any other env file ``X``: ``X.example`` … (``app.env.example``), and for
# ``app.env`` also ``app.example.env``.
ENV_TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults", ".tmpl", ".tpl")
_TEMPLATE_INFIXES = tuple(suffix + ".env" for suffix in ENV_TEMPLATE_SUFFIXES)


def is_dockerfile_name(name: str) -> bool:
    lower = name.lower()
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or lower.endswith(".dockerfile")
    )


# ``.env.patch``, ``.env.sh``, ``.env.json`` … are patches, scripts or other formats named after
# an env file, not dotenv files.
_NOT_ENV_SUFFIXES = (
    ".patch",
    ".diff",
    ".rej",
    ".swp",
    ".md",
    ".sh",
    ".ps1",
    ".py",
    ".js",
    ".mjs",
    ".cjs",
    ".ts",
    ".json",
    ".yml",
    ".yaml",
    ".toml",
)


def is_env_name(name: str) -> bool:
    """An env file or an env template: ``.env``, ``.env.*``, ``*.env``, ``env.example``,
    ``app.env.example``."""
    if name.endswith(_NOT_ENV_SUFFIXES):
        return False
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return True
    for suffix in ENV_TEMPLATE_SUFFIXES:
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            return base == "env" or is_env_name(base)
    return False


def is_env_template(name: str) -> bool:
    """Is the env file ``name`` a template, meant to be committed (:data:`ENV_TEMPLATE_NAMES`,
    ``*.env.example`` and the other suffixes, ``app.example.env``)?"""
    return (
        name in ENV_TEMPLATE_NAMES
        or name.endswith(ENV_TEMPLATE_SUFFIXES)
        or name.endswith(_TEMPLATE_INFIXES)
        or name.startswith(("example.", "sample.", "template."))
    )


def env_template_names(name: str = ".env") -> tuple[str, ...]:
    """The names a template of the env file ``name`` may have, in order of preference."""
    if name == ".env":
        return ENV_TEMPLATE_NAMES
    names = [name + suffix for suffix in ENV_TEMPLATE_SUFFIXES]
    if name.endswith(".env"):
        stem = name[: -len(".env")]
        names.extend(stem + infix for infix in _TEMPLATE_INFIXES)
    return tuple(names)


def is_local_env(name: str) -> bool:
    """``.env`` and its local variants (``.env.local``, ``.env.production``), not templates."""
    return (
        (name == ".env" or name.startswith(".env."))
        and not name.endswith(_NOT_ENV_SUFFIXES)
        and not is_env_template(name)
    )


class ParseError(NamedTuple):
    span: Span
    message: str


class SourceFile:
    """A file's text, read once; ``lines`` serve inline suppressions."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def suppressions(self) -> tuple[Suppression, ...]:
        if "docker-standard:" not in self.text:
            return ()  # most files: no need to split the lines
        return find_suppressions(self.path, self.text, self.lines)

    @cached_property
    def pragmas(self) -> dict[int, tuple[Suppression, ...]]:
        """Inline suppressions by the line they cover: line -> those at its end; -line ->
        comment lines covering the next line; 0 -> those covering the whole file."""
        result: dict[int, tuple[Suppression, ...]] = {}
        for suppression in self.suppressions:
            key = {"file": 0, "next": -suppression.line, "line": suppression.line}[
                suppression.scope
            ]
            result[key] = (*result.get(key, ()), suppression)
        return result
