"""Secret masking for what a cold start prints: container logs and healthcheck output.

A value is masked wherever it appears when the secret judge (``docker_standard.secrets``)
flags it, or when it stands under a credential-like name in an env file (local ``.env``,
templates) or in the environment; then whatever else the judge recognises in a line (a
password in a URL, ``PASSWORD=x``, a token) is masked too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from docker_standard.secrets import mask

# Values too ordinary to be secrets, even under a credential-like name.
_ORDINARY = frozenset({"true", "false", "yes", "no", "on", "off", "null", "none", "changeme"})


def judge(name: str | None, value: str) -> bool:
    """Is ``value`` (given to ``name``, if any) a secret? Ordinary values (``8080``, ``true``)
    never are."""
    from docker_standard.secrets import Place, is_credential_name
    from docker_standard.secrets import judge as judge_value

    text = value.strip()
    if len(text) < 3 or text.isdigit() or text.lower() in _ORDINARY:
        return False
    if name is not None and is_credential_name(name):
        return True
    return judge_value("", text, Place.COMPOSE) is not None


def secret_values(env_files: Iterable[Path], environ: Mapping[str, str]) -> set[str]:
    """The values to mask: each judged secret under a name in these env files or ``environ``."""
    from docker_standard.model.dotenv import parse_dotenv

    values: set[str] = set()
    for path in env_files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for key, value in parse_dotenv(text).as_dict().items():
            if value and judge(key, value):
                values.add(value)
    for key, value in environ.items():
        if value and judge(key, value):
            values.add(value)
    return values


class Masker:
    def __init__(self, values: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self.values = sorted(set(values), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        from docker_standard.secrets import redact_text

        for value in self.values:
            if value in text:
                text = text.replace(value, mask(value))
        return redact_text(text)


def env_files_below(*roots: Path) -> list[Path]:
    """Every dotenv file (local ones and templates) below ``roots``, skipping VCS folders."""
    from docker_standard.model.project import is_env_name

    found: list[Path] = []
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in (".git", "node_modules", ".venv")]
            found.extend(Path(folder) / n for n in names if is_env_name(n))
    return found
