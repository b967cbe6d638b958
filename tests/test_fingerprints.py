"""Fingerprints survive what does not change a finding (issue 13): comments and blank lines,
reordered services and keys, flow instead of block style, a service's keys moved into an ``x-``
anchor. Renaming a service or a variable makes new ones (it is new code)."""

from __future__ import annotations

import collections
from dataclasses import dataclass
from pathlib import Path

from docker_standard.check import check_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@dataclass(frozen=True)
class Svc:
    name: str
    image: str
    restart: str | None
    healthcheck: bool
    password: bool  # a literal credential in its environment (DS310)
    variable: str | None  # an undocumented ${VARIABLE} in its environment (DS104)
    depends: tuple[str, ...]
    data_port: bool  # publishes a database port on every interface (DS311)

    def written(self) -> list[tuple[str, str]]:
        """(key, block-style value text) in writing order; values start on the key's line or
        below it at 4 more spaces."""
        items = [("image", self.image)]
        if self.restart is not None:
            items.append(("restart", f'"{self.restart}"'))
        if self.healthcheck:
            items.append(("healthcheck", '\n  test: ["CMD", "true"]\n  interval: 10s'))
        env = []
        if self.password:
            env.append(f"{self.name.upper()}_PASSWORD: Tr0ub4dor-{self.name}-x9Q")
        if self.variable:
            env.append(f"LEVEL: \"${{{self.variable}}}\"")
        if env:
            items.append(("environment", "".join(f"\n  {e}" for e in env)))
        if self.depends:
            items.append(("depends_on", "".join(f"\n  - {d}" for d in self.depends)))
        if self.data_port:
            items.append(("ports", '\n  - "5432:5432"'))
        return items


FIXTURE = HealthCheck.function_scoped_fixture  # tmp_path is reused: each example writes anew
NAMES = ["api", "db", "worker", "cache"]
IMAGES = ["postgres:16.2", "redis:latest", "ghcr.io/acme/app:1.4.2", "nginx"]


@st.composite
def stacks(draw: st.DrawFn) -> list[Svc]:
    count = draw(st.integers(2, 4))
    names = NAMES[:count]
    services = []
    for index, name in enumerate(names):
        services.append(
            Svc(
                name=name,
                image=draw(st.sampled_from(IMAGES)),
                restart=draw(st.sampled_from([None, "no", "unless-stopped"])),
                healthcheck=draw(st.booleans()),
                password=draw(st.booleans()),
                variable=draw(st.sampled_from([None, "LOG_LEVEL", "TZ_NAME"])),
                depends=tuple(draw(st.lists(st.sampled_from(names[:index]), unique=True)))
                if index
                else (),
                data_port=draw(st.booleans()),
            )
        )
    return services


def _block(key: str, value: str, indent: str) -> list[str]:
    if not value.startswith("\n"):
        return [f"{indent}{key}: {value}"]
    lines = [f"{indent}{key}:"]
    lines += [f"{indent}  {line[2:]}" for line in value.split("\n")[1:]]
    return lines


def _flow(value: str) -> str:
    """A block value as one flow collection."""
    rows = [line[2:] for line in value.split("\n")[1:]]
    if rows[0].startswith("- "):
        return "[" + ", ".join(r[2:] for r in rows) + "]"
    return "{" + ", ".join(rows) + "}"


def render(services: list[Svc], *, style: str = "block", reverse: bool = False,
           comments: bool = False, anchor: str | None = None) -> str:
    lines: list[str] = []
    if comments:
        lines += ["# a stack for tests", ""]
    shared: list[tuple[str, str]] = []
    if anchor is not None:
        owner = next(s for s in services if s.name == anchor)
        shared = [(k, v) for k, v in owner.written() if k in ("restart", "environment", "ports")]
        if shared:
            lines.append("x-moved: &moved")
            for key, value in shared:
                lines += _block(key, value, "  ")
    lines.append("services:")
    for service in (reversed(services) if reverse else services):
        keys = service.written()
        if reverse:
            keys = keys[::-1]
        if service.name == anchor and shared:
            keys = [(k, v) for k, v in keys if k not in dict(shared)]
            lines.append(f"  {service.name}:")
            lines.append("    <<: *moved")
            for key, value in keys:
                lines += _block(key, value, "    ")
        elif style == "flow":
            body = ", ".join(
                f"{k}: {_flow(v) if v.startswith(chr(10)) else v}" for k, v in keys
            )
            lines.append(f"  {service.name}: {{{body}}}")
        else:
            lines.append(f"  {service.name}:")
            for key, value in keys:
                if comments:
                    lines.append("    # why this key")
                lines += _block(key, value, "    ")
        if comments:
            lines.append("")
    return "\n".join(lines) + "\n"


def fingerprints(root: Path, text: str) -> collections.Counter[str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "compose.yaml").write_text(text)
    (root / ".env.example").write_text("# nothing documented yet\n")
    report = check_project([str(root)], select=["DS0", "DS1", "DS3"])
    assert not [f for f in report.findings if f.code == "DS001"], text
    return collections.Counter(f.fingerprint for f in report.findings)


@settings(max_examples=25, deadline=None, suppress_health_check=[FIXTURE])
@given(services=stacks(), anchor_at=st.integers(0, 3))
def test_layout_changes_keep_every_fingerprint(tmp_path: Path, services: list[Svc],
                                               anchor_at: int) -> None:
    base = fingerprints(tmp_path / "base", render(services))
    assert base  # every generated stack has findings: the comparison means something
    anchor = services[anchor_at % len(services)].name
    variants = {
        "comments": render(services, comments=True),
        "reordered": render(services, reverse=True),
        "flow": render(services, style="flow"),
        "anchor": render(services, anchor=anchor),
    }
    for name, text in variants.items():
        assert fingerprints(tmp_path / name, text) == base, (name, text)


@settings(max_examples=10, deadline=None, suppress_health_check=[FIXTURE])
@given(services=stacks())
def test_renaming_a_service_or_a_variable_makes_new_fingerprints(tmp_path: Path,
                                                                 services: list[Svc]) -> None:
    base = fingerprints(tmp_path / "base", render(services))
    last = services[-1]
    renamed = [*services[:-1], Svc(**{**last.__dict__, "name": "renamed"})]
    moved = fingerprints(tmp_path / "renamed", render(renamed))
    assert moved != base
    with_variable = [*services[:-1], Svc(**{**last.__dict__, "variable": "OTHER_NAME"})]
    without = [*services[:-1], Svc(**{**last.__dict__, "variable": "LOG_LEVEL"})]
    assert fingerprints(tmp_path / "a", render(with_variable)) != fingerprints(
        tmp_path / "b", render(without)
    )


def test_a_fingerprint_holds_no_line_and_no_secret(tmp_path: Path) -> None:
    services = [Svc("db", "postgres:16.2", None, False, True, None, (), False),
                Svc("api", "nginx", None, False, False, None, ("db",), False)]
    root = tmp_path / "p"
    fingerprints(root, render(services))
    report = check_project([str(root)])
    secret = "Tr0ub4dor-db-x9Q"
    for finding in report.findings:
        assert finding.subject is not None, finding
        assert secret not in str(finding.subject)
        assert all(len(f.fingerprint) == 24 for f in report.findings)


def test_a_dependency_cycle_has_one_fingerprint_whatever_the_order(tmp_path: Path) -> None:
    following = {"a": "b", "b": "c", "c": "a"}
    prints = []
    for order in (["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"]):
        root = tmp_path / "".join(order)
        root.mkdir()
        (root / "compose.yaml").write_text("services:\n" + "".join(
            f"  {n}:\n    image: busybox:1.36\n    depends_on: [{following[n]}]\n" for n in order
        ))
        cycle = check_project([str(root)], select=["DS304"]).findings
        assert [str(f.subject) for f in cycle] == ["cycle a b c"]
        prints.append(cycle[0].fingerprint)
    assert len(set(prints)) == 1
