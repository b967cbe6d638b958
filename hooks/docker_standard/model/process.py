"""Run a short command (git) and collect its output, without importing ``subprocess``.

``subprocess`` and what it imports (threading, signal, selectors, locale) cost about 5 ms of
every run's start-up, a twentieth of a hook's time, and a check runs at most three short git
commands: they need a spawn, three pipes, a poll loop and a wait. ``os.posix_spawnp`` does the
spawn (it finds the program on ``PATH`` and reports a missing one as ``FileNotFoundError``).
Where the standard descriptors are closed, which the pipes' numbering cannot then work around
simply, this falls back to ``subprocess``. Longer-lived children (cold-start's docker,
``--new-since``'s worktree) use ``subprocess`` directly.
"""

from __future__ import annotations

import os
import time

from docker_standard.runtime_typing import NamedTuple

_CHUNK = 65536


class Completed(NamedTuple):
    """What ``subprocess.CompletedProcess`` would hold: the exit status and both outputs."""

    args: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes


def run(args: list[str], *, stdin: bytes | None, env: dict[str, str], timeout: float) -> Completed:
    """``args`` fed ``stdin`` (an empty one when ``None``) in this process's folder
    (``posix_spawn`` cannot change it: ``git -C`` can); raises ``TimeoutError`` after ``timeout``
    seconds, having killed the child, and ``OSError`` when it cannot start."""
    if not _standard_fds_open():
        return _run_subprocess(args, stdin=stdin, env=env, timeout=timeout)
    import select
    import signal

    pipes = [os.pipe(), os.pipe(), os.pipe()]  # stdin, stdout, stderr; close-on-exec
    child_ends = [pipes[0][0], pipes[1][1], pipes[2][1]]
    actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(child_ends)]
    try:
        # Python ignores SIGPIPE, and a spawned child would inherit that: restore it.
        pid = os.posix_spawnp(
            args[0], args, env, file_actions=actions, setsigdef=(signal.SIGPIPE,)
        )
    except BaseException:
        for read_end, write_end in pipes:
            os.close(read_end)
            os.close(write_end)
        raise
    for fd in child_ends:
        os.close(fd)
    feed, out, err = pipes[0][1], pipes[1][0], pipes[2][0]
    chunks: dict[int, list[bytes]] = {out: [], err: []}
    pending = memoryview(stdin or b"")
    poller = select.poll()
    poller.register(out, select.POLLIN)
    poller.register(err, select.POLLIN)
    if pending:
        os.set_blocking(feed, False)
        poller.register(feed, select.POLLOUT)
    else:
        os.close(feed)
    open_fds = {out, err, *([feed] if pending else [])}
    deadline = time.monotonic() + timeout
    try:
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"{args[0]} did not finish within {timeout:g} s")
            for fd, _ in poller.poll(left * 1000):
                if fd == feed:
                    try:
                        pending = pending[os.write(feed, pending[:_CHUNK]) :]
                    except BrokenPipeError:
                        pending = pending[:0]  # it stopped reading: its output tells why
                    if not pending:
                        poller.unregister(feed)
                        os.close(feed)
                        open_fds.discard(feed)
                    continue
                data = os.read(fd, _CHUNK)
                if data:
                    chunks[fd].append(data)
                else:
                    poller.unregister(fd)
                    os.close(fd)
                    open_fds.discard(fd)
    finally:
        for fd in open_fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
    return Completed(
        args, os.waitstatus_to_exitcode(status), b"".join(chunks[out]), b"".join(chunks[err])
    )


def _standard_fds_open() -> bool:
    """A closed 0, 1 or 2 would make a new pipe take its number, and a dup2 onto itself
    would leave it close-on-exec."""
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:
        return False
    return True


def _run_subprocess(
    args: list[str], *, stdin: bytes | None, env: dict[str, str], timeout: float
) -> Completed:
    import subprocess

    try:
        proc = subprocess.run(
            args,
            input=stdin or b"",
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"{args[0]} did not finish within {timeout:g} s") from None
    return Completed(args, proc.returncode, proc.stdout, proc.stderr)
