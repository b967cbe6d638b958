"""model/shell.py: the one reader of the shell text RUN, HEALTHCHECK and compose commands run."""

from __future__ import annotations

import pytest
from docker_standard.model.dockerfile import parse_dockerfile
from docker_standard.model.shell import (
    ParsedShell,
    ends_command,
    parse_exec,
    parse_shell,
    shell_script,
    split_words,
    without_redirections,
)
from hypothesis import given
from hypothesis import strategies as st


def shape(parsed: ParsedShell) -> list[list[tuple[str, list[tuple[str, ...]]]]]:
    """Lists of (op, raw commands) pipelines, for comparing a parse at a glance."""
    return [
        [(pipeline.op, [command.raw for command in pipeline.commands]) for pipeline in and_or]
        for and_or in parsed.lists
    ]


def programs(text: str) -> list[tuple[str, ...]]:
    return [command.words for command in parse_shell(text).commands]


# ---------------------------------------------------------------- lists, and-or, pipes


def test_lists_split_on_semicolons_newlines_and_background() -> None:
    assert shape(parse_shell("a 1; b\nc & d")) == [
        [("", [("a", "1")])],
        [("", [("b",)])],
        [("", [("c",)])],
        [("", [("d",)])],
    ]


def test_and_or_lists_keep_their_operators() -> None:
    assert shape(parse_shell("curl -f x || exit 1 && echo ok")) == [
        [("", [("curl", "-f", "x")]), ("||", [("exit", "1")]), ("&&", [("echo", "ok")])]
    ]


def test_pipes_join_commands_of_one_pipeline() -> None:
    assert shape(parse_shell("ps aux | grep -q app |& cat")) == [
        [("", [("ps", "aux"), ("grep", "-q", "app"), ("cat",)])]
    ]


def test_operators_need_no_blanks_around_them() -> None:
    assert shape(parse_shell("a&&b||c;d")) == [
        [("", [("a",)]), ("&&", [("b",)]), ("||", [("c",)])],
        [("", [("d",)])],
    ]


def test_empty_commands_and_trailing_operators_leave_nothing_behind() -> None:
    assert shape(parse_shell(";; a ;\n\n")) == [[("", [("a",)])]]
    assert shape(parse_shell("true &&")) == [[("", [("true",)])]]
    assert parse_shell("").lists == ()


# ---------------------------------------------------------------- words


def test_quotes_are_removed_and_protect_operators() -> None:
    assert programs("""echo "a; b" 'c && d' e\\ f""") == [("echo", "a; b", "c && d", "e f")]


def test_backslash_newline_continues_the_command() -> None:
    assert programs("apt-get install \\\n  gcc \\\r\n  make") == [
        ("apt-get", "install", "gcc", "make")
    ]


def test_an_unbalanced_quote_gives_no_commands() -> None:
    assert parse_shell("echo 'oops").lists == ()


def test_a_comment_runs_to_the_end_of_its_line() -> None:
    assert programs("a # b; c\nd") == [("a",), ("d",)]
    assert programs("echo a#b") == [("echo", "a#b")]


def test_redirections_stay_in_the_command_words() -> None:
    assert programs("curl -f x > /dev/null 2>&1") == [
        ("curl", "-f", "x", ">", "/dev/null", "2", ">&", "1")
    ]
    assert without_redirections(("-f", "x", ">", "/dev/null", "2", ">&", "1", "&>", "l")) == [
        "-f",
        "x",
    ]


def test_expansions_stay_as_written() -> None:
    assert programs('echo "$HOME" ${X:-y}') == [("echo", "$HOME", "${X:-y}")]


def test_split_words_leaves_operators_inside_words() -> None:
    assert split_words("mysql -p'se cret' && x;") == ["mysql", "-pse cret", "&&", "x;"]
    assert split_words("echo 'oops x") == ["echo", "'oops", "x"]


@pytest.mark.parametrize(
    ("word", "ends"),
    [
        *[(";", True), ("&", True), ("&&", True), ("||", True), ("|", True), ("|&", True)],
        *[(">", False), ("2>&1", False), ("(", False), ("x;", False), ("", False)],
    ],
)
def test_ends_command(word: str, ends: bool) -> None:
    assert ends_command(word) is ends


# ---------------------------------------------------------------- the program a command runs


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sudo -E apt-get install gcc", ("apt-get", "install", "gcc")),
        ("env -i A=1 B=2 /usr/bin/pip install x", ("/usr/bin/pip", "install", "x")),
        ("DEBIAN_FRONTEND=noninteractive apt-get -y install", ("apt-get", "-y", "install")),
        ("exec gunicorn app", ("gunicorn", "app")),
        ("! grep -q x f", ("grep", "-q", "x", "f")),
        ("time nice make", ("make",)),
        ("sudo -E -H pip", ("-H", "pip")),  # one option after a wrapper is skipped, no more
        ("1A=x run", ("1A=x", "run")),  # not a variable name: a word
    ],
)
def test_words_start_at_the_program(text: str, words: tuple[str, ...]) -> None:
    assert programs(text) == [words]


def test_reserved_words_are_skipped_and_mark_the_script_compound() -> None:
    parsed = parse_shell("if [ -f x ]; then apt-get install gcc; fi")
    assert [c.words for c in parsed.commands] == [
        ("[", "-f", "x", "]"),
        ("apt-get", "install", "gcc"),
    ]
    last = list(parsed.steps())[-1]
    assert last.raw == ("fi",)  # runs nothing, still a step
    assert last.closes
    assert not last.words
    assert parsed.compound


def test_a_loop_variable_is_no_program() -> None:
    parsed = parse_shell("for p in a b; do pip install $p; done")
    assert parsed.compound
    assert [c.name for c in parsed.commands] == ["for", "pip"]


def test_a_plain_script_is_not_compound() -> None:
    assert not parse_shell("curl -f x || exit 1").compound


def test_name_args_and_flags() -> None:
    (command,) = parse_shell("/usr/bin/apt-get purge -y --auto-remove gcc").commands
    assert command.name == "apt-get"
    assert command.args == ("purge", "-y", "--auto-remove", "gcc")
    assert command.has_flag("--auto-remove")
    assert not command.has_flag("gcc-dev")


# ---------------------------------------------------------------- sh -c and the exec form


@pytest.mark.parametrize(
    ("words", "script"),
    [
        (("sh", "-c", "a && b"), "a && b"),
        (("/bin/bash", "-lc", "a"), "a"),
        (("bash", "-e", "-c", "a", "name", "arg"), "a"),
        (("bash", "-o", "pipefail", "-c", "a"), "a"),
        (("busybox", "-c", "a"), "a"),
        (("sh", "script.sh", "-c", "a"), None),  # -c after the script is the script's
        (("sh", "-c"), None),
        (("sh", "-e", "a"), None),
        (("python", "-c", "a"), None),
        ((), None),
    ],
)
def test_shell_script(words: tuple[str, ...], script: str | None) -> None:
    assert shell_script(words) == script


def test_a_command_that_runs_a_shell_exposes_its_script() -> None:
    (command,) = parse_shell("sh -c 'migrate && exec serve' > /log 2>&1").commands
    assert command.script is not None
    assert [c.words for c in command.script.commands] == [("migrate",), ("serve",)]
    (plain,) = parse_shell("python -c 'import sys'").commands
    assert plain.script is None


def test_nested_shells_parse_level_by_level() -> None:
    (outer,) = parse_shell("""sh -c "bash -c 'exit 0'" """).commands
    assert outer.script is not None
    (inner,) = outer.script.commands
    assert inner.script is not None
    assert [c.words for c in inner.script.commands] == [("exit", "0")]


def test_the_exec_form_is_one_command_no_shell_reads() -> None:
    parsed = parse_exec(["echo", "a && b", "if", "A=1"])
    assert shape(parsed) == [[("", [("echo", "a && b", "if", "A=1")])]]
    (command,) = parsed.commands
    assert command.exec_form
    assert not parsed.compound


def test_the_exec_form_still_skips_wrappers() -> None:
    assert [c.words for c in parse_exec(["sudo", "-E", "pip", "install", "x"]).commands] == [
        ("pip", "install", "x")
    ]
    assert [c.words for c in parse_exec(["if", "x"]).commands] == [("if", "x")]


def test_the_exec_form_of_a_shell_is_its_script() -> None:
    parsed = parse_exec(["/bin/sh", "-c", "apt-get update && apt-get install -y gcc"])
    assert [c.name for c in parsed.commands] == ["apt-get", "apt-get"]
    assert parse_exec([]).lists == ()


# ---------------------------------------------------------------- Dockerfile instructions


def _instruction(line: str, index: int = 1) -> ParsedShell:
    dockerfile = parse_dockerfile(f"FROM alpine\n{line}\n", "Dockerfile")
    return dockerfile.instructions[index].shell()


def test_run_in_shell_form_and_its_here_documents() -> None:
    parsed = _instruction("RUN <<EOF\napk add gcc\nEOF")
    assert ("apk", "add", "gcc") in [c.words for c in parsed.commands]


def test_run_in_exec_form_with_a_shell() -> None:
    parsed = _instruction('RUN ["sh", "-c", "apk add gcc; apk del gcc"]')
    assert [c.words for c in parsed.commands] == [("apk", "add", "gcc"), ("apk", "del", "gcc")]


def test_healthcheck_reads_the_command_after_cmd() -> None:
    parsed = _instruction("HEALTHCHECK --interval=5s CMD curl -f http://x || exit 1")
    assert [c.name for c in parsed.commands] == ["curl", "exit"]
    assert _instruction('HEALTHCHECK CMD ["true"]').commands[0].words == ("true",)
    assert _instruction("HEALTHCHECK NONE").lists == ()


def test_other_instructions_run_no_shell() -> None:
    assert _instruction("ENV A=1").lists == ()


def test_an_instruction_parses_once() -> None:
    dockerfile = parse_dockerfile("FROM alpine\nRUN apk add gcc\n", "Dockerfile")
    run = dockerfile.instructions[1]
    assert run.shell() is run.shell()


# ---------------------------------------------------------------- never fails


@given(st.text(alphabet=" \t\n\\'\";&|()<>#=$-abc!{}", max_size=60))
def test_any_text_parses_without_error(text: str) -> None:
    parsed = parse_shell(text)
    for command in parsed.steps():
        assert command.raw
        assert command.words == command.raw[len(command.raw) - len(command.words) :]
        _ = command.script
