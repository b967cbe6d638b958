"""Stack assembly: a compose file with its ``extends`` resolved and its ``include`` entries
merged in, as Compose builds a file's model before it merges overlays
(``compose-semantics.md``: ``include`` and ``extends``)."""

from __future__ import annotations

from docker_standard.findings import Span
from docker_standard.model import compose as cm
from docker_standard.model.paths import join
from docker_standard.model.yamltree import YMap, YSeq, scalar_text, untag
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Protocol

    from docker_standard.model.stack import ComposeFile, Stack

    class Project(Protocol):
        """What assembly asks of the project (``model.project.Project`` provides it): files
        read once, errors recorded as DS001, and where each included file resolves its paths."""

        including: list[str]  # the include chain being resolved, for cycles
        project_directories: dict[str, str]

        def compose_file(self, rel: str, role: str) -> ComposeFile | None: ...

        def exists(self, rel: str) -> bool: ...

        def error(self, span: Span, message: str) -> None: ...


def resolve_file(project: Project, stack: Stack, compose: ComposeFile) -> YMap:
    """A file with its ``extends`` resolved and its ``include``s merged in (once per
    stack: every view of the stack starts from the same base)."""
    assert compose.data is not None
    done = stack._resolved.get(compose.path)
    if done is None:
        done = stack._resolved[compose.path] = _resolve_uncached(project, stack, compose)
    return done


def _resolve_uncached(project: Project, stack: Stack, compose: ComposeFile) -> YMap:
    assert compose.data is not None
    data = compose.data
    services = data.get("services")
    if isinstance(services, YMap) and any(
        isinstance(body, YMap) and "extends" in body for body in services.values()
    ):
        resolved = YMap(services.span)
        for name in services:
            resolved[name] = _extended(project, stack, compose, name, ())
            resolved.key_spans[name] = services.key_span(name)
            resolved.value_spans[name] = services.value_span(name)
        data = cm.merge_top(data, YMap(data.span))  # a copy
        data["services"] = resolved
    include = data.get("include")
    if include is not None:
        data = _include(project, stack, compose, data, include)
    return data


def _extended(
    project: Project,
    stack: Stack,
    compose: ComposeFile,
    name: str,
    chain: tuple[tuple[str, str], ...],
) -> Any:
    body = compose.services.get(name)
    if not isinstance(body, YMap) or "extends" not in body:
        return body
    if (compose.path, name) in chain:
        project.error(body.key_span("extends"), f"extends cycle: service '{name}' extends itself")
        return body
    spec = body.get("extends")
    span = body.value_span("extends")
    parent_name: str | None
    parent_file = compose
    if isinstance(spec, YMap):
        parent_name = scalar_text(spec.get("service")) if spec.get("service") else None
        file_value = spec.get("file")
        if file_value is not None:
            file_text = scalar_text(file_value)
            if "$" in file_text:
                return body
            rel = cm.resolve_path(compose.directory, file_text)
            other = project.compose_file(rel, "extended") if project.exists(rel) else None
            if other is None:
                project.error(span, f"extends: file '{file_text}' not found")
                return body
            if other not in stack.extended and other is not compose:
                stack.extended.append(other)
            parent_file = other
    else:
        parent_name = scalar_text(spec)
    if not parent_name or parent_name not in parent_file.services:
        project.error(span, f"extends: service '{parent_name}' not found in {parent_file.path}")
        return body
    parent = _extended(project, stack, parent_file, parent_name, (*chain, (compose.path, name)))
    child = YMap(body.span)
    for key, value in body.items():
        if key != "extends":
            child[key] = value
            child.key_spans[key] = body.key_span(key)
            child.value_spans[key] = body.value_span(key)
    if not isinstance(parent, YMap):
        return child
    return cm.merge_service(parent, child)


def _include(
    project: Project, stack: Stack, compose: ComposeFile, data: YMap, include: Any
) -> YMap:
    entries = include if isinstance(include, YSeq) else [include]
    result = data
    for index, entry in enumerate(entries):
        span = include.item_span(index) if isinstance(include, YSeq) else data.value_span("include")
        paths: list[Any]
        env_value: Any = None
        project_directory: str | None = None
        if isinstance(entry, YMap):
            value = entry.get("path")
            paths = list(value) if isinstance(value, YSeq) else [value]
            env_value = entry.get("env_file")
            directory = entry.get("project_directory")
            if directory is not None and "$" not in scalar_text(directory):
                project_directory = cm.resolve_path(compose.directory, scalar_text(directory))
        else:
            paths = [entry]
        env_files = _include_env_files(compose.directory, env_value)
        for value in paths:
            text = scalar_text(untag(value))
            if not text or "$" in text:
                continue
            rel = cm.resolve_path(compose.directory, text)
            if project_directory is not None:
                project.project_directories.setdefault(rel, project_directory)
            if not project.exists(rel):
                project.error(span, f"include: '{text}' not found")
                continue
            if rel in project.including or rel == compose.path:
                project.error(span, f"include cycle: '{text}' includes this file again")
                continue
            included = project.compose_file(rel, "included")
            if included is None or included.data is None:
                continue
            if included not in stack.included:
                stack.included.append(included)
            stack.include_env.setdefault(rel, env_files or (join(included.directory, ".env"),))
            project.including.append(compose.path)
            try:
                resolved = resolve_file(project, stack, included)
            finally:
                project.including.pop()
            result = _add_included(project, result, resolved, span)
    return result


def _add_included(project: Project, data: YMap, included: YMap, span: Span) -> YMap:
    result = cm.merge_top(data, YMap(data.span))
    for kind in ("services", "volumes", "networks", "secrets", "configs"):
        theirs = included.get(kind)
        if not isinstance(theirs, YMap):
            continue
        ours = result.get(kind)
        merged = YMap(ours.span if isinstance(ours, YMap) else span)
        for name, body in theirs.items():
            merged[name] = body
            merged.key_spans[name] = theirs.key_span(name)
            merged.value_spans[name] = theirs.value_span(name)
        if isinstance(ours, YMap):
            for name, body in ours.items():
                if name in merged and kind == "services":
                    project.error(
                        ours.key_span(name),
                        f"services.{name} conflicts with an included service",
                    )
                merged[name] = body
                merged.key_spans[name] = ours.key_span(name)
                merged.value_spans[name] = ours.value_span(name)
        result[kind] = merged
        result.key_spans.setdefault(kind, span)
    return result


def _include_env_files(directory: str, value: Any) -> tuple[str, ...]:
    """``include.env_file`` (a string or a list), root-relative."""
    items = list(value) if isinstance(value, YSeq) else [value]
    return tuple(
        cm.resolve_path(directory, text)
        for item in items
        if item is not None and (text := scalar_text(untag(item)))
    )
