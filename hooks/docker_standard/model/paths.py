"""Root-relative POSIX paths, as the model names every file ("" is the root)."""

from __future__ import annotations

import os
import posixpath


def join(directory: str, name: str) -> str:
    """``name`` in ``directory``; the root's files have no leading slash."""
    return f"{directory}/{name}" if directory else name


def parent_dir(path: str) -> str:
    """The folder ``path`` is in ("" for a file at the root)."""
    return posixpath.dirname(path)


def cleaned(path: str) -> str:
    """``path`` as pathlib spells it: no empty or "." parts, no trailing slash; ".." stays (a
    link may come before it, so only the file system can resolve it)."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if path.startswith("/"):
        return "/" + "/".join(parts)
    return "/".join(parts) or "."


def within(folder: str, path: str) -> bool:
    """Is ``path`` the absolute ``folder`` or below it? (Both absolute and resolved.)"""
    return path == folder or path.startswith(folder if folder.endswith("/") else folder + "/")


def shown_path(root: str, path: str | os.PathLike[str]) -> str:
    """``path`` as a message shows it: relative to the project root when it is inside it."""
    resolved = os.path.realpath(path)
    if within(root, resolved):
        return os.path.relpath(resolved, root)
    return cleaned(os.fspath(path))
