"""Walking the project's folders: all of them, or only those a scoped run needs, never
following links or entering :data:`~docker_standard.model.files.SKIP_DIRS` or excluded paths."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator

from docker_standard.model.files import SKIP_DIRS
from docker_standard.model.globs import compile_globs
from docker_standard.model.paths import join, parent_dir
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.config import Settings


def project_folders(
    root: str, settings: Settings, only: Iterable[str] | None, subtrees: Iterable[str] = ()
) -> Iterator[tuple[str, list[str]]]:
    """``(folder, file names)`` of every folder to discover in: all of them; or, for a run
    given files (``only``) or folders (``subtrees``), those folders and everything below the
    folders given, plus the files of each folder above them (the stacks a file patches, the
    templates and ``.gitignore`` files that govern it)."""
    exclude = _exclude_spec(settings)
    subtrees = [folder for folder in subtrees if folder]
    if only is None and not subtrees:
        yield from _walk(root, "", exclude)
        return
    folders: set[str] = set()
    below: set[str] = set(subtrees)  # a .gitignore governs every folder under it
    for folder in subtrees:
        while folder:
            folder = parent_dir(folder)
            folders.add(folder)
    for rel in only or ():
        folder = parent_dir(rel)
        if posixpath.basename(rel) == ".gitignore":
            below.add(folder)
        while True:
            folders.add(folder)
            if not folder:
                break
            folder = parent_dir(folder)
    walked: set[str] = set()
    for start in sorted(below, key=len):
        if any(start == w or start.startswith(w + "/") or not w for w in walked):
            continue
        walked.add(start)
        for folder, names in _walk(root, start, exclude):
            folders.discard(folder)
            yield folder, names
    for folder in sorted(folders):
        if exclude is not None and folder and exclude.match_file(folder + "/"):
            continue
        yield folder, _names_in(root, folder, exclude)


def _walk(root: str, start: str, exclude: Any) -> Iterator[tuple[str, list[str]]]:
    """Every folder from ``start`` down, without following links or entering SKIP_DIRS."""
    todo = [start]
    while todo:
        folder = todo.pop()
        names: list[str] = []
        try:
            entries = list(os.scandir(os.path.join(root, folder) if folder else root))
        except OSError:
            continue
        for entry in entries:
            rel = join(folder, entry.name)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIP_DIRS:
                    continue
                if exclude is not None and exclude.match_file(rel + "/"):
                    continue
                todo.append(rel)
            elif exclude is None or not exclude.match_file(rel):
                names.append(entry.name)
        yield folder, sorted(names)


def _names_in(root: str, folder: str, exclude: Any) -> list[str]:
    try:
        entries = list(os.scandir(os.path.join(root, folder) if folder else root))
    except OSError:
        return []
    names = []
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                continue
        except OSError:
            continue
        if exclude is None or not exclude.match_file(join(folder, entry.name)):
            names.append(entry.name)
    return sorted(names)


def _exclude_spec(settings: Settings) -> Any:
    if not settings.exclude:
        return None
    return compile_globs(settings.exclude, f"{settings.source or 'settings'}: exclude")
