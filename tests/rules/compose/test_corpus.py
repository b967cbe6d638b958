"""The compose rules over the real-world corpus (../shared/corpus): no crash, overlays judged
merged, and a few hand-reviewed files with exactly the findings we expect.

The corpus holds compose, env and ignore files but no Dockerfiles or scripts, so findings that
depend on them (DS314 paths, DS301 for services that `build:`) say nothing here; the table
below therefore names, per file, the codes it pins down.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import shared
from docker_standard.check import check_project
from docker_standard.config import Settings
from docker_standard.findings import Finding
from docker_standard.model.loading import load_project
from docker_standard.model.project import Project


@pytest.fixture(scope="module")
def corpus() -> Path:
    return shared("corpus")


@pytest.fixture(scope="module")
def findings(corpus: Path) -> list[Finding]:
    report = check_project([str(corpus)], select=("DS3", "DS001"))
    return list(report.findings)


@pytest.fixture(scope="module")
def project(corpus: Path) -> Project:
    return load_project(corpus, Settings(), is_repo=False)


def test_every_stack_is_checked_without_an_exception(findings: list[Finding]) -> None:
    codes = {f.code for f in findings}
    # Not a count to keep in step with the corpus: every area of the catalogue is exercised.
    assert {"DS301", "DS302", "DS305", "DS306", "DS309", "DS310"} <= codes
    assert all(f.span.path and f.span.line >= 1 for f in findings), "a finding without a place"


def _patched_services(project: Project) -> Iterator[tuple[str, str, int]]:
    """(overlay path, service, line of its key) for each service an overlay (or override)
    only adds to: the base defines it too."""
    for stack in project.stacks:
        base_names = set(stack.services)
        for overlay in [*stack.overlays, *([stack.override] if stack.override else [])]:
            services = overlay.services
            for name in services:
                if name in base_names and stack.base.services.get(name) is not None:
                    yield overlay.path, name, services.key_span(name).line


def test_overlays_are_never_judged_alone(project: Project, findings: list[Finding]) -> None:
    patched = list(_patched_services(project))
    # Make sure the check bites: judged alone, many of these would lack an image,
    # a healthcheck or a restart policy.
    alone = []
    for path, name, _line in patched:
        overlay = project.compose_file(path, "overlay")
        assert overlay is not None
        keys = set(overlay.services[name])
        if not keys & {"image", "build"} or "healthcheck" not in keys or "restart" not in keys:
            alone.append((path, name))
    assert len(alone) >= 10, "the corpus no longer has overlays that only patch services"
    lines = {(path, line) for path, _name, line in patched}
    wrong = [
        f for f in findings
        if (f.span.path, f.span.line) in lines
        and (
            f.code in ("DS301", "DS305")
            or (f.code == "DS306" and "neither `image:` nor `build:`" in f.message)
        )
    ]
    assert wrong == [], "\n".join(f"{f.span.path}:{f.span.line} {f.code} {f.message}"
                                  for f in wrong)


# (file, codes this entry pins down, the exact (code, line) findings expected there)
REVIEWED: list[tuple[str, tuple[str, ...], list[tuple[str, int]]]] = [
    # WordPress + MariaDB: no healthchecks, default network, literal passwords, wordpress:latest.
    # Not reported: db keeps /var/lib/mysql in the named volume db_data (DS307), it only
    # `expose`s 3306 (DS311), both services have `restart: always` (DS305).
    (
        "awesome-compose/wordpress-mysql/compose.yaml",
        ("DS301", "DS305", "DS306", "DS307", "DS309", "DS310", "DS311"),
        [("DS301", 2), ("DS309", 2), ("DS310", 12), ("DS310", 15), ("DS301", 19),
         ("DS309", 19), ("DS306", 20), ("DS310", 27)],
    ),
    # The official postgres example: untagged images, data in the container layer, a literal
    # password. `restart: always` everywhere; adminer (not stateful) may publish 8080.
    (
        "docker-library/docs/postgres/compose.yaml",
        ("DS301", "DS305", "DS306", "DS307", "DS310", "DS311"),
        [("DS301", 5), ("DS307", 5), ("DS306", 6), ("DS310", 17), ("DS301", 19), ("DS306", 20)],
    ),
    # Saleor: short depends_on lists, :latest and untagged images, postgres and valkey
    # published on all interfaces, a literal POSTGRES_PASSWORD (POSTGRES_USER is no secret).
    # Every volume and network is declared; library/postgres:15-alpine is pinned; data sits in
    # named volumes; the env_files are committed.
    (
        "apps/saleor-platform/docker-compose.yml",
        ("DS302", "DS305", "DS306", "DS307", "DS308", "DS309", "DS310", "DS311", "DS313"),
        [("DS302", 12), ("DS302", 13), ("DS302", 14), ("DS309", 25), ("DS306", 26),
         ("DS311", 34), ("DS310", 43), ("DS311", 48), ("DS302", 65), ("DS302", 66),
         ("DS306", 72), ("DS306", 85)],
    ),
    # healthchecks: `env_file: [.env]` with a committed .env.example (the Standard's own
    # pattern), no restart policies, a short depends_on. `$DB_PASSWORD` is interpolated, so
    # DS310 stays silent; postgres:16 keeps its data in the named volume db-data.
    (
        "apps/healthchecks/docker/docker-compose.yml",
        ("DS302", "DS305", "DS306", "DS307", "DS309", "DS310", "DS313"),
        [("DS305", 5), ("DS309", 5), ("DS305", 12), ("DS309", 12), ("DS313", 20),
         ("DS302", 27)],
    ),
    # dockprom: grafana/caddy admin passwords as interpolation defaults (`${ADMIN_PASSWORD:-admin}`,
    # a bcrypt hash as a default), cAdvisor privileged. Every image is pinned.
    (
        "apps/dockprom/docker-compose.yml",
        ("DS306", "DS310", "DS312"),
        [("DS312", 71), ("DS310", 97), ("DS310", 131), ("DS310", 132)],
    ),
    # dockprom's exporters overlay redefines nodeexporter and cadvisor on the host network.
    # Judged merged, it adds only what it writes: host networking and privileged; no
    # missing-healthcheck findings at its service lines (those belong to the base file).
    (
        "apps/dockprom/docker-compose.exporters.yml",
        ("DS301", "DS305", "DS306", "DS309", "DS312"),
        [("DS309", 16), ("DS312", 23), ("DS309", 33)],
    ),
    # nickjj's Django example: anchors and merge keys. The anchored `depends_on` with
    # service_started is one finding per line (not one per service), the `.env` env_file has
    # a template, and `restart: ${DOCKER_RESTART_POLICY:-unless-stopped}` resolves to "no"
    # from .env.example. js/css are one-shot (restart "no" with a command): no DS305 there.
    (
        "apps/docker-django-example/compose.yaml",
        ("DS302", "DS305", "DS306", "DS307", "DS310", "DS313"),
        [("DS302", 12), ("DS302", 15), ("DS313", 18), ("DS305", 19), ("DS313", 34),
         ("DS305", 55), ("DS305", 68)],
    ),
]


@pytest.mark.parametrize(("path", "codes", "expected"), REVIEWED, ids=[r[0] for r in REVIEWED])
def test_reviewed_files(
    findings: list[Finding], path: str, codes: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    got = sorted((f.code, f.span.line) for f in findings
                 if f.span.path == path and f.code in codes)
    assert got == sorted(expected), "\n".join(
        f"{f.span.line} {f.code} {f.message}" for f in findings if f.span.path == path
    )
