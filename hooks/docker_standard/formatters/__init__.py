"""Output formats. Formatters never print: each returns the whole output as text.

Every format's text ends with a newline unless it is empty (the ``github`` format with no
findings), so callers write it as it is (``sys.stdout.write(text)``, ``click.echo(text, nl=False)``)
or hand it to :func:`write_atomic`.
"""

from __future__ import annotations

import contextlib
import os
import stat

from docker_standard.outputs import FORMATS as FORMATS
from docker_standard.report import Report


def render(fmt: str, report: Report, *, color: bool = False, baselined: bool = False) -> str:
    """Render ``report`` in format ``fmt`` (one of :data:`FORMATS`).

    Only the chosen formatter's module is imported. ``color`` applies to ``text`` alone,
    ``baselined`` (also write the findings the baseline holds, marked suppressed) to ``sarif``.
    """
    if fmt == "text":
        from docker_standard.formatters import text

        return text.render(report, color=color)
    if fmt == "json":
        from docker_standard.formatters import json

        return json.render(report)
    if fmt == "sarif":
        from docker_standard.formatters import sarif

        return sarif.render(report, baselined=baselined)
    if fmt == "github":
        from docker_standard.formatters import github

        return github.render(report)
    if fmt == "gitlab":
        from docker_standard.formatters import gitlab

        return gitlab.render(report)
    raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the new one.

    The text goes to a temporary file in the same folder, is flushed to disk, and then
    replaces the target with ``os.replace``; on any failure the temporary file is removed and
    the old content is left untouched. An existing file keeps its permission bits (a symlink
    is followed and its target replaced); a new file gets the usual ``0o666 & ~umask``.
    """
    target = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    import tempfile  # only FMT=PATH writes a file

    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _current_umask() -> int:
    # os.umask can only be read by setting it; put the old value straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows opening a folder (POSIX)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
