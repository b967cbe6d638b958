"""The rule registry: ``@rule`` records a check, :func:`all_rules` discovers every rule module.

Adding a rule is one module under ``rules/`` (named by its code) and one test module.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from docker_standard.findings import Hit, Severity

Check = Callable[[Any, Any], Iterable[Hit]]

_CODE = re.compile(r"DS\d{3}")
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
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


@dataclass(frozen=True)
class Rule:
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
    if not _CODE.fullmatch(code) or not _NAME.fullmatch(name):
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
    import inspect

    return inspect.cleandoc(doc)


_loaded = False


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code. Imports the ``rules`` package once."""
    global _loaded
    if not _loaded:
        from docker_standard import rules

        for info in pkgutil.walk_packages(rules.__path__, rules.__name__ + "."):
            importlib.import_module(info.name)
        _loaded = True
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Rule | None:
    all_rules()
    return _RULES.get(code.upper())


def loaded_rules(prefix: str) -> list[Rule]:
    """The rules already imported whose code starts with ``prefix``, without discovering the
    others (``cold-start`` imports only its own rule modules)."""
    return [_RULES[code] for code in sorted(_RULES) if code.startswith(prefix)]


def matches(code: str, selectors: Iterable[str]) -> bool:
    """True when a selector is the code or a prefix of it (``DS``, ``DS3``, ``DS30``, ``DS301``)."""
    return any(code.startswith(sel.strip().upper()) for sel in selectors if sel.strip())


def known_selector(selector: str) -> bool:
    sel = selector.strip().upper()
    return bool(sel) and any(code.startswith(sel) for code in (r.code for r in all_rules()))
