"""Replay every input that ever crashed a fuzz target (tests/regressions/<target>/<file>).

The file's folder names the target (fuzz/fuzz_targets.py); for ``check`` a suffix ``.plain``,
``.diff`` or ``.fix`` picks the mode, otherwise the input's length does, as under atheris.
Adding a regression is copying the crash file here: no code to write (fuzz/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "fuzz"))

import fuzz_targets  # noqa: E402

#: Crashes whose fix belongs to a file outside the reliability work, with the fix to make.
#: strict: the day the fix lands, the XPASS fails and the entry must go.
KNOWN: dict[str, str] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for path in sorted(HERE.glob("*/*")):
        if path.parent.name not in fuzz_targets.TARGETS or not path.is_file():
            continue
        key = f"{path.parent.name}/{path.name}"
        marks = [pytest.mark.xfail(reason=KNOWN[key], strict=True)] if key in KNOWN else []
        cases.append(pytest.param(path, id=key, marks=marks))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_regression_input_no_longer_crashes(path: Path) -> None:
    target = path.parent.name
    data = path.read_bytes()
    if target == "check":
        mode = path.suffix[1:] if path.suffix[1:] in fuzz_targets.MODES else None
        fuzz_targets.check_target(data, mode)
    else:
        fuzz_targets.TARGETS[target](data)


def test_every_known_crash_still_has_its_input() -> None:
    missing = [key for key in KNOWN if not (HERE / key).is_file()]
    assert not missing, f"KNOWN lists inputs that are gone: {missing}"
