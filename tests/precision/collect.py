"""Run every rule over each real repository of the shared corpus and key its findings.

Each ``../shared/corpus/apps/<project>`` is one repository as it was crawled, so each is scanned
as its own root, the way its maintainer would run ``docker-standard check`` in a clone. The
corpus is no git work tree: git facts are the "outside git" ones (``.gitignore`` matching).

A finding's key is ``(project, code, path, line, subject)``: the corpus never changes, so path
and line pin a finding down; the subject (the service, variable, dependency, resource or path the
message is about) tells apart the rare findings of one rule on one line. The message itself is
not part of the key, so rewording a message moves no label.

Usage (from the repository root, in its venv)::

    python tests/precision/collect.py                  # findings per rule, and labelled share
    python tests/precision/collect.py --write-counts   # regenerate tests/precision/counts.json
    python tests/precision/collect.py --unlabelled     # findings no label covers yet
    python tests/precision/collect.py --check          # labels the run contradicts
    python tests/precision/collect.py --estimate       # share of true/false findings, per rule
    python tests/precision/collect.py --sample DS301 10 --seed 10   # print a sample to review
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
APPS = REPO.parent / "shared" / "corpus" / "apps"
LABELS = HERE / "labels.yaml"
COUNTS = HERE / "counts.json"
REGENERATE = "python tests/precision/collect.py --write-counts"

# The name a message is about, tried in order; the first group that matches is the subject.
_SUBJECTS = (
    r"^variable (\S+)",  # DS104
    r"^(\S+) (?:is defined|has no comment)",  # DS105, DS106
    r'variable name "([^"]+)"|duplicate key "([^"]+)"',  # DS109
    r"(?:depends on|waits only for|waits for) '([^']+)'",  # DS302-DS304
    r"the (?:secret|volume|network|config) '([^']+)'",  # DS308
    r": (environment \S+|command|labels? \S+|build arg \S+)",  # DS310
    r"(?:source|context|dockerfile) '([^']+)'",  # DS314, DS315
    r"env_file '([^']+)'",  # DS313
    r"^'([^']+)'",  # DS101
    r"service '([^']+)'",
)


@dataclass(frozen=True)
class Found:
    project: str
    code: str
    path: str
    line: int
    subject: str
    message: str

    @property
    def key(self) -> tuple[str, str, str, int, str]:
        return (self.project, self.code, self.path, self.line, self.subject)

    def where(self) -> str:
        return f"{self.project}/{self.path}:{self.line} {self.code} [{self.subject}]"


def subject_of(message: str) -> str:
    for pattern in _SUBJECTS:
        match = re.search(pattern, message)
        if match:
            return next(group for group in match.groups() if group)
    return ""


def collect(apps: Path = APPS) -> list[Found]:
    """Every finding of every rule enabled by default, each project scanned as its own root."""
    from docker_standard.config import load_settings
    from docker_standard.model.loading import load_project
    from docker_standard.runner import enabled_rules, run_rules

    found = []
    for app in sorted(p for p in apps.iterdir() if p.is_dir()):
        settings = load_settings(app, None)
        project = load_project(app, settings, is_repo=False)
        for f in run_rules(project, enabled_rules(settings)):
            found.append(
                Found(app.name, f.code, f.span.path, f.span.line, subject_of(f.message), f.message)
            )
    return found


def counts(found: Iterable[Found]) -> dict[str, int]:
    return dict(sorted(Counter(f.code for f in found).items()))


@dataclass(frozen=True)
class Label:
    """One hand-checked finding. ``verdict`` is True (must stay), False (must go) or
    "debatable" (asserted neither way). ``wrong`` narrows a False label to the findings whose
    message still says the false part (a finding that must be reworded, not removed)."""

    project: str
    code: str
    path: str
    line: int
    subject: str
    verdict: bool | str
    why: str
    wrong: str = ""

    def where(self) -> str:
        return f"{self.project}/{self.path}:{self.line} {self.code} [{self.subject}]"

    def matches(self, f: Found) -> bool:
        if (f.project, f.code, f.path, f.line) != (self.project, self.code, self.path, self.line):
            return False
        if self.subject and self.subject not in f.message:
            return False
        return not self.wrong or self.wrong in f.message


def load_labels(path: Path = LABELS) -> list[Label]:
    from ruamel.yaml import YAML

    entries: list[dict[str, Any]] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    labels = []
    for entry in entries:
        at = str(entry["at"])
        file, _, line = at.rpartition(":")
        labels.append(
            Label(
                project=str(entry["project"]),
                code=str(entry["code"]),
                path=file,
                line=int(line),
                subject=str(entry.get("subject", "")),
                verdict=entry["verdict"],
                why=str(entry["why"]),
                wrong=str(entry.get("wrong", "")),
            )
        )
    return labels


def _context(f: Found, apps: Path, around: int = 3) -> str:
    lines = (apps / f.project / f.path).read_text(encoding="utf-8", errors="replace").splitlines()
    first = max(1, f.line - around)
    shown = []
    for number in range(first, min(len(lines), f.line + around) + 1):
        mark = ">" if number == f.line else " "
        shown.append(f"  {mark}{number:5} {lines[number - 1]}")
    return "\n".join(shown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-counts", action="store_true", help=f"rewrite {COUNTS.name}")
    parser.add_argument("--unlabelled", action="store_true", help="findings no label covers")
    parser.add_argument("--check", action="store_true", help="labels the run contradicts")
    parser.add_argument("--estimate", action="store_true", help="estimated precision")
    parser.add_argument("--sample", nargs=2, metavar=("CODE", "N"), help="a sample to review")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--apps", type=Path, default=APPS)
    args = parser.parse_args(argv)
    found = collect(args.apps)
    if args.write_counts:
        COUNTS.write_text(json.dumps(counts(found), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {COUNTS.relative_to(REPO)}: {len(found)} findings")
        return 0
    labels = load_labels() if LABELS.exists() else []
    if args.sample:
        code, n = args.sample[0], int(args.sample[1])
        pool = [f for f in found if f.code == code]
        for f in random.Random(args.seed).sample(pool, min(n, len(pool))):
            done = [lb.verdict for lb in labels if lb.matches(f)]
            print(f"{f.where()} {'labelled ' + str(done) if done else ''}\n  {f.message}")
            print(_context(f, args.apps))
        return 0
    if args.check:
        return _check(found, labels)
    if args.estimate:
        return _estimate(found, labels)
    if args.unlabelled:
        for f in found:
            if not any(lb.matches(f) for lb in labels):
                print(f"{f.where()}  {f.message}")
        return 0
    per_rule = counts(found)
    labelled = Counter(f.code for f in found if any(lb.matches(f) for lb in labels))
    for code, n in per_rule.items():
        print(f"{code}: {n} findings, {labelled[code]} labelled")
    print(f"total: {len(found)} findings")
    return 0


def contradicted(found: list[Found], labels: list[Label]) -> tuple[list[Label], list[Label]]:
    """(true labels no finding matches any more, false labels a finding still matches)."""
    lost = [lb for lb in labels if lb.verdict is True and not any(lb.matches(f) for f in found)]
    kept = [lb for lb in labels if lb.verdict is False and any(lb.matches(f) for f in found)]
    return lost, kept


def stripped(f: Found) -> bool:
    """A finding that only the corpus's missing Dockerfiles, scripts and sources cause."""
    return f.code == "DS314" or (f.code == "DS301" and "cannot be read" in f.message)


def _estimate(found: list[Found], labels: list[Label]) -> int:
    """Each rule's findings (less the corpus-stripping ones) times the true, false and
    debatable shares among its labels that the run still reports."""
    totals = [0.0, 0.0, 0.0]
    population = 0
    print("rule  findings judged  labels  true false debatable  est.true est.false")
    for code, n_all in counts(found).items():
        pool = [f for f in found if f.code == code and not stripped(f)]
        mine = [lb for lb in labels if lb.code == code and any(lb.matches(f) for f in pool)]
        shares = [sum(lb.verdict is True for lb in mine), sum(lb.verdict is False for lb in mine)]
        shares.append(len(mine) - sum(shares))
        estimate = [len(pool) * n / len(mine) if mine else 0.0 for n in shares]
        if mine:
            population += len(pool)
            totals = [a + b for a, b in zip(totals, estimate, strict=True)]
        print(f"{code} {n_all:8} {len(pool):6} {len(mine):7} {shares[0]:5} {shares[1]:5} "
              f"{shares[2]:9} {estimate[0]:9.0f} {estimate[1]:9.0f}")
    if population:
        true, false, debatable = (100 * t / population for t in totals)
        print(f"\nover {population} labelled-rule findings (corpus-stripping ones left out): "
              f"{true:.1f} % true, {false:.1f} % false, {debatable:.1f} % debatable")
    return 0


def _check(found: list[Found], labels: list[Label]) -> int:
    lost, kept = contradicted(found, labels)
    for lb in lost:
        print(f"true finding gone: {lb.where()}  ({lb.why})")
    for lb in kept:
        print(f"false finding still reported: {lb.where()}  ({lb.why})")
    print()
    print("rule   true false debatable   (labels; false = still reported)")
    for code in sorted({lb.code for lb in labels}):
        mine = [lb for lb in labels if lb.code == code]
        t = sum(lb.verdict is True for lb in mine)
        f = sum(lb.verdict is False for lb in mine)
        d = len(mine) - t - f
        still = sum(lb.code == code for lb in kept)
        print(f"{code}  {t:5} {f:5} {d:9}   still reported: {still}")
    judged = [lb for lb in labels if lb.verdict in (True, False)]
    right = sum(lb.verdict is True for lb in judged) - len(lost)
    wrong = len(kept)
    if right + wrong:
        share = 100 / (right + wrong)
        print(f"\nlabelled findings still reported: {right} true, {wrong} false "
              f"({right * share:.1f} % true, {wrong * share:.1f} % wrong)")
    return 1 if lost or kept else 0


if __name__ == "__main__":
    sys.exit(main())
