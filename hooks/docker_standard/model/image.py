"""Docker image references, read the way Docker itself reads them.

The grammar and the normalisation follow ``distribution/reference`` (``regexp.go`` and
``ParseNormalizedNamed`` in ``normalize.go``), which is what both BuildKit (``FROM``) and
Compose (``image:``) call. Getting this exactly right matters to the pinning rules: in
``registry:5000/team/img`` the ``:5000`` is a port, not a tag, and ``img@sha256:…`` is pinned
although it has no tag.
"""

from __future__ import annotations

import re

from docker_standard.patterns import lazy
from docker_standard.runtime_typing import NamedTuple

# The pieces of distribution/reference's grammar, spelled as it spells them. Go's ``\w`` is
# ASCII-only, hence re.ASCII below.
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_REMOTE_NAME = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_AND_PORT = rf"(?:{_DOMAIN_NAME}|{_IPV6})(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"

_REFERENCE = lazy(
    rf"(?:({_DOMAIN_AND_PORT})/)?({_REMOTE_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII
)
_IDENTIFIER = lazy(r"[a-f0-9]{64}")

# go-digest only accepts algorithms it has registered, each with its own length.
_DIGEST_ALGORITHMS = {
    "sha256": lazy(r"[a-f0-9]{64}"),
    "sha384": lazy(r"[a-f0-9]{96}"),
    "sha512": lazy(r"[a-f0-9]{128}"),
}

_DOCKER_HUB = "docker.io"
_LEGACY_DOCKER_HUB = "index.docker.io"
_OFFICIAL_PREFIX = "library/"
_NAME_TOTAL_LENGTH_MAX = 255


class ImageRef(NamedTuple):
    """A parsed image reference.

    ``registry`` is ``None`` for Docker Hub (written or implied) and ``repository`` is Docker's
    *familiar* form: ``docker.io/library/postgres`` and ``postgres`` both give ``postgres``,
    so callers can compare names without normalising them again.
    """

    raw: str
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        """The last path component: ``postgres`` for ``docker.io/library/postgres:16``."""
        return self.repository.rsplit("/", 1)[-1]

    @property
    def pinned(self) -> bool:
        """Whether the reference names a tag or a digest (Docker adds ``:latest`` otherwise)."""
        return self.tag is not None or self.digest is not None


def parse_image(ref: str) -> ImageRef | None:
    """Parse ``ref`` as Docker does, or return ``None`` when Docker would reject it.

    Never raises: image strings come straight from user files.
    """
    if not isinstance(ref, str) or _IDENTIFIER.fullmatch(ref):
        # A bare 64-hex string is an image ID, which Docker refuses as a repository name.
        return None
    domain, remainder = _split_docker_domain(ref)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        return None
    match = _REFERENCE.fullmatch(f"{domain}/{remainder}")
    if match is None:
        return None
    registry, path, tag, digest = match.groups()
    # Docker measures the path it stores, which for an official image includes "library/".
    official = registry == _DOCKER_HUB and "/" not in path
    if len(path) + (len(_OFFICIAL_PREFIX) if official else 0) > _NAME_TOTAL_LENGTH_MAX:
        return None
    if digest is not None:
        algorithm, _, encoded = digest.partition(":")
        encoding = _DIGEST_ALGORITHMS.get(algorithm)
        if encoding is None or not encoding.fullmatch(encoded):
            return None
    if registry == _DOCKER_HUB:
        registry = None
        if path.startswith(_OFFICIAL_PREFIX) and "/" not in path[len(_OFFICIAL_PREFIX) :]:
            path = path[len(_OFFICIAL_PREFIX) :]
    return ImageRef(raw=ref, registry=registry, repository=path, tag=tag, digest=digest)


def _split_docker_domain(name: str) -> tuple[str, str]:
    """``splitDockerDomain``: decide whether the first path component is a registry."""
    first, slash, rest = name.partition("/")
    if not slash:
        # A single component is always a Docker Hub name, even "localhost" or "example.com".
        return _DOCKER_HUB, name
    if first == "localhost":
        return first, rest
    if first == _LEGACY_DOCKER_HUB:
        return _DOCKER_HUB, rest
    if "." in first or ":" in first or first.lower() != first:
        # Upper case is never valid in a repository path, so Docker reads it as a host name.
        return first, rest
    return _DOCKER_HUB, name


def tag_hidden_by(ref: ImageRef | None, marker: str) -> bool:
    """Does ``marker`` (standing in for a variable without a value) decide the tag?

    ``ref`` was parsed from a reference with the marker substituted; None means the marker made
    it unparsable. Without a tag, only a marker in the last name component could carry one.
    """
    if ref is None:
        return True
    if ref.tag is not None or ref.digest is not None:
        return marker in (ref.tag or "") or marker in (ref.digest or "")
    return marker in ref.name
