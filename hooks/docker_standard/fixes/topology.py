"""The edits of DS311 (a data port published on 127.0.0.1) and DS309 (the stack's services
moved from the default network to one of their own); ``structure.py`` plans and proves them.

* DS311, short form: the host IP goes in front of the item's text, inside its quotes
  (``"5432:5432"`` → ``"127.0.0.1:5432:5432"``; a plain ``5432:5432`` stays plain, it loads
  as the same string), in a block or a flow list alike. Long form: ``host_ip: 127.0.0.1``
  after the item's last key.
* DS309: ``networks:`` with the one network at the end of each service the rule names (all
  of them or none), and the network declared under top-level ``networks:`` (after its last
  entry, or as a new block at the end of the file).
"""

from __future__ import annotations

from docker_standard.findings import Span
from docker_standard.fixes.plan import Plan
from docker_standard.fixes.proposal import Intents, Proposal, of_kind, single_document, where
from docker_standard.fixes.yamledit import (
    Edit,
    EditError,
    Node,
    YamlIndex,
    indent_of,
    indent_step,
    is_comment,
    key_text,
    last_line,
    line_body,
    line_break,
    newline_of,
    service_mapping,
    single_line,
    value_of,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

LOCALHOST = "127.0.0.1"


# ------------------------------------------------------------------ DS311


def port_proposals(index: YamlIndex, lines: list[str], intents: Intents,
                   plan: Plan) -> list[Proposal]:
    proposals = []
    for span, answers in of_kind(intents, "bind-port-localhost").items():
        if len(answers) != 1:
            plan.note(f"{where(span)}: DS311 not fixed: several services share this port "
                      "(an anchor or a merge key); edit it by hand")
            continue
        ((service, form, value, why),) = answers
        if not form:
            plan.note(f"{where(span)}: DS311 not fixed: {why}")
            continue
        try:
            proposals.append(_port(index, lines, span, service, form, value))
        except EditError as exc:
            plan.note(f"{where(span)}: DS311 not fixed: {exc}")
    return proposals


def _port(index: YamlIndex, lines: list[str], span: Span, service: str, form: str,
          value: str) -> Proposal:
    single_document(index)
    node = index.at(span.line, span.column)
    if node is None or node.kind != "scalar":
        raise EditError("the port is not where the model says")
    item = node if form == "short" else node.parent
    ports = item.parent if item is not None else None
    if item is None or ports is None or ports.kind != "seq":
        raise EditError("the port is not an item of a list")
    if form == "long" and ports.flow:
        raise EditError("the long-form port is inside a flow list")
    mapping = ports.parent
    key = mapping.key_of(ports) if mapping is not None else None
    if mapping is None or key is None or key.value != "ports" or not key.plain:
        raise EditError("the port is not inside the service's own ports (a merge key?)")
    service_mapping(index, mapping, service)
    if index.shared(item) or item.anchor or item.tag or ports.anchor or ports.tag:
        raise EditError("the port is anchored, tagged or repeated by an alias")
    position = next(i for i, child in enumerate(ports.children) if child is item)
    nl = newline_of("".join(lines))
    if form == "short":
        if node.style not in ("", "'", '"') or not single_line(node):
            raise EditError("the port is not a one-line plain or quoted string")
        if not value.endswith(node.value) or value == node.value:
            raise EditError("the port's text is not what the rule saw")
        prefix = value[: -len(node.value)]
        at = node.column + (1 if node.style else 0)
        line = lines[node.line]
        edit = Edit(node.line, node.line + 1, (line[:at] + prefix + line[at:],),
                    f"service '{service}': port '{node.value}' published on {LOCALHOST} only "
                    "(DS311)")

        def apply_short(document: dict[Any, Any]) -> None:
            document["services"][service]["ports"][position] = value

        return Proposal((edit,), apply_short, span, "DS311")
    if item.kind != "map" or item.has_merge or item.get("host_ip") is not None:
        raise EditError("the long-form port is not a plain block mapping without host_ip")
    target = item.get("target")
    what = (f"service '{service}': port {target.value if target is not None else ''} "
            f"published on {LOCALHOST} only (DS311)")
    column = item.children[0].column
    edit = _insert_after(lines, item, column, [" " * column + f"host_ip: {LOCALHOST}"], nl, what)

    def apply_long(document: dict[Any, Any]) -> None:
        entry = document["services"][service]["ports"][position]
        if not isinstance(entry, dict) or "host_ip" in entry:
            raise ValueError("not the planned port")
        entry["host_ip"] = LOCALHOST

    return Proposal((edit,), apply_long, span, "DS311")


def _insert_after(lines: list[str], node: Node, column: int, texts: list[str], nl: str,
                  what: str) -> Edit:
    """``texts`` (without line breaks) as new lines after ``node``'s last line and the
    comments indented deeper than ``column`` below it (they belong to its last value)."""
    after = last_line(node, lines)
    while after + 1 < len(lines) and is_comment(lines[after + 1]) \
            and indent_of(lines[after + 1]) > column:
        after += 1
    if line_break(lines[after]):
        return Edit(after + 1, after + 1, tuple(text + nl for text in texts), what)
    new = [lines[after] + nl, *(text + nl for text in texts)]
    new[-1] = line_body(new[-1])  # the file ended without a line break: so it still does
    return Edit(after, after + 1, tuple(new), what)


# ------------------------------------------------------------------ DS309


def network_proposals(index: YamlIndex, lines: list[str], intents: Intents,
                      plan: Plan) -> list[Proposal]:
    decided = of_kind(intents, "attach-network")
    moves = {answer for answers in decided.values() for answer in answers}
    if not moves:
        return []
    span = min(decided)
    if len(moves) != 1:
        plan.note(f"{where(span)}: DS309 not fixed: the stacks that use this file disagree "
                  "on the network")
        return []
    ((network, why, *services),) = moves
    if not network:
        plan.note(f"{intents.path}: DS309 not fixed: {why}")
        return []
    try:
        return [_network(index, lines, span, network, services)]
    except EditError as exc:
        plan.note(f"{intents.path}: DS309 not fixed: {exc}")
        return []


def _network(index: YamlIndex, lines: list[str], span: Span, network: str,
             services: list[str]) -> Proposal:
    single_document(index)
    root = index.documents[0]
    if root.kind != "map" or root.flow:
        raise EditError("the file is not a block mapping")
    services_node = root.get("services")
    if services_node is None or services_node.kind != "map" or services_node.flow:
        raise EditError("the services are not a block mapping")
    nl = newline_of("".join(lines))
    name = key_text(network)
    edits = []
    for service in services:
        key = next((k for k, _v in services_node.pairs() if k.value == service), None)
        if key is None:
            raise EditError(f"service '{service}' is not defined in this file")
        body = value_of(key)
        # A merge key or an anchor other services merge is fine here: the proof below sees
        # every service's data, so a key that would reach one more service is caught.
        if body.kind != "map" or body.flow or not body.children or body.tag:
            raise EditError(f"service '{service}' is not written as a block mapping")
        if body.get("network_mode") is not None:
            raise EditError(f"service '{service}' sets network_mode")
        if body.get("networks") is not None:
            edits.append(_renamed_default(lines, body, service, network))
            continue
        column = body.children[0].column
        step = indent_step(body)
        edits.append(_insert_after(lines, body, column,
                                   [" " * column + "networks:",
                                    " " * (column + step) + f"- {name}"],
                                   nl, f"service '{service}': attached to network "
                                   f"'{network}' (DS309)"))
    declared = root.get("networks")
    what = f"network '{network}' declared under top-level networks (DS309)"
    step = services_node.children[0].column if services_node.children else 2
    if declared is None:
        edits.append(_insert_after(lines, root, 0, ["", "networks:", " " * step + f"{name}:"],
                                   nl, what))
    else:
        if declared.kind != "map" or declared.flow or not declared.children \
                or declared.anchor or declared.tag or declared.has_merge:
            raise EditError("the top-level networks are not a block mapping")
        column = declared.children[0].column
        edits.append(_insert_after(lines, declared, column, [" " * column + f"{name}:"],
                                   nl, what))

    edits = _joined(edits)

    def apply(document: dict[Any, Any]) -> None:
        for service in services:
            body = document["services"][service]
            networks = body.get("networks")
            if networks is None or networks == ["default"]:
                body["networks"] = [network]
            elif isinstance(networks, dict) and list(networks) == ["default"]:
                body["networks"] = {network: networks["default"]}
            else:
                raise ValueError("the service is on other networks")
        top = document.setdefault("networks", {})
        if network in top:
            raise ValueError("the network exists")
        top[network] = None

    return Proposal(tuple(edits), apply, span, "DS309")


def _renamed_default(lines: list[str], body: Node, service: str, network: str) -> Edit:
    """``networks: [default]`` (or ``default:`` with options, such as aliases) names the new
    network instead: the service keeps its options, on the network the others move to."""
    networks = body.get("networks")
    assert networks is not None
    entries = networks.children
    if networks.kind not in ("seq", "map") or networks.anchor or networks.tag \
            or len(entries) != (1 if networks.kind == "seq" else 2):
        raise EditError(f"service '{service}' is on other networks than the default one")
    node = entries[0]
    if node.kind != "scalar" or node.value != "default" or node.anchor or node.tag \
            or not single_line(node) or node.style not in ("", "'", '"'):
        raise EditError(f"service '{service}' does not name the default network plainly")
    written = node.style + network + node.style if node.style else key_text(network)
    line = lines[node.line]
    new = line[: node.column] + written + line[node.end_column :]
    return Edit(node.line, node.line + 1, (new,),
                f"service '{service}': moved from the default network to '{network}' (DS309)")


def _joined(edits: list[Edit]) -> list[Edit]:
    """Edits that all rewrite the file's last line (it has no line break, so each adds one)
    become one: the line once, then each edit's new lines in order."""
    last = [e for e in edits if e.end > e.start and e.lines and not line_break(e.lines[-1])]
    if len(last) < 2 or len({(e.start, e.end) for e in last}) != 1:
        return edits
    first = last[0]
    lines = list(first.lines)
    for edit in last[1:]:
        lines[-1] += newline_of(lines[0])
        lines.extend(edit.lines[1:])  # its first line is the original line again
    what = "; ".join(e.what for e in last)
    merged = Edit(first.start, first.end, tuple(lines), what)
    return [e for e in edits if e not in last] + [merged]
