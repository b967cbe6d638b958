"""What the DS1xx rules share: which stacks share a folder, what a template documents, which
.gitignore to change, and whether a value in a template is a placeholder or a real credential.

Placeholders (:func:`is_placeholder`) are values nobody would mistake for a working
credential. A value is a placeholder when, after trimming, it

* is empty, or made only of punctuation (``***``, ``...``), or one character repeated
  (``xxxx``, ``0000``), or a run of consecutive digits (``123456``);
* references a variable (``${DB_PASSWORD}``, ``$TOKEN``): the real value comes from elsewhere;
* is wrapped in ``<...>``, ``[...]``, ``{...}``, ``{{...}}``, or is ``%NAME%``;
* is a boolean or null word (``true``, ``off``, ``none``, ``null``) or a file path
  (``/run/secrets/db``, ``./certs/key.pem``, ``~/.ssh/id_rsa``);
* contains a marker: ``changeme``/``change_me``/``change-me``, ``changethis``, ``changeit``,
  ``replaceme``, ``placeholder``, ``example``, ``dummy``, ``redacted``, ``fillme``, ``fixme``,
  ``notreal``, or an obviously made-up run (``123456``, ``abcdef``, ``qwerty``); case and
  separators are ignored, so ``AKIAIOSFODNN7EXAMPLE``, AWS's documented key, counts;
* is a credential published for local development (Azurite's account key, ``minioadmin``);
* is a masked sample: runs of ``x``, ``*`` or ``.`` (at least three) hide at least as many
  characters as the at most eight letters and digits left (``sk-xxxxxxxx``, ``ghp_****``), or
  the value ends with ``...`` (``sk-...``);
* is spelled entirely with words of the variable's own name (and their prefixes of four
  letters or more), of the context (the folder's and the services' names; for a password in
  a URL, the rest of the URL), of the software stacks run (:data:`SERVICE_WORDS`: ``postgres``,
  ``redis``, ``minio`` …) and of a small vocabulary of placeholder words (``your``, ``here``,
  ``secret``, ``password``, ``test``, ``dev``, ``local``, ``admin``, ``guest``, ``foo`` … see
  :data:`PLACEHOLDER_WORDS`); digits are allowed as filler (fewer digits than letters, and
  then with a word of four letters or more), also after undoing leetspeak (``p@ssw0rd``,
  ``s3cr3t``): ``your_secret_key_here``, ``POSTGRES_PASSWORD=postgres``, ``mysecretpassword``,
  ``super-secret-dev-key``, ``password123``, ``miniosecret``. Words may be glued together
  (``yoursecretkeyhere``).

A value that is no placeholder is a credential (:func:`real_secret`) when it holds a password
in a URL, matches one of detect-secrets' patterns (AWS, GitHub, Slack, Stripe, private keys,
JWTs …), sits under a credential-like name (:func:`credential_name`), or is a long
high-entropy token (detect-secrets' limits) under a name that does not declare it public.
"""

from __future__ import annotations

import math
import posixpath
import re
import weakref
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from docker_standard.findings import mask

if TYPE_CHECKING:
    from docker_standard.model.dotenv import Entry
    from docker_standard.model.project import EnvFile, Project, Stack

# Interpolation never needs these in .env.example: Compose defines the first two itself, and
# every login shell (POSIX requires it) exports HOME. ``UID``/``GID`` are *not* here: bash does
# not export them, the classic reason a stack works for one developer and not for CI.
ALWAYS_DEFINED = frozenset({"COMPOSE_PROJECT_NAME", "PWD", "HOME"})
# The host's proxy settings, passed through by convention: not the project's configuration.
_PROXY_SETTINGS = frozenset({"http_proxy", "https_proxy", "no_proxy", "ftp_proxy", "all_proxy"})

# Keys Compose itself reads from the project's .env (not through interpolation).
_COMPOSE_SETTING = re.compile(r"(COMPOSE|DOCKER)_[A-Z0-9_]+")

# Per-run memos, keyed by the project so that nothing outlives a run.
_PREFETCHED: weakref.WeakSet[Project] = weakref.WeakSet()
_LOCAL_BY_FOLDER: weakref.WeakKeyDictionary[Project, dict[str, list[str]]] = (
    weakref.WeakKeyDictionary()
)
_READ_BY_COMPOSE: weakref.WeakKeyDictionary[Project, frozenset[str]] = weakref.WeakKeyDictionary()


def join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def stacks_in(project: Project, directory: str) -> list[Stack]:
    return project.stacks_by_directory.get(directory, [])


def first_in_folder(stack: Stack) -> bool:
    """Several stacks can share a folder (and its .env files): folder-level facts are reported
    once, from the first of them."""
    return stacks_in(stack.project, stack.directory)[0] is stack


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
    read = _READ_BY_COMPOSE.get(project)
    if read is None:
        paths = {path for stack in project.stacks for paths in stack.include_env.values()
                 for path in paths}
        paths.update(ref.resolved for service in project.services() for ref in service.env_files)
        read = _READ_BY_COMPOSE[project] = frozenset(paths)
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
    return mask(text) if real_secret("", text) is not None else text


_CONVENTIONAL_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


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


_MENTION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENTED_ASSIGNMENT = re.compile(
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


def committed(project: Project, path: str) -> bool:
    """Will a fresh clone have this template? Tracked, or at least not ignored (so the commit
    being prepared can add it). Outside git nobody can tell what is tracked (a file that
    .gitignore matches may have been added with ``git add -f``): a template there counts;
    :func:`ignored_outside_git` says when .gitignore matches it."""
    git = project.git
    if not git.is_repo or git.is_tracked(path):
        return True
    return not git.is_ignored(path)


def ignored_outside_git(project: Project, path: str) -> bool:
    """Outside git, does a .gitignore match ``path`` (so a ``git add`` would skip it)?"""
    git = project.git
    return not git.is_repo and git.is_ignored(path)


def defaults_file(stack: Stack) -> EnvFile | None:
    """The committed ``.env`` the stack takes its defaults from, when it has no template."""
    found = stack.env_example
    return found if found is not None and found.is_local else None


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


def prefetch(project: Project) -> None:
    """Ask git about every path DS101-DS103 will ask about, in one call for the whole run."""
    if project in _PREFETCHED:
        return
    _PREFETCHED.add(project)
    from docker_standard.model.project import is_local_env

    paths = [path for stack in project.stacks for path in local_env_paths(stack)]
    paths.extend(
        template.path for stack in project.stacks if (template := template_for(stack)) is not None
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
    (
        "your", "my", "our", "the", "an", "here", "this", "that", "it", "me", "to", "be", "is",
        "of", "for", "with", "in", "on", "at", "set", "value", "values", "secret", "secrets",
        "password", "passwd", "pass", "pwd", "passphrase", "key", "keys", "api", "apikey", "token",
        "tokens", "access", "private", "client", "app", "application", "auth", "user", "username",
        "admin", "administrator", "root", "guest", "demo", "test", "testing", "tests", "dev",
        "develop", "development", "local", "localhost", "sample", "samples", "example", "examples",
        "placeholder", "dummy", "fake", "mock", "changeme", "change", "changed", "replace",
        "insert", "enter", "put", "fill", "generate", "generated", "random", "some", "string",
        "long", "strong", "super", "very", "unsafe", "insecure", "default", "foo", "bar", "baz",
        "qux", "todo", "tbd", "fixme", "none", "null", "empty", "blank", "whatever", "abc", "xyz",
        "hello", "world", "pw", "db", "database", "name", "service", "goes", "own", "real",
        "actual", "new", "a", "openssl", "rand", "hex", "base", "uuid", "run", "use", "using",
        "output", "from", "chars", "characters", "bytes", "least", "minimum", "length",
    )
)

# Names of the software a stack runs: ``POSTGRES_PASSWORD=postgres``, ``miniosecret``.
SERVICE_WORDS = frozenset(
    (
        "postgres", "postgresql", "psql", "pg", "mysql", "mariadb", "redis", "mongo", "mongodb",
        "minio", "minioadmin", "rabbitmq", "rabbit", "amqp", "elastic", "elasticsearch", "kibana",
        "grafana", "prometheus", "keycloak", "gitlab", "sonar", "airflow", "django", "rails",
        "laravel", "docker", "compose", "nginx", "traefik", "pgadmin", "smtp", "mail", "ldap",
        "sentry", "celery", "kafka", "clickhouse", "influx", "influxdb", "couchdb", "vault",
        "jenkins", "wordpress", "wp",
    )
)
_MARKERS = (
    "changeme", "changethis", "changeit", "replaceme", "replacethis", "placeholder", "example",
    "dummy", "redacted", "fillme", "fixme", "notreal", "notasecret", "123456", "abcdef", "qwerty",
)
# Credentials published on purpose for local development (Azurite's account key, MinIO's
# default): committing them leaks nothing.
_PUBLIC_VALUES = frozenset(
    {
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "minioadmin",
    }
)
_WRAPPED = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\{\{.*\}\}|\{[^{}]*\}|%[A-Z_][A-Z0-9_]*%", re.DOTALL)
_NOT_SECRET_WORDS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "none", "null", "nil", "n/a", "na", "undefined"}
)
_MASK_RUNS = re.compile(r"x{3,}|X{3,}|\*{3,}|\.{3,}|…")
_DIGITS = "01234567890123456789"
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_LEET = str.maketrans("013457@$", "oleastas")  # p@ssw0rd, s3cr3t


def _words(name: str) -> list[str]:
    """``OPENAI_API_KEY`` -> openai, api, key; ``dbPassword`` -> db, password."""
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)]


def is_placeholder(
    value: str, key: str = "", *, interpolated: bool = True, context: Iterable[str] = ()
) -> bool:
    """Is ``value`` (the value of ``key`` in a template) an obvious placeholder?

    The module docstring lists every form this accepts. ``interpolated`` is False for
    single-quoted values, where ``$`` is a literal character, not a reference. ``context``
    adds words a value may be spelled with (the folder's and the services' names).
    """
    text = value.strip()
    if not text or not any(ch.isalnum() for ch in text) or text in _PUBLIC_VALUES:
        return True
    if len(set(text)) == 1 or (text.isdigit() and len(text) >= 3 and text in _DIGITS):
        return True
    lower = text.lower()
    if lower in _NOT_SECRET_WORDS or text.startswith(("/", "./", "../", "~/")):
        return True
    if _WRAPPED.fullmatch(text):
        return True
    if interpolated and "$" in text:
        literal = _without_references(text)
        if literal != text:
            # Judge what is written around the references: ``${DB_PASSWORD}`` leaves nothing.
            return is_placeholder(literal, key, interpolated=False, context=context)
    compact = re.sub(r"[^a-z0-9]", "", lower)
    if any(marker in compact for marker in _MARKERS):
        return True
    masked = sum(len(run) for run in _MASK_RUNS.findall(text))
    left = len(re.sub(r"[^A-Za-z0-9]", "", _MASK_RUNS.sub("", text)))
    if masked and left <= 8 and (masked >= left or text.endswith(("...", "…"))):
        return True
    known = _own_words(key, context)
    if _spelled_with_known_words(lower, known):
        return True
    # Leetspeak only where letters dominate: random hex or digits must not turn into words.
    letters = sum(ch.isalpha() for ch in lower)
    alnum = sum(ch.isalnum() for ch in lower)
    return letters * 3 >= alnum * 2 and _spelled_with_known_words(lower.translate(_LEET), known)


def _own_words(key: str, context: Iterable[str]) -> frozenset[str]:
    """Words of the key and the context, with their prefixes of four letters or more
    (``SONARQUBE_PASSWORD=sonarPass``)."""
    words: set[str] = set()
    for text in (key, *context):
        for word in _words(text):
            words.add(word)
            words.update(word[:end] for end in range(4, len(word)))
    return frozenset(words)


def _without_references(text: str) -> str:
    """``text`` without its deliberate references: ``${...}`` and ``$UPPER_CASE``. A ``$`` inside
    a random string (``Q$h7Oq…``) is technically a reference too, but the characters are still
    written in the file, so they stay."""
    from docker_standard.model.interpolation import references

    kept: list[str] = []
    previous = 0
    for ref in references(text):
        if ref.nested or not (ref.braced or _ENV_NAME.fullmatch(ref.name)):
            continue
        kept.append(text[previous : ref.start])
        previous = ref.end
    kept.append(text[previous:])
    return "".join(kept)


def _spelled_with_known_words(lower: str, own_words: frozenset[str]) -> bool:
    parts = re.findall(r"[a-z]+", lower)
    # Digits are filler (password123), but not the bulk of the value (a02a3715 is random hex).
    if not parts or sum(map(len, parts)) < sum(ch.isdigit() for ch in lower):
        return False
    vocabulary = PLACEHOLDER_WORDS | SERVICE_WORDS | own_words
    longest = 0
    for part in parts:
        if re.fullmatch(r"x+", part):
            continue
        found = _segments(part, vocabulary)
        if not found:
            return False
        longest = max(longest, found)
    # At least one real word (test1234, admin123), not only fragments (db613db5).
    return longest >= 4 or not any(ch.isdigit() for ch in lower)


def _segments(word: str, vocabulary: frozenset[str]) -> int:
    """The length of the longest word in a cut of ``word`` into words of ``vocabulary``
    (``yoursecretkeyhere``: 6), or 0 when there is none. Words of one or two letters (``a``,
    ``my``, ``db``) only start a part, so random letters do not dissolve into them."""
    if word in vocabulary:
        return len(word)
    if len(word) > 64:
        return 0
    best = [-1] * (len(word) + 1)  # best[i]: longest word in a cut of word[:i]; -1: no cut
    best[0] = 0
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 24), end):
            piece = word[start:end]
            if best[start] < 0 or piece not in vocabulary or (len(piece) <= 2 and start > 0):
                continue
            best[end] = max(best[end], best[start], len(piece))
    return max(best[-1], 0)


# ------------------------------------------------------------------ credentials

_CREDENTIAL_WORDS = frozenset(
    {
        "password", "passwd", "pass", "passphrase", "pwd", "secret", "secrets", "token",
        "credential", "credentials", "apikey", "privatekey", "secretkey", "accesskey",
        "htpasswd", "salt",
    }
)
# Words that, after the credential word, make a name describe a credential without holding one.
_QUALIFIERS = frozenset(
    {
        "file", "path", "dir", "url", "uri", "endpoint", "host", "port", "user", "username",
        "name", "id", "type", "length", "len", "min", "max", "expiry", "expires", "expire",
        "expiration", "ttl", "lifetime", "timeout", "age", "algorithm", "algo", "header",
        "enabled", "enable", "disabled", "required", "policy", "rotation", "prefix", "suffix",
        "field", "param", "location", "mode", "format", "version", "count", "size", "minutes",
        "seconds", "hours", "days", "ms", "s", "m", "h", "d", "method", "provider", "scope",
        "scopes", "audience", "issuer", "cookie", "strategy", "hasher", "hashers", "reset",
        "strength", "complexity", "validators", "attempts", "retries", "in", "interval",
    }
)
# ``KEY`` is a credential at the end of a name, unless it names a public half.
_PUBLIC_KEY_WORDS = frozenset({"public", "publishable", "pub", "cache", "sort", "primary",
                               "partition", "routing", "idempotency", "site", "anon"})


def credential_name(key: str) -> bool:
    """Does ``key`` name a credential (``DB_PASSWORD``, ``STRIPE_KEY``, ``JWT_SECRET``)?

    Not when a qualifier follows the credential word: ``DB_PASSWORD_FILE``,
    ``JWT_TOKEN_EXPIRES_IN``, ``AWS_ACCESS_KEY_ID``, ``PASSWORD_MIN_LENGTH``.
    """
    if key.upper() in ("PWD", "OLDPWD"):
        return False
    words = _words(key)
    found = [index for index, word in enumerate(words) if word in _CREDENTIAL_WORDS]
    if words and words[-1] == "key" and len(words) >= 2 and words[-2] not in _PUBLIC_KEY_WORDS:
        found.append(len(words) - 1)
    if not found:
        return False
    return not any(word in _QUALIFIERS for word in words[max(found) + 1 :])


# Names that declare their value public (``STRIPE_PUBLISHABLE_KEY``, ``NEXT_PUBLIC_...``): only
# detect-secrets' own patterns (which know ``sk_live_`` from ``pk_live_``) judge those.
_PUBLIC_WORDS = frozenset({"public", "publishable", "pub", "anon"})
# The password of ``scheme://user:password@host`` (detect-secrets misses an empty user name).
_URL_PASSWORD = re.compile(r"://[^\s:/@]*:([^\s@/]+)@")
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-]{20,}")
# Detectors whose hits are not credentials, or that we replace with our own key-name logic.
_SKIPPED_DETECTORS = frozenset(
    {"IPPublicDetector", "KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString"}
)


def real_secret(
    key: str, value: str, *, interpolated: bool = True, context: Iterable[str] = ()
) -> str | None:
    """Why ``value`` (of ``key`` in a template) looks like a real credential, else None.

    Never returns any part of the value. ``context``: see :func:`is_placeholder`.
    """
    context = tuple(context)
    if is_placeholder(value, key, interpolated=interpolated, context=context):
        return None
    text = value.strip()
    for match in _URL_PASSWORD.finditer(text):
        # The rest of the URL is context: postgres://postgres:postgres@db/postgres.
        around = (text[: match.start(1)], text[match.end(1) :], *context)
        if not is_placeholder(match.group(1), key, context=around):
            return "a password inside a URL"
    if len(text) >= 10:
        for kind, found in _detections(text):
            if not is_placeholder(found, key, context=context):
                return f"a credential detect-secrets recognises ({kind})"
    if credential_name(key):
        return "a literal value under a credential name"
    if _TOKEN.fullmatch(text) and _high_entropy(text) and not _PUBLIC_WORDS & set(_words(key)):
        return "a high-entropy string"
    return None


def _detections(text: str) -> Iterator[tuple[str, str]]:
    for detector in _detectors():
        for found in detector.analyze_string(text):
            yield str(detector.secret_type), found if isinstance(found, str) else text


@lru_cache(maxsize=1)
def _detectors() -> tuple[Any, ...]:
    # Imported here: detect-secrets costs ~0.15 s and most templates never need it.
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    found: list[Any] = []
    plugin: Any
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
