"""The loaded model of one stack: its compose files, services, build contexts and env files.

A stack and its services point at each other (``service.stack``, ``stack.views``), so they
live together here; :mod:`model.compose` builds them from YAML and :mod:`model.project` loads
the files; this module imports neither (the project only for its type).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from functools import cached_property

from docker_standard.findings import Span
from docker_standard.model.files import SourceFile, is_env_template, is_local_env
from docker_standard.model.paths import join, parent_dir
from docker_standard.model.shell import EMPTY, ParsedShell, parse_exec, parse_shell
from docker_standard.model.yamltree import YMap, YSeq, scalar_text, untag
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.model.dockerfile import Dockerfile, Stage
    from docker_standard.model.dockerignore import DockerIgnore
    from docker_standard.model.dotenv import DotenvFile

    # A stack's and a build context's back-reference to the project that loaded them: for
    # its type only (tests/test_imports.py allows this one edge).
    from docker_standard.model.project import Project


class ComposeFile:
    def __init__(
        self,
        path: str,
        directory: str,
        role: str,  # base | override | overlay | included | extended
        source: SourceFile | None,
        documents: list[Any],
        data: YMap | None,  # the documents merged; None when unreadable or not a mapping
    ) -> None:
        self.path = path
        self.directory = directory
        self.role = role
        self.source = source
        self.documents = documents
        self.data = data

    @property
    def services(self) -> YMap:
        services = self.data.get("services") if self.data is not None else None
        return services if isinstance(services, YMap) else YMap(Span(self.path))

    @cached_property
    def service_lines(self) -> list[tuple[int, str]]:
        """(line, name) of each service key in this file, sorted: which block holds a line."""
        services = self.services
        return sorted((services.key_span(name).line, name) for name in services)


class EnvFile:
    def __init__(
        self, path: str, directory: str, name: str, source: SourceFile, parsed: DotenvFile
    ) -> None:
        self.path = path
        self.directory = directory
        self.name = name
        self.source = source
        self.parsed = parsed

    @property
    def is_template(self) -> bool:
        return is_env_template(self.name)

    @property
    def is_local(self) -> bool:
        return is_local_env(self.name)


class VariableUse(NamedTuple):
    name: str
    required: bool
    default: str | None  # None: no default operator
    operator: str
    span: Span
    passthrough: bool = False  # `environment: [NAME]`: the value comes from the environment


class BuildContext:
    """A build context folder: what ``COPY`` can see, with ``.dockerignore`` applied."""

    def __init__(
        self,
        project: Project,
        path: str,  # root-relative; "" is the root
        dockerignore: DockerIgnore | None,
        dockerignore_path: str | None,
    ) -> None:
        self.project = project
        self.path = path
        self.dockerignore = dockerignore
        self.dockerignore_path = dockerignore_path
        self._globs: dict[str, tuple[str, ...]] = {}

    @cached_property
    def files(self) -> frozenset[str]:
        """Every file and folder below the context, context-relative (folders end with '/')."""
        return frozenset(self.project._list_tree(self.path))

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        """Each folder's entries, from one pass over :attr:`files`: folder ('' for the context
        root, else ending with '/') -> entry names (folders ending with '/')."""
        index: dict[str, list[str]] = {}
        for entry in self.files:
            parent, _, name = entry.rstrip("/").rpartition("/")
            index.setdefault(parent + "/" if parent else "", []).append(
                name + "/" if entry.endswith("/") else name
            )
        return {folder: tuple(names) for folder, names in index.items()}

    @cached_property
    def local_env_files(self) -> tuple[str, ...]:
        """Local env files in the listing (``.env``, ``app/.env.local``; not templates)."""
        return tuple(
            sorted(
                entry
                for entry in self.files
                if not entry.endswith("/") and is_local_env(posixpath.basename(entry))
            )
        )

    def glob(self, pattern: str) -> tuple[str, ...]:
        """Entries matching a context-relative ``pattern`` with Go's ``filepath.Match`` rules,
        which COPY uses: ``*`` and ``?`` never cross a '/'. Folders end with '/'. Walks the
        folder index, and remembers each pattern's answer for the run."""
        found = self._globs.get(pattern)
        if found is None:
            found = self._globs[pattern] = _glob(self, pattern)
        return found

    @property
    def exists(self) -> bool:
        return self.project._is_dir(self.path)

    def excluded(self, relative: str) -> bool:
        return self.dockerignore is not None and self.dockerignore.excluded(relative)


class BuildContexts:
    """The build contexts of a project. ``by_dockerfile`` holds those compose services build
    each Dockerfile with; a Dockerfile no service builds gets its own folder."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.by_dockerfile: dict[str, list[BuildContext]] = {}  # dockerfile path -> contexts
        self._contexts: dict[tuple[str, str | None], BuildContext] = {}
        self._dockerignores: dict[str, tuple[DockerIgnore, str] | None] = {}

    def get(self, context: str, dockerfile: str) -> BuildContext:
        """The context with the ``.dockerignore`` Docker would use for this Dockerfile.

        One object per (context, .dockerignore) pair, so its listing is built once a run."""
        found = self._dockerignore_for(context, dockerfile)
        key = (context, found[1] if found is not None else None)
        cached = self._contexts.get(key)
        if cached is None:
            if found is None:
                cached = BuildContext(self.project, context, None, None)
            else:
                cached = BuildContext(self.project, context, found[0], found[1])
            self._contexts[key] = cached
        return cached

    def _dockerignore_for(self, context: str, dockerfile: str) -> tuple[DockerIgnore, str] | None:
        # <Dockerfile>.dockerignore beside the Dockerfile wins over the context's .dockerignore.
        for candidate in (dockerfile + ".dockerignore", join(context, ".dockerignore")):
            if candidate in self._dockerignores:
                if self._dockerignores[candidate] is not None:
                    return self._dockerignores[candidate]
                continue
            result = None
            if self.project._regular_file(candidate):
                source = self.project.read(candidate)
                if source is not None:
                    from docker_standard.model.dockerignore import parse_dockerignore

                    result = (parse_dockerignore(source.text), candidate)
            self._dockerignores[candidate] = result
            if result is not None:
                return result
        return None

    def of(self, dockerfile: Dockerfile) -> list[BuildContext]:
        """The contexts services build this Dockerfile with; else its own folder."""
        contexts = self.by_dockerfile.get(dockerfile.path)
        if contexts:
            return contexts
        own = parent_dir(dockerfile.path)
        return [self.get(own, dockerfile.path)]


def _glob(context: BuildContext, pattern: str) -> tuple[str, ...]:
    import fnmatch

    files = context.files
    children = context.children
    segments = [segment for segment in pattern.split("/") if segment]
    current = [""]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        following: list[str] = []
        if not any(char in segment for char in "*?["):
            for folder in current:
                name = folder + segment
                if name + "/" in files:
                    following.append(name + "/")
                elif last and name in files:
                    following.append(name)
        else:
            # Go writes a negated class [^…], Python's fnmatch [!…].
            matcher = re.compile(fnmatch.translate(segment.replace("[^", "[!"))).match
            for folder in current:
                for entry in children.get(folder, ()):
                    is_dir = entry.endswith("/")
                    if (last or is_dir) and matcher(entry[:-1] if is_dir else entry):
                        following.append(folder + entry)
        current = following
        if not current:
            break
    return tuple(current)


class Stack:
    """One compose project: a base file with its auto-loaded override and its overlays."""

    def __init__(
        self,
        project: Project,
        directory: str,
        base: ComposeFile,
        override: ComposeFile | None = None,
        overlays: list[ComposeFile] | None = None,
    ) -> None:
        self.project = project
        self.directory = directory
        self.base = base
        self.override = override
        self.overlays: list[ComposeFile] = overlays or []
        self.included: list[ComposeFile] = []
        # included file -> the env files Compose interpolates it with (``include.env_file``,
        # else the ``.env`` beside it); the including project's environment still wins.
        self.include_env: dict[str, tuple[str, ...]] = {}
        self.extended: list[ComposeFile] = []
        # A fragment (it patches services it does not define) with no base to merge onto: only
        # what is true of the file alone is judged (runner.FRAGMENT_RULES).
        self.fragment = False
        self.views: dict[tuple[str, ...], dict[str, Service]] = {}
        self.top_level: dict[tuple[str, ...], YMap] = {}
        self._completion: dict[tuple[str, ...], frozenset[str]] = {}
        self._resolved: dict[str, YMap] = {}  # file -> extends/include done
        self._distinct: tuple[int, list[Service]] = (-1, [])
        self._service_spans: dict[str, Span] = {}

    @property
    def path(self) -> str:
        return self.base.path

    @property
    def main_files(self) -> tuple[str, ...]:
        return (self.base.path,) + ((self.override.path,) if self.override else ())

    @property
    def compose_files(self) -> list[ComposeFile]:
        files = [self.base]
        if self.override:
            files.append(self.override)
        return files + self.overlays + self.included + self.extended

    @property
    def services(self) -> dict[str, Service]:
        """The services as ``docker compose up`` runs them (base + override)."""
        return self.views.get(self.main_files, {})

    def all_services(self) -> Iterator[Service]:
        """Each service of each view once (views share the services an overlay leaves alone)."""
        count, distinct = self._distinct
        if count != len(self.views):  # views are added while loading; rules ask many times
            unique = {id(s): s for services in self.views.values() for s in services.values()}
            count, distinct = self._distinct = (len(self.views), list(unique.values()))
        return iter(distinct)

    def declared(self, kind: str, files: tuple[str, ...] | None = None) -> YMap:
        """Top-level ``volumes``/``networks``/``secrets``/``configs`` of a view."""
        top = self.top_level.get(files or self.main_files)
        value = top.get(kind) if top is not None else None
        return value if isinstance(value, YMap) else YMap(Span(self.path))

    def completion_targets(self, files: tuple[str, ...]) -> frozenset[str]:
        if files not in self._completion:
            self._completion[files] = frozenset(
                dependency.name
                for service in self.views.get(files, {}).values()
                for dependency in service.depends_on
                if dependency.condition == "service_completed_successfully"
            )
        return self._completion[files]

    def service_span(self, name: str, data: YMap) -> Span:
        return self._service_spans.get(name, data.span)

    @cached_property
    def env_example(self) -> EnvFile | None:
        """Where a fresh clone takes the stack's values from: the folder's template
        (:meth:`Project.env_template`); without one, a ``.env`` the project commits as its
        defaults file (tracked; outside git, not ignored), which ``is_local`` then tells."""
        template = self.project.env_template(self.directory)
        if template is not None:
            return template
        dotenv = self.dotenv
        if dotenv is None:
            return None
        git = self.project.git
        if git.is_tracked(dotenv.path) or (not git.is_repo and not git.is_ignored(dotenv.path)):
            return dotenv
        return None

    @cached_property
    def dotenv(self) -> EnvFile | None:
        return self.project.env_files.get(join(self.directory, ".env"))

    @cached_property
    def variables(self) -> list[VariableUse]:
        return self.project._stack_variables(self)

    @cached_property
    def defaults_lookup(self) -> dict[str, str]:
        """Values a fresh clone gets by following the setup: the template's entries, then a
        committed ``.env``, then the files ``include`` entries name in ``env_file`` (the
        including project's own values win over them). A local ``.env`` is not in a fresh
        clone."""
        values: dict[str, str] = {}
        for paths in self.include_env.values():
            for path in paths:
                if is_local_env(posixpath.basename(path)):
                    continue
                env = self.project.env_files.get(path)
                if env is None and self.project._regular_file(path):
                    env = self.project.env_file(path)
                if env is not None:
                    for name, value in env.parsed.as_dict().items():
                        values.setdefault(name, value)
        template = self.env_example
        if template is not None:
            values.update(template.parsed.as_dict())
        # A committed .env (opentelemetry-demo, temporal) is in every clone; Compose reads it.
        dotenv = self.dotenv
        if dotenv is not None and self.project.committed(dotenv.path):
            for name, value in dotenv.parsed.as_dict().items():
                values.setdefault(name, value)
        return values

    def resolve(self, text: str) -> tuple[str, tuple[str, ...]]:
        """Interpolate ``text`` as a fresh clone would (template values, then defaults).

        Returns the value and the names that resolved to nothing.
        """
        from docker_standard.model.interpolation import substitute

        lookup = self.defaults_lookup
        result = substitute(text, lambda name: lookup.get(name) or None)
        return result.value, tuple(result.unset) + tuple(
            name for name in _required_missing(result.errors)
        )


def _required_missing(errors: Iterable[str]) -> Iterator[str]:
    for message in errors:
        if "required variable " in message:
            yield message.split("required variable ", 1)[1].split(" ", 1)[0]


class Dependency(NamedTuple):
    name: str
    condition: str  # service_started | service_healthy | service_completed_successfully
    required: bool
    short_form: bool
    span: Span  # where the dependency is named
    condition_span: Span


class Healthcheck(NamedTuple):
    test: tuple[str, ...] | None  # None: only options given, the image's test is inherited
    disabled: bool
    span: Span

    @property
    def effective(self) -> bool:
        """Does this healthcheck actually check something?"""
        if self.disabled:
            return False
        return not (self.test and self.test[0] == "NONE")


class Port(NamedTuple):
    host_ip: str | None
    published: str | None
    target: str
    protocol: str
    span: Span
    raw: str


class Mount(NamedTuple):
    type: str  # volume | bind | tmpfs | npipe | image | cluster
    source: str | None  # None: an anonymous volume
    target: str
    read_only: bool
    span: Span
    long_syntax: bool = False  # a mapping (`type: bind`, `source:`, `target:`)
    create_host_path: bool = False  # long syntax `bind.create_host_path: true`


class EnvFileRef(NamedTuple):
    path: str  # as written
    resolved: str  # root-relative POSIX
    required: bool
    span: Span


class Build(NamedTuple):
    context: str  # as written
    dockerfile: str | None
    context_path: str | None  # root-relative; None for remote contexts (git URLs)
    dockerfile_path: str | None  # root-relative
    target: str | None
    args: YMap
    span: Span
    context_span: Span
    dockerfile_span: Span


class Reference(NamedTuple):
    """A named resource (volume, network, secret, config) a service uses."""

    kind: str
    name: str
    span: Span


class Service:
    """One service as a view of its stack (base + override, or with an overlay) defines it.
    The model fills the keys it reads; rules read them (and ``data`` for the rest)."""

    def __init__(
        self,
        name: str,
        stack: Stack,
        data: YMap,
        span: Span,
        files: tuple[str, ...],  # the compose files of the view this service belongs to
    ) -> None:
        self.name = name
        self.stack = stack
        self.data = data
        self.span = span
        self.files = files
        self.image: str | None = None
        self.image_span: Span | None = None
        self.build: Build | None = None
        self.depends_on: list[Dependency] = []
        self.healthcheck: Healthcheck | None = None
        self.environment = YMap(Span(""))
        self.env_files: list[EnvFileRef] = []
        self.ports: list[Port] = []
        self.volumes: list[Mount] = []
        self.networks: list[Reference] = []
        self.resources: list[Reference] = []  # secrets and configs
        self.network_mode: str | None = None
        self.restart: str | None = None
        self.user: str | None = None
        self.privileged = False
        self.container_name: str | None = None
        self.command: Any = None
        self.labels = YMap(Span(""))
        self.logging_driver: str | None = None
        self.profiles: tuple[str, ...] = ()
        self.dockerfile: Dockerfile | None = None
        self.build_context: BuildContext | None = None

    def key_span(self, key: str) -> Span:
        return self.data.key_span(key) if key in self.data else self.span

    def value_span(self, key: str) -> Span:
        return self.data.value_span(key) if key in self.data else self.span

    @property
    def one_shot(self) -> bool:
        """A job that runs to completion (docs/one-shot-jobs.md, the one definition every rule
        uses): another service waits on it with ``service_completed_successfully``, or its
        restart policy is ``"no"`` or ``on-failure`` and its name, command or a profile says
        it is a task (:func:`says_task`)."""
        if self.name in self.stack.completion_targets(self.files):
            return True
        # The policy only permits and the task words decide: `on-failure` alone is how real
        # stacks run servers (temporal). Without a written policy (Compose's default is "no")
        # only the name or a profile decides: servers' start commands often mention a task
        # (laradock's mailu server sets up MAILU_INIT_* users), their names seldom do.
        restart = self.restart or _deploy_restart(self.data)
        if restart is None:
            return names_task(self.name, self.profiles)
        policy = restart.strip().strip("\"'").partition(":")[0]
        if policy not in ("no", "none", "on-failure"):
            return False
        return names_task(self.name, self.profiles) or _last_step_says_task(self.shell)

    @cached_property
    def shell(self) -> ParsedShell:
        """The commands ``command`` runs, parsed once (see :func:`command_shell`)."""
        return command_shell(self.command)

    @property
    def long_running(self) -> bool:
        return not self.one_shot

    @property
    def effective_healthcheck(self) -> Healthcheck | None:
        """The healthcheck the container gets: compose's, else its Dockerfile's final stage."""
        if self.healthcheck is not None:
            if not self.healthcheck.effective:
                return None
            if self.healthcheck.test is not None:
                return self.healthcheck
        image_check = self.image_healthcheck
        if image_check is not None:
            return image_check
        if self.healthcheck is not None and self.healthcheck.test is None:
            return None  # only options: nothing to inherit from a Dockerfile we know
        return None

    @property
    def built_stage(self) -> Stage | None:
        """The Dockerfile stage this service builds: ``build.target``, else the final one."""
        if self.dockerfile is None:
            return None
        target = self.build.target if self.build is not None else None
        if target and "$" not in target:
            named = self.dockerfile.stage_named(target)
            if named is not None:
                return named
        return self.dockerfile.final_stage

    @property
    def image_healthcheck(self) -> Healthcheck | None:
        stage = self.built_stage
        if self.dockerfile is None or stage is None:
            return None
        instruction = stage.healthcheck()
        if instruction is None:
            return None
        span = Span(self.dockerfile.path, instruction.line, instruction.column)
        # HEALTHCHECK's args start with its type; flags (--interval=…) come before it in value.
        kind = (instruction.args or instruction.value.split() or ("",))[0]
        if kind.upper() == "NONE":
            return None
        return Healthcheck(("CMD-SHELL", instruction.value), False, span)


# Words that name a task which runs once and ends: a whole word of a service name, a
# profile, or the last step of the command (`migrate`, `db-init`, `initContainer`,
# `createbuckets`, `yarn:build:js`). `build` is one: asset builders run once (their watch
# mode in development still needs no healthcheck).
# Words are lower-case letters and digits (_words), so a prefix test is the whole question.
_TASK_PREFIXES = ("init", "migrat", "seed", "bootstrap", "provision", "create")
_TASK_WORDS = frozenset({
    "setup", "genkey", "genkeys", "build", "install", "collectstatic", "compilemessages",
    "upgrade", "job", "oneshot", "once",
})
# Commands that do nothing and end at once: a service switched off in an override.
_NO_OP = frozenset({("true",), ("/bin/true",), (":",), ("exit", "0")})
# Steps after the real work that say nothing about what the command is (and the ends of
# compound commands: `fi`, `done`).
_EPILOGUE = frozenset({"echo", "printf", "exit", "true", ":"})
_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+")


def names_task(name: str, profiles: tuple[str, ...] = ()) -> bool:
    """Does a service's name or one of its profiles name a one-off task?"""
    return any(_is_task_word(word) for text in (name, *profiles) for word in _words(text))


def says_task(name: str, command: Any, profiles: tuple[str, ...] = ()) -> bool:
    """Does a service's name, a profile, or its command's last step name a one-off task?"""
    return names_task(name, profiles) or _last_step_says_task(command_shell(command))


def _last_step_says_task(parsed: ParsedShell) -> bool:
    steps = list(parsed.steps())
    if len(steps) == 1 and steps[0].raw in _NO_OP:
        return True
    while steps and (steps[-1].closes or steps[-1].raw[0] in _EPILOGUE):
        steps.pop()
    # Only the last step: `migrate && gunicorn app` is a server that migrates first.
    return bool(steps) and any(_is_task_word(w) for w in _words(" ".join(steps[-1].raw)))


def _is_task_word(word: str) -> bool:
    return word in _TASK_WORDS or word.startswith(_TASK_PREFIXES)


def _words(text: str) -> list[str]:
    """Lower-case words of a name or command: split on anything but letters and digits, and
    between camelCase humps; variable references (`${MAILU_INIT_USER}`) say nothing."""
    text = _VARIABLE.sub(" ", text)
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", text) if w]


def command_shell(command: Any) -> ParsedShell:
    """A compose ``command`` (a string or a list) as the commands it runs; the script when it
    runs ``sh -c SCRIPT`` (or ``-c SCRIPT`` alone, for an entrypoint that is a shell).

    A string is read as shell text, though Compose only splits it into words: a command
    written ``migrate && serve`` means what a shell would make of it."""
    if command is None:
        return EMPTY
    if isinstance(command, YSeq):
        words = [scalar_text(untag(w)) for w in command]
        if len(words) >= 2 and words[0] == "-c":  # an entrypoint shell takes the script
            return parse_shell(words[1])
        return parse_exec(words)
    parsed = parse_shell(scalar_text(untag(command)))
    steps = list(parsed.steps())
    if len(steps) == 1 and steps[0].script is not None:
        return steps[0].script
    return parsed


def _deploy_restart(data: YMap) -> str | None:
    deploy = data.get("deploy")
    if isinstance(deploy, YMap):
        policy = deploy.get("restart_policy")
        if isinstance(policy, YMap) and policy.get("condition") is not None:
            return scalar_text(policy.get("condition"))
    return None
