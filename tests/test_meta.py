"""Conventions turned into checks: rule docs, examples, README table, manifest, scripts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from conftest import extra_module
from docker_standard.check import check_project
from docker_standard.cli import rules_table
from docker_standard.registry import DOC_SECTIONS, Rule, all_rules

REPO = Path(__file__).resolve().parents[1]
RULES = all_rules()
# The runtime rules (DS4xx) observe a real engine: their examples are checked by the real-engine
# tests in tests/coldstart, not by the static check.
STATIC_RULES = [r for r in RULES if not r.code.startswith("DS4")]
_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)
_FILE_COMMENT = re.compile(r"#\s*([\w./-]+)\s*$")
DEFAULT_NAMES = {
    "yaml": "compose.yaml",
    "yml": "compose.yaml",
    "dockerfile": "Dockerfile",
    "dotenv": ".env.example",
    "env": ".env.example",
    "sh": ".env.example",
    "bash": ".env.example",
    "gitignore": ".gitignore",
    "": "compose.yaml",
}


def example_files(section: str) -> dict[str, str]:
    """The files a doc section shows. A block's first line ``# path/name`` names its file;
    otherwise the language decides (yaml: compose.yaml, dockerfile: Dockerfile, env: .env.example).
    Blocks naming the same file are concatenated."""
    files: dict[str, str] = {}
    for language, body in _FENCE.findall(section):
        first, _, rest = body.partition("\n")
        match = _FILE_COMMENT.fullmatch(first.strip())
        named = match.group(1) if match else ""
        if named and ("." in named or "/" in named or named in ("Dockerfile", "Containerfile")):
            name, text = match.group(1), rest
        else:
            name, text = DEFAULT_NAMES.get(language.lower(), "compose.yaml"), body
        files[name] = files.get(name, "") + text
    return files


def section(doc: str, title: str) -> str:
    start = doc.index(title) + len(title)
    following = [doc.find(t, start) for t in DOC_SECTIONS if doc.find(t, start) > 0]
    return doc[start : min(following)] if following else doc[start:]


def test_codes_are_unique_and_named() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_doc_has_every_section(rule: Rule) -> None:
    positions = [rule.doc.find(title) for title in DOC_SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.code} lacks a section: {DOC_SECTIONS}"
    assert positions == sorted(positions), f"{rule.code}: sections out of order"
    assert rule.summary, f"{rule.code}: empty 'What it does'"


def _run_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: Rule, title: str
) -> list[str]:
    files = example_files(section(rule.doc, title))
    assert files, f"{rule.code}: {title} has no code block"
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A", "-f"], cwd=tmp_path, check=True)
    report = check_project([str(tmp_path)], select=(rule.code,))
    return [f.code for f in report.findings]


@pytest.mark.parametrize("rule", STATIC_RULES, ids=lambda r: r.code)
def test_example_triggers_the_rule(
    rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = _run_example(tmp_path, monkeypatch, rule, "## Example")
    assert rule.code in codes, f"{rule.code}: its Example does not trigger it"


@pytest.mark.parametrize("rule", STATIC_RULES, ids=lambda r: r.code)
def test_use_instead_passes(rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = _run_example(tmp_path, monkeypatch, rule, "## Use instead")
    assert rule.code not in codes, f"{rule.code}: its 'Use instead' still triggers it"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_a_test_module(rule: Rule) -> None:
    if rule.code == "DS001":
        assert (REPO / "tests" / "test_hostile_inputs.py").exists()
        return
    if rule.code.startswith("DS4"):
        assert (REPO / "tests" / "coldstart" / "test_real_engine.py").exists()
        return
    area = {"0": ".", "1": "env", "2": "dockerfile", "3": "compose"}[rule.code[2]]
    module = (
        REPO
        / "tests"
        / "rules"
        / area
        / f"test_{rule.code.lower()}_{rule.name.replace('-', '_')}.py"
    ).resolve()
    assert module.exists(), f"missing {module.relative_to(REPO)}"


def test_readme_rule_table_is_current() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == rules_table(markdown=True), (
        "README rule table is stale: regenerate it with `docker-standard rules --markdown`"
    )


def _manifest() -> list[dict[str, object]]:
    import yaml

    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_every_hook_has_a_console_script_and_is_in_the_readme() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ids = {str(hook["id"]) for hook in _manifest()}
    assert ids == {
        "docker-standard",
        "check-env-gitignored",
        "check-env-example",
        "check-dockerfiles",
        "check-compose",
        "cold-start",
    }
    for hook in _manifest():
        command = str(hook["entry"]).split()[0]
        assert command in scripts, f"{hook['id']}: no console script {command}"
        assert f"id: {hook['id']}" in readme or f"`{hook['id']}`" in readme
        assert hook.get("require_serial") is True


@pytest.mark.parametrize(
    ("hook_id", "path", "matches"),
    [
        ("docker-standard", "docker-compose.yml", True),
        ("docker-standard", "deploy/prod/compose.yaml", True),
        ("docker-standard", "docker-compose.dev.yml", True),
        ("docker-standard", "docker-compose.override.yaml", True),
        ("docker-standard", "services/bot/Dockerfile", True),
        ("docker-standard", "api.Dockerfile", True),
        ("docker-standard", "Dockerfile.prod", True),
        ("docker-standard", ".env", True),
        ("docker-standard", "app/.env.local", True),
        ("docker-standard", ".env.example", True),
        ("docker-standard", ".gitignore", True),
        ("docker-standard", "src/main.py", False),
        # Any YAML may be a compose file (stack.yml); the check skips the others cheaply.
        ("docker-standard", "config.yml", True),
        ("check-compose", "config.yml", False),
        ("check-compose", "stacks/a/docker-compose.prod.yml", True),
        ("check-compose", "docker-compose-prod.yml", True),
        ("check-compose", "prod.docker-compose.yml", True),
        ("check-compose", "Dockerfile", False),
        ("check-dockerfiles", "services/worker/Dockerfile", True),
        ("check-dockerfiles", "docker-compose.yml", False),
        ("check-env-example", "nested/.env.example", True),
        ("check-env-gitignored", "nested/.gitignore", True),
    ],
)
def test_manifest_files_regex(hook_id: str, path: str, matches: bool) -> None:
    hook = next(h for h in _manifest() if h["id"] == hook_id)
    assert bool(re.search(str(hook["files"]), path)) is matches


def test_manifest_is_valid_for_pre_commit() -> None:
    extra_module("pre_commit", "pre-commit")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_rules_reference_is_current() -> None:
    from docker_standard.cli import rules_reference

    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_reference(), (
        "docs/rules.md is stale: regenerate it with "
        "`docker-standard rules --reference > docs/rules.md`"
    )
