"""Helpers for the Dockerfile rule tests: compose services that build, CRLF variants."""

from __future__ import annotations

import re

_LINE_END = re.compile(r"([ \t]*#[ \t]*expect:[ \t]*[A-Z0-9, ]+)?\n")


def crlf(text: str) -> str:
    """``text`` with Windows line endings; ``# expect:`` markers stay at the end of their line
    (the fixture strips them, leaving the ``\\r``)."""
    return _LINE_END.sub(lambda m: "\r" + (m.group(1) or "") + "\n", text)


def compose(*services: str) -> str:
    return "services:\n" + "".join(services)


def service(
    name: str = "app",
    *,
    context: str = ".",
    dockerfile: str | None = None,
    target: str | None = None,
    args: dict[str, str] | None = None,
    healthcheck: str | None = None,
    extra: str = "",
) -> str:
    """A compose service that builds an image (long form ``build:``)."""
    lines = [f"  {name}:", "    build:", f"      context: {context}"]
    if dockerfile:
        lines.append(f"      dockerfile: {dockerfile}")
    if target:
        lines.append(f"      target: {target}")
    if args:
        lines.append("      args:")
        lines += [f'        {key}: "{value}"' for key, value in args.items()]
    if healthcheck:
        lines += ["    healthcheck:", f"      test: {healthcheck}"]
    text = "\n".join(lines) + "\n"
    return text + extra
