"""Which YAML files are compose files, and which stack a fragment patches.

A file found by searching is a compose file when its shape is Compose's; a fragment (it
adds to services it does not define) belongs to the nearest stack that defines what it needs,
with the overlays of that stack it needs too. Nothing here reads a file: the project passes
the compose files it loaded.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from docker_standard.model import compose as cm
from docker_standard.model import schema_keys
from docker_standard.model.paths import parent_dir
from docker_standard.model.stack import ComposeFile, Stack
from docker_standard.model.yamltree import YMap, YSeq, scalar_text, untag
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

# A top-level `services:` (or, for a named file, `include:`) line: the cheap test before a parse.
SERVICES_LINE = re.compile(r"^(?:services|include|[\"']services[\"'])[ \t]*:", re.MULTILINE)
_DEFINES = ("image", "build", "extends")


def looks_like_compose(documents: list[Any], *, strict: bool) -> bool:
    """A mapping whose top-level keys are all Compose's (or ``x-``) and whose ``services`` is
    a mapping of mappings. GitLab CI (a list of ``services``), GitHub workflows (``on``,
    ``jobs``), Kubernetes (``apiVersion``, ``kind``) and Ansible (a list) are not. ``strict``
    (a file found by searching) also wants a service with ``image``, ``build`` or ``extends``."""
    found = [d for d in documents if d is not None]
    if not found or not all(isinstance(d, YMap) for d in found):
        return False
    top = cm.merge_documents(found)
    if not all(key in schema_keys.TOP_LEVEL or key.startswith("x-") for key in top):
        return False
    services = top.get("services")
    if services is None:
        return not strict and "include" in top
    if not isinstance(services, YMap) or not services:
        return False
    bodies = [untag(body) for body in services.values()]
    if not all(isinstance(body, YMap) for body in bodies):
        return False
    return not strict or any(_defines(body) for body in bodies)


_RETAG_KEYS = frozenset({"image", "platform", "pull_policy"})


def _normalized_name(value: Any) -> str | None:
    """A project name as Compose normalises it (lower case; letters, digits, '-' and '_')."""
    text = scalar_text(untag(value)) if value is not None else ""
    if not text or "$" in text:
        return None
    return re.sub(r"[^a-z0-9_-]", "", text.lower()) or None


def _project_name(stack: Stack) -> str | None:
    """The name the stack runs under: its base's ``name:``, else its folder's name."""
    data = stack.base.data
    named = _normalized_name(data.get("name")) if data is not None else None
    if named is not None:
        return named
    folder = stack.project.abspath(stack.directory)
    return _normalized_name(posixpath.basename(folder))


def _only_retags(body: Any) -> bool:
    return isinstance(body, YMap) and bool(body) and set(body) <= _RETAG_KEYS


def _defines(body: YMap) -> bool:
    """Does this service block define a container (rather than patch one)?"""
    image = body.get("image")
    if image is not None and not isinstance(untag(image), (YMap, YSeq)):
        return True
    return "build" in body or "extends" in body


def stacks_above(folder: str, bases: dict[str, Stack]) -> list[Stack]:
    """The base stacks of the folders above ``folder``, nearest first."""
    found = []
    current = folder
    while current:
        current = parent_dir(current)
        stack = bases.get(current)
        if stack is not None:
            found.append(stack)
    return found


# A comment that calls the file an override or says which file it is used with.


_OVERRIDE_COMMENT = re.compile(
    r"^\s*#.*(?:\b(?:this|an|the)\s+override\b|\boverride\s+(?:file|for|of)\b"
    r"|\b(?:used?|together|combined?)\s+with\b.*\.ya?ml)",
    re.IGNORECASE | re.MULTILINE,
)
_USAGE_FILE = re.compile(r"(?:^|\s)-f\s+[\"']?([^\s\"']+\.ya?ml)")


def find_host(
    compose: ComposeFile, candidates: list[Stack], *, strict: bool = False
) -> tuple[Stack, list[ComposeFile]] | None:
    """The stack ``compose`` patches, with the overlays of it that define what the file needs
    beyond the base: the first candidate (nearest first) that defines the services it only
    adds to or refers to, or the networks it uses without declaring them; else, for a file
    named or commented as an override, the nearest one. A file a stack includes is judged
    there."""
    if compose.data is None or compose.role == "included":
        return None
    names = list(compose.services)
    lacking = [n for n in names if not _defines(untag(compose.services[n]))]
    wanted = set(lacking) | (_references(compose) - set(names))
    networks = _undeclared_networks(compose)
    named = _normalized_name(compose.data.get("name"))
    for stack in candidates:
        main = set(stack.services)
        if not main:
            continue
        by_overlay = {
            o.path: set(o.services) for o in stack.overlays if o.data is not None
        }
        known = main.union(*by_overlay.values())
        patches = bool(lacking) and any(n in known for n in lacking)
        if patches and not (2 * len(lacking) > len(names) or all(n in known for n in lacking)):
            patches = False
        if strict and not (wanted <= known and (patches or not lacking)):
            continue
        refers = bool(wanted) and wanted <= known and not patches and not lacking
        declared = set(stack.declared("networks"))
        uses = bool(networks) and networks <= declared
        # Only swaps the images of several services the stack defines (frappe's
        # tests/compose.ci.yaml points each at a local registry): a patch, though each names an
        # image. One lone `image:` service is as likely a small stack of its own.
        retags = len(names) >= 2 and set(names) <= known and all(
            _only_retags(untag(compose.services[n])) for n in names
        )
        # `name: docker-zulip` in ci/base.yaml: the project the root folder's stack runs as.
        same_project = named is not None and bool(set(names) & known) and named == _project_name(
            stack
        )
        if patches or refers or uses or retags or same_project:
            return stack, _needed(compose, stack, wanted - main, by_overlay)
    if candidates and (
        cm.is_override_name(posixpath.basename(compose.path)) or _says_override(compose)
    ):
        return candidates[0], []
    return None


def overlays_needed(overlay: ComposeFile, stack: Stack) -> list[ComposeFile]:
    """The stack's other overlays that define the services ``overlay`` patches or waits on
    and the base lacks (a compose.agent.yaml that waits on compose.observability.yaml's
    jaeger, with no usage comment to say so)."""
    if overlay.data is None:
        return []
    names = set(overlay.services)
    lacking = {n for n in names if not _defines(untag(overlay.services[n]))}
    missing = (lacking | (_references(overlay) - names)) - set(stack.services)
    if not missing:
        return []
    others = [o for o in stack.overlays if o is not overlay and o.data is not None]
    by_overlay = {o.path: set(o.services) for o in others}
    return [o for o in _needed(overlay, stack, missing, by_overlay) if o is not overlay]


def _needed(
    compose: ComposeFile, stack: Stack, missing: set[str], by_overlay: dict[str, set[str]]
) -> list[ComposeFile]:
    """For each service the fragment needs beyond the base, the overlay that defines it; of
    several, the one whose name is closest (compose.mariadb-secrets.yaml patches the ``db``
    of compose.mariadb.yaml, not of compose.postgres.yaml)."""
    mine = posixpath.basename(compose.path)
    chosen: set[str] = set()
    for name in sorted(missing):
        defining = [o for o in stack.overlays if name in by_overlay.get(o.path, set())]
        if defining:
            best = max(defining, key=lambda o: _shared_prefix(mine, o.path))
            chosen.add(best.path)
    return [o for o in stack.overlays if o.path in chosen]


def _shared_prefix(name: str, path: str) -> int:
    return len(posixpath.commonprefix([name, posixpath.basename(path)]))


def _undeclared_networks(compose: ComposeFile) -> set[str]:
    """Networks the file's services join that it does not declare (nor ``default``)."""
    declared = compose.data.get("networks") if compose.data is not None else None
    own = set(declared) if isinstance(declared, YMap) else set()
    found: set[str] = set()
    for body in compose.services.values():
        body = untag(body)
        if isinstance(body, YMap) and body.get("networks") is not None:
            found.update(cm.as_name_map(body.get("networks")))
    return found - own - {"default"}


def fragment_alone(compose: ComposeFile) -> bool:
    """A file that patches services (most lack ``image``/``build``/``extends``), or is named
    or commented as an override: never judged as a complete project."""
    if cm.is_override_name(posixpath.basename(compose.path)):
        return True
    if compose.data is None:
        return _says_override(compose)
    names = list(compose.services)
    lacking = [n for n in names if not _defines(untag(compose.services[n]))]
    return 2 * len(lacking) > len(names) or _says_override(compose)


def _says_override(compose: ComposeFile) -> bool:
    """Its comments call it an override, or show it run after another file (``-f``)."""
    if compose.source is None:
        return False
    if _OVERRIDE_COMMENT.search(compose.source.text):
        return True
    mine = posixpath.basename(compose.path)
    for files in _usage_commands(compose):
        names = [posixpath.basename(f) for f in files]
        if mine in names and names.index(mine) > 0:
            return True
    return False


def _usage_commands(compose: ComposeFile) -> Iterator[list[str]]:
    """The ``-f`` files of each command the file's comments show (continued lines joined)."""
    if compose.source is None or "-f" not in compose.source.text:
        return
    comments = [
        line.strip()[1:].strip() for line in compose.source.lines if line.strip().startswith("#")
    ]
    current = ""
    for text in comments:
        if text.endswith("\\"):
            current += text[:-1] + " "
            continue
        files = _USAGE_FILE.findall(current + text)
        current = ""
        if files:
            yield files
    if current and (files := _USAGE_FILE.findall(current)):
        yield files


def _references(compose: ComposeFile) -> set[str]:
    """Services the file's services refer to: ``depends_on``, ``links``, ``volumes_from``,
    ``network_mode: service:x`` and ``extends`` within the file."""
    found: set[str] = set()
    for body in compose.services.values():
        body = untag(body)
        if not isinstance(body, YMap):
            continue
        depends = body.get("depends_on")
        if isinstance(depends, (YMap, YSeq)):
            found.update(cm.as_name_map(depends))
        for key in ("links", "volumes_from"):
            items = body.get(key)
            if isinstance(items, YSeq):
                for item in items:
                    text = scalar_text(untag(item))
                    if text and not text.startswith("container:"):
                        found.add(text.split(":", 1)[0])
        mode = body.get("network_mode")
        if mode is not None and scalar_text(mode).startswith("service:"):
            found.add(scalar_text(mode).split(":", 1)[1])
        extends = body.get("extends")
        if extends is not None and not (isinstance(extends, YMap) and "file" in extends):
            target = extends.get("service") if isinstance(extends, YMap) else extends
            if target is not None:
                found.add(scalar_text(target))
    found.discard("")
    return found


def usage_before(overlay: ComposeFile, stack: Stack) -> list[ComposeFile]:
    """Overlays the file's own usage comment (``docker compose -f a -f b -f this.yaml``)
    loads before it: the merged view it is written for."""
    mine = posixpath.basename(overlay.path)
    by_path = {c.path: c for c in stack.overlays}
    for files in _usage_commands(overlay):
        names = [posixpath.basename(f) for f in files]
        if mine not in names:
            continue
        before = files[: names.index(mine)]
        resolved = (by_path.get(cm.resolve_path(stack.directory, f)) for f in before)
        return [c for c in resolved if c is not None and c is not overlay]
    return []
