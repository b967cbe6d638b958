"""Compose files merged the way Compose merges them, and services normalised once.

Every syntax variant (short/long ``depends_on``, list/map ``environment``, short/long ``ports``
and ``volumes``, string/list ``healthcheck.test`` …) becomes one shape here, so rules never
re-normalise. Each value keeps the span where it is written, in whichever file wrote it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from docker_standard.findings import Span
from docker_standard.model.stack import (  # the service model, where rules have always found it
    Build as Build,
)
from docker_standard.model.stack import (
    Dependency as Dependency,
)
from docker_standard.model.stack import (
    EnvFileRef as EnvFileRef,
)
from docker_standard.model.stack import (
    Healthcheck as Healthcheck,
)
from docker_standard.model.stack import (
    Mount as Mount,
)
from docker_standard.model.stack import (
    Port as Port,
)
from docker_standard.model.stack import (
    Reference as Reference,
)
from docker_standard.model.stack import (
    Service as Service,
)
from docker_standard.model.stack import (
    says_task as says_task,
)
from docker_standard.model.yamltree import (
    OVERRIDE,
    RESET,
    Tagged,
    YMap,
    YSeq,
    scalar_text,
    tag_of,
    untag,
)
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.model.stack import Stack

COMPOSE_BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
COMPOSE_OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
_OVERLAY = re.compile(r"(docker-)?compose\.[^/]+\.ya?ml")

# Attributes Compose merges as KEY=VALUE lists de-duplicated by key, whatever syntax each file used.
_KEYED_LISTS = {"environment", "labels", "sysctls", "annotations", "extra_hosts"}
_REPLACED = {"command", "entrypoint"}
_MAPPING_LISTS = {"depends_on", "networks"}  # short lists become mappings before merging


def is_compose_name(name: str) -> bool:
    """Any ``*compose*.y(a)ml``: ``docker-compose-prod.yml``, ``prod.docker-compose.yml`` and
    ``foo-compose.yml`` are compose files as much as Compose's own default names."""
    lower = name.lower()
    return lower.endswith((".yml", ".yaml")) and "compose" in lower


def is_standard_name(name: str) -> bool:
    """A name Compose's own conventions give a role: base, override or ``compose.*.yaml``
    overlay. Other compose files are stacks of their own unless their content patches one."""
    return (
        name in COMPOSE_BASE_NAMES
        or name in COMPOSE_OVERRIDE_NAMES
        or bool(_OVERLAY.fullmatch(name))
    )


def is_override_name(name: str) -> bool:
    return name in COMPOSE_OVERRIDE_NAMES


# ---------------------------------------------------------------- merging


def merge_documents(documents: list[Any]) -> Any:
    """Several documents in one file merge in order, like ``-f a -f b``."""
    merged: Any = None
    for document in documents:
        if merged is None:
            merged = document
        elif isinstance(merged, YMap) and isinstance(document, YMap):
            merged = merge_top(merged, document)
        else:
            merged = document
    return merged


def merge_top(base: YMap, over: YMap) -> YMap:
    result = _copy_map(base)
    for key, value in over.items():
        if key == "services" and isinstance(value, YMap) and isinstance(result.get(key), YMap):
            services = _copy_map(result[key])
            for name, service in value.items():
                merged_service = _merge_value(services.get(name), service, "service")
                if name in services:  # the service stays where it was first defined
                    services[name] = merged_service
                else:
                    _set(services, name, merged_service, value, name)
            _set(result, key, services, over, key)
        elif key in ("volumes", "networks", "secrets", "configs") and isinstance(value, YMap):
            existing = result.get(key)
            merged = _merge_value(existing if isinstance(existing, YMap) else None, value, key)
            _set(result, key, merged, over, key)
        else:
            _set(result, key, _merge_value(result.get(key), value, key), over, key)
    return _drop_resets(result)


def merge_service(base: Any, over: Any) -> Any:
    return _merge_value(base, over, "service")


def _set(target: YMap, key: str, value: Any, source: YMap, source_key: str) -> None:
    target[key] = value
    target.key_spans[key] = source.key_span(source_key)
    target.value_spans[key] = source.value_span(source_key)


def _copy_map(source: YMap) -> YMap:
    copy = YMap(source.span, source.tag)
    copy.update(source)
    copy.key_spans.update(source.key_spans)
    copy.value_spans.update(source.value_spans)
    return copy


def _merge_value(
    base: Any, over: Any, key: str, base_span: Span | None = None, over_span: Span | None = None
) -> Any:
    """``base_span``/``over_span`` are where the two values are written, so that a scalar
    turned into a list or a mapping (``env_file: .env``, ``build: .``) keeps its position."""
    tag = tag_of(over)
    if tag == RESET:
        return Tagged(None, RESET)
    if tag == OVERRIDE or base is None or isinstance(base, Tagged):
        return _strip_tag(over)
    if key in _REPLACED or key == "test":
        return over
    if key in _KEYED_LISTS or key == "args":
        return _merge_keyed(as_keyed_map(base), as_keyed_map(over))
    if key in _MAPPING_LISTS:
        return _merge_maps(as_name_map(base), as_name_map(over), key)
    if key == "build":
        return _merge_maps(_build_map(base, base_span), _build_map(over, over_span), key)
    if key == "env_file":
        return _merge_unique(_as_seq(base, base_span), _as_seq(over, over_span), _env_file_path)
    if key == "volumes" and isinstance(base, YSeq) and isinstance(over, YSeq):
        return _merge_unique(base, over, _volume_target)
    unique = key in ("ports", "expose", "cap_add", "cap_drop", "dns", "secrets", "configs")
    if unique and isinstance(base, YSeq) and isinstance(over, YSeq):
        return _merge_unique(base, over, _identity_key)
    if isinstance(base, YMap) and isinstance(over, YMap):
        return _merge_maps(base, over, key)
    if isinstance(base, YSeq) and isinstance(over, YSeq):
        merged = YSeq(base.span)
        merged.extend(base)
        merged.item_spans.extend(base.item_spans)
        merged.extend(over)
        merged.item_spans.extend(over.item_spans)
        return merged
    return over


def _merge_maps(base: YMap, over: YMap, parent: str) -> YMap:
    result = _copy_map(base)
    for key, value in over.items():
        child_key = key
        if (
            parent in ("logging",)
            and key == "options"
            and base.get("driver") != over.get("driver", base.get("driver"))
        ):
            _set(result, key, value, over, key)
            continue
        if parent == "healthcheck" and key == "test":
            child_key = "test"
        merged = _merge_value(
            result.get(key), value, child_key, result.value_span(key), over.value_span(key)
        )
        _set(result, key, merged, over, key)
    return _drop_resets(result)


def _drop_resets(target: YMap) -> YMap:
    for key in [k for k, v in target.items() if isinstance(v, Tagged) and v.tag == RESET]:
        del target[key]
    return target


def _strip_tag(value: Any) -> Any:
    if isinstance(value, Tagged):
        return value.value
    return value


def _merge_keyed(base: YMap, over: YMap) -> YMap:
    result = _copy_map(base)
    for key, value in over.items():
        _set(result, key, value, over, key)
    return result


def _merge_unique(base: YSeq, over: YSeq, identity: Any) -> YSeq:
    merged = YSeq(base.span)
    position: dict[Any, int] = {}
    for source in (base, over):
        for index, item in enumerate(source):
            ident = identity(item)
            if ident is not None and ident in position:
                merged[position[ident]] = item
                merged.item_spans[position[ident]] = source.item_span(index)
                continue
            if ident is not None:
                position[ident] = len(merged)
            merged.append(item)
            merged.item_spans.append(source.item_span(index))
    return merged


def _identity_key(item: Any) -> Any:
    if isinstance(item, (YMap, YSeq)):
        return None
    return scalar_text(item)


def _volume_target(item: Any) -> Any:
    mount = parse_mount(item, Span(""))
    return mount.target if mount else None


def _env_file_path(item: Any) -> Any:
    if isinstance(item, YMap):
        return scalar_text(item.get("path"))
    return scalar_text(item)


def _as_seq(value: Any, span: Span | None = None) -> YSeq:
    if isinstance(value, YSeq):
        return value
    seq = YSeq(value.span) if isinstance(value, YMap) else YSeq(span or Span(""))
    if value is not None:
        seq.append(value)
        seq.item_spans.append(seq.span)
    return seq


def _build_map(value: Any, span: Span | None = None) -> YMap:
    if isinstance(value, YMap):
        return value
    result = YMap(span or Span(""))
    if value is not None:
        result["context"] = value
        if span is not None:
            result.key_spans["context"] = result.value_spans["context"] = span
    return result


def text_of(value: Any) -> str | None:
    """A scalar as Compose stringifies it; ``None`` for null, booleans and collections."""
    value = untag(value)
    if value is None or isinstance(value, (bool, YMap, YSeq)):
        return None
    return scalar_text(value)


def as_keyed_map(value: Any) -> YMap:
    """``environment``/``labels``/``args`` in either syntax as KEY -> value.

    None stands for a pass-through entry (``- NAME`` or ``NAME:``)."""
    if isinstance(value, YMap):
        return value
    result = YMap(value.span if isinstance(value, YSeq) else Span(""))
    if isinstance(value, YSeq):
        for index, item in enumerate(value):
            text = scalar_text(untag(item))
            key, sep, rest = text.partition("=")
            span = value.item_span(index)
            result[key] = rest if sep else None
            result.key_spans[key] = span
            result.value_spans[key] = span
    return result


def as_name_map(value: Any) -> YMap:
    """``depends_on``/``networks`` short lists as NAME -> None, long mappings unchanged."""
    if isinstance(value, YMap):
        return value
    result = YMap(value.span if isinstance(value, YSeq) else Span(""))
    if isinstance(value, YSeq):
        for index, item in enumerate(value):
            name = scalar_text(untag(item))
            result[name] = None
            result.key_spans[name] = value.item_span(index)
            result.value_spans[name] = value.item_span(index)
    return result


def normalise_service(
    name: str, data: YMap, stack: Stack, files: tuple[str, ...], directory: str
) -> Service:
    service = Service(name, stack, data, data.span, files)
    service.span = stack.service_span(name, data)
    get = data.get
    if get("image") is not None and not isinstance(get("image"), (YMap, YSeq)):
        service.image = scalar_text(untag(get("image")))
        service.image_span = data.value_span("image")
    if get("build") is not None:
        service.build = _build(data, directory, stack)
    service.depends_on = list(_dependencies(data))
    service.healthcheck = _healthcheck(data)
    service.environment = as_keyed_map(get("environment"))
    service.env_files = list(_env_files(data, directory, stack))
    service.ports = list(_ports(data))
    service.volumes = list(_mounts(data))
    service.networks = [
        Reference("network", key, nets.key_span(key))
        for nets in [as_name_map(get("networks"))]
        for key in nets
    ]
    service.resources = list(_resources(data))
    if get("network_mode") is not None:
        service.network_mode = scalar_text(get("network_mode"))
    if get("restart") is not None:
        service.restart = scalar_text(get("restart"))
    if get("user") is not None:
        service.user = scalar_text(get("user"))
    service.privileged = get("privileged") in (True, "true", "True")
    if get("container_name") is not None:
        service.container_name = scalar_text(get("container_name"))
    service.command = get("command")
    service.labels = as_keyed_map(get("labels"))
    logging = get("logging")
    if isinstance(logging, YMap) and logging.get("driver") is not None:
        service.logging_driver = scalar_text(logging.get("driver"))
    profiles = get("profiles")
    if isinstance(profiles, YSeq):
        service.profiles = tuple(scalar_text(p) for p in profiles)
    return service


def _build(data: YMap, directory: str, stack: Stack) -> Build:
    raw = data.get("build")
    span = data.key_span("build")
    if isinstance(raw, YMap):
        context = scalar_text(raw.get("context", ".")) if raw.get("context") is not None else "."
        dockerfile = (
            scalar_text(raw.get("dockerfile")) if raw.get("dockerfile") is not None else None
        )
        target = scalar_text(raw.get("target")) if raw.get("target") is not None else None
        args = as_keyed_map(raw.get("args"))
        context_span = raw.value_span("context") if "context" in raw else span
        dockerfile_span = raw.value_span("dockerfile") if "dockerfile" in raw else span
    else:
        context, dockerfile, target = scalar_text(raw), None, None
        args = YMap(span)
        context_span = dockerfile_span = data.value_span("build")
    # `dockerfile: ${APP_DOCKERFILE}` is interpolated like every value, as a fresh clone has it;
    # what stays unresolved is left alone (no Dockerfile is then judged against it).
    if dockerfile is not None and "$" in dockerfile:
        value, unresolved = stack.resolve(dockerfile)
        dockerfile = value if not unresolved and value else dockerfile
    # Relative paths resolve against the folder of the file that writes them: an included or
    # extended file in another folder keeps its own (compose-semantics.md §4.3, §4.4).
    folder = folder_of(context_span, stack, directory)
    context_path = resolve_path(folder, context) if not _remote(context) else None
    dockerfile_path = None
    if context_path is not None and (dockerfile is None or "$" not in dockerfile):
        dockerfile_path = resolve_path(context_path, dockerfile or "Dockerfile")
    return Build(
        context,
        dockerfile,
        context_path,
        dockerfile_path,
        target,
        args,
        span,
        context_span,
        dockerfile_span,
    )


def folder_of(span: Span, stack: Stack, default: str | None = None) -> str:
    """The folder relative paths written at ``span`` resolve against: the writing file's
    folder, or the ``project_directory`` of the ``include`` entry that brought the file in."""
    if not span.path:
        return stack.directory if default is None else default
    found = stack.project.project_directories.get(span.path)
    return found if found is not None else posixpath.dirname(span.path)


def _remote(context: str) -> bool:
    return "://" in context or context.startswith(("git@", "github.com/")) or "$" in context


def resolve_path(directory: str, path: str) -> str:
    """A path written in a compose file, as a root-relative POSIX path ('..' may remain)."""
    path = path.replace("\\", "/")
    if path.startswith("/"):
        return path
    if path.startswith("~"):
        return path
    joined = posixpath.normpath(posixpath.join(directory or ".", path))
    return "" if joined == "." else joined


def _dependencies(data: YMap) -> Iterator[Dependency]:
    raw = data.get("depends_on")
    if raw is None:
        return
    short = isinstance(raw, YSeq)
    entries = as_name_map(raw)
    for name, options in entries.items():
        span = entries.key_span(name)
        condition, required, condition_span = "service_started", True, span
        if isinstance(options, YMap):
            if options.get("condition") is not None:
                condition = scalar_text(options.get("condition"))
                condition_span = options.value_span("condition")
            required = options.get("required") not in (False, "false")
        yield Dependency(name, condition, required, short or options is None, span, condition_span)


def _healthcheck(data: YMap) -> Healthcheck | None:
    raw = data.get("healthcheck")
    if raw is None or not isinstance(raw, YMap):
        return None
    span = data.key_span("healthcheck")
    disabled = raw.get("disable") in (True, "true", "True")
    test = raw.get("test")
    if test is None or (isinstance(test, YSeq) and len(test) == 0):
        return Healthcheck(None, disabled, span)
    if isinstance(test, YSeq):
        return Healthcheck(tuple(scalar_text(untag(t)) for t in test), disabled, span)
    return Healthcheck(("CMD-SHELL", scalar_text(untag(test))), disabled, span)


def _env_files(data: YMap, directory: str, stack: Stack) -> Iterator[EnvFileRef]:
    raw = data.get("env_file")
    if raw is None:
        return
    items = raw if isinstance(raw, YSeq) else _as_seq(raw)
    for index, item in enumerate(items):
        span = items.item_span(index) if isinstance(raw, YSeq) else data.value_span("env_file")
        if isinstance(item, YMap):
            path = scalar_text(item.get("path"))
            required = item.get("required", True) not in (False, "false", "False")
        else:
            path, required = scalar_text(untag(item)), True
        if path:
            folder = folder_of(span, stack, directory)
            yield EnvFileRef(path, resolve_path(folder, path), required, span)


_PORT = re.compile(
    r"^(?:(?P<ip>\[[^\]]*\]|[^:\[\]]*):)??(?:(?P<published>[^:]*):)?(?P<target>[^:/]+)(?:/(?P<proto>\w+))?$"
)


def _ports(data: YMap) -> Iterator[Port]:
    raw = data.get("ports")
    if not isinstance(raw, YSeq):
        return
    for index, item in enumerate(raw):
        span = raw.item_span(index)
        if isinstance(item, YMap):
            published = item.get("published")
            yield Port(
                scalar_text(item.get("host_ip")) if item.get("host_ip") is not None else None,
                scalar_text(published) if published is not None else None,
                scalar_text(item.get("target")),
                scalar_text(item.get("protocol") or "tcp"),
                span,
                "",
            )
            continue
        text = scalar_text(untag(item))
        yield parse_port(text, span)


def parse_port(text: str, span: Span) -> Port:
    """``[ip:][published:]target[/proto]``; a variable may stand for any part."""
    proto = "tcp"
    body = text
    if "/" in body and not body.rstrip("}").endswith("}"):
        body, _, proto = body.rpartition("/")
    parts = _split_port(body)
    ip: str | None = None
    published: str | None = None
    if len(parts) >= 3:
        ip, published, target = ":".join(parts[:-2]), parts[-2], parts[-1]
    elif len(parts) == 2:
        published, target = parts
    else:
        target = parts[0] if parts else ""
    if ip is not None:
        ip = ip.strip("[]")
    return Port(ip, published, target, proto, span, text)


def _split_port(text: str) -> list[str]:
    # Split on ':' outside ${...} (a default such as ${HOST:-0.0.0.0} holds colons) and [...].
    if "${" not in text and "[" not in text:
        return text.split(":")
    parts, depth, bracket, current = [], 0, False, []
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("${", index):
            depth += 1
            current.append("${")
            index += 2
            continue
        if char == "}" and depth:
            depth -= 1
        elif char == "[":
            bracket = True
        elif char == "]":
            bracket = False
        elif char == ":" and not depth and not bracket:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _mounts(data: YMap) -> Iterator[Mount]:
    raw = data.get("volumes")
    if not isinstance(raw, YSeq):
        return
    for index, item in enumerate(raw):
        mount = parse_mount(item, raw.item_span(index))
        if mount is not None:
            yield mount


def parse_mount(item: Any, span: Span) -> Mount | None:
    item = untag(item)
    if isinstance(item, YMap):
        kind = scalar_text(item.get("type") or "volume")
        source = item.get("source")
        bind = item.get("bind")
        return Mount(
            kind,
            scalar_text(source) if source not in (None, "") else None,
            scalar_text(item.get("target")),
            item.get("read_only") in (True, "true"),
            span,
            long_syntax=True,
            create_host_path=isinstance(bind, YMap)
            and bind.get("create_host_path") in (True, "true"),
        )
    if item is None or isinstance(item, YSeq):
        return None
    text = scalar_text(item)
    parts = _split_port(text)  # same rule: ':' outside ${...}
    if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():
        parts = [parts[0] + ":" + parts[1], *parts[2:]]  # a Windows drive letter
    if len(parts) == 1:
        return Mount("volume", None, parts[0], False, span)
    source, target = parts[0], parts[1]
    options = parts[2].split(",") if len(parts) > 2 else []
    is_path = (
        source.startswith(("/", ".", "~", "$"))
        or "/" in source
        or (len(source) > 1 and source[1] == ":")
    )
    return Mount("bind" if is_path else "volume", source, target, "ro" in options, span)


def _resources(data: YMap) -> Iterator[Reference]:
    for kind in ("secrets", "configs"):
        raw = data.get(kind)
        if not isinstance(raw, YSeq):
            continue
        for index, item in enumerate(raw):
            name = scalar_text(item.get("source")) if isinstance(item, YMap) else scalar_text(item)
            if name:
                yield Reference(kind[:-1], name, raw.item_span(index))
