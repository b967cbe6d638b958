"""Fixability is declared once, by the rule (``fixable=True``), and it is true.

Nothing else lists fixable codes: ``--fix`` applies the ``Fix`` a hit carries, and each
fixer turns the intents it knows into text. These tests hold the declaration to the facts on
each rule's own doc Example: a fixable rule's finding carries a fix and ``--fix`` changes a
file until no fixable finding is left; any other rule's findings carry none. A fix marked
unsafe is applied only with ``--unsafe-fixes``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_project
from docker_standard import registry
from docker_standard.check import check_project
from docker_standard.cli import main
from docker_standard.findings import Fix, Hit
from test_meta import STATIC_RULES, example_files, section


def _example(root: Path, code: str) -> dict[str, str]:
    rule = registry.get_rule(code)
    assert rule is not None
    files = example_files(section(rule.doc, "## Example"))
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A", "-f"], cwd=root, check=True)
    return files


def _texts(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.mark.parametrize("rule", STATIC_RULES, ids=lambda r: r.code)
def test_a_rule_is_fixable_exactly_when_its_example_gets_fixed(
    rule: registry.Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _example(tmp_path, rule.code)
    found = [f for f in check_project([str(tmp_path)], select=(rule.code,)).findings
             if f.code == rule.code]
    assert found, f"{rule.code}: its Example does not trigger it"
    if not rule.fixable:
        assert not [f for f in found if f.fixable or f.fix is not None], (
            f"{rule.code} is not declared fixable (`fixable=True` in its @rule) but its "
            "findings carry a fix"
        )
        return
    assert all(f.fixable and f.fix is not None for f in found), (
        f"{rule.code} is declared fixable but its Example's findings carry no fix"
    )
    before = _texts(tmp_path)
    # An unsafe fix is applied only with --unsafe-fixes: without it, nothing changes.
    unsafe = any(f.fix is not None and not f.fix.safe for f in found)
    if unsafe:
        held = check_project([str(tmp_path)], select=(rule.code,), fix=True)
        assert not held.fixed and _texts(tmp_path) == before, (
            f"{rule.code}: an unsafe fix was applied without --unsafe-fixes"
        )
    diff = check_project([str(tmp_path)], select=(rule.code,), diff=True, unsafe_fixes=unsafe)
    assert diff.fixed, f"{rule.code}: --diff shows nothing for its Example"
    assert _texts(tmp_path) == before, "--diff wrote a file"
    report = check_project([str(tmp_path)], select=(rule.code,), fix=True, unsafe_fixes=unsafe)
    assert _texts(tmp_path) != before, f"{rule.code}: --fix changed no file for its Example"
    assert not [f for f in report.findings if f.fixable], (
        f"{rule.code}: findings marked fixable are left after --fix: {report.notes}"
    )


def test_the_fixable_declaration_is_the_only_one() -> None:
    import docker_standard.fixes as fixes
    from docker_standard.fixes import compose, envfix, gitignore

    for module in (fixes, compose, envfix, gitignore):
        assert not hasattr(module, "FIXABLE_CODES") and not hasattr(module, "CODES")


def test_ds104_fixes_an_env_defaults_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bug of issue 11: the rule found `.env.defaults`, the fixer looked for 4 names only,
    and `--fix` said nothing."""
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n",
        ".env.defaults": "# Name of the database\nPOSTGRES_DB=app\n",
    }, tracked=["compose.yaml", ".env.defaults"])
    assert main(["check", "--select", "DS104", "--diff"]) == 1
    out, _err = capsys.readouterr()
    assert "+++ b/.env.defaults" in out and "+POSTGRES_PASSWORD=" in out
    assert main(["check", "--select", "DS104", "--fix"]) == 1
    _out, err = capsys.readouterr()
    assert "fixed: .env.defaults: added POSTGRES_PASSWORD (DS104)" in err
    assert (tmp_path / ".env.defaults").read_text().endswith("\nPOSTGRES_PASSWORD=\n")
    assert main(["check", "--select", "DS104"]) == 0


@pytest.fixture
def unsafe_restart(monkeypatch: pytest.MonkeyPatch) -> None:
    """DS305 with its edit marked unsafe: the plumbing's test until a rule has one (issue 14
    adds DS307/DS309/DS311's)."""
    rule = registry.get_rule("DS305")
    assert rule is not None

    def check(target: object, project: object) -> Iterator[Hit]:
        for hit in rule.check(target, project):
            fix = hit.fix and Fix(hit.fix.intent, safe=False)
            yield hit._replace(fix=fix)

    monkeypatch.setitem(registry._RULES, "DS305", rule._replace(check=check))


@pytest.mark.usefixtures("unsafe_restart")
def test_an_unsafe_fix_needs_unsafe_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "services:\n  worker:\n    image: ghcr.io/acme/worker:2.0.1\n"
    write_project(tmp_path, {"compose.yaml": text}, tracked=["compose.yaml"])
    assert main(["check", "--select", "DS305", "--diff"]) == 1
    out, err = capsys.readouterr()
    assert "+    restart" not in out
    assert "1 unsafe fix not applied: run again with --unsafe-fixes" in err
    assert main(["check", "--select", "DS305", "--fix"]) == 1
    assert (tmp_path / "compose.yaml").read_text() == text
    capsys.readouterr()
    assert main(["check", "--select", "DS305", "--diff", "--unsafe-fixes"]) == 1
    out, _err = capsys.readouterr()
    assert "+    restart: unless-stopped" in out
    assert (tmp_path / "compose.yaml").read_text() == text
    assert main(["check", "--select", "DS305", "--fix", "--unsafe-fixes"]) == 1
    assert (tmp_path / "compose.yaml").read_text() == text + "    restart: unless-stopped\n"
    assert main(["check", "--select", "DS305"]) == 0
