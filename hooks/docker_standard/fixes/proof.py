"""The proof every compose fix must pass before it is written: the edited text loads, with
our loader and with ruamel.yaml, to the old data plus exactly the intended change, and differs
from the old text only on the lines the edits name. One copy for every fixer."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.yamledit import Edit, EditError, splice, split_lines, untouched_outside
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.fixes.proposal import Proposal
    from docker_standard.model.project import Project


def prove(
    text: str,
    lines: list[str],
    edits: Sequence[Edit],
    expect: Callable[[dict[Any, Any]], None],
) -> tuple[str | None, str]:
    """``(None, new text)`` when ``edits`` make exactly the change ``expect`` applies to the old
    data; otherwise ``(why not, text)``."""
    try:
        new = splice(lines, list(edits))
    except EditError as exc:
        return str(exc), text
    if not untouched_outside(text, new, list(edits)):
        return "a line outside the edit would change", text
    for load in (load_ours, load_ruamel):
        try:
            before, after = load(text), load(new)
        except Exception:  # any parser complaint means: do not write this
            return "the edited file would not load", text
        try:
            expect(before)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return "the file does not have the expected shape", text
        if before != after:
            return "the edited file would mean more than the intended change", text
    return None, new


def keep_provable(
    text: str, lines: list[str], proposals: Sequence[Proposal], plan: Plan
) -> tuple[list[Proposal], str]:
    """The proposals that pass :func:`prove` together (else each that passes alone, and then
    those together), and the text they make; a note for each left out."""
    problem, new = _prove_all(text, lines, proposals)
    if problem is None:
        return list(proposals), new
    kept = []
    for proposal in proposals:
        alone, _text = _prove_all(text, lines, [proposal])
        if alone is None:
            kept.append(proposal)
        else:
            plan.note(f"{proposal.span.path}:{proposal.span.line}: {proposal.code} not fixed: "
                      f"could not fix safely ({alone})")
    if not kept:
        return [], text
    problem, new = _prove_all(text, lines, kept)
    if problem is not None:
        plan.note(f"{proposals[0].span.path}: not fixed: could not fix safely ({problem})")
        return [], text
    return kept, new


def _prove_all(
    text: str, lines: list[str], proposals: Sequence[Proposal]
) -> tuple[str | None, str]:
    def expect(document: dict[Any, Any]) -> None:
        for proposal in proposals:
            proposal.apply(document)

    return prove(text, lines, [edit for p in proposals for edit in p.edits], expect)


def load_ours(text: str) -> dict[Any, Any]:
    from docker_standard.model.yamltree import load_documents

    documents = [d for d in load_documents(text, "") if d is not None]
    if len(documents) != 1:
        raise ValueError("one document expected")
    return as_mapping(plain(documents[0]))


def load_ruamel(text: str) -> dict[Any, Any]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    return as_mapping(plain(yaml.load(text)))


def as_mapping(value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise ValueError("a mapping expected")
    return value


def plain(value: Any) -> Any:
    """Plain dicts, lists and scalars (aliases expanded, merge keys applied), freshly built so
    that an intended change can be applied to them."""
    from collections.abc import Mapping

    from docker_standard.model.yamltree import Tagged

    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Tagged):
        return ("tag", value.tag, plain(value.value))
    tag = getattr(value, "tag", None)
    if tag is not None and hasattr(value, "value") and not isinstance(value, (str, int, float)):
        return ("tag", str(getattr(tag, "value", tag)), plain(value.value))
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def write_verified(project: Project, plan: Plan, path: str, text: str,
                   proposals: list[Proposal]) -> None:
    """Apply the proposals that pass every check (together, else one by one) on ``text`` and
    record the result, after what other fixers planned for the file in this round."""
    if not proposals:
        return
    kept, new = keep_provable(text, split_lines(text), proposals, plan)
    if not kept:
        return
    done = [edit.what for proposal in kept for edit in proposal.edits if edit.what]
    earlier = plan.changes.get(path)
    if earlier is None:
        source = project.sources.get(path)
        plan.add(FileChange(path, source.text if source is not None else text, new, done))
        return
    plan.changes[path] = FileChange(path, earlier.old, new, [*earlier.done, *done])


