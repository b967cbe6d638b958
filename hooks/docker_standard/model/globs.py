"""Root-relative path globs for the settings (``exclude``, ``per-file-ignores``)."""

from __future__ import annotations

from collections.abc import Iterable


class Globs:
    """Root-relative path globs for settings (``exclude``, ``per-file-ignores``): ``*`` and
    ``?`` within a name, ``**`` across folders, a folder covers everything below it.

    Docker's pattern rules (model/dockerignore.py), which fit root-relative settings and keep
    pathspec (whose import costs more than a whole hook run) out of the common path.
    """

    def __init__(self, patterns: Iterable[str], where: str) -> None:
        from docker_standard.config import ConfigError
        from docker_standard.model.dockerignore import parse_dockerignore

        lines = [p.strip() for p in patterns if p.strip()]
        self._spec = parse_dockerignore("\n".join(lines))
        if self._spec.invalid_lines:
            bad = lines[self._spec.invalid_lines[0] - 1]
            raise ConfigError(f"{where}: {bad!r} is not a valid path pattern")

    def match_file(self, path: str) -> bool:
        return bool(self._spec.excluded(path.rstrip("/")))


def compile_globs(patterns: Iterable[str], where: str) -> Globs:
    return Globs(patterns, where)
