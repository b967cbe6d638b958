"""The rule registry: ``@rule`` records a check; rule modules are found by their file names.

Adding a rule is one module under ``rules/`` named by its code (``ds301_<name>.py``) and one
test module. A run imports only the modules of the rules it may run (:func:`rules_for`): a
hook's start-up pays for its own rules, not for all of them.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import cache

from docker_standard.findings import Hit, Severity
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

    Check = Callable[[Any, Any], Iterable[Hit]]

_NAME = r"[a-z0-9]+(-[a-z0-9]+)*"
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
DOCS_URL = "https://github.com/docker-standard/docker-standard/blob/main/docs/rules.md"

# Which pre-commit hook owns which codes (by prefix); EVERY_HOOK codes belong to all of them.
# The runtime rules (DS4xx) observe a real cold start: only the ``cold-start`` command runs them.
EVERY_HOOK = ("DS001", "DS002")
HOOK_PREFIXES: dict[str, tuple[str, ...]] = {
    "docker-standard": ("DS0", "DS1", "DS2", "DS3"),
    "check-env-gitignored": ("DS101", "DS102"),
    "check-env-example": ("DS103", "DS104", "DS105", "DS106", "DS107", "DS108", "DS109"),
    "check-dockerfiles": ("DS2",),
    "check-compose": ("DS3",),
    "cold-start": ("DS4",),
}


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    target: type
    check: Check
    doc: str
    fixable: bool = False
    enabled_by_default: bool = True
    security: bool = False
    # Runs after the others' findings were matched against suppressions (DS002 judges those).
    after_suppressions: bool = False

    @property
    def summary(self) -> str:
        """The first paragraph of *What it does*, on one line."""
        body = self.doc.split("## What it does", 1)[-1].split("##", 1)[0]
        return " ".join(body.strip().split("\n\n", 1)[0].split())

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"

    def run(self, target: object, project: object) -> Iterator[Hit]:
        yield from self.check(target, project)


_RULES: dict[str, Rule] = {}


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    target: type,
    fixable: bool = False,
    enabled_by_default: bool = True,
    security: bool = False,
    after_suppressions: bool = False,
) -> Callable[[Check], Check]:
    """Register a check. Its docstring is the rule's user documentation."""
    if not re.fullmatch(r"DS\d{3}", code) or not re.fullmatch(_NAME, name):
        raise ValueError(f"bad rule code or name: {code} {name}")

    def register(check: Check) -> Check:
        if code in _RULES and _RULES[code].check is not check:
            raise ValueError(f"rule code {code} registered twice")
        doc = _dedent_doc(check.__doc__ or "")
        _RULES[code] = Rule(
            code,
            name,
            severity,
            target,
            check,
            doc,
            fixable,
            enabled_by_default,
            security,
            after_suppressions,
        )
        return check

    return register


def _dedent_doc(doc: str) -> str:
    """``inspect.cleandoc`` (importing ``inspect`` costs 6 ms of every start-up): the first
    line stripped, the others dedented by their common margin, blank lines at the ends gone.
    A test compares the two on every rule's doc."""
    lines = doc.expandtabs().split("\n")
    margins = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(margins, default=0)
    lines = [lines[0].lstrip(), *(line[margin:] for line in lines[1:])]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


@cache
def rule_modules() -> dict[str, str]:
    """Every rule code -> the module that defines it, read from the file names under
    ``rules/`` (``rules/compose/ds301_compose_missing_healthcheck.py``) without importing any.
    A test checks that each module registers exactly the code its name says."""
    from docker_standard import rules

    found: dict[str, str] = {}
    todo = [(rules.__path__[0], rules.__name__)]
    while todo:
        folder, package = todo.pop()
        for entry in os.scandir(folder):
            stem, dot, ext = entry.name.partition(".")
            if entry.is_dir() and not stem.startswith(("_", ".")) and "." not in entry.name:
                if os.path.exists(os.path.join(entry.path, "__init__.py")):
                    todo.append((entry.path, f"{package}.{stem}"))
            elif dot and ext == "py" and re.fullmatch(r"ds\d{3}_\w+", stem):
                found[stem[:5].upper()] = f"{package}.{stem}"
    return dict(sorted(found.items()))


def all_codes() -> list[str]:
    """Every rule code, sorted, without importing the rules."""
    return list(rule_modules())


def rules_for(codes: Collection[str]) -> list[Rule]:
    """The rules of ``codes`` (known codes only), importing just their modules."""
    modules = rule_modules()
    for code in codes:
        if code not in _RULES and code in modules:
            importlib.import_module(modules[code])
    return [_RULES[code] for code in sorted(codes) if code in _RULES]


def all_rules() -> list[Rule]:
    """Every rule, sorted by code (imports every rule module)."""
    return rules_for(rule_modules())


def get_rule(code: str) -> Rule | None:
    code = code.upper()
    found = rules_for([code])
    return found[0] if found else None


def loaded_rules(prefix: str) -> list[Rule]:
    """The rules already imported whose code starts with ``prefix``, without discovering the
    others (``cold-start`` imports only its own rule modules)."""
    return [_RULES[code] for code in sorted(_RULES) if code.startswith(prefix)]


def matches(code: str, selectors: Iterable[str]) -> bool:
    """True when a selector is the code or a prefix of it (``DS``, ``DS3``, ``DS30``, ``DS301``)."""
    return any(code.startswith(sel.strip().upper()) for sel in selectors if sel.strip())


def known_selector(selector: str) -> bool:
    sel = selector.strip().upper()
    return bool(sel) and any(code.startswith(sel) for code in rule_modules())
