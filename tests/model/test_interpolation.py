"""model/interpolation.py against compose-semantics.md §1 and the Compose vectors."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import assert_linear
from docker_standard.model.interpolation import (
    Reference,
    compose_error,
    has_references,
    literal_parts,
    references,
    substitute,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
VECTORS = SHARED / "vectors"

INVALID = "invalid interpolation format.\nYou may need to escape any $ with another $.\n"


def vectors_dir() -> Path:
    if not (VECTORS / "vectors.json").exists():
        pytest.skip(f"shared/ not present: {VECTORS}")
    return VECTORS


def lookup_in(env: dict[str, str]) -> Callable[[str], str | None]:
    return env.get


# ---------------------------------------------------------------------------------- §1.2 table

UNSET: dict[str, str] = {}
EMPTY = {"VAR": ""}
SET = {"VAR": "val"}
REQUIRED_ERROR = "required variable VAR is missing a value: msg"

# (template, unset, empty, set); an "ERR" cell means interpolation fails.
OPERATOR_TABLE = [
    ("$VAR", "", "", "val"),
    ("${VAR}", "", "", "val"),
    ("${VAR:-d}", "d", "d", "val"),
    ("${VAR-d}", "d", "", "val"),
    ("${VAR:?msg}", "ERR", "ERR", "val"),
    ("${VAR?msg}", "ERR", "", "val"),
    ("${VAR:+a}", "", "", "a"),
    ("${VAR+a}", "", "a", "a"),
    ("${VAR:-}", "", "", "val"),
    ("${VAR:+}", "", "", ""),
]


@pytest.mark.parametrize(
    ("template", "env", "expected"),
    [
        pytest.param(template, env, cell, id=f"{template}-{label}")
        for template, *cells in OPERATOR_TABLE
        for (label, env), cell in zip(
            (("unset", UNSET), ("empty", EMPTY), ("set", SET)), cells, strict=True
        )
    ],
)
def test_operator_table(template: str, env: dict[str, str], expected: str) -> None:
    result = substitute(template, lookup_in(env))
    if expected == "ERR":
        assert result.errors == (REQUIRED_ERROR,)
        assert result.value == ""
    else:
        assert result.errors == ()
        assert result.value == expected


@pytest.mark.parametrize(
    ("template", "warned"),
    [
        ("$VAR", ("VAR",)),
        ("${VAR}", ("VAR",)),
        ("${VAR:-d}", ()),
        ("${VAR-d}", ()),
        ("${VAR:+a}", ()),
        ("${VAR+a}", ()),
        ("${VAR?m}", ()),
    ],
)
def test_only_plain_references_warn_when_unset(template: str, warned: tuple[str, ...]) -> None:
    assert substitute(template, lookup_in(UNSET)).unset == warned
    assert substitute(template, lookup_in(EMPTY)).unset == ()


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("${POSTGRES_USER?}", "required variable POSTGRES_USER is missing a value"),
        ("${POSTGRES_USER:?}", "required variable POSTGRES_USER is missing a value"),
        (
            "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
            "required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD in .env",
        ),
    ],
)
def test_required_messages(template: str, error: str) -> None:
    assert substitute(template, lookup_in({})).errors == (error,)


def test_compose_error_wording() -> None:
    required = substitute("${X:?boom}", lookup_in({})).errors[0]
    assert compose_error(required, "services.db.environment.X") == (
        "error while interpolating services.db.environment.X: "
        "required variable X is missing a value: boom"
    )
    invalid = substitute("${UNCLOSED_VAR", lookup_in({})).errors[0]
    assert compose_error(invalid, "services.app.environment.BROKEN") == (
        "invalid interpolation format for services.app.environment.BROKEN.\n"
        "You may need to escape any $ with another $.\n${UNCLOSED_VAR"
    )


# ------------------------------------------------------------------- §1.1 grammar, §1.2 args

VALUES = {
    "VAR": "val",
    "V": "val",
    "E": "",
    "GREEDY": "g",
    "GREEDY_suffix": "gs",
    "DASHED": "d",
    "DOTTED": "o",
    "MixedCase": "m",
    "MIXEDCASE": "WRONG",
    "BRACED": "b",
    "_X": "underscore",
    "lower_case_var": "lower",
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # names
        ("$MixedCase", "m"),
        ("${lower_case_var}", "lower"),
        ("${_X}", "underscore"),
        ("$GREEDY_suffix", "gs"),
        ("${BRACED}_suffix", "b_suffix"),
        ("$DASHED-name", "d-name"),
        ("$DOTTED.name", "o.name"),
        # "$" that starts no reference is literal
        ("$5", "$5"),
        ("$1ABC", "$1ABC"),
        ("$éNOT_A_VAR", "$éNOT_A_VAR"),
        ("$-", "$-"),
        ("$@", "$@"),
        ("$#", "$#"),
        ("trailing $", "trailing $"),
        ("a$ b", "a$ b"),
        ("$-dash $@at $#hash", "$-dash $@at $#hash"),
        # escapes
        ("$$VAR", "$VAR"),
        ("$${X}", "${X}"),
        ("$$$VAR", "$val"),
        ("$$$$X", "$$X"),
        ("\\$VAR", "\\val"),
        ("${U:-$$literal}", "$literal"),
        # operator arguments
        ("${U:-a:-b}", "a:-b"),
        ("${U-a-b}", "a-b"),
        ("${V?x:-y}", "val"),
        ("${U:-{json}}", "{json}"),
        ('${U:-"quoted"}', '"quoted"'),
        ("${E:-x}}", "x}"),
        ("${U:-hello world}", "hello world"),
        (
            "${U:-postgres://user:pass@db:5432/app?sslmode=disable}",
            "postgres://user:pass@db:5432/app?sslmode=disable",
        ),
        # §1.3 nesting
        ("${U:-${U2:-${U3:-deepest}}}", "deepest"),
        ("${V:+prefix-${U:-x}-suffix}", "prefix-x-suffix"),
        ("${U:-http://${U2:-example.com}:${U3:-80}/path}", "http://example.com:80/path"),
        ("${U:-$VAR}", "val"),
        ("${U:-$$}", "$"),
        ("${U:-a}/${U2:-b}/$VAR", "a/b/val"),
        ("${U:-localhost}:${U2:-5432}", "localhost:5432"),
        ("${U:-x} and more text ${VAR}", "x and more text val"),
    ],
)
def test_grammar(template: str, expected: str) -> None:
    result = substitute(template, lookup_in(VALUES))
    assert result.errors == ()
    assert result.value == expected


@pytest.mark.parametrize(
    "template",
    [
        "${VAR",
        "${VAR:-abc",
        "${ VAR }",
        "${VAR }",
        "${1VAR}",
        "${APP.NAME}",
        "${}",
        "${é}",
        "${VAR:}",
        "${VAR:x}",
        "${VAR::-x}",
        "${VAR:=x}",
        "${VAR/x/y}",
        "${#VAR}",
        "${VAR^^}",
    ],
)
def test_invalid_templates(template: str) -> None:
    result = substitute(template, lookup_in(VALUES))
    assert result.errors == (INVALID + template,)
    refs = references(template)
    assert refs[0] == Reference("", "", "", 0, 2, False, True)
    assert refs[0].invalid


def test_invalid_template_quotes_the_remainder_of_a_run() -> None:
    # Go interpolates what follows a closed ${A:-x} as its own template, and quotes that one.
    assert substitute("${A:-x} and ${B.C}", lookup_in({})).errors == (INVALID + " and ${B.C}",)
    assert substitute("${A} ${B.C}", lookup_in({})).errors == (INVALID + "${A} ${B.C}",)


def test_eager_evaluation_of_arguments() -> None:
    # The argument is interpolated before the outer variable is looked at.
    result = substitute("${VAR:-${UNSET2:?boom}}", lookup_in(SET))
    assert result.errors == ("required variable UNSET2 is missing a value: boom",)
    result = substitute("${UNSET:+${X:?boom}}", lookup_in({}))
    assert result.errors == ("required variable X is missing a value: boom",)
    # ...and "?" messages too, so their variables warn although the variable is set [v93].
    result = substitute("${REQ_A:?missing ${MSG_VAR}}", lookup_in({"REQ_A": "a"}))
    assert (result.value, result.unset, result.errors) == ("a", ("MSG_VAR",), ())
    result = substitute("${REQ_A:?missing ${MSG_VAR}}", lookup_in({"MSG_VAR": "hello"}))
    assert result.errors == ("required variable REQ_A is missing a value: missing hello",)


def test_failure_blanks_the_run_and_stops_it() -> None:
    # ${A:?} fails: the rest of its regex match (up to the last "}") is neither interpolated
    # nor warned about, and the first error of the string is the one Compose reports.
    result = substitute("x ${A:?} $B ${C}", lookup_in({}))
    assert (result.value, result.unset) == ("x ", ())
    result = substitute("$B ${A:?one} ${C:?two}", lookup_in({}))
    assert result.errors[0] == "required variable A is missing a value: one"
    assert result.unset == ("B",)


def test_unicode_case_folding_in_names() -> None:
    # Go's (?i) folds k/s to the Kelvin sign and the long s, so these are names to Compose.
    assert substitute("$\u212a", lookup_in({"\u212a": "kelvin"})).value == "kelvin"
    assert substitute("${\u017fx}", lookup_in({})).unset == ("\u017fx",)
    # ...but not the Turkish dotless i, which Python's re.IGNORECASE would accept.
    assert substitute("$\u0131", lookup_in({})).value == "$\u0131"


def test_no_dollar_fast_path() -> None:
    assert substitute("plain", lookup_in({})) == substitute("plain", lookup_in({"A": "1"}))
    assert not has_references("plain")
    assert literal_parts("plain") == "plain"


# -------------------------------------------------------------------------------- references


def test_references_nested_rows() -> None:
    text = "${L1:-${L2:-${L3:-deepest}}}"
    refs = references(text)
    assert [(r.name, r.default, r.nested) for r in refs] == [
        ("L1", "${L2:-${L3:-deepest}}", False),
        ("L2", "${L3:-deepest}", True),
        ("L3", "deepest", True),
    ]
    assert [text[r.start : r.end] for r in refs] == [text, text[6:-1], text[12:-2]]


def test_references_fields() -> None:
    text = "$A ${B} ${C:-d} ${D?m} ${E:+alt} $$F ${G-$H}"
    refs = references(text)
    assert [(r.name, r.operator, r.argument, r.braced, r.nested) for r in refs] == [
        ("A", "", "", False, False),
        ("B", "", "", True, False),
        ("C", ":-", "d", True, False),
        ("D", "?", "m", True, False),
        ("E", ":+", "alt", True, False),
        ("G", "-", "$H", True, False),
        ("H", "", "", False, True),
    ]
    assert [r.required for r in refs] == [False, False, False, True, False, False, False]
    assert [r.default for r in refs] == [None, None, "d", None, None, "$H", None]


def test_references_skip_required_messages() -> None:
    assert [r.name for r in references("${REQ_A:?missing ${MSG_VAR}}")] == ["REQ_A"]
    assert [r.name for r in references("${REQ_B?$MSG_VAR2}")] == ["REQ_B"]


def test_references_keep_raw_arguments() -> None:
    (ref,) = references("${ESC_DEF:-$$literal}")
    assert ref.default == "$$literal"
    (ref,) = references("${EXTRA:-x}}")
    assert (ref.default, ref.end) == ("x", 11)
    (ref,) = references("${BRACEY:-{json}}")
    assert ref.default == "{json}"


def test_references_in_comment_free_text() -> None:
    assert references("$$NOT_A_VAR $${NOT_EITHER} $5 a$ b") == []
    assert not has_references("$$NOT_A_VAR $${NOT_EITHER} $5 a$ b")
    assert has_references("${BAD")


def test_literal_parts() -> None:
    assert literal_parts("${DB_PASSWORD:-changeme}") == ""
    assert literal_parts("postgres://${U}:${P}@db:5432/$DB") == "postgres://:@db:5432/"
    assert literal_parts("pa$$word${X}") == "pa$word"
    assert literal_parts("price $5") == "price $5"
    assert literal_parts("${A:-x} mid ${B:-y}") == " mid "


# ---------------------------------------------------------------------------------- vectors


def _vector(name: str) -> dict[str, Any]:
    data = json.loads((vectors_dir() / "vectors.json").read_text(encoding="utf-8"))
    for vector in data["vectors"]:
        if vector["file"].startswith(name):
            return dict(vector)
    raise AssertionError(f"no vector {name}")


def _source(vector: dict[str, Any]) -> dict[str, Any]:
    loaded = yaml.safe_load((vectors_dir() / vector["file"]).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _sourced_values(source: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    """(service, field, key, source text) for map-form environment and list-form commands."""
    for service_name, service in source["services"].items():
        environment = service.get("environment") or {}
        if isinstance(environment, dict):
            for key, value in environment.items():
                if isinstance(value, str):
                    yield service_name, "environment", key, value
        command = service.get("command")
        if isinstance(command, list):
            for index, value in enumerate(command):
                if isinstance(value, str):
                    yield service_name, "command", str(index), value


def _warning(name: str) -> str:
    return f'The "{name}" variable is not set. Defaulting to a blank string.'


RESOLVED_VECTORS = ["01", "02", "03", "04", "05", "06", "07", "69", "85", "93"]


@pytest.mark.parametrize("name", RESOLVED_VECTORS)
def test_vector_resolution(name: str) -> None:
    vector = _vector(name)
    source = _source(vector)
    checked = 0
    for run_name, run in vector["runs"].items():
        env = dict(run["env"])
        outcome = run["config_q"]
        predicted_errors: set[str] = set()
        warnings: set[str] = set()
        for service, field, key, text in _sourced_values(source):
            result = substitute(text, lookup_in(env))
            warnings.update(_warning(n) for n in result.unset)
            if result.errors:
                path = f"services.{service}.{field}.{key}"
                predicted_errors.add(compose_error(result.errors[0], path))
                continue
            config = run.get("config")
            if config is None:
                continue
            resolved = config["services"][service][field]
            got = resolved[int(key)] if field == "command" else resolved[key]
            assert result.value == got, (run_name, key, text)
            checked += 1
        if outcome["ok"]:
            assert not predicted_errors, run_name
            assert warnings == set(outcome["warnings"]), run_name
        else:
            variants = set(outcome.get("error_variants") or [outcome["error"]])
            assert outcome["error"] in predicted_errors, run_name
            assert variants <= predicted_errors, run_name
            # Compose stops at the first failing value (in map order): fewer warnings.
            assert set(outcome["warnings"]) <= warnings, run_name
    assert checked or not any(r.get("config") for r in vector["runs"].values())


def _strings(node: Any) -> Iterator[str]:
    """Every string value (never a key), the way ExtractVariables walks the model."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


@pytest.mark.parametrize("name", ["01", "02", "03", "05", "06", "07", "69", "93"])
def test_vector_variables(name: str) -> None:
    """references() finds the rows of `config --variables` (names occurring once: whole row)."""
    vector = _vector(name)
    refs = [ref for text in _strings(_source(vector)) for ref in references(text)]
    assert {ref.name for ref in refs} == set(vector["variable_names"])
    rows = {row["name"]: row for row in vector["variables"]}
    counts = Counter(ref.name for ref in refs)
    for ref in refs:
        if counts[ref.name] != 1:
            continue
        alternate = ref.argument if ref.operator in ("+", ":+") else ""
        assert rows[ref.name] == {
            "name": ref.name,
            "required": ref.required,
            "default": ref.default or "",
            "alternate": alternate,
        }


# ------------------------------------------------------------ reference port of template.go

# A direct, unoptimised transcription of compose-go v2.9.1 template.go (regex + recursion on
# strings), used as an oracle for the linear implementation.
_GO_NAME = "[_A-Za-z\u017f\u212a][_A-Za-z0-9\u017f\u212a]*"
_GO_PATTERN = re.compile(
    rf"\$(?:(?P<escaped>\$)|(?P<named>{_GO_NAME})|\{{(?:(?P<braced>{_GO_NAME}(?::?[-+?](.*))?)\}}"
    r"|(?P<invalid>)))"
)
_GO_SEPARATORS = [":?", "?", ":-", "-", ":+", "+"]


class _GoError(Exception):
    def __init__(self, message: str, template: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.template = template


def _go_closing(text: str) -> int:
    depth = 0
    i = 0
    while i < len(text):
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        if text[i] == "{":
            depth += 1
            i += 1
        i += 1
    return -1


def _go_substitute(
    template: str, mapping: dict[str, str], warnings: list[str]
) -> tuple[str, _GoError | None]:
    first: list[_GoError] = []

    def replace(match: re.Match[str]) -> str:
        substring = match.group()
        found = [
            (template_index, sep)
            for sep in _GO_SEPARATORS
            if (template_index := substring.find(sep)) >= 0
        ]
        separator = min(found)[1] if found else ":?"
        rest = ""
        closing = _go_closing(substring)
        if closing > -1:
            rest = substring[closing + 1 :]
            substring = substring[: closing + 1]
        groups = _GO_PATTERN.search(substring)
        assert groups is not None
        try:
            if groups["escaped"]:
                return "$"
            substitution = groups["named"] or ""
            braced = False
            if not substitution:
                substitution = groups["braced"] or ""
                braced = True
            if not substitution:
                raise _GoError("invalid")
            if braced and separator in substitution:
                name, argument = substitution.split(separator, 1)
                resolved, error = _go_substitute(argument, mapping, warnings)
                if error is not None:
                    raise error
                value = mapping.get(name)
                if separator in (":-", "-"):
                    empty = value is None or (separator == ":-" and value == "")
                    out = resolved if empty else str(value)
                elif separator in (":+", "+"):
                    present = value is not None and (separator == "+" or value != "")
                    out = resolved if present else (value or "")
                else:
                    if value is None or (separator == ":?" and value == ""):
                        reason = f": {resolved}" if resolved else ""
                        raise _GoError(f"required variable {name} is missing a value{reason}")
                    out = value
                nested, error = _go_substitute(rest, mapping, warnings)
                if error is not None:
                    raise error
                return out + nested
            value = mapping.get(substitution)
            if value is None:
                warnings.append(substitution)
            return value or ""
        except _GoError as error:
            if error.message == "invalid" and not error.template:
                error.template = template
            if not first:
                first.append(error)
            return ""

    result = _GO_PATTERN.sub(replace, template)
    return result, (first[0] if first else None)


def _go_message(error: _GoError) -> str:
    return INVALID + error.template if error.message == "invalid" else error.message


GO_ENV = {"A": "a", "B": "", "\u212a": "kelvin"}
TEMPLATE_PIECES = st.sampled_from(
    [
        "$",
        "{",
        "}",
        ":",
        "-",
        "+",
        "?",
        "A",
        "B",
        "C",
        "x",
        " ",
        "\n",
        "$$",
        "${",
        "${A",
        "${C:-",
        "${B?",
        "${A:+",
        "${C-",
        "}}",
        "\u212a",
        "\u017f",
        "\\",
        "1",
        "_",
    ]
)
TEMPLATES = st.lists(TEMPLATE_PIECES, max_size=30).map("".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEMPLATES)
def test_matches_reference_port(template: str) -> None:
    warnings: list[str] = []
    value, error = _go_substitute(template, GO_ENV, warnings)
    result = substitute(template, lookup_in(GO_ENV))
    assert result.value == value
    assert result.unset == tuple(dict.fromkeys(warnings))
    if error is None:
        assert result.errors == ()
    else:
        assert result.errors[0] == _go_message(error)


# ------------------------------------------------------------------------------- properties


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_never_raises_and_offsets_are_valid(text: str) -> None:
    refs = references(text)
    substitute(text, lookup_in({"A": "1"}))
    literal_parts(text)
    assert has_references(text) == bool(refs)
    _check_offsets(text, refs)


@settings(max_examples=500, deadline=None)
@given(TEMPLATES)
def test_offsets_on_dense_templates(text: str) -> None:
    refs = references(text)
    _check_offsets(text, refs)
    assert has_references(text) == bool(refs)


def _check_offsets(text: str, refs: list[Reference]) -> None:
    outer: list[Reference] = []
    for ref in refs:
        assert 0 <= ref.start < ref.end <= len(text)
        assert text[ref.start] == "$"
        assert text.startswith("${", ref.start) == ref.braced
        if ref.operator:
            assert text[ref.start : ref.end].endswith(ref.argument + "}")
        if ref.nested:
            # Nested references sit inside the argument of an earlier one.
            assert any(o.start < ref.start and ref.end <= o.end for o in outer)
        else:
            assert all(o.end <= ref.start for o in outer if not o.nested)
        outer.append(ref)


def test_deep_nesting_does_not_raise() -> None:
    text = "${A:-" * 5000 + "x" + "}" * 5000
    assert substitute(text, lookup_in({})).errors == ()
    assert len(references(text)) > 1


# ------------------------------------------------------------------------------ performance


def _megabyte_of_references(count: int = 10_000) -> str:
    """``count`` references in ~100 characters each: 10,000 make a megabyte."""
    forms = ["${VAR_%d:-default}", "$V_%d", "${V_%d}", "${A:+x${B_%d:-y}}", "$$x%d", "${U_%d:?m}"]
    parts = []
    for index in range(count):
        parts.append(forms[index % len(forms)] % index)
        parts.append("x" * 90 if index % 7 else "x" * 80 + "\n" + "y" * 9)
    text = "".join(parts)
    assert len(text) >= count * 100
    return text


def _scan(text: str) -> list[Reference]:
    lookup = lookup_in({"A": "1"})
    refs = references(text)
    substitute(text, lookup)
    substitute(text.replace(":?m", ":-m"), lookup)
    literal_parts(text)
    has_references(text)
    return refs


def test_megabyte_with_ten_thousand_references_is_linear() -> None:
    """Its time (a target of < 1 s) is a benchmark figure: benchmarks/bench.py, "model"."""
    refs = _scan(_megabyte_of_references())
    escapes = sum(1 for index in range(10_000) if index % 6 == 4)
    assert len([r for r in refs if not r.nested]) == 10_000 - escapes
    assert_linear(lambda count: _scan(_megabyte_of_references(count)), 1_000, 4_000)


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "${A:-{x" * n + "}",  # never balanced: every run reaches the end of the line
        lambda n: "${A:-x" * n,  # never closed
        lambda n: "${A:-x} ${ " * n,  # an invalid "${" in every gap of one long run
        lambda n: "${A:-" * n + "}" * n,  # nesting far beyond the depth cap
    ],
    ids=["unbalanced", "unclosed", "invalid-gaps", "deep"],
)
def test_pathological_values_stay_linear(make: Callable[[int], str]) -> None:
    def scan(n: int) -> None:
        text = make(n)
        substitute(text, lookup_in({"A": "1"}))
        references(text)
        literal_parts(text)

    scan(50_000)  # the full size still ends, without an error
    assert_linear(scan, 2_000, 8_000)
