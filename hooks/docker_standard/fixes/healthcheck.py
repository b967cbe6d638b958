"""``--fix`` for DS301: write the healthcheck the rule chose from the image table.

The block goes at the end of the service's mapping, in the file that defines the service (an
overlay that defines it, for a service only an overlay has), at the indentation of the
service's other keys::

    healthcheck:
      test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres} ..."]
      interval: 10s
      timeout: 5s
      retries: 5
      start_period: 30s

A service shared through an anchor, written as a flow mapping, or in a file with several
documents is left as a finding with a note, as are files other stacks include or extend. The
edited file must load, with our loader and with ruamel.yaml, to the old data plus exactly the
new block, and differ from the old text only by the inserted lines.

When another fixer already changed the file in this round, the block is written into that
text (its services are found by name, not by the positions the findings were read at), so one
round writes both instead of waiting for the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from docker_standard.findings import Finding
from docker_standard.fixes.plan import Plan
from docker_standard.fixes.proof import write_verified
from docker_standard.fixes.proposal import Proposal, current_text, wanted_by_file, where
from docker_standard.fixes.yamledit import (
    Edit,
    EditError,
    Node,
    YamlIndex,
    indent_of,
    indent_step,
    index_yaml,
    is_comment,
    last_line,
    line_break,
    newline_of,
    split_lines,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.model.project import Project

    Expectation = Callable[[dict[Any, Any]], None]


def plan_healthchecks(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    """Add the healthchecks DS301's ``("add-healthcheck", service, interval, timeout,
    retries, start_period, *test)`` intents ask for to ``plan``."""
    wanted = wanted_by_file(project, findings, "add-healthcheck", plan, "DS301",
                            disagree="the stack's views disagree on the service's image",
                            shared="the service is defined in a file that other stacks include "
                                   "or extend")
    for path, entries in sorted(wanted.items()):
        proposals: list[Proposal] = []
        text = current_text(project, plan, path)
        if text is None:
            continue
        try:
            index = index_yaml(text)
        except EditError as exc:
            plan.note(f"{path}: not fixed: {exc}")
            continue
        lines = split_lines(text)
        for span, answer in entries:
            try:
                edit, expect = _healthcheck_edit(index, lines, answer)
            except EditError as exc:
                plan.note(f"{where(span)}: DS301 not fixed: {exc}")
                continue
            proposals.append(Proposal((edit,), expect, span, "DS301"))
        write_verified(project, plan, path, text, proposals)


def _healthcheck_edit(index: YamlIndex, lines: list[str],
                      answer: tuple[str, ...]) -> tuple[Edit, Expectation]:
    name, interval, timeout, retries, start_period, *test = answer
    service = service_node(index, name)
    if service.get("healthcheck") is not None:
        raise EditError("the service already has a healthcheck key in this file")
    column = service.children[0].column
    step = indent_step(service)
    nl = newline_of("".join(lines))
    inner = " " * (column + step)
    block = [
        " " * column + "healthcheck:",
        inner + "test: [" + ", ".join(json.dumps(part) for part in test) + "]",
        inner + f"interval: {interval}",
        inner + f"timeout: {timeout}",
        inner + f"retries: {retries}",
        inner + f"start_period: {start_period}",
    ]
    value = {"test": list(test), "interval": interval, "timeout": timeout,
             "retries": int(retries), "start_period": start_period}

    def expect(document: dict[Any, Any]) -> None:
        body = document["services"][name]
        if "healthcheck" in body:
            raise ValueError("the service has a healthcheck")
        body["healthcheck"] = value

    edit = end_of_service(lines, service, block, nl,
                          f"service '{name}': added a healthcheck ({_command_name(test)}) "
                          "(DS301)")
    return edit, expect


def _command_name(test: list[str]) -> str:
    """The tool the test runs, for the report line: ``pg_isready``, ``mysqladmin``."""
    first = test[1] if len(test) > 1 else ""
    return first.split()[0] if first.split() else first


# ------------------------------------------------------------------ shared with fixes/volumes.py





def service_node(index: YamlIndex, name: str) -> Node:
    """The block mapping of ``services.<name>`` in the file's only document."""
    from docker_standard.fixes.yamledit import service_mapping

    if len(index.documents) != 1:
        raise EditError("the file holds several YAML documents")
    root = index.documents[0]
    services = root.get("services") if root.kind == "map" else None
    if services is None or services.kind != "map":
        raise EditError("the file has no block 'services' mapping")
    found = [value for key, value in services.pairs()
             if key.kind == "scalar" and key.value == name and key.tag is None]
    if len(found) != 1:
        raise EditError("the service is not written once under 'services' in this file")
    if found[0].kind == "alias":
        raise EditError("the service is an alias of an anchored block")
    return service_mapping(index, found[0], name)



def end_of_service(lines: list[str], service: Node, block: list[str], nl: str,
                   what: str) -> Edit:
    """Insert ``block`` (lines without breaks) after the service mapping's last line; comments
    indented under its last value belong to it and stay above."""
    column = service.children[0].column
    after = last_line(service, lines)
    while after + 1 < len(lines) and is_comment(lines[after + 1]) \
            and indent_of(lines[after + 1]) > column:
        after += 1
    if line_break(lines[after]):
        return Edit(after + 1, after + 1, tuple(line + nl for line in block), what)
    # The file ends without a line break: so does the edited one.
    new = (lines[after] + nl, *(line + nl for line in block[:-1]), block[-1])
    return Edit(after, after + 1, new, what)

