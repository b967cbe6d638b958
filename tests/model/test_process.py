"""model/process.py: git's runner without subprocess must behave as subprocess.run does."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from docker_standard.model import process

ENV = dict(os.environ)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_outputs_and_exit_status_are_collected() -> None:
    done = process.run(
        python("import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"),
        stdin=None, env=ENV, timeout=30,
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, b"out\n", b"err\n")


def test_a_large_input_and_output_do_not_deadlock() -> None:
    """The child writes its whole output before reading the end of its input: both pipes fill
    up unless the runner feeds and drains them together."""
    data = b"x" * (1 << 20)
    echo = "import sys; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(d * 2)"
    done = process.run(python(echo), stdin=data, env=ENV, timeout=60)
    assert done.returncode == 0 and done.stdout == data * 2


def test_without_input_the_child_reads_an_empty_stdin() -> None:
    done = process.run(python("import sys; print(len(sys.stdin.read()))"),
                       stdin=None, env=ENV, timeout=30)
    assert done.stdout == b"0\n"


def test_a_child_that_stops_reading_is_not_an_error() -> None:
    done = process.run(python("import sys; sys.stdin.close(); print('bye')"),
                       stdin=b"y" * (1 << 20), env=ENV, timeout=30)
    assert (done.returncode, done.stdout) == (0, b"bye\n")


def test_the_child_gets_sigpipe_back() -> None:
    """Python ignores SIGPIPE; a spawned child must get the default again, as subprocess does
    (read from the kernel: a Python child would ignore it again itself)."""
    status = process.run(["cat", "/proc/self/status"], stdin=None, env=ENV, timeout=30).stdout
    ignored = next(line for line in status.splitlines() if line.startswith(b"SigIgn:"))
    assert not int(ignored.split()[1], 16) & (1 << (13 - 1))  # SIGPIPE is 13


def test_the_environment_is_the_one_given() -> None:
    env = {**ENV, "PROBE": "given"}
    code = "import os; print(os.environ['PROBE'])"
    assert process.run(python(code), stdin=None, env=env, timeout=30).stdout == b"given\n"


def test_a_slow_child_is_killed_at_the_timeout() -> None:
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        process.run(python("import time; time.sleep(30)"), stdin=None, env=ENV, timeout=0.5)
    assert time.monotonic() - start < 20


def test_a_missing_program_is_file_not_found() -> None:
    with pytest.raises(FileNotFoundError):
        process.run(["docker-standard-no-such-program"], stdin=None, env=ENV, timeout=5)


def test_no_descriptor_leaks() -> None:
    before = set(os.listdir("/proc/self/fd"))
    for _ in range(20):
        process.run(python("print(1)"), stdin=b"in", env=ENV, timeout=30)
    with pytest.raises(FileNotFoundError):
        process.run(["docker-standard-no-such-program"], stdin=None, env=ENV, timeout=5)
    assert set(os.listdir("/proc/self/fd")) <= before


def test_closed_standard_descriptors_fall_back_to_subprocess() -> None:
    """With fd 0 closed a new pipe would take its number; the runner then uses subprocess."""
    script = (
        "import os, sys; os.close(0)\n"
        "from docker_standard.model import process\n"
        "assert not process._standard_fds_open()\n"
        "done = process.run([sys.executable, '-c', 'import sys; print(repr(sys.stdin.read()))'],"
        " stdin=b'fed', env=dict(os.environ), timeout=30)\n"
        "print(done.returncode, done.stdout)\n"
    )
    proc = subprocess.run(python(script), capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "0 b\"'fed'\\n\""
