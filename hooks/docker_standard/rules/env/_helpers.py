"""What the DS1xx rules share: which stacks share a folder, what a template documents, which
.gitignore to change, and whether a value in a template is a placeholder or a real credential.

Placeholders (:func:`is_placeholder`) are values nobody would mistake for a working
credential. A value is a placeholder when, after trimming, it

* is empty, or made only of punctuation (``***``, ``...``), or one character repeated
  (``xxxx``, ``0000``), or a run of consecutive digits (``123456``);
* references a variable (``${DB_PASSWORD}``, ``$TOKEN``): the real value comes from elsewhere;
* is wrapped in ``<...>``, ``[...]``, ``{...}``, ``{{...}}`` or ``%...%``;
* is a boolean or null word (``true``, ``off``, ``none``, ``null``) or a file path
  (``/run/secrets/db``, ``./certs/key.pem``, ``~/.ssh/id_rsa``);
* contains a marker: ``changeme``/``change_me``/``change-me``, ``changethis``, ``changeit``,
  ``replaceme``, ``placeholder``, ``example``, ``dummy``, ``redacted``, ``fillme``, ``notreal``
  (case and separators ignored, so ``AKIAIOSFODNN7EXAMPLE``, AWS's documented key, counts);
* is a masked sample: what is left after removing runs of ``x``, ``*`` or ``.`` is at most eight
  characters (``sk-xxxxxxxx``, ``ghp_****``, ``pk_test_...``);
* is spelled entirely with words of the variable's own name and a small vocabulary of
  placeholder words (``your``, ``here``, ``secret``, ``password``, ``test``, ``dev``, ``local``,
  ``admin``, ``guest``, ``foo`` … see :data:`PLACEHOLDER_WORDS`), digits allowed as filler:
  ``your_secret_key_here``, ``POSTGRES_PASSWORD=postgres``, ``mysecretpassword``,
  ``super-secret-dev-key``, ``password123``. Words may be glued together (``yoursecretkeyhere``).
"""

from __future__ import annotations

import math
import posixpath
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from docker_standard.findings import Hit, Severity

if TYPE_CHECKING:
    from docker_standard.model.project import EnvFile, Project, Stack

# Interpolation never needs these in .env.example: Compose defines the first two itself, and
# every login shell (POSIX requires it) exports HOME. ``UID``/``GID`` are *not* here: bash does
# not export them, the classic reason a stack works for one developer and not for CI.
ALWAYS_DEFINED = frozenset({"COMPOSE_PROJECT_NAME", "PWD", "HOME"})

# Keys Compose itself reads from the project's .env (not through interpolation).
_COMPOSE_SETTING = re.compile(r"(COMPOSE|DOCKER)_[A-Z0-9_]+")

TEMPLATE_NAMES = (".env.example", ".env.sample", ".env.template", ".env.dist")


@dataclass(frozen=True)
class GradedHit(Hit):
    """A hit whose severity differs from the rule's default (DS104: error or warning).

    The runner reads ``severity`` when it is set; a ``severity`` override in the user's
    configuration still wins.
    """

    severity: Severity | None = None


def join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def stacks_in(project: Project, directory: str) -> list[Stack]:
    return [stack for stack in project.stacks if stack.directory == directory]


def first_in_folder(stack: Stack) -> bool:
    """Several stacks can share a folder (and its .env files): folder-level facts are reported
    once, from the first of them."""
    return next(s for s in stack.project.stacks if s.directory == stack.directory) is stack


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


def template_keys(env: EnvFile) -> dict[str, int]:
    """Each key the file defines, with the line of its first definition."""
    keys: dict[str, int] = {}
    for entry in env.parsed.entries:
        if entry.key:
            keys.setdefault(entry.key, entry.line)
    return keys


_COMMENTED_ASSIGNMENT = re.compile(
    r"^\s*#+\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*[=:]"
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


def committed(project: Project, env: EnvFile) -> bool:
    """Will a fresh clone have this file? Tracked, or at least not ignored (so the commit being
    prepared can add it). Outside git, the .gitignore files decide."""
    git = project.git
    if git.is_tracked(env.path):
        return True
    return not git.is_ignored(env.path)


def gitignore_for(project: Project, directory: str) -> str:
    """The .gitignore to edit for files in ``directory``: the deepest existing one at or above
    it (git lets the deepest file have the last word), else the root's (to be created)."""
    folder = directory
    while True:
        candidate = join(folder, ".gitignore")
        if project.exists(candidate):
            return candidate
        if not folder:
            return ".gitignore"
        folder = posixpath.dirname(folder)


# Per-run memos, keyed by the project so that nothing outlives a run.
_PREFETCHED: weakref.WeakSet[Project] = weakref.WeakSet()
_LOCAL_BY_FOLDER: weakref.WeakKeyDictionary[Project, dict[str, list[str]]] = (
    weakref.WeakKeyDictionary()
)


def prefetch(project: Project) -> None:
    """Ask git about every path DS101-DS103 will ask about, in one call for the whole run."""
    if project in _PREFETCHED:
        return
    _PREFETCHED.add(project)
    from docker_standard.model.project import is_local_env

    paths = [path for stack in project.stacks for path in local_env_paths(stack)]
    paths.extend(
        stack.env_example.path for stack in project.stacks if stack.env_example is not None
    )
    if project.in_git:
        paths.extend(p for p in project.git.tracked if is_local_env(posixpath.basename(p)))
    project.git.prefetch(paths)


def local_env_paths(stack: Stack) -> list[str]:
    """``.env`` in the stack's folder (present or not) and every local variant there."""
    project = stack.project
    by_folder = _LOCAL_BY_FOLDER.get(project)
    if by_folder is None:
        by_folder = {}
        for path, env in sorted(project.env_files.items()):
            if env.is_local and env.name != ".env":
                by_folder.setdefault(env.directory, []).append(path)
        _LOCAL_BY_FOLDER[project] = by_folder
    return [join(stack.directory, ".env"), *by_folder.get(stack.directory, [])]


# ------------------------------------------------------------------ placeholders

PLACEHOLDER_WORDS = frozenset(
    """
    your my our the an here this that it me to be is of for with in on at
    set value values secret secrets password passwd pass pwd passphrase key keys api apikey
    token tokens access private client app application auth user username admin administrator
    root guest demo test testing tests dev develop development local localhost sample samples
    example examples placeholder dummy fake mock changeme change changed replace insert enter put
    fill generate generated random some string long strong super very unsafe insecure default
    foo bar baz qux todo tbd fixme none null empty blank whatever abc xyz hello world pw db
    database name service goes own real actual new
    """.split()
)

_MARKERS = (
    "changeme", "changethis", "changeit", "replaceme", "replacethis", "placeholder", "example",
    "dummy", "redacted", "fillme", "notreal", "notasecret",
)
_WRAPPED = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\{\{.*\}\}|\{[^{}]*\}|%[^%]+%", re.DOTALL)
_NOT_SECRET_WORDS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "none", "null", "nil", "n/a", "na", "undefined"}
)
_MASK_RUNS = re.compile(r"x{3,}|X{3,}|\*{3,}|\.{3,}|…")
_DIGITS = "01234567890123456789"


def _words(name: str) -> list[str]:
    """``OPENAI_API_KEY`` -> openai, api, key; ``dbPassword`` -> db, password."""
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)]


def is_placeholder(value: str, key: str = "") -> bool:
    """Is ``value`` (the value of ``key`` in a template) an obvious placeholder?

    The module docstring lists every form this accepts.
    """
    text = value.strip()
    if not text or not any(ch.isalnum() for ch in text):
        return True
    if len(set(text)) == 1 or (text.isdigit() and len(text) >= 3 and text in _DIGITS):
        return True
    lower = text.lower()
    if lower in _NOT_SECRET_WORDS or text.startswith(("/", "./", "../", "~/")):
        return True
    if _WRAPPED.fullmatch(text):
        return True
    if "$" in text:
        from docker_standard.model.interpolation import has_references

        if has_references(text):
            return True
    compact = re.sub(r"[^a-z0-9]", "", lower)
    if any(marker in compact for marker in _MARKERS):
        return True
    if len(re.sub(r"[^A-Za-z0-9]", "", _MASK_RUNS.sub("", text))) <= 8 and _MASK_RUNS.search(text):
        return True
    return _spelled_with_known_words(lower, frozenset(_words(key)))


def _spelled_with_known_words(lower: str, key_words: frozenset[str]) -> bool:
    parts = re.findall(r"[a-z]+", lower)
    if not parts:
        return False
    vocabulary = PLACEHOLDER_WORDS | key_words
    return all(re.fullmatch(r"x+", part) or _segments(part, vocabulary) for part in parts)


def _segments(word: str, vocabulary: frozenset[str]) -> bool:
    """Can ``word`` be cut into words of ``vocabulary`` (``yoursecretkeyhere``)?"""
    if len(word) > 64:
        return False
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 24), end):
            if reachable[start] and word[start:end] in vocabulary:
                reachable[end] = True
                break
    return reachable[-1]


# ------------------------------------------------------------------ credentials

_CREDENTIAL_WORDS = frozenset(
    {
        "password", "passwd", "pass", "passphrase", "pwd", "secret", "secrets", "token",
        "credential", "credentials", "apikey", "privatekey", "secretkey", "accesskey",
        "htpasswd", "salt",
    }
)
# Last words that make a name describe a credential without holding one.
_QUALIFIERS = frozenset(
    {
        "file", "path", "dir", "url", "uri", "endpoint", "host", "port", "user", "username",
        "name", "id", "type", "length", "len", "min", "max", "expiry", "expires", "expire",
        "expiration", "ttl", "lifetime", "timeout", "age", "algorithm", "algo", "header",
        "enabled", "enable", "disabled", "required", "policy", "rotation", "prefix", "suffix",
        "field", "param", "location", "mode", "format", "version", "count", "size", "minutes",
        "seconds", "hours", "days", "ms", "s", "m", "h", "d", "method", "provider", "scope",
        "scopes", "audience", "issuer", "cookie", "strategy",
    }
)
# ``KEY`` is a credential at the end of a name, unless it names a public half.
_PUBLIC_KEY_WORDS = frozenset({"public", "publishable", "pub", "cache", "sort", "primary",
                               "partition", "routing", "idempotency", "site", "anon"})


def credential_name(key: str) -> bool:
    """Does ``key`` name a credential (``DB_PASSWORD``, ``STRIPE_KEY``, ``JWT_SECRET``)?"""
    if key.upper() in ("PWD", "OLDPWD"):
        return False
    words = _words(key)
    if not words or words[-1] in _QUALIFIERS:
        return False
    if any(word in _CREDENTIAL_WORDS for word in words):
        return True
    return len(words) >= 2 and words[-1] == "key" and words[-2] not in _PUBLIC_KEY_WORDS


# The password of ``scheme://user:password@host`` (detect-secrets misses an empty user name).
_URL_PASSWORD = re.compile(r"://[^\s:/@]*:([^\s@/]+)@")
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-]{20,}")
# Detectors whose hits are not credentials, or that we replace with our own key-name logic.
_SKIPPED_DETECTORS = frozenset(
    {"IPPublicDetector", "KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString"}
)


def real_secret(key: str, value: str) -> str | None:
    """Why ``value`` (of ``key`` in a template) looks like a real credential, else None.

    Never returns any part of the value.
    """
    if is_placeholder(value, key):
        return None
    text = value.strip()
    for password in _URL_PASSWORD.findall(text):
        if not is_placeholder(password, key):
            return "a password inside a URL"
    if len(text) >= 10:
        for kind, found in _detections(text):
            if not is_placeholder(found, key):
                return f"a {kind}"
    if credential_name(key):
        return "a literal value under a credential name"
    if _TOKEN.fullmatch(text) and _high_entropy(text):
        return "a high-entropy string"
    return None


def _detections(text: str) -> Iterator[tuple[str, str]]:
    for detector in _detectors():
        for found in detector.analyze_string(text):
            yield detector.secret_type, found if isinstance(found, str) else text


@lru_cache(maxsize=1)
def _detectors() -> tuple[_Detector, ...]:
    # Imported here: detect-secrets costs ~0.15 s and most templates never need it.
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    found: list[_Detector] = []
    for plugin in get_mapping_from_secret_type_to_class().values():
        if plugin.__name__ in _SKIPPED_DETECTORS or not issubclass(plugin, RegexBasedDetector):
            continue
        found.append(plugin())
    return tuple(found)


def _high_entropy(text: str) -> bool:
    """detect-secrets' limits: 4.5 bits per character for base64 strings, 3.0 for hex."""
    if re.fullmatch(r"[0-9a-fA-F]+", text):
        entropy = _shannon(text)
        if text.isdigit():  # detect-secrets lowers the score of all-digit strings likewise
            entropy -= 1.2 / math.log2(len(text))
        return entropy > 3.0
    return _shannon(text) > 4.5


def _shannon(text: str) -> float:
    counts = {ch: text.count(ch) for ch in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


if TYPE_CHECKING:
    from typing import Protocol

    class _Detector(Protocol):
        secret_type: str

        def analyze_string(self, string: str) -> Iterator[object]: ...
