"""The table of base images whose default user is known."""

from __future__ import annotations

import pytest
from docker_standard.model.image import parse_image
from docker_standard.model.nonroot_images import TABLE, default_user, tag_version


def test_every_entry_has_a_source() -> None:
    for entry in TABLE:
        assert entry.source.startswith("https://"), entry


@pytest.mark.parametrize(
    ("reference", "tag_known", "uid"),
    [
        ("grafana/grafana:11.2.0", True, 472),
        ("docker.io/grafana/grafana:10.4.2-ubuntu", True, 472),
        ("grafana/grafana:5.0.0", True, 0),
        ("grafana/grafana:latest", True, None),
        ("grafana/grafana:11.2.0", False, None),
        ("mcr.microsoft.com/mssql/server:2019-latest", True, 10001),
        ("mcr.microsoft.com/mssql/server:2017-CU31-ubuntu-18.04", True, 0),
        ("bitnami/redis:7.4", False, 1001),
        ("bitnami/minideb:bookworm", True, None),
        ("gcr.io/distroless/static-debian12:nonroot", True, 65532),
        ("gcr.io/distroless/static-debian12:latest", True, None),
        ("cgr.dev/chainguard/node:latest-dev", True, None),
        ("python:3.12-slim", True, None),
    ],
)
def test_default_user(reference: str, tag_known: bool, uid: int | None) -> None:
    verdict = default_user(parse_image(reference), tag_known=tag_known)
    assert (verdict.uid if verdict else None) == uid


def test_tag_version() -> None:
    assert tag_version("v2.53.0") == (2, 53, 0)
    assert tag_version("2019-latest") == (2019,)
    assert tag_version("latest") is None
