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


_KEYWORDS = re.compile(
    r"^(FROM|USER|RUN|COPY|ADD|ENV|ARG|HEALTHCHECK|WORKDIR|CMD|LABEL|EXPOSE)\b", re.MULTILINE
)
_FIRST_FROM = re.compile(r"^FROM [^\n]*\n", re.MULTILINE)
_HEREDOC = "RUN <<EOF\nset -e\necho 'USER root'\necho 'FROM debian'\nEOF\n"
_CONTINUED = "RUN echo one \\\n  # a comment inside the continuation\n\n  && echo two\n"


def syntax_variants(files: dict[str, str], name: str = "Dockerfile") -> list[object]:
    """The same case written with parser directives, a heredoc and a continued RUN with a
    comment after the first FROM, lower-case keywords, CRLF line endings and the backtick
    escape: each must give the same findings at the (shifted) marked lines."""
    import pytest

    text = files[name]
    match = _FIRST_FROM.search(text)
    assert match is not None and not match.group(0).rstrip("\n").endswith("\\")
    after_from = match.end()

    def variant(changed: str, label: str) -> object:
        return pytest.param({**files, name: changed}, id=f"syntax: {label}")

    backtick = "# escape=`\n" + re.sub(r"\\(?=[ \t]*(#[^\n]*)?\n)", "`", text)
    return [
        variant("# syntax=docker/dockerfile:1\n# check=error=true\n" + text, "directives"),
        variant(text[:after_from] + _HEREDOC + text[after_from:], "heredoc"),
        variant(text[:after_from] + _CONTINUED + text[after_from:], "comment in continuation"),
        variant(_KEYWORDS.sub(lambda m: m.group(1).lower(), text), "lower-case"),
        variant(crlf(text), "CRLF"),
        variant(backtick, "escape directive"),
    ]
