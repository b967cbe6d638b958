"""Compose's schema where it refuses a file: keys it does not know, services that are not
mappings, a long ``depends_on`` without a valid condition. Each problem goes to the caller's
error sink (a DS001 finding) so the rest of the file is still checked."""

from __future__ import annotations

from collections.abc import Callable

from docker_standard.findings import Span
from docker_standard.model import schema_keys
from docker_standard.model.yamltree import YMap, untag

ErrorSink = Callable[[Span, str], None]


def check_shape(data: YMap, error: ErrorSink) -> YMap | None:
    """Drop what Compose would refuse outright (a non-mapping service) and report every key
    its schema rejects; ``None`` when ``services`` is not a mapping."""
    services = data.get("services")
    if services is not None and not isinstance(services, YMap):
        span = data.value_span("services")
        error(span, "services must be a mapping")
        return None
    if isinstance(services, YMap):
        for name, body in list(services.items()):
            if not isinstance(untag(body), YMap):
                error(services.key_span(name), f"services.{name} must be a mapping")
                del services[name]
            else:
                _check_service_keys(name, untag(body), error)
    _unknown_keys(data, schema_keys.TOP_LEVEL, "the top level", error)
    return data

def _check_service_keys(name: str, body: YMap, error: ErrorSink) -> None:
    """Keys Compose's schema rejects: a typo would otherwise be silently ignored by us
    and make ``docker compose up`` refuse the file."""
    where = f"services.{name}"
    _unknown_keys(body, schema_keys.SERVICE, where, error)
    nested = (("build", schema_keys.BUILD), ("healthcheck", schema_keys.HEALTHCHECK))
    for key, allowed in nested:
        value = body.get(key)
        if isinstance(value, YMap):
            _unknown_keys(value, allowed, f"{where}.{key}", error)
    depends = body.get("depends_on")
    if isinstance(depends, YMap):
        for target, options in depends.items():
            if not isinstance(options, YMap):
                continue
            _unknown_keys(options, schema_keys.DEPENDS_ON, f"{where}.depends_on.{target}", error)
            condition = options.get("condition")
            if condition is None:
                error(
                    depends.key_span(target),
                    f"{where}.depends_on.{target} has no condition: the long form requires one",
                )
            elif (
                isinstance(condition, str)
                and "$" not in condition
                and (condition not in schema_keys.CONDITIONS)
            ):
                error(
                    options.value_span("condition"),
                    f"{where}.depends_on.{target}.condition '{condition}' must be one of "
                    + ", ".join(sorted(schema_keys.CONDITIONS)),
                )

def _unknown_keys(mapping: YMap, allowed: frozenset[str], where: str, error: ErrorSink) -> None:
    for key in mapping:
        if key in allowed or key.startswith("x-"):
            continue
        import difflib

        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        error(
            mapping.key_span(key),
            f"{where}: unknown key '{key}'{hint}; Compose refuses the file",
        )
