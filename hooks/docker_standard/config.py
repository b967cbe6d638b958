"""Settings from ``.docker-standard.yaml`` or ``[tool.docker-standard]``, validated strictly."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from docker_standard.findings import Severity
from docker_standard.model.paths import cleaned
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

CONFIG_FILE = ".docker-standard.yaml"
BASELINE_FILE = ".docker-standard-baseline.json"  # written by `docker-standard baseline`
KEYS = ("select", "ignore", "severity", "per-file-ignores", "stateful-images", "exclude")


class ConfigError(Exception):
    """A configuration or usage problem: exit code 2 with this message."""


class Settings(NamedTuple):
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = MappingProxyType({})
    per_file_ignores: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    stateful_images: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    exclude: tuple[str, ...] = ()
    source: str | None = None  # where the settings came from, for messages

    def with_cli(self, select: Sequence[str], ignore: Sequence[str]) -> Settings:
        """Command-line --select replaces the configured selection; --ignore adds to it."""
        return Settings(
            tuple(select) or self.select,
            self.ignore + tuple(ignore),
            self.severity,
            self.per_file_ignores,
            self.stateful_images,
            self.exclude,
            self.source,
        )


def load_settings(root: str, explicit: str | None = None) -> Settings:
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError(f"config file not found: {explicit}")
        return _from_file(cleaned(explicit))
    yaml_path = os.path.join(root, CONFIG_FILE)
    if os.path.isfile(yaml_path):
        return _from_file(yaml_path)
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.isfile(pyproject):
        table = _pyproject_table(pyproject)
        if table is not None:
            return parse_settings(table, "pyproject.toml [tool.docker-standard]")
    return Settings()


def _from_file(path: str) -> Settings:
    if os.path.splitext(path)[1] == ".toml":
        table = _pyproject_table(path)
        return parse_settings(table or {}, f"{path} [tool.docker-standard]")
    from docker_standard.model.yamltree import YamlError, load_documents

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        documents = load_documents(text, str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc.__class__.__name__}") from None
    except YamlError as exc:
        raise ConfigError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
    data = documents[0] if documents else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return parse_settings(data, str(path))


def _pyproject_table(path: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {path}: it is not valid UTF-8") from None
    table = data.get("tool", {}).get("docker-standard")
    return table if isinstance(table, dict) else None


def parse_settings(data: Mapping[str, Any], source: str) -> Settings:
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{source}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(KEYS)}"
        )
    severity: dict[str, Severity] = {}
    for code, level in _mapping(data, "severity", source).items():
        try:
            severity[str(code).upper()] = Severity.parse(str(level))
        except ValueError as exc:
            raise ConfigError(f"{source}: severity.{code}: {exc}") from None
    per_file = {
        str(pattern): _codes(value, f"per-file-ignores.{pattern}", source)
        for pattern, value in _mapping(data, "per-file-ignores", source).items()
    }
    stateful = {
        str(image): _strings(paths, f"stateful-images.{image}", source)
        for image, paths in _mapping(data, "stateful-images", source).items()
    }
    return Settings(
        select=_codes(data.get("select"), "select", source),
        ignore=_codes(data.get("ignore"), "ignore", source),
        severity=severity,
        per_file_ignores=per_file,
        stateful_images=stateful,
        exclude=_strings(data.get("exclude"), "exclude", source),
        source=source,
    )


def _mapping(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{source}: {key} must be a mapping")
    return value


def _strings(value: Any, key: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{source}: {key} must be a string or a list of strings")


def _codes(value: Any, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    codes = _strings(value, key, source)
    for code in codes:
        if not code.upper().startswith("DS"):
            raise ConfigError(f"{source}: {key}: {code!r} is not a rule code or prefix (DS…)")
    return tuple(code.upper() for code in codes)
