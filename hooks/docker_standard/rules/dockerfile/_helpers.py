"""Predicates shared by the Dockerfile rules: stages that run, base images, COPY sources, RUN text.

Nothing here reads a file: everything comes from the loaded project model.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator, Mapping

from docker_standard.findings import Span, Subject
from docker_standard.model.compose import text_of
from docker_standard.model.dockerfile import (
    AUTOMATIC_ARGS,
    Dockerfile,
    DockerfileError,
    Instruction,
    Stage,
)
from docker_standard.model.image import ImageRef, parse_image, tag_hidden_by
from docker_standard.model.shell import shell_script
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from docker_standard.model.compose import Service
    from docker_standard.model.project import Project


def span_of(dockerfile: Dockerfile, instruction: Instruction) -> Span:
    return Span(dockerfile.path, instruction.line, instruction.column)


def stage_span(dockerfile: Dockerfile, stage: Stage) -> Span:
    return Span(dockerfile.path, stage.line, stage.column)


def stage_subject(dockerfile: Dockerfile, at: Stage | Instruction, *names: str) -> Subject:
    """``("stage", name, *names)`` for a finding in the stage ``at`` is (or is in): the stage's
    name, or its index when it has none."""
    stage = at if isinstance(at, Stage) else None
    if stage is None:
        for candidate in dockerfile.stages:
            if candidate.line <= at.line:
                stage = candidate
    name = "" if stage is None else stage.name or str(stage.index)
    return Subject("stage", (name, *names))


def chain(stage: Stage) -> list[Stage]:
    """``stage`` and the earlier stages it is built on, the first ancestor first."""
    stages: list[Stage] = []
    current: Stage | None = stage
    while current is not None:
        stages.append(current)
        current = current.base_stage
    return stages[::-1]


# ---------------------------------------------------------------- stages that run


class RuntimeStage(NamedTuple):
    """A stage containers run: the final one, or a ``build.target`` a service names.

    ``services`` are the compose services (one per stack and name) that run it; empty for
    the final stage when no service builds the Dockerfile without a target.
    """

    stage: Stage
    services: tuple[Service, ...]
    final: bool

    @property
    def label(self) -> str:
        named = f" '{self.stage.name}'" if self.stage.name else ""
        if self.final:
            return f"the final stage{named}"
        users = ", ".join(f"'{s.name}'" for s in self.services)
        plural = "s" if len(self.services) > 1 else ""
        return f"stage{named} (the build.target of service{plural} {users})"


def unique_services(services: list[Service]) -> list[Service]:
    """One service per (stack, name): a service appears once in each view of its stack."""
    seen: set[tuple[str, str]] = set()
    result = []
    for service in services:
        key = (service.stack.path, service.name)
        if key not in seen:
            seen.add(key)
            result.append(service)
    return result


def runtime_stages(dockerfile: Dockerfile, project: Project) -> list[RuntimeStage]:
    """The final stage first, then each other stage a building service targets.

    The final stage is always judged: ``docker build .`` builds it whatever compose does.
    """
    final = dockerfile.final_stage
    if final is None:
        return []
    groups: dict[int, list[Service]] = {final.index: []}
    stages = {final.index: final}
    for service in project.services_building(dockerfile):
        stage = service.built_stage or final
        stages[stage.index] = stage
        groups.setdefault(stage.index, []).append(service)
    order = [final.index, *sorted(i for i in groups if i != final.index)]
    return [
        RuntimeStage(stages[i], tuple(unique_services(groups[i])), i == final.index) for i in order
    ]


# ---------------------------------------------------------------- base images

# Stand-ins for values a linter cannot know. Both are valid lower-case reference components,
# so the rest of the reference still parses and its tag can still be judged.
UNRESOLVED = "dsunresolvedarg"
_AUTOMATIC = "dsautomaticarg"


class BaseImage(NamedTuple):
    """The image a stage's FROM pulls, as one build sees it.

    ``service`` is set when the value comes from that service's ``build.args``; otherwise the
    Dockerfile's own ARG defaults decide. ``unresolved`` names ARGs without a value;
    ``undeclared`` names variables no ARG before the first FROM declares.
    """

    stage: Stage
    written: str
    value: str
    ref: ImageRef | None
    unresolved: tuple[str, ...] = ()
    undeclared: tuple[str, ...] = ()
    service: Service | None = None
    args: tuple[tuple[str, str], ...] = ()

    @property
    def tag_unknown(self) -> bool:
        """Does a variable without a value decide the tag (or the whole reference)?"""
        if self.undeclared:
            return True
        return bool(self.unresolved) and tag_hidden_by(self.ref, UNRESOLVED)

    @property
    def shown(self) -> str:
        """How a message names the reference: as written, plus what it resolves to."""
        if self.service is not None:
            given = ", ".join(f"{name}={value}" for name, value in self.args)
            return (
                f"'{self.written}' (= '{self.value}' for service '{self.service.name}', "
                f"whose build.args set {given})"
            )
        if self.written != self.value and not self.unresolved and not self.undeclared:
            return f"'{self.written}' (= '{self.value}' with the ARG defaults)"
        return f"'{self.written}'"


def _is_stage_name(dockerfile: Dockerfile, stage: Stage, value: str) -> bool:
    named = dockerfile.stage_named(value)
    return named is not None and named.index < stage.index


def base_images(dockerfile: Dockerfile, project: Project) -> Iterator[BaseImage]:
    """Every FROM that pulls an image (not ``scratch``, not an earlier stage), as the
    Dockerfile's ARG defaults resolve it and, where a building service's ``build.args``
    change the result, as that service builds it.

    When the defaults leave the tag unknown but every building service supplies a value, only
    the services' views are given: the compose build is how the image is built.
    """
    services = unique_services(project.services_building(dockerfile))
    declared = dockerfile.global_args
    service_args = [(s, _build_args(s, declared)) for s in services]
    for stage in dockerfile.stages:
        if stage.base_stage is not None:
            continue
        default = _base_image(dockerfile, stage, {}, None)
        if default is None:
            continue
        views = []
        for service, args in service_args:
            if not args:
                continue
            view = _base_image(dockerfile, stage, args, service)
            if view is not None and view.value != default.value:
                views.append(view)
        if (
            default.tag_unknown
            and services
            and len(views) == len(services)
            and not any(v.tag_unknown for v in views)
        ):
            yield from views
            continue
        yield default
        yield from views


def _base_image(
    dockerfile: Dockerfile, stage: Stage, args: Mapping[str, str], service: Service | None
) -> BaseImage | None:
    written = stage.base
    if service is None and not stage.base_unresolved_args:
        value = stage.base_resolved or written
        unresolved: tuple[str, ...] = ()
        undeclared: tuple[str, ...] = ()
    else:
        try:
            value, missing = dockerfile.expand_base(stage, args)
        except DockerfileError:
            return None
        if not missing and service is None:
            unresolved = undeclared = ()
        else:
            automatic = tuple(name for name in missing if name in AUTOMATIC_ARGS)
            undeclared = tuple(
                name
                for name in missing
                if name not in dockerfile.global_args and name not in AUTOMATIC_ARGS
            )
            unresolved = tuple(name for name in missing if name in dockerfile.global_args)
            stand_ins = dict(args)
            stand_ins.update(dict.fromkeys(automatic, _AUTOMATIC))
            stand_ins.update(dict.fromkeys(unresolved, UNRESOLVED))
            if missing:
                try:
                    value, _ = dockerfile.expand_base(stage, stand_ins)
                except DockerfileError:
                    return None
    if value == "scratch" or _is_stage_name(dockerfile, stage, value):
        return None
    # Name the build args the FROM line refers to (all of them when it reaches them through
    # another ARG).
    used = tuple((name, args[name]) for name in args if _refers(written, name))
    used = used or tuple(args.items())
    return BaseImage(
        stage, written, value, parse_image(value), unresolved, undeclared, service, used
    )


def _refers(text: str, name: str) -> bool:
    return re.search(rf"\$\{{?{re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def _build_args(service: Service, declared: Mapping[str, str | None]) -> dict[str, str]:
    """The service's ``build.args`` that reach FROM (those a global ARG declares), resolved
    as a fresh clone interpolates them; values a fresh clone cannot know are left out."""
    build = service.build
    if build is None:
        return {}
    found: dict[str, str] = {}
    for name, raw in build.args.items():
        text = text_of(raw) if name in declared else None
        if text is None:
            continue  # not an ARG FROM sees, or a value from the environment (`args: [NAME]`)
        if "$" in text:
            text, unset = service.stack.resolve(text)
            if unset:
                continue
        found[name] = text
    return found


# ---------------------------------------------------------------- COPY and ADD


def is_url(source: str) -> bool:
    return "://" in source or source.startswith("git@")


def copy_sources(instruction: Instruction) -> list[str]:
    """The sources of a COPY/ADD read from the build context, as written.

    Left out: everything of ``--from`` copies, here-documents (``COPY <<EOF``), URLs and git
    sources of ADD.
    """
    if instruction.keyword not in ("COPY", "ADD") or "from" in instruction.flags:
        return []
    sources = []
    for source in instruction.args[:-1]:
        if not instruction.json_form:
            if source.startswith("<<"):
                continue
            # BuildKit expands each shell-form word, which removes its quotes.
            source = source.replace('"', "").replace("'", "")
        if instruction.keyword == "ADD" and is_url(source):
            continue
        sources.append(source)
    return sources


def context_path(source: str) -> str:
    """A source as a path inside the context: ``./a/../b/`` -> ``b``; the root is ``''``."""
    cleaned = posixpath.normpath("/" + source.replace("\\", "/"))
    return cleaned.lstrip("/")


def has_glob(path: str) -> bool:
    return any(char in path for char in "*?[")


# ---------------------------------------------------------------- shell text


def run_script(instruction: Instruction) -> str:
    """The shell text a RUN executes, for a search through its text (its commands are
    ``instruction.shell()``): the shell form, the script of an exec-form ``sh -c``, and the
    bodies of its here-documents (a script fed to the shell)."""
    parts: list[str] = []
    if instruction.json_form:
        script = shell_script(instruction.args)
        parts.append(shlex.join(instruction.args) if script is None else script)
    else:
        parts.append(instruction.argument_text)
    parts.extend(heredoc.body for heredoc in instruction.heredocs)
    return "\n".join(parts)
