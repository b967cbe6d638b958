"""Start-up cost, guarded by what is imported rather than by a clock (a clock flakes on a
loaded machine; benchmarks/bench.py measures the time).

Each case runs one command in a fresh interpreter and lists the modules it imported. A module
that joins the list costs every hook run its import time, so the list has a budget.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "standard-stack"

# The budget for `docker-standard check examples/standard-stack`. To update it: first try to
# import the new module where it is used (inside the function that needs it); if `check` really
# needs it at start-up, add it here and say in the commit what it costs
# (`python -X importtime -m docker_standard.cli check examples/standard-stack`).
THIRD_PARTY = {"yaml"}  # click only for --help and errors (tests/test_entry.py)
PACKAGE_MODULES = 93  # docker_standard.* modules imported by that run (88 after the model was
# split into small modules by seam: model/project.py and model/dockerfile.py became 15 files;
# the count grew, the bytes imported did not; 89 with model/shell.py, the one shell parser,
# whose code came out of rules/dockerfile/_helpers.py and ds206; 90 with model/assembly.py,
# include/extends moved out of model/project.py; 91 with model/loading.py, discovery moved
# out of it too; 92 with model/process.py, which spawns git without importing subprocess;
# 93 with runtime_typing.py, which spares every run the import of typing)

# Standard-library modules whose import costs a run a millisecond or more and that `check`
# does without: subprocess (git runs through model/process.py), pathlib with the urllib.parse
# and ipaddress it imports (the model's paths are strings), typing (docker_standard.runtime_typing
# has the two names a run needs), and what dataclasses and inspect bring.
NOT_AT_START = {
    "subprocess", "threading", "pathlib", "urllib.parse", "typing", "dataclasses", "inspect",
    "ast", "tokenize",
}

# PyYAML's compiled extension registers these two; they are part of "yaml".
_EXTENSION_INTERNALS = ("_cython_", "cython_runtime")

# argv[1] is the entry point's function in docker_standard.entry (pyproject's [project.scripts]).
_SCRIPT = r"""
import contextlib, importlib, io, json, sys
before = set(sys.modules)
entry = getattr(importlib.import_module("docker_standard.entry"), sys.argv[1])
with contextlib.redirect_stdout(io.StringIO()):
    code = entry(sys.argv[2:])
print(json.dumps({"code": code, "modules": sorted(set(sys.modules) - before)}))
"""


def imported_by(*args: str, entry: str = "main") -> list[str]:
    """The modules a fresh interpreter imports to run ``docker-standard ARGS`` (or a hook's
    entry point)."""
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, entry, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=EXAMPLE,
    )
    result = json.loads(proc.stdout)
    assert result["code"] == 0, proc.stderr
    modules: list[str] = result["modules"]
    return modules


def third_party(modules: list[str]) -> set[str]:
    tops = {m.split(".")[0] for m in modules}
    return {
        top
        for top in tops
        if top not in sys.stdlib_module_names
        and top != "docker_standard"
        and not top.startswith(_EXTENSION_INTERNALS)
    }


def test_check_on_the_example_stays_within_its_import_budget() -> None:
    modules = imported_by("check", ".")
    extra = third_party(modules) - THIRD_PARTY
    assert not extra, (
        f"`check` now imports {sorted(extra)} at start-up; import it where it is used, or "
        "add it to THIRD_PARTY in tests/test_import_budget.py with its cost in the commit"
    )
    heavy = NOT_AT_START.intersection(modules)
    assert not heavy, f"`check` now imports {sorted(heavy)}: import it where it is used"
    ours = [m for m in modules if m.startswith("docker_standard.")]
    assert len(ours) <= PACKAGE_MODULES, (
        f"`check` imports {len(ours)} docker_standard modules, the budget is "
        f"{PACKAGE_MODULES}: import the new ones where they are used, or raise "
        "PACKAGE_MODULES in tests/test_import_budget.py and say why in the commit\n"
        + "\n".join(ours)
    )


def test_check_imports_no_runtime_rule_nor_the_cold_start_machinery() -> None:
    modules = imported_by("check", ".")
    assert not [m for m in modules if ".rules.runtime" in m or ".coldstart" in m]


@pytest.mark.parametrize(
    ("hook", "path", "foreign"),
    [
        ("check-compose", "docker-compose.yml", (".rules.env.ds", ".rules.dockerfile.ds")),
        ("check-dockerfiles", "services/bot/Dockerfile", (".rules.env.ds", ".rules.compose.ds")),
        ("check-env-example", ".env.example", (".rules.compose.ds", ".rules.dockerfile.ds")),
    ],
)
def test_a_hook_imports_only_the_rules_it_runs(
    hook: str, path: str, foreign: tuple[str, ...]
) -> None:
    modules = imported_by(path, entry=hook.replace("-", "_"))
    rules = [m for m in modules if ".rules." in m]
    assert rules, "the hook ran no rule"
    prefixes = tuple(f"docker_standard{f}" for f in foreign)
    assert not [m for m in rules if m.startswith(prefixes)]


def test_each_rule_module_registers_the_code_its_file_name_says() -> None:
    """The registry finds rules by file name without importing them: a name that disagrees
    with the code inside would import the wrong module (or none) for a selection."""
    import importlib

    from docker_standard import registry, rules

    every = [
        info.name
        for info in pkgutil.walk_packages(rules.__path__, rules.__name__ + ".")
        if info.name.rpartition(".")[2].startswith("ds")
    ]
    assert sorted(registry.rule_modules().values()) == sorted(every)
    for module in every:
        importlib.import_module(module)
    assert sorted(registry._RULES) == sorted(registry.rule_modules())
    for code, module in registry.rule_modules().items():
        assert registry._RULES[code].check.__module__ == module, (code, module)


def test_the_rule_doc_dedent_is_inspect_cleandoc() -> None:
    """registry._dedent_doc stands in for inspect.cleandoc, whose import start-up skips."""
    import inspect

    from docker_standard import registry

    for rule in registry.all_rules():
        raw = rule.check.__doc__ or ""
        assert registry._dedent_doc(raw) == inspect.cleandoc(raw), rule.code
    for text in ("", "\n\n", "  one", "a\n    b\n  c\n\n", "\tx\n\ty", "\n  first\n    second\n"):
        assert registry._dedent_doc(text) == inspect.cleandoc(text), text


def test_yaml_imported_with_deferred_patterns_behaves_as_before() -> None:
    """import_yaml defers the regular expressions PyYAML compiles at import; the pure-Python
    reader and resolver still work, and re.compile is itself again afterwards."""
    import re

    from docker_standard.model.yamltree import import_yaml

    yaml = import_yaml()
    assert re.compile("a").match("a")
    text = "a: [1, 2.5, true, null, 2020-01-01, '0x1F', ~]\n"
    assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader)
    with pytest.raises(yaml.YAMLError):
        yaml.load("a: \x07\n", Loader=yaml.SafeLoader)  # the reader's non-printable class
