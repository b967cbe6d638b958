"""``--fix`` for the Standard's structure of a compose file: DS316 (obsolete ``version:``),
DS313 (``env_file`` with ``required: false``), DS311 (data ports on 127.0.0.1) and DS309 (a
custom network instead of the default one).

The edits are written by ``toplevel.py`` (DS316, DS313) and ``topology.py`` (DS311, DS309);
this module plans them per file, in one round, and proves them as ``compose.py`` proves its
own: every edited file must load, with our loader and with ruamel.yaml, to the old data plus
exactly the intended change, and must differ from the old text only on the targeted lines.
A proposal that fails alone is a note; the others are still made. DS309's edits of a file are
one proposal: moving only some services off the default network would cut them off.
"""

from __future__ import annotations

from collections.abc import Iterable

from docker_standard.findings import Finding, Span
from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.proof import keep_provable
from docker_standard.fixes.proposal import Intents, where
from docker_standard.fixes.toplevel import env_file_proposals, version_proposals
from docker_standard.fixes.topology import network_proposals, port_proposals
from docker_standard.fixes.yamledit import (
    EditError,
    index_yaml,
    split_lines,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docker_standard.model.project import Project

KINDS = ("remove-version", "env-file-optional", "bind-port-localhost", "attach-network")
_CODES = {
    "remove-version": "DS316",
    "env-file-optional": "DS313",
    "bind-port-localhost": "DS311",
    "attach-network": "DS309",
}


def plan_structure(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    """Add the edits the DS309/DS311/DS313/DS316 findings' intents ask for to ``plan``."""
    wanted: dict[str, dict[Span, set[tuple[str, ...]]]] = {}
    for finding in findings:
        if finding.fix is not None and finding.fix.kind in KINDS:
            wanted.setdefault(finding.span.path, {}).setdefault(finding.span, set()).add(
                finding.fix.intent
            )
    if not wanted:
        return
    editable = {
        compose.path
        for stack in project.stacks
        for compose in (stack.base, stack.override, *stack.overlays)
        if compose is not None
    } - {
        compose.path
        for stack in project.stacks
        for compose in (*stack.included, *stack.extended)
    }
    builders = (version_proposals, env_file_proposals, port_proposals, network_proposals)
    for path in sorted(wanted):
        source = project.sources.get(path)
        if source is None:
            continue
        if path not in editable:
            for span, asked in sorted(wanted[path].items()):
                for code in sorted({_CODES[intent[0]] for intent in asked}):
                    plan.note(f"{where(span)}: {code} not fixed: it is written in a file that "
                              "other stacks include or extend")
            continue
        try:
            index = index_yaml(source.text)
        except EditError as exc:
            plan.note(f"{path}: not fixed: {exc}")
            continue
        intents = Intents(path, source.text, wanted[path])
        lines = split_lines(source.text)
        proposals = [p for build in builders for p in build(index, lines, intents, plan)]
        if proposals:
            kept, new = keep_provable(source.text, lines, proposals, plan)
            if kept:
                plan.add(FileChange(path, source.text, new,
                                    [e.what for p in kept for e in p.edits if e.what]))


