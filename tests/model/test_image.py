"""Image references as distribution/reference parses them (what BuildKit and Compose call)."""

from __future__ import annotations

import pytest
from docker_standard.model.image import ImageRef, parse_image
from hypothesis import given
from hypothesis import strategies as st

SHA256 = "sha256:" + "a" * 64
SHA512 = "sha512:" + "0123456789abcdef" * 8


@pytest.mark.parametrize(
    ("ref", "registry", "repository", "tag", "digest"),
    [
        pytest.param("postgres", None, "postgres", None, None, id="official image"),
        pytest.param("postgres:16", None, "postgres", "16", None, id="official image with tag"),
        pytest.param(
            "docker.io/library/postgres:16",
            None,
            "postgres",
            "16",
            None,
            id="docker.io spelled out",
        ),
        pytest.param(
            "index.docker.io/library/postgres", None, "postgres", None, None, id="legacy hub host"
        ),
        pytest.param("library/postgres:16", None, "postgres", "16", None, id="library/ prefix"),
        pytest.param("docker.io/team/img", None, "team/img", None, None, id="hub namespace"),
        pytest.param(
            "docker.io/library/a/b", None, "library/a/b", None, None, id="library/ kept when nested"
        ),
        pytest.param("team/img:1.0", None, "team/img", "1.0", None, id="namespace with tag"),
        pytest.param(
            "registry:5000/team/img", "registry:5000", "team/img", None, None, id="port not a tag"
        ),
        pytest.param(
            "registry:5000/team/img:1.2",
            "registry:5000",
            "team/img",
            "1.2",
            None,
            id="port and tag",
        ),
        pytest.param("ghcr.io/org/app:v1", "ghcr.io", "org/app", "v1", None, id="dotted registry"),
        pytest.param("localhost/app", "localhost", "app", None, None, id="localhost registry"),
        pytest.param(
            "localhost:5000/app:dev", "localhost:5000", "app", "dev", None, id="localhost with port"
        ),
        pytest.param(
            "localhost:5000", None, "localhost", "5000", None, id="single component is hub"
        ),
        pytest.param("[::1]:5000/app:1", "[::1]:5000", "app", "1", None, id="ipv6 registry"),
        pytest.param("MyRegistry/app", "MyRegistry", "app", None, None, id="upper-case host"),
        pytest.param("img@" + SHA256, None, "img", None, SHA256, id="digest only"),
        pytest.param("img:1.2@" + SHA256, None, "img", "1.2", SHA256, id="tag and digest"),
        pytest.param(
            "ghcr.io/o/img@" + SHA512, "ghcr.io", "o/img", None, SHA512, id="sha512 digest"
        ),
        pytest.param("python:3.12-slim", None, "python", "3.12-slim", None, id="typical"),
        pytest.param("my_org/my-app__x:TAG_1", None, "my_org/my-app__x", "TAG_1", None, id="seps"),
        pytest.param("a" * 247, None, "a" * 247, None, None, id="longest official name"),
    ],
)
def test_parses_like_docker(
    ref: str, registry: str | None, repository: str, tag: str | None, digest: str | None
) -> None:
    assert parse_image(ref) == ImageRef(
        raw=ref, registry=registry, repository=repository, tag=tag, digest=digest
    )


@pytest.mark.parametrize(
    "ref",
    [
        "",
        "Postgres",
        "postgres:",
        ":16",
        "team/Img",
        "registry:5000/Team/img",
        "a//b",
        "-img",
        "img-",
        "img:-tag",
        "img:" + "t" * 129,
        "img@sha256:abc",
        "img@md5:" + "a" * 32,
        "img@sha256:" + "A" * 64,
        "img:tag@",
        "a" * 64,
        "${BASE}",
        "python:${VERSION}",
        "a b",
        "http://ghcr.io/x",
        "img:1.0 ",
        "a" * 248,
        "ghcr.io/" + "a" * 256,
    ],
)
def test_rejects_what_docker_rejects(ref: str) -> None:
    assert parse_image(ref) is None


@pytest.mark.parametrize(
    ("ref", "name", "pinned"),
    [
        ("docker.io/library/postgres:16", "postgres", True),
        ("registry:5000/team/img", "img", False),
        ("img@" + SHA256, "img", True),
        ("img:1.2@" + SHA256, "img", True),
        ("ghcr.io/a/b/c:latest", "c", True),
        ("redis", "redis", False),
    ],
)
def test_name_and_pinned(ref: str, name: str, pinned: bool) -> None:
    image = parse_image(ref)
    assert image is not None
    assert image.name == name
    assert image.pinned is pinned


@given(st.text())
def test_never_raises(text: str) -> None:
    image = parse_image(text)
    if image is not None:
        assert image.raw == text
        assert image.pinned == (image.tag is not None or image.digest is not None)


_COMPONENT = st.text(alphabet="abz019", min_size=1, max_size=6)
_TAG = st.tuples(st.sampled_from("aZ9_"), st.text(alphabet="aZ9_.-", max_size=8)).map("".join)


@given(
    st.sampled_from([None, "ghcr.io", "registry:5000", "localhost", "docker.io"]),
    st.lists(_COMPONENT, min_size=1, max_size=3),
    st.none() | _TAG,
)
def test_composed_references_split_back(
    registry: str | None, components: list[str], tag: str | None
) -> None:
    ref = "/".join(([registry] if registry else []) + components) + (f":{tag}" if tag else "")
    image = parse_image(ref)
    assert image is not None
    expected_registry = None if registry in (None, "docker.io") else registry
    assert image.registry == expected_registry
    assert image.repository == "/".join(components)
    assert image.tag == tag
    assert image.name == components[-1]


@pytest.mark.parametrize(
    ("reference", "hidden"),
    [
        ("postgres:MARK", True),  # the variable is the tag
        ("postgres:16", False),  # the variable sat elsewhere
        ("postgresMARK", True),  # untagged: a variable in the name may still carry a tag
        ("MARK/app", False),  # a variable in the registry part decides nothing about the tag
        ("app@sha256:MARK", True),
    ],
)
def test_tag_hidden_by(reference: str, hidden: bool) -> None:
    from docker_standard.model.image import tag_hidden_by

    marker = "mark"
    ref = parse_image(reference.replace("MARK", marker))
    assert tag_hidden_by(ref, marker) is hidden


def test_tag_hidden_by_an_unparsable_reference() -> None:
    from docker_standard.model.image import tag_hidden_by

    assert tag_hidden_by(None, "mark") is True
