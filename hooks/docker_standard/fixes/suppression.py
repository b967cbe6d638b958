"""DS002: remove suppression codes that suppress nothing, or the whole comment.

Only the code (with one separating comma) is cut; when no code is left the comment goes from
its ``#`` to the end of the line, and a line left empty goes too. The result must mean the same
to the file's own parser (YAML data, dotenv values, Dockerfile instructions), or the file is
left alone with a note: a ``#`` inside a block scalar or a heredoc is text, not a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docker_standard.findings import Finding
from docker_standard.fixes.plan import FileChange, Plan
from docker_standard.fixes.yamledit import line_body, line_break, split_lines
from docker_standard.model.project import Project, Suppression

_SEPARATOR_AFTER = re.compile(r"\s*,\s*")
_SEPARATOR_BEFORE = re.compile(r"\s*,\s*$")


def plan_suppressions(project: Project, findings: Iterable[Finding], plan: Plan) -> None:
    wanted: dict[str, list[Finding]] = {}
    for finding in findings:
        # ("remove-suppression", code) at the code's own line and column
        if finding.fix is not None and finding.fix.kind == "remove-suppression":
            wanted.setdefault(finding.path, []).append(finding)
    for path, found in sorted(wanted.items()):
        source = project.sources.get(path)
        if source is None:
            continue
        columns = {(f.span.line, f.span.column) for f in found}
        lines = split_lines(source.text)
        removed: list[str] = []
        for suppression in source.suppressions:
            drop = [c for c in suppression.codes if (suppression.line, c[1]) in columns]
            if drop:
                index = suppression.line - 1
                lines[index] = _without(lines[index], suppression, drop)
                removed.extend(code for code, _column in drop)
        new = "".join(lines)
        if not _same_meaning(project, path, source.text, new):
            plan.note(f"{path}: unused suppressions not removed: a '#' there is not a comment")
            continue
        done = [f"removed unused suppression {code} (DS002)" for code in removed]
        plan.add(FileChange(path, source.text, new, done))


def _without(line: str, suppression: Suppression, drop: list[tuple[str, int]]) -> str:
    """``line`` without the dropped codes, or without the comment when none is left."""
    body, end = line_body(line), line_break(line)
    if len(drop) == len(suppression.codes):
        kept = body[: suppression.column - 1].rstrip()
        return "" if not kept.strip() else kept + end
    for code, column in sorted(drop, key=lambda c: -c[1]):
        start, stop = column - 1, column - 1 + len(code)
        after = _SEPARATOR_AFTER.match(body, stop)
        if after is not None:
            stop = after.end()
        else:
            before = _SEPARATOR_BEFORE.search(body[:start])
            if before is not None:
                start = before.start()
        body = body[:start] + body[stop:]
    return body + end


def _same_meaning(project: Project, path: str, old: str, new: str) -> bool:
    if path in project.dockerfiles:
        from docker_standard.model.dockerfile import DockerfileError, parse_dockerfile

        try:
            before, after = parse_dockerfile(old, path), parse_dockerfile(new, path)
        except DockerfileError:
            return False
        return [(i.keyword, i.value, i.heredocs) for i in before.instructions] == [
            (i.keyword, i.value, i.heredocs) for i in after.instructions
        ]
    if path in project.env_files:
        from docker_standard.model.dotenv import parse_dotenv

        before_env = parse_dotenv(old, interpolate=False).entries
        after_env = parse_dotenv(new, interpolate=False).entries
        return [(e.key, e.value) for e in before_env] == [(e.key, e.value) for e in after_env]
    from docker_standard.fixes.proof import load_ours  # the compose fixes' own proof

    try:
        return load_ours(old) == load_ours(new)
    except Exception:  # the loader's errors: a file we cannot prove unchanged stays as it is
        return False
