"""model/dotenv.py against compose-semantics.md §2 and the dotenv vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docker_standard.model.dotenv import (
    DotenvFile,
    Entry,
    Problem,
    looks_like_shell_script,
    parse_dotenv,
)
from hypothesis import given, settings
from hypothesis import strategies as st

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DOTENV_VECTORS = SHARED / "vectors" / "dotenv"

# The project environment Compose adds while reading an env_file (README of the vectors).
PLACEHOLDERS = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/home/vector",
    "PWD": "/tmp/vector-project",
    "COMPOSE_PROJECT_NAME": "vector-project",
}


def _vectors() -> list[dict[str, Any]]:
    index = DOTENV_VECTORS / "dotenv-vectors.json"
    if not index.exists():
        return []
    vectors = json.loads(index.read_text(encoding="utf-8"))["vectors"]
    return [dict(v) for v in vectors]


def _load(vector: dict[str, Any]) -> DotenvFile:
    env = PLACEHOLDERS | vector["shell_env"]
    text = (DOTENV_VECTORS / vector["file"]).read_bytes().decode("utf-8")
    return parse_dotenv(text, env.get)


def parse(text: str, env: dict[str, str] | None = None, **kwargs: Any) -> DotenvFile:
    return parse_dotenv(text, (env or {}).get, **kwargs)


def kinds(parsed: DotenvFile) -> list[tuple[int, str]]:
    return [(problem.line, problem.kind) for problem in parsed.problems]


# ---------------------------------------------------------------------------------- vectors

VALID = [v for v in _vectors() if v["parsed"] is not None]
ERRORS = [v for v in _vectors() if v["parsed"] is None]


def require_vectors() -> None:
    if not (DOTENV_VECTORS / "dotenv-vectors.json").exists():
        pytest.skip(f"shared/ not present: {DOTENV_VECTORS}")


def test_vectors_are_present() -> None:
    require_vectors()
    assert len(VALID) == 21
    assert len(ERRORS) == 4


@pytest.mark.parametrize("vector", VALID, ids=[v["file"] for v in VALID])
def test_valid_vector(vector: dict[str, Any]) -> None:
    text = (DOTENV_VECTORS / vector["file"]).read_text(encoding="utf-8")
    for name in PLACEHOLDERS:
        # Values depending on the placeholders could not be compared: no vector uses them.
        assert name not in text
    parsed = _load(vector)
    assert parsed.as_dict() == vector["parsed"]
    assert not [problem for problem in parsed.problems if problem.fatal]


# file -> (line, kind, the values Compose would have kept had it not stopped)
ERROR_EXPECTATIONS = {
    "18-invalid-space-in-key.env": (2, "invalid-name", {"GOOD": "1"}),
    "19-invalid-char-in-key.env": (2, "invalid-name", {"GOOD": "1"}),
    "20-unterminated-quote.env": (2, "unterminated-quote", {"GOOD": "1", "NEXT": "2"}),
    "21-required-missing.env": (
        1,
        "interpolation-error",
        {"REQUIRED": "${MUST_BE_SET:?MUST_BE_SET is required}"},
    ),
}


@pytest.mark.parametrize("vector", ERRORS, ids=[v["file"] for v in ERRORS])
def test_error_vector(vector: dict[str, Any]) -> None:
    line, kind, values = ERROR_EXPECTATIONS[vector["file"]]
    parsed = _load(vector)
    assert [(p.line, p.kind, p.fatal) for p in parsed.problems] == [(line, kind, True)]
    assert parsed.as_dict() == values


def test_error_vector_messages() -> None:
    require_vectors()
    by_file = {v["file"]: _load(v) for v in ERRORS}
    messages = {name: parsed.problems[0].message for name, parsed in by_file.items()}
    assert messages["18-invalid-space-in-key.env"] == 'key "BAD KEY" cannot contain a space'
    assert messages["19-invalid-char-in-key.env"] == (
        'unexpected character "$" in variable name "BAD$KEY"'
    )
    assert messages["20-unterminated-quote.env"] == (
        'the double quote opening the value of key "UNTERMINATED" is never closed'
    )
    assert messages["21-required-missing.env"] == (
        'value of key "REQUIRED": required variable MUST_BE_SET is missing a value'
    )


# ------------------------------------------------------------------------------- §2 table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A = value\n", {"A": "value"}),
        ("B=  lead\n", {"B": "lead"}),
        ("C=trail   \n", {"C": "trail"}),
        ("COLON: value\nCOLON_NOSPACE:value\n", {"COLON": "value", "COLON_NOSPACE": "value"}),
        ("export X=1\nexport\tY=2\nexportZ=3\n", {"X": "1", "Y": "2", "exportZ": "3"}),
        ("# c\n   # indented\n\nK=v\n", {"K": "v"}),
        ("K=v # c\n", {"K": "v"}),
        ("K=v#c\n", {"K": "v#c"}),
        ("K=v\t#c\n", {"K": "v\t#c"}),
        ("K= # text\n", {"K": "# text"}),
        ("K=a=b=c\n", {"K": "a=b=c"}),
        ("BASE=base\nX=\\$BASE\n", {"BASE": "base", "X": "\\base"}),
        ('K="a\\nb"\n', {"K": "a\nb"}),
        ('K="\\0101"\n', {"K": "A"}),
        ('K="\\x41 \\u0041 \\q"\n', {"K": "\\x41 \\u0041 \\q"}),
        ('K="\\${B}"\n', {"K": "${B}"}),
        ('K="\\a\\b\\f\\r\\t\\v\\\\\\""\n', {"K": '\a\b\f\r\t\v\\"'}),
        ('K="\\0"\n', {"K": "\\"}),  # Go drops the 0 of an octal escape it cannot decode
        ('K="\\01"\n', {"K": "\\1"}),
        ('K="\\0777"\n', {"K": "\\777"}),
        ('K="\\c"\n', {"K": "\\c"}),
        ("K='it\\'s'\n", {"K": "it's"}),
        ("K='a\\\\b'\n", {"K": "a\\\\b"}),
        ("K='${X} $X'\n", {"K": "${X} $X"}),
        ('K="v" # c\n', {"K": "v"}),
        ('K="a" OTHER=b\n', {"K": "a", "OTHER": "b"}),
        ('K="v"trailing\n', {"K": "v"}),
        ("K=\nK2=\"\"\nK3=''\nK4=   \n", {"K": "", "K2": "", "K3": "", "K4": ""}),
        ("INHERITED\nNOT_SET\nK=1\n", {"INHERITED": "from-shell", "K": "1"}),
        ("A=1\nLAST", {"A": "1", "": "LAST"}),
        ("=value\nAFTER=1\n", {"": "value", "AFTER": "1"}),
        ("dotted.key=1\ndashed-key=2\nb[0]=3\n1ABC=4\nÜ=5\n", None),
        ("DUP=first\nSEES=${DUP}\nDUP=second\n", {"DUP": "second", "SEES": "first"}),
        ('A=one\r\nB="two"\r\nC=three # c\r\n', {"A": "one", "B": "two", "C": "three"}),
        ("\ufeffBOM=value\n", {"BOM": "value"}),
        ('M="line one\nline two"\nN=after\n', {"M": "line one\nline two", "N": "after"}),
    ],
)
def test_rules(text: str, expected: dict[str, str] | None) -> None:
    parsed = parse(text, {"INHERITED": "from-shell"})
    if expected is None:
        expected = {line.split("=")[0]: line.split("=")[1] for line in text.splitlines()}
    assert parsed.as_dict() == expected
    assert not [problem for problem in parsed.problems if problem.fatal]


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("BASE=base\nR=${BASE}-x\nP=$BASE/x\n", {}, {"R": "base-x", "P": "base/x"}),
        ("D=${UNDEF:-dflt}\n", {}, {"D": "dflt"}),
        ("S=${SHELL_VAR}\n", {"SHELL_VAR": "shell"}, {"S": "shell"}),
        ("F=${LATER}\nLATER=later\n", {}, {"F": "", "LATER": "later"}),
        ("OVR=${X}\nX=file\n", {"X": "shell"}, {"OVR": "shell", "X": "file"}),
        ("B=b\nN=${U1:-${U2:-${B}}}\n", {}, {"N": "b"}),
        ("B=b\nALT=${B:+has}\n", {}, {"ALT": "has"}),
        ("E=$$B\n", {}, {"E": "$B"}),
        ('B=b\nDQ="${B}"\nSQ=\'${B}\'\nDD="$${B}"\n', {}, {"DQ": "b", "SQ": "${B}", "DD": "${B}"}),
        ('DQ="${NOPE:-d e f}"\n', {}, {"DQ": "d e f"}),
        ("P=pa$$word\nQ=pa$word\n", {}, {"P": "pa$word", "Q": "pa"}),
    ],
)
def test_interpolation(text: str, env: dict[str, str], expected: dict[str, str]) -> None:
    values = parse(text, env).as_dict()
    assert {key: values[key] for key in expected} == expected


def test_interpolate_false_keeps_templates() -> None:
    parsed = parse("A=${X:-d}\nB=\"\\${Y}\"\nC='$Z'\n", interpolate=False)
    assert parsed.as_dict() == {"A": "${X:-d}", "B": "$${Y}", "C": "$Z"}
    assert parsed.problems == ()


# ------------------------------------------------------------------------------- entries


def test_entry_fields() -> None:
    text = "# header\nA=1\nexport  B='two'\nC=\"multi\nline\"\n\nD\nE = x # comment\n"
    entries = parse(text, {"D": "from-env"}).entries
    assert entries == (
        Entry("A", "1", "1", 2, 1, 2, "", True),
        Entry("B", "two", "two", 3, 9, 3, "'", True),
        Entry("C", "multi\nline", "multi\nline", 4, 1, 5, '"', True),
        Entry("D", "from-env", "", 7, 1, 7, "", False),
        Entry("E", "x", "x", 8, 1, 8, "", False),
    )


def test_raw_value_is_before_escapes_and_interpolation() -> None:
    (entry,) = parse('K="a\\n${X:-d}"\n').entries
    assert (entry.value, entry.raw_value, entry.quote) == ("a\nd", "a\\n${X:-d}", '"')


def test_bare_key_without_value_is_kept_as_none() -> None:
    parsed = parse("MISSING\nA=1\nA\n")
    assert [(e.key, e.value) for e in parsed.entries] == [
        ("MISSING", None),
        ("A", "1"),
        ("A", None),
    ]
    assert parsed.as_dict() == {"A": "1"}
    assert parsed.keys() == ["MISSING", "A"]


@pytest.mark.parametrize(
    ("text", "commented"),
    [
        ("# c\nA=1\nB=2\n", [True, True]),
        ("A=1\n# c\nB=2\nC=3\n", [False, True, True]),
        ("# c\n\nA=1\n", [False]),
        ("# c\nA=1\n\nB=2\n", [True, False]),
        ('# c\nA="x\ny"\nB=2\n', [True, True]),
        ('A="v" # not above anything\nB=2\n', [False, False]),
        ("# c\nBAD KEY=1\nB=2\n", [False]),
    ],
)
def test_comment_above(text: str, commented: list[bool]) -> None:
    assert [entry.comment_above for entry in parse(text).entries] == commented


# ------------------------------------------------------------------------------- problems


def test_duplicate_key() -> None:
    parsed = parse("DUP=first\nOTHER=x\nDUP=second\n")
    assert parsed.problems == (
        Problem(
            3, 1, "duplicate-key", 'duplicate key "DUP" (first set on line 1); the last one wins'
        ),
    )
    assert [e.value for e in parsed.entries if e.key == "DUP"] == ["first", "second"]


@pytest.mark.parametrize(
    "text",
    ["A = v\n", "A =v\n", "A= v\n", "A=\t\n", "A\t=v\n"],
)
def test_space_around_equals(text: str) -> None:
    parsed = parse(text)
    assert kinds(parsed) == [(1, "space-around-equals")]
    assert parsed.as_dict()["A"] == text.split("=", 1)[1].strip(" \t\n")


def test_no_space_problem_for_colon_or_tight_equals() -> None:
    assert parse("A=v\nB: v\nC:v\n").problems == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=v\n", [(1, "invalid-name")]),
        ("A\tB=1\n", [(1, "invalid-name")]),
        ("export\nA=1\n", [(1, "invalid-name")]),
        ("LAST", [(1, "invalid-syntax")]),
        ('A="v"junk\n', [(1, "invalid-syntax")]),
        ('A="v" B=1\n', [(1, "invalid-syntax")]),
    ],
)
def test_accepted_but_suspicious(text: str, expected: list[tuple[int, str]]) -> None:
    parsed = parse(text)
    assert kinds(parsed) == expected
    assert not [problem for problem in parsed.problems if problem.fatal]


@pytest.mark.parametrize(
    ("text", "expected", "values"),
    [
        ("GOOD=1\nBAD KEY=2\nNEXT=3\n", [(2, "invalid-name")], {"GOOD": "1", "NEXT": "3"}),
        ("BAD$KEY=2\nBAD#KEY=3\nOK=1\n", [(1, "invalid-name"), (2, "invalid-name")], {"OK": "1"}),
        ('A="open\nB=1\n', [(1, "unterminated-quote")], {"B": "1"}),
        ("A='open\nB=1\n", [(1, "unterminated-quote")], {"B": "1"}),
        ('BAD KEY="multi\nline"\nC=3\n', [(1, "invalid-name")], {"C": "3"}),
        (
            "A=${X:?must be set}\nB=${Y\nC=3\n",
            [(1, "interpolation-error"), (2, "interpolation-error")],
            None,
        ),
        ("export   ", [(1, "invalid-syntax")], {}),
    ],
)
def test_lenient_recovery(
    text: str, expected: list[tuple[int, str]], values: dict[str, str] | None
) -> None:
    parsed = parse(text)
    assert kinds(parsed) == expected
    assert all(problem.fatal for problem in parsed.problems)
    if values is not None:
        assert parsed.as_dict() == values


@pytest.mark.parametrize(
    "text",
    [
        "hunter2 secret\n",
        "s3cr3t$value\n",
        "PASSWORD hunter2\n",
        'TOKEN="hunter2\n',
        "TOKEN=${X:?hunter2}\n",
        "TOKEN=${hunter2\n",
        "TOKEN = hunter2\nTOKEN=hunter2\n",
        'TOKEN="hunter2"junk\n',
    ],
)
def test_messages_never_contain_values(text: str) -> None:
    parsed = parse(text)
    assert parsed.problems
    for problem in parsed.problems:
        assert "hunter2" not in problem.message
        assert "s3cr3t" not in problem.message


# ------------------------------------------------------------------------------- properties


def _check(parsed: DotenvFile, text: str) -> None:
    lines = text.removeprefix("\ufeff").count("\n") + 1
    for entry in parsed.entries:
        assert 1 <= entry.line <= entry.end_line <= lines
        assert entry.column >= 1
        assert entry.quote in ("", "'", '"')
    for problem in parsed.problems:
        assert 1 <= problem.line <= lines
        assert problem.column >= 1
        assert problem.kind in {
            "duplicate-key",
            "invalid-name",
            "space-around-equals",
            "unterminated-quote",
            "invalid-syntax",
            "interpolation-error",
        }
    assert set(parsed.as_dict()) <= set(parsed.keys())


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_never_raises_on_text(text: str) -> None:
    _check(parse(text, {"A": "1"}), text)


@settings(max_examples=500, deadline=None)
@given(st.binary())
def test_never_raises_on_latin1_bytes(data: bytes) -> None:
    text = data.decode("latin-1")
    _check(parse(text), text)


DOTENV_PIECES = st.sampled_from(
    [
        "A",
        "B",
        "=",
        ":",
        " ",
        "\t",
        "\n",
        "\r\n",
        "#",
        "'",
        '"',
        "\\",
        "$",
        "${A}",
        "${",
        "}",
        "export ",
        "x",
        "\v",
        "\u00a0",
        "\ufeff",
        "\\0101",
        ":-",
        "?",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(DOTENV_PIECES, max_size=40).map("".join))
def test_never_raises_on_dotenv_like_text(text: str) -> None:
    _check(parse(text, {"A": "1"}), text)
    _check(parse(text, interpolate=False), text)


@pytest.mark.parametrize(
    "text",
    [
        "#!/bin/bash\nA=1\n",
        'i=0\nDATA[((i++))]="/var/a"\nexport DATA\n',
        "PATHS=(/a /b)\n",
        "for f in a b; do\n  echo $f\ndone\n",
        'if [ -z "$A" ]; then\n  A=1\nfi\n',
        "load() {\n  A=1\n}\n",
        "set -e\nA=1\n",
        "source ./common.env\n",
    ],
)
def test_shell_scripts_named_like_env_files(text: str) -> None:
    assert looks_like_shell_script(text)


@pytest.mark.parametrize(
    "text",
    [
        "A=1\nexport B=2\n",
        "# for each user, set the password\nPASSWORD=x\n",
        "# if unset:\n# A=1\nIF_X=1\nDONE=1\necho=1\nSET=-1\n",
        'A="(x)"\nB=$((not arithmetic in a quoted value))\n',
        "URL=http://a/[x]\n",
    ],
)
def test_dotenv_files_are_no_shell_scripts(text: str) -> None:
    assert not looks_like_shell_script(text)


_SHELLISH = st.sampled_from([
    "if ", "do", "done", "fi", "echo", "set ", "export ", "source", "A", "a_b", "x-y", "k.v",
    "=", "+=", "(", ")", "()", "((", "[", "]", "[[ ", "{", ";", " ", "\t", "1", "$", '"',
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_SHELLISH, max_size=8).map("".join))
def test_a_plain_assignment_is_never_a_shell_line(line: str) -> None:
    """looks_like_shell_script skips the large pattern for plain assignments: sound only if
    no line the short pattern accepts could match the large one."""
    from docker_standard.model import dotenv

    if dotenv._PLAIN_ASSIGNMENT.match(line):
        assert not dotenv._SHELL_LINE.match(line)
