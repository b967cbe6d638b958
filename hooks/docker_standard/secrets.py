"""One judge of secrets for every rule: credential names, placeholders, passwords in URLs,
token patterns, command-line flags, and the mask every output uses.

DS107 (templates and committed ``env_file`` files), DS205 (Dockerfile ``ENV``/``ARG``), DS310
(compose files) and the cold-start log masking all ask this module, so a name or a value is
judged the same way wherever it is written. What differs is what the place makes of a
placeholder (:class:`Place`):

* in a template (or a committed env file) a placeholder is the right thing: no finding;
* in a Dockerfile it is a build-time dummy: no secret, no finding;
* in a compose file a literal credential is reported even when it is a placeholder
  (``APP_SECRET: REPLACE_ME``): each deployer would have to edit a tracked file. The verdict
  says so (:attr:`Verdict.placeholder`), and the message asks to move it to the template
  rather than to rotate it.

Public API: :func:`is_credential_name`, :func:`is_placeholder`, :func:`judge`,
:func:`command_secrets`, :func:`mask`, and :func:`redact_text` for free text such as logs.
Nothing here reads a file. detect-secrets is imported only when a value holds something long
enough to be a token (its import costs ~0.2 s).

Placeholders (:func:`is_placeholder`) are values nobody would mistake for a working
credential. After trimming, a value is one when it

* is not a secret at all (:func:`not_a_secret`): empty, only punctuation, a switch (``true``,
  ``off``, ``none``), a file path (``/run/secrets/db``, ``./certs/key.pem``), an
  authentication method under an ``…_AUTH`` name (``SMTP_AUTH=login``);
* is one character repeated (``xxxx``, ``0000``), or a run of consecutive digits (``123456``);
* references a variable (``${DB_PASSWORD}``, ``$TOKEN``): the real value comes from elsewhere;
* is wrapped in ``<...>``, ``[...]``, ``{...}``, ``{{...}}``, or is ``%NAME%``;
* contains a marker: ``changeme``/``change_me``/``change-me``, ``changethis``, ``changeit``,
  ``replaceme``, ``placeholder``, ``example``, ``dummy``, ``redacted``, ``fillme``, ``fixme``,
  ``notreal``, or an obviously made-up run (``123456``, ``abcdef``, ``qwerty``); case and
  separators are ignored, so ``AKIAIOSFODNN7EXAMPLE``, AWS's documented key, counts;
* is a credential published for local development (Azurite's account key, ``minioadmin``);
* is a masked sample: runs of ``x``, ``*`` or ``.`` (at least three) hide at least as many
  characters as the at most eight letters and digits left (``sk-xxxxxxxx``, ``ghp_****``), or
  the value ends with ``...`` (``sk-...``), or it is a bare token prefix (``sk-``, ``ghp_``);
* is a phrase: two or more lower-case words, one of them a placeholder word, no random text
  (``magical_password``, ``data encryption key with 32 char``,
  ``please_generate_a_more_secure_unique_secret_value_for_your_project``);
* is spelled entirely with words of the variable's own name (and their prefixes of four
  letters or more), of the context (the folders the file sits in and the services' names; for
  a password in a URL, the rest of the URL), of the software stacks run
  (:data:`SERVICE_WORDS`), of token prefixes (``sk``, ``whsec``, ``ghp`` …) and of a small
  vocabulary of placeholder words (:data:`PLACEHOLDER_WORDS`); digits are allowed as filler
  (fewer digits than letters, and then with a word of four letters or more), also after
  undoing leetspeak (``p@ssw0rd``, ``s3cr3t``): ``your_secret_key_here``,
  ``POSTGRES_PASSWORD=postgres``, ``mysecretpassword``, ``password123``, ``miniosecret``,
  ``sk_test_your_stripe_test_key_here``. Words may be glued together (``yoursecretkeyhere``).

The context is taken from the file's absolute folder, never from where the scan started, so
a verdict does not change with the folder a user runs the tool from.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from docker_standard.model.shell import ends_command, split_words
from docker_standard.patterns import lazy
from docker_standard.runtime_typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

# ---------------------------------------------------------------- the mask


def mask(secret: str) -> str:
    """Show at most two characters at each end of a secret: ``su****23``.

    Always four stars; values shorter than 8 characters show nothing else, so a mask never
    shows the whole value nor most of it.
    """
    if len(secret) < 8:
        return "****"
    return f"{secret[:2]}****{secret[-2:]}"


# ---------------------------------------------------------------- credential names

_NAME_WORDS = lazy(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

# The last word of a name that holds a credential (after qualifiers such as _BASE are dropped).
_SECRET_WORDS = frozenset(
    {
        "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE", "PWD", "SECRET", "SECRETS",
        "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "CREDS", "APIKEY", "ACCESSKEY",
        "SECRETKEY", "PRIVATEKEY", "AUTH", "AUTHTOKEN", "REQUIREPASS", "MASTERAUTH", "SALT",
        "HTPASSWD",
    }
)
# Run-together names: PGPASSWORD, PAPERLESS_DBPASS, MYSQLPASS, BOTTOKEN, DBPWD.
_SECRET_SUFFIXES = ("PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "PWD", "SECRET", "TOKEN", "APIKEY")
# Words that end like a credential word and are none (CACHE_BYPASS, OLDPWD).
_NOT_SECRET_WORDS = frozenset({"BYPASS", "COMPASS", "ENCOMPASS", "SURPASS", "TRESPASS", "OLDPWD"})
# ``<X>_KEY`` is a credential unless X says the key is public or not a credential at all.
_NOT_SECRET_KEYS = frozenset(
    {
        "PUBLIC", "PUBLISHABLE", "PUB", "CACHE", "SORT", "PRIMARY", "FOREIGN", "PARTITION",
        "ROUTING", "IDEMPOTENCY", "SITE", "ANON", "GPG", "PGP", "GNUPG", "HOT", "SHORTCUT",
        "LOOKUP", "MAP", "HASH", "SHARD", "LOCK", "QUEUE", "TOPIC", "VAPID", "DEDUP", "I18N",
        "TRANSLATION", "OBJECT", "BUCKET", "S3", "PREFIX", "INDEX", "REDIS", "STORAGE", "ID",
    }
)
# Trailing words that qualify a credential without changing what it is (SECRET_KEY_BASE).
_KEEP_QUALIFIERS = frozenset(
    {
        "BASE", "VALUE", "HASH", "HASHED", "PLAIN", "RAW", "B64", "BASE64", "HEX", "ENCODED",
        "OLD", "NEW", "CURRENT", "PRIMARY", "SECONDARY", "FALLBACK",
    }
)


def name_words(name: str) -> list[str]:
    """``OPENAI_API_KEY`` -> OPENAI, API, KEY; ``dbPassword`` -> DB, PASSWORD."""
    return [word.upper() for word in _NAME_WORDS.findall(name)]


def is_credential_name(name: str) -> bool:
    """Does ``name`` (a variable, a label, a flag) hold a credential?

    Yes: ``POSTGRES_PASSWORD``, ``apiKey``, ``STRIPE_KEY``, ``SECRET_KEY_BASE``, ``SMTP_AUTH``,
    ``REDIS_REQUIREPASS``, ``PGPASSWORD``, ``PAPERLESS_DBPASS``, ``--requirepass``. No:
    ``POSTGRES_PASSWORD_FILE``, ``TOKEN_URL``, ``DB_USER``, ``API_KEY_HEADER``,
    ``AWS_ACCESS_KEY_ID``, ``PASSWORD_MIN_LENGTH``, ``CACHE_KEY``, ``GPG_KEY``, ``PWD``. The
    credential word must end the name (qualifiers such as ``_BASE`` and digits aside), so a
    word after it (``_FILE``, ``_TTL``) makes the name describe a credential, not hold one.
    """
    words = name_words(name)
    while len(words) > 1 and (words[-1] in _KEEP_QUALIFIERS or words[-1].isdigit()):
        words.pop()
    if not words:
        return False
    last = words[-1]
    if last == "PWD" and len(words) == 1:
        return False  # the working directory
    if last in _SECRET_WORDS:
        return True
    if last.endswith(_SECRET_SUFFIXES) and last not in _NOT_SECRET_WORDS:
        return True
    if last == "KEY" and len(words) > 1:
        return words[-2] not in _NOT_SECRET_KEYS and not words[-2].isdigit()
    # traefik.http.middlewares.x.basicauth.users: htpasswd lines
    return last == "USERS" and any(w in ("BASICAUTH", "DIGESTAUTH") for w in words)


# ---------------------------------------------------------------- values that are no secret

# Values that switch a feature rather than hold a credential (MYSQL_ALLOW_EMPTY_PASSWORD: yes).
_SWITCHES = frozenset(
    {
        "true", "false", "yes", "no", "on", "off", "none", "null", "nil", "~", "0", "1",
        "enabled", "disabled", "n/a", "na", "undefined",
    }
)
# Values an ``…_AUTH`` name takes that name a method, not a secret (SMTP_AUTH: login).
_AUTH_METHODS = frozenset(
    {
        "login", "plain", "basic", "bearer", "digest", "oauth", "oauth2", "oidc", "ldap", "saml",
        "trust", "md5", "scram-sha-256", "cram-md5", "password", "token", "jwt", "required",
        "optional", "internal", "none",
    }
)
_PATH = lazy(r"(?:/|\./|\.\./|~/)[\w.@+\-/]*")
# A relative path to a key or config file (``certs/elasticsearch-key.pem``): folders, then a
# name with an extension that names a file type.
_RELATIVE_FILE = lazy(r"(?:[\w.@+\-]+/)+[\w.@+\-]+\.([A-Za-z0-9]{2,10})")
_FILE_TYPES = frozenset(
    {
        "pem", "key", "crt", "cer", "cert", "der", "csr", "p12", "pfx", "jks", "keystore",
        "truststore", "pub", "gpg", "asc", "json", "yaml", "yml", "toml", "ini", "conf", "cfg",
        "xml", "txt", "env", "properties",
    }
)


def not_a_secret(value: str, name: str = "") -> bool:
    """Is ``value`` no credential wherever it is written: empty, punctuation, a switch, a file
    path (``GOOGLE_APPLICATION_CREDENTIALS=/run/app/key.json``), an auth method?"""
    text = value.strip()
    lowered = text.lower()
    if not any(ch.isalnum() for ch in text) or lowered in _SWITCHES:
        return True
    if name_words(name)[-1:] == ["AUTH"] and lowered in _AUTH_METHODS:
        return True
    relative = _RELATIVE_FILE.fullmatch(text)
    if relative is not None and relative.group(1).lower() in _FILE_TYPES:
        return True
    # A path, not a base64 string that happens to start with '/': path segments are words.
    return bool(_PATH.fullmatch(text)) and not _high_entropy(text.replace("/", ""))


# ---------------------------------------------------------------- placeholders

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
        "output", "from", "chars", "char", "characters", "bytes", "least", "minimum", "length",
        "webhook", "encryption", "please", "more", "secure", "unique", "project", "data", "live",
        "server", "invalid", "unset",
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
        "jenkins", "wordpress", "wp", "neo4j", "stripe", "openai", "github", "slack", "aws",
    )
)
# The prefixes real tokens start with: a sample spelled ``sk_test_your_key_here`` is none.
TOKEN_PREFIXES = frozenset(
    (
        "sk", "pk", "rk", "whsec", "ghp", "gho", "ghs", "ghu", "ghr", "glpat", "xoxb", "xoxp",
        "xoxa", "xapp", "akia", "proj", "npm", "pypi", "hf", "sg", "ak", "ya29",
    )
)
_FIXED_WORDS = PLACEHOLDER_WORDS | SERVICE_WORDS | TOKEN_PREFIXES
_SAMPLE_WORD = lazy(r"[a-z]{1,16}")
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
_WRAPPED = lazy(r"<[^<>]*>|\[[^\[\]]*\]|\{\{.*\}\}|\{[^{}]*\}|%[A-Z_][A-Z0-9_]*%", re.DOTALL)
_MASK_RUNS = lazy(r"x{3,}|X{3,}|\*{3,}|\.{3,}|…")
_DIGITS = "01234567890123456789"
_ENV_NAME = lazy(r"[A-Z_][A-Z0-9_]*")
_LEET = str.maketrans("013457@$", "oleastas")  # p@ssw0rd, s3cr3t
# ASCII classes rather than re.IGNORECASE, which compiles four times slower (Unicode folding)
# and would only add the Kelvin sign, the long s and the dotless i.
_BARE_PREFIX = lazy(r"([A-Za-z0-9]+)[-_]?")
_PHRASE = lazy(r"[a-z]+(?:[ _\-.][a-z0-9]+)+")
_PHRASE_MARKS = frozenset(
    {
        "password", "passwd", "secret", "key", "token", "your", "here", "generate", "change",
        "replace", "insert", "enter", "placeholder", "value", "please", "unique", "random",
    }
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _NAME_WORDS.findall(text)]


def is_placeholder(
    value: str, name: str = "", *, interpolated: bool = True, context: Iterable[str] = ()
) -> bool:
    """Is ``value`` (given to ``name``) an obvious placeholder, or no secret at all?

    The module docstring lists every form this accepts. ``interpolated`` is False for
    single-quoted env values, where ``$`` is a literal character, not a reference.
    ``context`` adds words a value may be spelled with (folder and service names).
    """
    text = value.strip()
    if not_a_secret(text, name) or text in _PUBLIC_VALUES:
        return True
    if len(set(text)) == 1 or (text.isdigit() and len(text) >= 3 and text in _DIGITS):
        return True
    if _WRAPPED.fullmatch(text):
        return True
    if interpolated and "$" in text:
        literal = _without_references(text)
        if literal != text:
            # Judge what is written around the references: ``${DB_PASSWORD}`` leaves nothing.
            return is_placeholder(literal, name, interpolated=False, context=context)
    lower = text.lower()
    compact = re.sub(r"[^a-z0-9]", "", lower)
    if any(marker in compact for marker in _MARKERS):
        return True
    masked = sum(len(run) for run in _MASK_RUNS.findall(text))
    left = len(re.sub(r"[^A-Za-z0-9]", "", _MASK_RUNS.sub("", text)))
    if masked and left <= 8 and (masked >= left or text.endswith(("...", "…"))):
        return True
    bare = _BARE_PREFIX.fullmatch(text)
    if bare and bare.group(1).lower() in TOKEN_PREFIXES:
        return True  # ``sk-``: the start of a key, the rest left for the user
    if _is_phrase(lower):
        return True
    known = _vocabulary(name, tuple(context))
    if _spelled_with_known_words(lower, known):
        return True
    # Leetspeak only where letters dominate: random hex or digits must not turn into words.
    letters = sum(ch.isalpha() for ch in lower)
    alnum = sum(ch.isalnum() for ch in lower)
    return letters * 3 >= alnum * 2 and _spelled_with_known_words(lower.translate(_LEET), known)


def _is_phrase(lower: str) -> bool:
    """Words a person wrote as an instruction or a sample (``magical_password``, ``data
    encryption key with 32 char``), not random text: all lower case, every word with a vowel,
    numbers only as short words, one word from the placeholder vocabulary."""
    if not _PHRASE.fullmatch(lower):
        return False
    parts = re.split(r"[ _\-.]", lower)
    for part in parts:
        if part.isdigit():
            if len(part) > 4:
                return False
        elif not part.isalpha() or not re.search(r"[aeiouy]", part) or len(part) > 16:
            return False
    return any(part in _PHRASE_MARKS for part in parts)


@lru_cache(maxsize=512)
def _context_words(context: tuple[str, ...]) -> frozenset[str]:
    """Words of the context (folders, services, images) with their prefixes of four letters or
    more. Cached: one stack's values all share its context."""
    return frozenset(_with_prefixes(context))


@lru_cache(maxsize=4096)
def _vocabulary(name: str, context: tuple[str, ...]) -> frozenset[str]:
    """Every word a placeholder under ``name`` may be spelled with: the fixed vocabulary, the
    name's words and the context's (``SONARQUBE_PASSWORD=sonarPass``)."""
    return _FIXED_WORDS | _context_words(context) | frozenset(_with_prefixes((name,)))


def _with_prefixes(texts: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        for word in _words(text):
            words.add(word)
            words.update(word[:end] for end in range(4, len(word)))
    return words


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


def _spelled_with_known_words(lower: str, vocabulary: frozenset[str]) -> bool:
    parts = re.findall(r"[a-z]+", lower)
    # Digits are filler (password123), but not the bulk of the value (a02a3715 is random hex).
    if not parts or sum(map(len, parts)) < sum(ch.isdigit() for ch in lower):
        return False
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


# ---------------------------------------------------------------- the judge


class Place(enum.Enum):
    """Where a value is written, which decides what a placeholder there means."""

    TEMPLATE = "template"  # .env.example & co, and committed env files used by env_file
    DOCKERFILE = "dockerfile"  # ENV / ARG
    COMPOSE = "compose"  # environment, labels, build.args, command lines


class Verdict(NamedTuple):
    """Why a value holds a credential. ``reason`` never contains the value unmasked."""

    reason: str  # "a literal value", "a password inside a URL", "what looks like a …"
    placeholder: bool = False  # a stand-in to be replaced (reported in compose files only)
    variable: str | None = None  # the ``${VARIABLE}`` whose default holds it

    def describe(self) -> str:
        """The reason as a message phrase: ``a literal value as the default of ${PW}``."""
        if self.variable is None:
            return self.reason
        return f"{self.reason} as the default of ${{{self.variable}}}"


_MARK = "\x00"  # stands for an interpolated reference
_SHELL_ONLY = lazy(r"\$(\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")
# The user and password of ``scheme://user:password@host`` (an empty user name included).
_URL_PASSWORD = lazy(r"\b[A-Za-z][A-Za-z0-9+.\-]*://([^\s:/?#@\[\]]*):([^\s@/]+)@")
_TOKEN = lazy(r"[A-Za-z0-9+/=_\-]{20,}")
_TOKEN_SPLIT = lazy(r"[\s/:@?&=#,;\"'`()\[\]{}<>|]+")
# Names that declare their value public (``STRIPE_PUBLISHABLE_KEY``, ``NEXT_PUBLIC_...``): only
# detect-secrets' own patterns (which know ``sk_live_`` from ``pk_live_``) judge those.
_PUBLIC_WORDS = frozenset({"PUBLIC", "PUBLISHABLE", "PUB", "ANON"})
_MAX_DEFAULT_DEPTH = 8  # ${A:-${B:-...}} nested deeper than this is not searched further


def judge(
    name: str,
    value: str,
    place: Place,
    *,
    context: Iterable[str] = (),
    interpolated: bool = True,
) -> Verdict | None:
    """Does ``value``, given to ``name`` (``""`` when it has none) at ``place``, hold a
    credential? ``None`` when it does not, or when it is a placeholder where placeholders are
    fine (templates, Dockerfiles).

    ``context``: words a placeholder may be spelled with (:func:`context_of`).
    ``interpolated``: False for single-quoted env values, where ``$`` is literal.
    """
    context = tuple(context)
    if place is Place.TEMPLATE:
        return _judge_template(name, value, interpolated, context)
    return _judge_literal(name, value, place, context, 0)


def context_of(absolute_folder: str, *names: str) -> tuple[str, ...]:
    """The words a sample value may be spelled with: every folder of the file's absolute
    path (the project's own name among them, wherever the scan started) and ``names`` (the
    services' names and images: ``bitnami`` for ``bitnami/redis``)."""
    return (*[part for part in absolute_folder.split("/") if part], *names)


def stack_words(services: Iterable[Any]) -> list[str]:
    """The names and image names of ``services`` (compose ``Service`` objects), for
    :func:`context_of`. Variables in an image stay out (``${REGISTRY}/app``)."""
    words: list[str] = []
    for service in services:
        words.append(service.name)
        image = service.image or ""
        words.extend(re.findall(r"[A-Za-z][A-Za-z0-9]*", re.sub(r"\$\{[^}]*\}", "", image)))
    return words


def _judge_template(
    name: str, value: str, interpolated: bool, context: tuple[str, ...]
) -> Verdict | None:
    if is_placeholder(value, name, interpolated=interpolated, context=context):
        return None
    text = value.strip()
    for match in _URL_PASSWORD.finditer(text):
        # The rest of the URL is context: postgres://postgres:postgres@db/postgres.
        around = (text[: match.start(2)], text[match.end(2) :], *context)
        if not is_placeholder(match.group(2), name, context=around):
            return Verdict("a password inside a URL")
    for kind, found in _detections(text):
        if kind == "Private Key" or not is_placeholder(found, name, context=context):
            return Verdict(f"a credential detect-secrets recognises ({kind})")
    if _SAMPLE_WORD.fullmatch(text):
        # One lower-case word (`plane`, `hunter`): the sample a template gives, whatever folder
        # the scan starts from; a generated credential is longer, mixed or random.
        return None
    if is_credential_name(name):
        return Verdict("a literal value under a credential name")
    if (
        _TOKEN.fullmatch(text)
        and _high_entropy(text)
        and not _PUBLIC_WORDS & set(name_words(name))
    ):
        return Verdict("a high-entropy string")
    return None


def _judge_literal(
    name: str, text: str, place: Place, context: tuple[str, ...], depth: int
) -> Verdict | None:
    """Compose and Dockerfile values: only the literal parts count, and a literal default of a
    reference (``${PW:-hunter2}``) is judged under the variable it is the default of."""
    compose = place is Place.COMPOSE
    credential = bool(name) and is_credential_name(name)
    masked = _masked(text)
    if credential and _literal(masked) and not not_a_secret(masked, name):
        placeholder = is_placeholder(masked, name, interpolated=False, context=context)
        if compose or not placeholder:
            return Verdict("a literal value", placeholder)
    for match in _URL_PASSWORD.finditer(masked):
        password = match.group(2)
        if not _literal(password):
            continue
        around = (masked[: match.start(2)], masked[match.end(2) :], *context)
        placeholder = is_placeholder(password, name, interpolated=False, context=around)
        if compose or not placeholder:
            return Verdict("a connection string with a literal password", placeholder)
    for segment in masked.split(_MARK):
        for kind, token in _detections(segment):
            # A private key's match is its header; the key itself is no placeholder.
            placeholder = kind != "Private Key" and is_placeholder(
                token, name, interpolated=False, context=context
            )
            if compose or not placeholder:
                return Verdict(f"what looks like a {kind} ({mask(token)})", placeholder)
    if depth >= _MAX_DEFAULT_DEPTH:
        return None
    from docker_standard.model.interpolation import references

    refs = references(text)
    whole = len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(text.strip())
    for ref in refs:
        if ref.nested or ref.operator not in ("-", ":-") or not ref.argument:
            continue
        # ``${PW:-x}`` alone under a credential name: x is that credential. Inside a larger
        # value (``${USER-neo4j}/${PASSWORD-password}``) each default is its own variable's.
        inner_name = name if whole and credential else ref.name
        inner = _judge_literal(inner_name, ref.argument, place, context, depth + 1)
        if inner is not None:
            return Verdict(inner.reason, inner.placeholder, inner.variable or ref.name)
    return None


def _masked(text: str) -> str:
    """``text`` with every Compose reference replaced by a mark and ``$$`` made ``$``."""
    if "$" not in text:
        return text
    from docker_standard.model.interpolation import substitute

    return substitute(text, lambda _name: _MARK).value


def _literal(value: str, *, shell: bool = False) -> bool:
    """A value that reaches the container as written: no interpolation, and not merely a
    shell reference such as ``$$DB_PASSWORD`` (a shell or entrypoint expands that). In a
    command line (``shell``) any ``$`` or backquote left after interpolation is a shell
    expansion (``"$$(cat $$PASSWORD_FILE)"``), so the value is computed at run time."""
    value = value.strip()
    if not value or _MARK in value or _SHELL_ONLY.fullmatch(value):
        return False
    return not (shell and ("$" in value or "`" in value))


# ---------------------------------------------------------------- detect-secrets


def _detections(text: str) -> Iterator[tuple[str, str]]:
    """(kind, matched token) for each of detect-secrets' pattern detectors that fires.

    Its entropy and keyword plugins are left out (names are judged above, and entropy on
    single values flags words like 'hello world'). detect-secrets is imported only when
    some run of the text is long enough to hold a token.
    """
    if "PRIVATE KEY" not in text and not _token_like(text):
        return
    for detector in _detectors():
        for pattern in detector.denylist:
            for match in pattern.finditer(text):
                # The captured secret where the pattern captures one (an AWS secret after its
                # keyword), else the whole match: GitHub's pattern captures only ``ghp``.
                groups = [g for g in match.groups() if isinstance(g, str) and len(g) >= 8]
                yield str(detector.secret_type), max(groups, key=len, default=match.group(0))


def _token_like(text: str) -> bool:
    """Could a detector match here? Tokens are long runs mixing letters and digits; URL and
    path punctuation splits runs, so `http://localhost:8000/health` costs no import."""
    for part in _TOKEN_SPLIT.split(text):
        if len(part) >= 16 and any(c.isdigit() for c in part) and any(c.isalpha() for c in part):
            return True
    return False


# Detectors whose hits are not credentials, or that this module does better itself (names,
# entropy, passwords in URLs).
_SKIPPED_DETECTORS = frozenset(
    {
        "IPPublicDetector", "KeywordDetector", "Base64HighEntropyString",
        "HexHighEntropyString", "BasicAuthDetector",
    }
)


@lru_cache(maxsize=1)
def _detectors() -> tuple[Any, ...]:
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
    if not text:
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", text):
        entropy = _shannon(text)
        if text.isdigit() and len(text) > 1:  # detect-secrets lowers all-digit strings likewise
            entropy -= 1.2 / math.log2(len(text))
        return entropy > 3.0
    return _shannon(text) > 4.5


def _shannon(text: str) -> float:
    counts = {ch: text.count(ch) for ch in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


# ---------------------------------------------------------------- command lines

# Programs whose short flag takes a password: redis-cli -a x; mysql -px (attached only: a
# separate word after -p is the database); mongosh -p x; sshpass -p x.
_SHORT_FLAGS: dict[str, tuple[str, bool]] = {}
for _program in ("redis-cli", "valkey-cli", "keydb-cli"):
    _SHORT_FLAGS[_program] = ("-a", False)
for _program in (
    "mysql", "mysqladmin", "mysqldump", "mysqlcheck", "mysqlshow", "mysqlimport",
    "mariadb", "mariadb-admin", "mariadb-dump", "mariadb-check", "mariadb-show",
):
    _SHORT_FLAGS[_program] = ("-p", True)
for _program in ("mongosh", "mongo", "mongodump", "mongorestore", "mongoexport", "mongoimport",
                 "mongostat", "mongotop", "sshpass"):
    _SHORT_FLAGS[_program] = ("-p", False)
_ASSIGNMENT = lazy(r"[A-Za-z_][A-Za-z0-9_]*=")
_FLAG = lazy(r"[A-Za-z][A-Za-z0-9_.\-]*")  # what a message may name: never a value


def command_secrets(
    items: Sequence[str], *, exec_form: bool = False, context: Iterable[str] = ()
) -> Iterator[tuple[int, Verdict]]:
    """Credentials written into a command line, as (index of the item holding the value,
    verdict): ``--password=x``, ``--requirepass x``, ``PGPASSWORD=x``, ``redis-cli -a x``,
    ``mysql -px``, ``mongosh -p x``, connection strings and tokens.

    ``items`` is one shell string, or (``exec_form``) the argv list of an exec-form command,
    where a flag and its value are two items (``["--password", "x"]``); an item that is itself
    a shell line (``sh -c "..."``) is read word by word too. One verdict per item at most.
    """
    context = tuple(context)
    reported: set[int] = set()
    for index, text in enumerate(items):
        found = _judge_literal("", text, Place.COMPOSE, context, 0)
        if found is not None:
            reported.add(index)
            yield index, found
    words: list[tuple[str, int]] = []
    for index, text in enumerate(items):
        masked = _masked(text)
        if exec_form and not any(ch.isspace() for ch in masked):
            words.append((masked, index))
            continue
        if exec_form:
            # A shell line inside an exec-form item: its words pair among themselves.
            for at, verdict in _flag_secrets([(w, index) for w in split_words(masked)], context):
                if at not in reported:
                    reported.add(at)
                    yield at, verdict
            words.append((masked, index))
        else:
            words.extend((w, index) for w in split_words(masked))
    for at, verdict in _flag_secrets(words, context):
        if at not in reported:
            reported.add(at)
            yield at, verdict


def _flag_secrets(
    words: list[tuple[str, int]], context: tuple[str, ...]
) -> Iterator[tuple[int, Verdict]]:
    program = ""
    for position, (word, index) in enumerate(words):
        following = words[position + 1] if position + 1 < len(words) else None
        name, value, at = "", "", index
        short = _SHORT_FLAGS.get(program)
        if short is not None and word.startswith(short[0]) and not word.startswith("--"):
            name = f"{program} {short[0]}"
            if len(word) > len(short[0]):
                value = word[len(short[0]) :]
            elif not short[1] and following is not None:
                value, at = following
        elif word.startswith("-"):
            flag, sep, rest = word.lstrip("-").partition("=")
            if not _FLAG.fullmatch(flag) or not is_credential_name(flag):
                continue
            name = flag
            if sep:
                value = rest
            elif following is not None and not following[0].startswith("-"):
                value, at = following
        elif _ASSIGNMENT.match(word):
            name, _, value = word.partition("=")
            if not is_credential_name(name):
                continue
        else:
            # The program the next short flags belong to, until the shell starts another.
            base = word.lstrip("$(`").rsplit("/", 1)[-1]
            if base in _SHORT_FLAGS:
                program = base
            elif ends_command(base) or base.endswith(";"):
                program = ""
            continue
        if not name or not _literal(value, shell=True) or not_a_secret(value, name):
            continue
        placeholder = is_placeholder(value, name, interpolated=False, context=context)
        yield at, Verdict(f"a literal value for {name}", placeholder)


# ---------------------------------------------------------------- free text (logs)

# Words that follow a credential's name in tools' own messages ("API_TOKEN: required variable
# … is missing a value", "password: not set"), never its value.
_MESSAGE_WORDS = frozenset(
    {"required", "missing", "invalid", "unset", "empty", "not", "is", "must", "should", "was"}
)
_NAMED_VALUE = lazy(
    r"(?P<name>--?[A-Za-z][A-Za-z0-9_.\-]*|\b[A-Za-z_][A-Za-z0-9_.\-]*)"
    r"(?P<sep>\s*[=:]\s*|\s+)(?P<quote>[\"']?)(?P<value>[^\s\"',;&|\-][^\s\"',;&|]*)"
)


def redact_text(text: str, known: Iterable[str] = ()) -> str:
    """``text`` (a log line, a command's output) with every credential it shows masked: the
    ``known`` values (those a run put into ``.env``), passwords inside URLs, values after a
    credential name (``PASSWORD=x``, ``password: x``, ``--password x``) and tokens that
    detect-secrets recognises. For output that may echo a secret, such as container logs."""
    for value in sorted({v.strip() for v in known}, key=len, reverse=True):
        if len(value) >= 4 and not not_a_secret(value):
            text = text.replace(value, mask(value))
    text = _URL_PASSWORD.sub(
        lambda m: m.group(0)[: m.start(2) - m.start(0)] + mask(m.group(2)) + "@", text
    )

    # A manual scan: after a name that is no credential, the next name may start right in
    # what looked like its value ("config: password: x").
    position = 0
    while (match := _NAMED_VALUE.search(text, position)) is not None:
        name, value = match.group("name"), match.group("value")
        assignment = not match.group("sep").isspace() or name.startswith("-")
        if (
            assignment  # "password is wrong" in prose is no assignment
            and is_credential_name(name.lstrip("-"))
            and value.lower() not in _MESSAGE_WORDS
            and not not_a_secret(value, name)
            and "*" not in value
        ):
            shown = mask(value)
            text = text[: match.start("value")] + shown + text[match.end("value") :]
            position = match.start("value") + len(shown)
        else:
            position = match.end("name")
    for _kind, token in list(_detections(text)):
        text = text.replace(token, mask(token))
    return text
