"""The whole project, loaded once: stacks, services, Dockerfiles, build contexts, env files, git.

This module (with the parsers beside it) is the only code that reads files or asks git. Each
file is read and parsed at most once per run; a file that cannot be read or parsed becomes a
:class:`ParseError` (rule DS001) and the rest of the project still loads.
"""

from __future__ import annotations

import bisect
import os
import posixpath
import re
import stat
from collections.abc import Iterator, Mapping
from functools import cached_property

from docker_standard.findings import Span
from docker_standard.model import compose as cm
from docker_standard.model.assembly import resolve_file
from docker_standard.model.discovery import (
    SERVICES_LINE,
    looks_like_compose,
    overlays_needed,
    usage_before,
)
from docker_standard.model.files import (
    ENV_TEMPLATE_NAMES as ENV_TEMPLATE_NAMES,
)
from docker_standard.model.files import (
    ENV_TEMPLATE_SUFFIXES as ENV_TEMPLATE_SUFFIXES,
)
from docker_standard.model.files import (
    MAX_FILE_BYTES as MAX_FILE_BYTES,
)
from docker_standard.model.files import (
    SKIP_DIRS as SKIP_DIRS,
)
from docker_standard.model.files import (
    ParseError as ParseError,
)
from docker_standard.model.files import (
    SourceFile as SourceFile,
)
from docker_standard.model.files import (
    env_template_names as env_template_names,
)
from docker_standard.model.files import (
    is_dockerfile_name as is_dockerfile_name,
)
from docker_standard.model.files import (
    is_env_name as is_env_name,
)
from docker_standard.model.files import (
    is_env_template as is_env_template,
)
from docker_standard.model.files import (
    is_local_env as is_local_env,
)
from docker_standard.model.paths import join, parent_dir
from docker_standard.model.schema import check_shape
from docker_standard.model.stack import BuildContext as BuildContext
from docker_standard.model.stack import BuildContexts
from docker_standard.model.stack import ComposeFile as ComposeFile
from docker_standard.model.stack import EnvFile as EnvFile
from docker_standard.model.stack import Stack as Stack
from docker_standard.model.stack import VariableUse as VariableUse
from docker_standard.model.suppressions import Suppression as Suppression
from docker_standard.model.yamltree import YamlError, YMap, YSeq, load_documents
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from docker_standard.config import Settings
    from docker_standard.model.dockerfile import Dockerfile
    from docker_standard.model.git import GitStatus
    from docker_standard.model.interpolation import Reference as VarRef

class Project:
    """Everything the rules see. Build it with :func:`load_project`."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        settings: Settings,
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        self.root = os.fspath(root)  # absolute; a string (pathlib costs 5 ms of a start-up)
        self.settings = settings
        # ``--diff`` plans several rounds of fixes without writing: the texts planned so far
        # are read instead of the disk (a file created by a fix exists here only).
        self.overrides: Mapping[str, str] = overrides or {}
        self.errors: list[ParseError] = []
        self.sources: dict[str, SourceFile] = {}
        self.stacks: list[Stack] = []
        self.dockerfiles: dict[str, Dockerfile] = {}
        self.env_files: dict[str, EnvFile] = {}
        self.gitignores: dict[str, SourceFile] = {}
        self.contexts = BuildContexts(self)
        self.notes: list[str] = []  # what could not be checked, said once (e.g. git missing)
        self._compose_cache: dict[str, ComposeFile | None] = {}
        self._sniffed: dict[str, list[Any]] = {}  # documents parsed while sniffing, reused once
        self._tree_cache: dict[str, list[str]] = {}
        # The files discovery listed, by folder, and every other path asked about: each path
        # is looked up on disk at most once a run, and a listed file never again.
        self.listed: dict[str, frozenset[str]] = {}
        self._exists: dict[str, bool] = {}
        self.including: list[str] = []  # the include chain being resolved, for cycles
        # included file -> the project_directory its relative paths resolve against, where the
        # include entry sets one (otherwise the included file's own folder)
        self.project_directories: dict[str, str] = {}
        self._git: GitStatus | None = None
        self._is_repo = False
        self._gitignore_paths: dict[str, str] = {}  # folder -> its .gitignore, read on demand
        # Per-run answers of helpers that ask about the whole project, by the helper's name:
        # they live and die with the project, as module-level caches would not.
        self.memo: dict[str, Any] = {}
        self.per_file_globs: dict[str, Any] = {}  # per-file-ignores pattern -> compiled matcher
        self.files_read = 0
        # Filled by the runner for the rules that judge suppressions (DS002): which comment
        # codes suppressed a finding, which rules ran, and whether only part of the project
        # was loaded (a hook given some files).
        self.suppressions_used: set[tuple[Suppression, str]] = set()
        self.rules_run: frozenset[str] = frozenset()
        self.scoped = False

    # ------------------------------------------------------------ reading

    def abspath(self, rel: str) -> str:
        return os.path.join(self.root, rel) if rel else self.root

    def read(self, rel: str) -> SourceFile | None:
        """Read a text file once. Problems become DS001 findings; the run goes on."""
        if rel in self.sources:
            return self.sources[rel]
        text = self.overrides.get(rel)
        if text is None:
            text = self._read_text(rel)
        if text is None:
            return None
        source = SourceFile(rel, text)
        self.sources[rel] = source
        return source

    def _read_text(self, rel: str) -> str | None:
        path = self.abspath(rel)
        try:
            info = os.stat(path)
        except OSError as exc:
            self.error(Span(rel), f"cannot read the file: {exc.strerror or exc.__class__.__name__}")
            return None
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            self.error(Span(rel), f"cannot read the file: it is {kind}")
            return None
        if info.st_size > MAX_FILE_BYTES:
            self.error(
                Span(rel),
                f"the file is {info.st_size / 1_048_576:.1f} MiB; files over "
                f"{MAX_FILE_BYTES // 1_048_576} MiB are not checked",
            )
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            self.error(Span(rel), f"cannot read the file: {exc.strerror or exc.__class__.__name__}")
            return None
        self.files_read += 1
        return self._decode(rel, data)

    def _decode(self, rel: str, data: bytes) -> str | None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                self.error(Span(rel), "the file is not valid UTF-16")
                return None
        if b"\0" in data:
            line = data[: data.index(b"\0")].count(b"\n") + 1
            self.error(Span(rel, line), "the file is binary (it holds a NUL byte), not text")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            self.error(Span(rel, line, column), "the file is not valid UTF-8")
            return None
        return text[1:] if text.startswith("\ufeff") else text

    def error(self, span: Span, message: str) -> None:
        self.errors.append(ParseError(span, message))

    def _is_dir(self, rel: str) -> bool:
        return os.path.isdir(self.abspath(rel))

    def exists(self, rel: str) -> bool:
        """Does ``rel`` exist in the working tree (file or folder)?"""
        if rel in self.overrides:
            return True
        known = self._exists.get(rel)
        if known is None:
            folder, _, name = rel.rpartition("/")
            known = name in self.listed.get(folder, ()) or os.path.lexists(self.abspath(rel))
            self._exists[rel] = known
        return known

    def _list_tree(self, rel: str) -> list[str]:
        if rel in self._tree_cache:
            return self._tree_cache[rel]
        found: list[str] = []
        base = self.abspath(rel)
        todo = [""]
        while todo and len(found) < 200_000:
            current = todo.pop()
            try:
                entries = list(os.scandir(os.path.join(base, current) if current else base))
            except OSError:
                continue
            for entry in entries:
                name = f"{current}/{entry.name}" if current else entry.name
                if entry.name == ".git":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    found.append(name + "/")
                    todo.append(name)
                else:
                    found.append(name)
        prefix = rel + "/" if rel else ""
        found.extend(
            path[len(prefix):] for path in self.overrides
            if path.startswith(prefix) and path[len(prefix):] not in found
        )
        self._tree_cache[rel] = found
        return found

    def sniff_compose(self, rel: str, how: str) -> bool:
        """Is the YAML file ``rel`` a compose file by its content?

        ``how`` says what is already known: ``named`` (a ``*compose*`` name: only content that
        is plainly something else, with no top-level ``services``/``include``, is not),
        ``explicit`` (named on the command line: the shape must be Compose's, an overlay may
        lack ``image``) or ``found`` (a search: a service must also have ``image``, ``build``
        or ``extends``). A text check comes first, so a repository of Kubernetes manifests
        and workflows costs a read per file, not a parse; a compose file keeps its text and
        documents, so it is still read and parsed once. Unreadable files are not reported
        here: they are not known to be compose files."""
        text = self._peek(rel)
        if text is None or not SERVICES_LINE.search(text):
            return False
        try:
            documents = load_documents(text, rel)
        except YamlError:
            if how == "found":
                return False
            documents = None  # named, with a top-level `services:`: a compose file to report
        if documents is not None:
            if how == "named":
                tops = [d for d in documents if isinstance(d, YMap)]
                if not any("services" in top or "include" in top for top in tops):
                    return False
            elif not looks_like_compose(documents, strict=how == "found"):
                return False
        self.sources[rel] = SourceFile(rel, text)
        self.files_read += 1
        if documents is not None:
            self._sniffed[rel] = documents
        return True

    def _peek(self, rel: str) -> str | None:
        if rel in self.overrides:
            text = self.overrides[rel]
            return text if "services" in text or "include" in text else None
        try:
            with open(self.abspath(rel), "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            return None
        # Most YAML (manifests, workflows) never says `services`/`include`: no decoding.
        if b"services" not in data and b"include" not in data:
            return None
        if len(data) > MAX_FILE_BYTES or b"\0" in data:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text[1:] if text.startswith("\ufeff") else text

    # ------------------------------------------------------------ git

    @property
    def git(self) -> GitStatus:
        if self._git is None:
            from docker_standard.model.git import GitStatus, GitUnavailable, load_status

            texts = {folder: src.text for folder, src in self.gitignores.items()}
            try:
                self._git = load_status(self.root, self._is_repo, texts)
            except GitUnavailable as exc:
                # ls-files failed (a corrupt index …): match the .gitignore files ourselves
                # rather than call every .env "not ignored".
                lines = self._gitignore_fallback(str(exc))
                self._git = GitStatus(self.root, False, _gitignores=lines)
            else:
                self._git.fallback = self._gitignore_fallback
                if any(path.rpartition("/")[2] == ".gitignore" for path in self.overrides):
                    # --diff planned a .gitignore git cannot see: match the planned patterns
                    # (tracked files still come from git).
                    self._git.problem = "a .gitignore is only planned"
                    self._git._gitignores = self._gitignore_lines()
        return self._git

    def _gitignore_fallback(self, problem: str) -> dict[str, list[str]]:
        """Git could not answer: say so, and read the .gitignore files discovery saw."""
        self.notes.append(f"{problem}; ignore status comes from .gitignore files only")
        return self._gitignore_lines()

    def _gitignore_lines(self) -> dict[str, list[str]]:
        lines: dict[str, list[str]] = {}
        for folder, rel in self._gitignore_paths.items():
            source = self.gitignores.get(folder) or self.read(rel)
            if source is not None:
                lines[folder] = source.text.splitlines()
        return lines

    def committed(self, rel: str) -> bool:
        """Is ``rel`` in a fresh clone? Tracked by git; outside git, not ignored by the
        ``.gitignore`` files (all one can know there)."""
        git = self.git
        if git.is_repo:
            return git.is_tracked(rel)
        return not git.is_ignored(rel)

    @property
    def in_git(self) -> bool:
        return self.git.is_repo

    # ------------------------------------------------------------ compose

    def compose_file(self, rel: str, role: str) -> ComposeFile | None:
        if rel in self._compose_cache:
            return self._compose_cache[rel]
        self._compose_cache[rel] = None  # guards include/extends cycles while loading
        source = self.read(rel)
        if source is None:
            return None
        documents: list[Any] = []
        data: YMap | None = None
        try:
            sniffed = self._sniffed.pop(rel, None)
            documents = sniffed if sniffed is not None else load_documents(source.text, rel)
        except YamlError as exc:
            self.error(Span(rel, exc.line, exc.column), exc.message)
        else:
            documents = [d for d in documents if d is not None]
            if not documents:
                # An empty (or comment-only) overlay is valid: Compose merges nothing from it.
                if role == "base":
                    self.error(Span(rel), "empty compose file")
            elif not all(isinstance(d, YMap) for d in documents):
                self.error(Span(rel), "a compose file must be a mapping at the top level")
            else:
                data = cm.merge_documents(documents)
                data = check_shape(data, self.error)
        compose = ComposeFile(rel, parent_dir(rel), role, source, documents, data)
        self._compose_cache[rel] = compose
        return compose

    def _build_stack(
        self, directory: str, base_rel: str, override_rel: str | None, overlay_rels: list[str]
    ) -> Stack | None:
        base = self.compose_file(base_rel, "base")
        if base is None:
            return None
        stack = Stack(self, directory, base)
        if override_rel:
            stack.override = self.compose_file(override_rel, "override")
        stack.overlays = [c for r in overlay_rels if (c := self.compose_file(r, "overlay"))]
        main = [c for c in (stack.base, stack.override) if c is not None]
        self._make_view(stack, main)
        for overlay in stack.overlays:
            before = usage_before(overlay, stack) or overlays_needed(overlay, stack)
            self._make_view(stack, [*main, *before, overlay])
        return stack

    def attach(self, stack: Stack, needed: list[ComposeFile], fragment: ComposeFile) -> None:
        """Judge ``fragment`` merged onto ``stack`` (after the overlays it ``needed``), as
        ``-f base -f fragment`` runs it: its relative paths resolve from the base's project
        directory."""
        fragment.role = "overlay"
        if fragment.directory != stack.directory:
            self.project_directories.setdefault(fragment.path, stack.directory)
        main = [c for c in (stack.base, stack.override) if c is not None]
        before = usage_before(fragment, stack) or needed
        stack.overlays.append(fragment)
        self._make_view(stack, [*main, *before, fragment])

    def _make_view(self, stack: Stack, files: list[ComposeFile]) -> None:
        key = tuple(f.path for f in files)
        merged: YMap | None = None
        # An overlay's view starts from the main view, and keeps its Service for each service
        # the overlay leaves alone: a stack with twelve overlays is not judged twelve times.
        main = stack.main_files
        earlier: dict[str, cm.Service] = {}
        if len(key) > len(main) and key[: len(main)] == main and stack.top_level.get(main):
            merged = stack.top_level[main]
            earlier = stack.views.get(main, {})
            files = files[len(main) :]
        for compose in files:
            if compose.data is None:
                continue
            resolved = resolve_file(self, stack, compose)
            merged = resolved if merged is None else cm.merge_top(merged, resolved)
        if merged is None:
            stack.views[key] = {}
            stack.top_level[key] = YMap(Span(stack.path))
            return
        services = merged.get("services")
        services = services if isinstance(services, YMap) else YMap(merged.span)
        for name in services:
            stack._service_spans.setdefault(name, services.key_span(name))
        stack.top_level[key] = merged
        view: dict[str, cm.Service] = {}
        for name, body in services.items():
            if not isinstance(body, YMap):
                continue
            same = earlier.get(name)
            if same is not None and same.data is body:
                view[name] = same
                continue
            view[name] = service = cm.normalise_service(name, body, stack, key, stack.directory)
            # Where this view defines it first: two overlays may define one name differently.
            service.span = services.key_span(name)
            self._join_build(service)
        stack.views[key] = view

    # ------------------------------------------------------------ Dockerfiles

    def dockerfile(self, rel: str) -> Dockerfile | None:
        if rel in self.dockerfiles:
            return self.dockerfiles[rel]
        source = self.read(rel)
        if source is None:
            return None
        from docker_standard.model.dockerfile import DockerfileError, parse_dockerfile

        try:
            parsed = parse_dockerfile(source.text, rel)
        except DockerfileError as exc:
            self.error(Span(rel, exc.line, exc.column), str(exc))
            return None
        self.dockerfiles[rel] = parsed
        return parsed

    def _join_build(self, service: cm.Service) -> None:
        build = service.build
        if build is None or build.context_path is None or build.dockerfile_path is None:
            return
        if build.context_path.startswith(("/", "..", "~")):
            return
        if build.dockerfile is not None and build.dockerfile.startswith("/"):
            return
        context = self.contexts.get(build.context_path, build.dockerfile_path)
        service.build_context = context
        if self._regular_file(build.dockerfile_path):
            service.dockerfile = self.dockerfile(build.dockerfile_path)
            contexts = self.contexts.by_dockerfile.setdefault(build.dockerfile_path, [])
            if all(c.path != context.path for c in contexts):
                contexts.append(context)

    def _regular_file(self, rel: str) -> bool:
        if rel in self.overrides:
            return True
        try:
            return stat.S_ISREG(os.stat(self.abspath(rel)).st_mode)
        except OSError:
            return False

    def services_building(self, dockerfile: Dockerfile) -> list[cm.Service]:
        return list(self._builders.get(id(dockerfile), ()))

    @cached_property
    def _builders(self) -> dict[int, list[cm.Service]]:
        """Dockerfile -> the services that build it, indexed once (rules ask per Dockerfile)."""
        index: dict[int, list[cm.Service]] = {}
        for stack in self.stacks:
            for service in stack.all_services():
                if service.dockerfile is not None:
                    index.setdefault(id(service.dockerfile), []).append(service)
        return index

    @cached_property
    def stacks_by_directory(self) -> dict[str, list[Stack]]:
        """The stacks of each folder, in discovery order (several stacks can share one)."""
        index: dict[str, list[Stack]] = {}
        for stack in self.stacks:
            index.setdefault(stack.directory, []).append(stack)
        return index

    # ------------------------------------------------------------ env files

    def env_file(self, rel: str) -> EnvFile | None:
        if rel in self.env_files:
            return self.env_files[rel]
        source = self.read(rel)
        if source is None:
            return None
        from docker_standard.model.dotenv import parse_dotenv

        parsed = parse_dotenv(source.text, interpolate=False)
        env = EnvFile(rel, parent_dir(rel), posixpath.basename(rel), source, parsed)
        self.env_files[rel] = env
        return env

    def env_template(self, directory: str) -> EnvFile | None:
        """The template of the ``.env`` in ``directory``: the first of
        :data:`ENV_TEMPLATE_NAMES` there."""
        for name in ENV_TEMPLATE_NAMES:
            found = self.env_files.get(join(directory, name))
            if found is not None:
                return found
        return None

    def env_templates_of(self, rel: str) -> list[str]:
        """The templates present for the env file ``rel`` (any name, e.g. an ``env_file``),
        in order of preference (:func:`env_template_names`)."""
        directory, name = posixpath.split(rel)
        found = []
        for candidate in env_template_names(name):
            path = join(directory, candidate)
            if path in self.env_files or self._regular_file(path):
                found.append(path)
        return found

    # ------------------------------------------------------------ variables

    def _stack_variables(self, stack: Stack) -> list[VariableUse]:
        uses: list[VariableUse] = []
        seen: set[str] = set()
        for compose in stack.compose_files:
            if compose.path in seen:
                continue
            seen.add(compose.path)
            uses.extend(file_variables(compose))
        return uses

    # ------------------------------------------------------------ queries for rules

    def services(self) -> Iterator[cm.Service]:
        for stack in self.stacks:
            yield from stack.all_services()

    def stack_of(self, path: str) -> Stack | None:
        for stack in self.stacks:
            if path in (c.path for c in stack.compose_files):
                return stack
        return None


# ------------------------------------------------------------------ variables


def file_variables(compose: ComposeFile) -> list[VariableUse]:
    """Every interpolation in one compose file, as ``docker compose config --variables`` sees it
    (values only, never keys), plus pass-through environment entries and ``name:``."""
    from docker_standard.model.interpolation import references
    from docker_standard.model.yamltree import walk_strings

    uses: list[VariableUse] = []
    for document in compose.documents:
        for text, span, _in_list in walk_strings(document, Span(compose.path)):
            if "$" not in text:
                continue
            # Newline offsets once per value: counting them per reference is quadratic in a
            # hostile value holding 100,000s of "${".
            newlines = [m.start() for m in re.finditer("\n", text)] if "\n" in text else []
            for ref in references(text):
                uses.append(_use(ref, newlines, span))
        uses.extend(_passthrough(compose, document))
    return uses


def _use(ref: VarRef, newlines: list[int], span: Span) -> VariableUse:
    line = span.line + bisect.bisect_left(newlines, ref.start)
    column = span.column if line == span.line else 1
    return VariableUse(
        ref.name, ref.required, ref.default, ref.operator, Span(span.path, line, column)
    )


def _passthrough(compose: ComposeFile, document: Any) -> Iterator[VariableUse]:
    services = document.get("services") if isinstance(document, YMap) else None
    if not isinstance(services, YMap):
        return
    for body in services.values():
        if not isinstance(body, YMap):
            continue
        for holder, key in ((body, "environment"), (body.get("build"), "args")):
            if not isinstance(holder, YMap):
                continue
            entries = holder.get(key)
            if isinstance(entries, (YMap, YSeq)):
                mapping = cm.as_keyed_map(entries)
                for name, value in mapping.items():
                    if value is None and name and "$" not in name:
                        yield VariableUse(name, False, None, "", mapping.key_span(name), True)
