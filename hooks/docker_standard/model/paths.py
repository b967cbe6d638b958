"""Root-relative POSIX paths, as the model names every file ("" is the root)."""

from __future__ import annotations

import posixpath
from pathlib import Path


def join(directory: str, name: str) -> str:
    """``name`` in ``directory``; the root's files have no leading slash."""
    return f"{directory}/{name}" if directory else name


def parent_dir(path: str) -> str:
    """The folder ``path`` is in ("" for a file at the root)."""
    return posixpath.dirname(path)


def shown_path(root: Path, path: Path) -> str:
    """``path`` as a message shows it: relative to the project root when it is inside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
