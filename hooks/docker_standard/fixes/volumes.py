"""``--fix --unsafe-fixes`` for DS307: keep a stateful service's data in a named volume.

Unsafe: the service starts on a new, empty volume (the data of the anonymous volume or the
container stays behind), so only ``--unsafe-fixes`` applies it. In the file the finding is
in:

* an anonymous volume written in the short syntax (``- /var/lib/mysql``) gets the volume as
  its source (``- mysql_data:/var/lib/mysql``), quoting kept;
* a service with no mount on its data directory gets one: an entry appended to its block
  ``volumes:`` list, or a new ``volumes:`` list at the end of its mapping;
* the volume is declared under the file's top-level ``volumes:`` (appended to the block
  mapping, or a new ``volumes:`` at the end of the file).

A service behind a merge key, a list shared through an anchor or written in flow style, or a
file with several documents is left as a finding with a note. Every edited file must load to
the old data plus exactly these changes (``fixes/healthcheck.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Iterable

from docker_standard.findings import Finding, Span
from docker_standard.fixes.healthcheck import end_of_service, service_node
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
    is_blank,
    is_comment,
    last_line,
    line_body,
    line_break,
    newline_of,
    single_line,
    split_lines,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.fixes.healthcheck import Expectation
    from docker_standard.model.project import Project


def plan_volumes(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    """Add the edits DS307's ``("named-volume", service, how, volume, target)`` intents ask
    for to ``plan``."""
    wanted = wanted_by_file(project, findings, "named-volume", plan, "DS307",
                            disagree="the stack's views disagree on the volume it needs",
                            shared="it is written in a file that other stacks include or "
                                   "extend")
    for path, entries in sorted(wanted.items()):
        text = current_text(project, plan, path)
        if text is None:
            continue
        try:
            index = index_yaml(text)
        except EditError as exc:
            plan.note(f"{path}: not fixed: {exc}")
            continue
        _plan_file(index, split_lines(text), path, text, entries, project, plan)


def _plan_file(index: YamlIndex, lines: list[str], path: str, text: str,
               entries: list[tuple[Span, tuple[str, ...]]], project: Project,
               plan: Plan) -> None:
    edits: list[Edit] = []
    expectations: list[Expectation] = []
    names: list[str] = []
    for span, (service, how, name, target) in entries:
        if name in names:
            plan.note(f"{where(span)}: DS307 not fixed: another service of this file gets the "
                      f"volume '{name}'")
            continue
        try:
            edit, expectation = _service_edit(index, lines, service, how, name, target)
        except EditError as exc:
            plan.note(f"{where(span)}: DS307 not fixed: {exc}")
            continue
        edits.append(edit)
        expectations.append(expectation)
        names.append(name)
    if not edits:
        return
    try:
        declared, declare = _declaration(index, lines, names)
    except EditError as exc:
        for span, _intent in entries:
            plan.note(f"{where(span)}: DS307 not fixed: {exc}")
        return
    expectations.append(declare)

    def expect(document: dict[Any, Any]) -> None:
        for one in expectations:
            one(document)

    proposal = Proposal((*edits, declared), expect, entries[0][0], "DS307")
    write_verified(project, plan, path, text, [proposal])


def _service_edit(index: YamlIndex, lines: list[str], name: str, how: str, volume: str,
                  target: str) -> tuple[Edit, Expectation]:
    service = service_node(index, name)
    if service.has_merge:
        raise EditError("the service takes keys through a merge key (<<)")
    mounts = service.get("volumes")
    entry = f"{volume}:{target}"
    what = (f"service '{name}': its data ({target}) in the new named volume '{volume}' "
            "(DS307, unsafe)")
    if mounts is not None and (mounts.kind != "seq" or index.shared(mounts) or mounts.tag):
        raise EditError("its volumes are not a plain list (an alias, anchor, tag or mapping)")
    if how == "anonymous":
        if mounts is None:
            raise EditError("the anonymous volume is not in this service's own list")
        return _name_anonymous(lines, mounts, name, target, entry, what)
    nl = newline_of("".join(lines))
    if mounts is None:
        column = service.children[0].column
        block = [" " * column + "volumes:", " " * (column + indent_step(service)) + f"- {entry}"]

        def add_list(document: dict[Any, Any]) -> None:
            body = document["services"][name]
            if "volumes" in body:
                raise ValueError("the service has volumes")
            body["volumes"] = [entry]

        return end_of_service(lines, service, block, nl, what), add_list
    if mounts.flow or not mounts.children:
        raise EditError("its volumes are a flow or empty list")
    first = mounts.children[0]
    dash = indent_of(lines[first.line])
    if line_body(lines[first.line])[dash : dash + 2] != "- ":
        raise EditError("its first volume does not start its line with '- '")
    after = last_line(mounts, lines)
    # Comments at the list's indentation or deeper belong to the list: the entry goes below.
    while after + 1 < len(lines) and is_comment(lines[after + 1]) \
            and indent_of(lines[after + 1]) >= dash:
        after += 1
    new_line = " " * dash + f"- {entry}"

    def append(document: dict[Any, Any]) -> None:
        document["services"][name]["volumes"].append(entry)

    if line_break(lines[after]):
        return Edit(after + 1, after + 1, (new_line + nl,), what), append
    return Edit(after, after + 1, (lines[after] + nl, new_line), what), append


def _name_anonymous(lines: list[str], mounts: Node, name: str, target: str, entry: str,
                    what: str) -> tuple[Edit, Expectation]:
    found = [item for item in mounts.children
             if item.kind == "scalar" and item.value == target]
    if len(found) != 1:
        raise EditError("the anonymous volume is not written once, in the short syntax, in "
                        "this service's list")
    item = found[0]
    if item.anchor or item.tag or not single_line(item) or item.style not in ("", "'", '"'):
        raise EditError("the anonymous volume is anchored, tagged or a block scalar")
    quote = item.style
    line = lines[item.line]
    new = line[: item.column] + quote + entry + quote + line[item.end_column :]

    def name_it(document: dict[Any, Any]) -> None:
        mounts = document["services"][name]["volumes"]
        mounts[mounts.index(target)] = entry

    return Edit(item.line, item.line + 1, (new,), what), name_it


def _declaration(index: YamlIndex, lines: list[str],
                 names: list[str]) -> tuple[Edit, Expectation]:
    """Declare ``names`` under the file's top-level ``volumes:``."""
    root = index.documents[0]
    volumes = root.get("volumes")
    nl = newline_of("".join(lines))

    def declare(document: dict[Any, Any]) -> None:
        declared = document.setdefault("volumes", {})
        for name in names:
            if name in declared:
                raise ValueError("the volume is declared already")
            declared[name] = None

    if volumes is None:
        if any(key.value == "volumes" for key, _v in root.pairs()):
            raise EditError("the top-level volumes key is empty")
        step = _root_step(root)
        block = ["volumes:" + nl, *(" " * step + f"{name}:" + nl for name in names)]
        end = len(lines)
        last = lines[end - 1] if lines else "\n"
        if not line_break(last):
            return Edit(end - 1, end, (last + nl, nl, *block), ""), declare
        if not is_blank(last):
            block.insert(0, nl)
        return Edit(end, end, tuple(block), ""), declare
    if volumes.kind != "map" or volumes.flow or not volumes.children or index.shared(volumes) \
            or volumes.has_merge or volumes.tag:
        raise EditError("the top-level volumes are not a plain block mapping")
    column = volumes.children[0].column
    after = last_line(volumes, lines)
    while after + 1 < len(lines) and is_comment(lines[after + 1]) \
            and indent_of(lines[after + 1]) > column:
        after += 1
    new = tuple(" " * column + f"{name}:" + nl for name in names)
    if line_break(lines[after]):
        return Edit(after + 1, after + 1, new, ""), declare
    return Edit(after, after + 1, (lines[after] + nl, *new[:-1], new[-1].removesuffix(nl)),
                ""), declare


def _root_step(root: Node) -> int:
    """The file's indentation step, as its top-level ``services`` mapping shows it."""
    services = root.get("services")
    if services is None or services.kind != "map" or not services.children:
        return 2
    return max(services.children[0].column, 1)
