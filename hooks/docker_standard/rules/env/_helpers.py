"""What the DS1xx rules share: which stacks share a folder, what a template documents, and
which .gitignore to change. Whether a value is a placeholder or a real credential is judged in
:mod:`docker_standard.secrets`, the same for every rule."""

from __future__ import annotations

from docker_standard.model.env_layout import committed as committed
from docker_standard.model.env_layout import first_in_folder as first_in_folder
from docker_standard.model.env_layout import gitignore_for as gitignore_for
from docker_standard.model.env_layout import local_env_paths as local_env_paths
from docker_standard.model.env_layout import stacks_in as stacks_in
from docker_standard.model.paths import join as join
from docker_standard.patterns import lazy
from docker_standard.runtime_typing import TYPE_CHECKING
from docker_standard.secrets import Place, judge, mask
from docker_standard.variables import ALWAYS_DEFINED

if TYPE_CHECKING:
    from docker_standard.model.dotenv import Entry
    from docker_standard.model.project import EnvFile, Project, Stack

# The host's proxy settings, passed through by convention: not the project's configuration.
_PROXY_SETTINGS = frozenset({"http_proxy", "https_proxy", "no_proxy", "ftp_proxy", "all_proxy"})

# Keys Compose itself reads from the project's .env (not through interpolation).
_COMPOSE_SETTING = lazy(r"(COMPOSE|DOCKER)_[A-Z0-9_]+")


def from_environment(name: str) -> bool:
    """A name the environment provides without the project's help (Compose, the shell)."""
    return name in ALWAYS_DEFINED or name.lower() in _PROXY_SETTINGS


def template_for(stack: Stack) -> EnvFile | None:
    """The template of the stack's ``.env``: the model's one lookup (``ENV_TEMPLATE_NAMES``),
    which the fixers use too. A committed ``.env`` the stack takes its defaults from
    (:func:`defaults_file`) is no template: the rules comparing one with the stack stay
    silent, and DS102 reports the file."""
    return stack.project.env_template(stack.directory)


def read_as_dotenv(project: Project, env: EnvFile) -> bool:
    """Is ``env`` a dotenv file? Not when it is a shell script named like one
    (``permanent_data.env`` with bash arrays and loops) that no ``env_file`` reads."""
    from docker_standard.model.dotenv import looks_like_shell_script

    if not looks_like_shell_script(env.source.text):
        return True
    read: frozenset[str] | None = project.memo.get("read_by_compose")
    if read is None:
        paths = {path for stack in project.stacks for paths in stack.include_env.values()
                 for path in paths}
        paths.update(ref.resolved for service in project.services() for ref in service.env_files)
        read = project.memo["read_by_compose"] = frozenset(paths)
    return env.path in read


def include_keys(stack: Stack, path: str) -> frozenset[str]:
    """Keys the env files of an ``include`` give the included file ``path`` (none for the
    stack's own files)."""
    keys: set[str] = set()
    for env_path in stack.include_env.get(path, ()):
        env = stack.project.env_files.get(env_path)
        if env is not None:
            keys.update(entry.key for entry in env.parsed.entries)
    return frozenset(keys)


def compose_setting(name: str) -> bool:
    """A key Compose reads from .env itself (``COMPOSE_PROFILES``, ``DOCKER_HOST`` …)."""
    return _COMPOSE_SETTING.fullmatch(name) is not None


def passes_whole_dotenv(stacks: list[Stack]) -> bool:
    """Some service hands the folder's whole ``.env`` to the container via ``env_file``."""
    for stack in stacks:
        dotenv = join(stack.directory, ".env")
        for service in stack.all_services():
            if any(ref.resolved == dotenv for ref in service.env_files):
                return True
    return False


def shown_key(entry: Entry) -> str:
    """The key as a message may print it: masked when it looks like a credential. A line
    without ``=`` is read as a bare key, and ``TOKEN = value`` with a pasted token as its name
    is a key too, so a credential can sit where a name is expected."""
    return redact(entry.key)


def redact(text: str) -> str:
    """``text`` (a key name, or a word of a message) masked when it looks like a credential."""
    if _CONVENTIONAL_NAME.fullmatch(text):
        return text  # DB_PASSWORD: the usual spelling of a name, no need for the detectors
    return mask(text) if judge("", text, Place.TEMPLATE) is not None else text


_CONVENTIONAL_NAME = lazy(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_QUOTED = lazy(r'"((?:[^"\\]|\\.)*)"')


def redact_quoted(message: str) -> str:
    """Mask every double-quoted word of ``message`` that looks like a credential (the dotenv
    parser's problem messages quote the keys they are about)."""
    return _QUOTED.sub(lambda m: f'"{redact(m.group(1))}"', message)


def template_keys(env: EnvFile) -> dict[str, int]:
    """Each key the file defines, with the line of its first definition."""
    keys: dict[str, int] = {}
    for entry in env.parsed.entries:
        if entry.key:
            keys.setdefault(entry.key, entry.line)
    return keys


_MENTION = lazy(r"\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENTED_ASSIGNMENT = lazy(
    r"^\s*#+\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)="
)


def commented_keys(env: EnvFile) -> frozenset[str]:
    """Keys a template documents as commented-out assignments (``# LOG_FORMAT=json``): the
    usual way to list an optional variable without setting it."""
    names = set()
    for line in env.source.lines:
        match = _COMMENTED_ASSIGNMENT.match(line)
        if match:
            names.add(match.group(1))
    return frozenset(names)


def mentioned_keys(env: EnvFile) -> frozenset[str]:
    """Variables a template's comments name as ``$UID`` or ``${UID}`` ("populated by $UID,
    else 1000"): documented, though not assigned."""
    names: set[str] = set()
    for line in env.source.lines:
        if line.lstrip().startswith("#"):
            names.update(m.group(1) or m.group(2) for m in _MENTION.finditer(line))
    return frozenset(names)


def ignored_outside_git(project: Project, path: str) -> bool:
    """Outside git, does a .gitignore match ``path`` (so a ``git add`` would skip it)?"""
    git = project.git
    return not git.is_repo and git.is_ignored(path)


def defaults_file(stack: Stack) -> EnvFile | None:
    """The committed ``.env`` the stack takes its defaults from, when it has no template."""
    found = stack.env_example
    return found if found is not None and found.is_local else None

