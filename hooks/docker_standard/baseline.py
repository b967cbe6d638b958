"""The baseline: today's findings, written down once so a project can adopt the standard and
fail only on what is new (SPEC *Adoption*; ESLint's bulk suppressions, PHPStan's baseline).

``.docker-standard-baseline.json`` at the project root holds one entry per fingerprint, sorted
by path, code and subject so that it diffs well::

    {"version": 1,
     "findings": [{"fingerprint": "…", "code": "DS301", "path": "compose.yaml",
                   "subject": "service api healthcheck", "description": "service 'api' has …"}]}

A fingerprint is made of the code, the path and the finding's subject (never a line number nor
a secret), so the entry keeps matching when lines move, services are reordered or the file is
reformatted; renaming the file or the service makes a new finding, as it is new code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docker_standard.config import BASELINE_FILE as FILE_NAME
from docker_standard.config import ConfigError
from docker_standard.findings import Finding
from docker_standard.model.paths import shown_path
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

VERSION = 1
_DESCRIPTION = 120  # characters of the message kept as the entry's human description


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str
    subject: str
    description: str

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.path, self.code, self.subject, self.fingerprint)

    def as_json(self) -> dict[str, str]:
        return {
            "fingerprint": self.fingerprint,
            "code": self.code,
            "path": self.path,
            "subject": self.subject,
            "description": self.description,
        }


@dataclass(frozen=True)
class Applied:
    """What a baseline did to one run's findings."""

    reported: tuple[Finding, ...]  # not in the baseline: reported as usual
    baselined: tuple[Finding, ...]
    stale: int  # entries the run could have matched and did not


def entry_of(finding: Finding) -> Entry:
    message = " ".join(finding.message.split())
    if len(message) > _DESCRIPTION:
        message = message[: _DESCRIPTION - 1] + "…"
    subject = str(finding.subject) if finding.subject is not None else ""
    return Entry(finding.fingerprint, finding.code, finding.path, subject, message)


def read(path: str | os.PathLike[str]) -> dict[str, Entry]:
    """The entries of the baseline at ``path``, by fingerprint. Raises :class:`ConfigError` when
    the file cannot be read or is not a baseline (a usage error: exit 2, never a traceback)."""
    import json

    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"the baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ConfigError(f"the baseline {path} is not a docker-standard baseline "
                          f"(version {VERSION})")
    entries: dict[str, Entry] = {}
    for item in data.get("findings") or ():
        entry = _entry(item)
        if entry is None:
            raise ConfigError(f"the baseline {path} has a malformed entry: {_clip(item)}")
        entries[entry.fingerprint] = entry
    return entries


def _entry(item: Any) -> Entry | None:
    if not isinstance(item, dict):
        return None
    fingerprint, code, path = (item.get(name) for name in ("fingerprint", "code", "path"))
    if not (isinstance(fingerprint, str) and isinstance(code, str) and isinstance(path, str)):
        return None
    if not (fingerprint and code and path):
        return None
    subject, description = item.get("subject", ""), item.get("description", "")
    return Entry(fingerprint, code, path, str(subject), str(description))


def _clip(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 80 else text[:79] + "…"


def apply(
    entries: dict[str, Entry],
    findings: Sequence[Finding],
    codes: Collection[str],
    in_scope: Callable[[str], bool] | None = None,
) -> Applied:
    """Split ``findings`` into reported and baselined; count the stale entries among those the
    run could have matched: of a rule that ran (``codes``) and, when ``in_scope`` is given, of a
    path it accepts (a hook given some files says nothing of the others)."""
    reported: list[Finding] = []
    held: list[Finding] = []
    matched: set[str] = set()
    for finding in findings:
        fingerprint = finding.fingerprint
        if fingerprint in entries:
            held.append(finding)
            matched.add(fingerprint)
        else:
            reported.append(finding)
    stale = sum(
        1
        for fingerprint, entry in entries.items()
        if fingerprint not in matched
        and entry.code in codes
        and (in_scope is None or in_scope(entry.path))
    )
    return Applied(tuple(reported), tuple(held), stale)


def updated(
    old: dict[str, Entry], findings: Iterable[Finding], codes: Collection[str], *, prune: bool
) -> list[Entry]:
    """The entries to write. Without ``prune``: every finding of the rules that ran, and the old
    entries of rules that did not (``baseline --select DS3`` leaves DS1 entries alone). With it:
    the old entries that still match a finding, and nothing new."""
    current = {f.fingerprint: f for f in findings}
    if prune:
        kept = [e for fp, e in old.items() if fp in current or e.code not in codes]
        return sorted(kept, key=Entry.sort_key)
    entries = {fp: e for fp, e in old.items() if e.code not in codes}
    entries.update((fp, entry_of(f)) for fp, f in current.items())
    return sorted(entries.values(), key=Entry.sort_key)


def render(entries: Sequence[Entry]) -> str:
    """The file's text: one entry per line group, sorted, ending with a newline."""
    import json

    document = {"version": VERSION, "findings": [e.as_json() for e in entries]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def make_baseline(
    path: str | None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config_path: str | None = None,
    output: str | None = None,
    prune: bool = False,
) -> str:
    """Write (or with ``prune`` only prune) the baseline of the whole project around ``path``;
    return what was done, in one sentence. Raises :class:`ConfigError` on bad usage.

    The findings are those ``check`` would report on the whole project (suppressions and
    settings applied) for the rules selected; the baseline file itself is never a filter here.
    """
    from docker_standard.formatters import write_atomic
    from docker_standard.runner import enabled_rules, run_rules
    from docker_standard.scope import find_scope

    scope = find_scope([path] if path else [], config_path=config_path, select=select,
                       ignore=ignore, scope=False)
    target = Path(output) if output else Path(scope.root, FILE_NAME)
    old = read(target) if target.is_file() else {}
    if prune and not target.is_file():
        raise ConfigError(f"no baseline to prune: {target} does not exist")
    rules = enabled_rules(scope.settings, "docker-standard")
    findings = run_rules(scope.load(), rules)
    codes = {r.code for r in rules}
    entries = updated(old, findings, codes, prune=prune)
    try:
        write_atomic(target, render(entries))
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
    shown = shown_path(scope.root, target)
    if prune:
        gone = len(old) - len(entries)
        return (f"pruned {gone} stale {'entry' if gone == 1 else 'entries'} from {shown}; "
                f"{len(entries)} left")
    return f"wrote {len(entries)} {'entry' if len(entries) == 1 else 'entries'} to {shown}"
