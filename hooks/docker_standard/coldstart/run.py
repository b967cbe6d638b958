"""What one cold start saw: the target type of the DS4xx rules (kept light: ``docker-standard
rules`` imports it with every rule module)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from docker_standard.findings import Hit, Span, Subject


@dataclass(frozen=True)
class Observation:
    code: str
    service: str | None
    message: str


@dataclass
class ServiceRow:
    name: str
    state: str
    health: str
    healthy_after: float | None
    restarts: int


@dataclass
class ColdStartRun:
    """What a cold start saw: the rule modules read it (their target type)."""

    stack_path: str
    spans: dict[str, Span] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    rows: list[ServiceRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    project_name: str = ""

    def add(self, code: str, service: str | None, message: str) -> None:
        self.observations.append(Observation(code, service, message))

    def hits(self, code: str) -> Iterator[Hit]:
        for item in self.observations:
            if item.code == code:
                span = self.spans.get(item.service or "", Span(self.stack_path))
                subject = (Subject("service", (item.service,)) if item.service
                           else Subject("stack", (self.stack_path,)))
                yield Hit(item.message, span, subject)
