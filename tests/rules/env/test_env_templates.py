"""Env templates as users name and keep them: one list of names for every rule and fixer
(DS103, DS104, DS306, DS313, ``--fix``), what is known outside git, commented-out variables,
a committed ``.env`` used as the defaults file, and shell scripts named like env files.

The ``r1``-``r3`` cases are the repros in ``../shared/precision`` (README there), copied to a
temporary folder first.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_findings, git, shared
from docker_standard.check import check_project
from docker_standard.findings import Finding, Severity
from docker_standard.model.project import (
    ENV_TEMPLATE_NAMES,
    env_template_names,
    is_env_name,
    is_env_template,
    is_local_env,
)

USES = "services:\n  app:\n    image: nginx:${TAG}\n    environment:\n      P: ${DB_PASSWORD}\n"
TEMPLATE = "# Image tag\nTAG=1.27\n# Password\nDB_PASSWORD=changeme\n"


# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name",
    [*ENV_TEMPLATE_NAMES, "app.env.example", "app.example.env", ".env.dev.example",
     "env.sample"],
)
def test_template_names_are_env_templates(name: str) -> None:
    assert is_env_name(name)
    assert is_env_template(name)
    assert not is_local_env(name)


@pytest.mark.parametrize(
    "name", [".env", ".env.local", ".env.production", "app.env", "stack.env"]
)
def test_local_env_files_are_no_templates(name: str) -> None:
    assert is_env_name(name)
    assert not is_env_template(name)


@pytest.mark.parametrize(
    "name", ["env", "config.example", "README.example", ".env.sh", "settings.env.json"]
)
def test_other_files_are_no_env_files(name: str) -> None:
    assert not is_env_name(name)


def test_template_names_of_an_env_file() -> None:
    assert env_template_names(".env") == ENV_TEMPLATE_NAMES
    assert env_template_names()[:9] == (
        ".env.example", ".env.sample", ".env.template", ".env.dist", "env.example",
        "example.env", "sample.env", "template.env", ".env.defaults",
    )
    assert env_template_names("app.env")[:2] == ("app.env.example", "app.env.sample")
    assert "app.example.env" in env_template_names("app.env")
    assert env_template_names("settings")[0] == "settings.example"


# ---------------------------------------------------------------------------- every rule


@pytest.mark.parametrize("name", ENV_TEMPLATE_NAMES)
def test_every_rule_reads_the_same_template(lint: Callable[..., Any], name: str) -> None:
    """DS103 finds it, DS104 checks against it, DS306 resolves the tag from it."""
    files = {"compose.yaml": USES, name: TEMPLATE, ".gitignore": ".env\n"}
    assert_findings(lint(files, select=["DS103", "DS104", "DS306"]))


@pytest.mark.parametrize("name", ENV_TEMPLATE_NAMES)
def test_ds104_names_the_template_it_read(lint: Callable[..., Any], name: str) -> None:
    files = {"compose.yaml": USES.replace("${DB_PASSWORD}", "${OTHER}"), name: TEMPLATE}
    findings, _ = lint(files, select=["DS104"])
    assert [f.message.split(":")[0] for f in findings] == [f"variable OTHER is not in {name}"]


@pytest.mark.parametrize(
    ("env_file", "template"),
    [(".env", "env.example"), (".env", "template.env"), (".env", ".env.defaults"),
     ("app.env", "app.env.example"), ("app.env", "app.example.env"),
     ("settings", "settings.dist")],
)
def test_ds313_knows_the_same_templates(
    lint: Callable[..., Any], env_file: str, template: str
) -> None:
    compose = f"services:\n  api:\n    image: a/b:1\n    env_file:\n      - {env_file}\n"
    findings, _ = lint({"compose.yaml": compose, template: "# A\nA=1\n"}, select=["DS313"])
    assert [(f.severity, template in f.message) for f in findings] == [(Severity.INFO, True)]


# ---------------------------------------------------------------------------- the repros


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(shared("precision", name), target)
    return target


def _run(root: Path, *select: str) -> list[Finding]:
    return list(check_project([str(root)], select=select).findings)


def test_r1_outside_git_nothing_is_known_to_be_untracked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy("r1", tmp_path)
    monkeypatch.chdir(root)
    findings = _run(root, "DS103", "DS313")
    assert [(f.code, f.severity) for f in findings] == [("DS103", Severity.INFO)]
    message = findings[0].message
    assert "not tracked" not in message
    assert "no git repository" in message
    assert not findings[0].fixable


def test_r1_inside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy("r1", tmp_path)
    monkeypatch.chdir(root)
    git(root, "init", "-q")
    findings = _run(root, "DS103", "DS313")
    assert [(f.code, f.severity) for f in findings] == [("DS103", Severity.ERROR)]
    assert "is ignored by git and not tracked" in findings[0].message
    git(root, "add", "-f", ".env.example")
    assert _run(root, "DS103", "DS313") == []


def test_r2_ds306_reads_example_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy("r2", tmp_path)
    monkeypatch.chdir(root)
    assert _run(root, "DS103", "DS104", "DS306") == []


def test_r3_env_example_is_a_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy("r3", tmp_path)
    monkeypatch.chdir(root)
    assert _run(root, "DS103", "DS104") == []
    git(root, "init", "-q")
    assert _run(root, "DS103", "DS104") == []


def test_ds313_outside_git_says_what_gitignore_shows(lint: Callable[..., Any]) -> None:
    compose = "services:\n  api:\n    image: a/b:1\n    env_file:\n      - app.env\n"
    files = {"compose.yaml": compose, "app.env": "A=1\n", ".gitignore": "*.env\n"}
    findings, _ = lint(files, select=["DS313"], use_git=False)
    assert len(findings) == 1
    assert "not tracked" not in findings[0].message
    assert "matches .gitignore" in findings[0].message
    findings, _ = lint(files, select=["DS313"])
    assert "is gitignored and not tracked" in findings[0].message


def test_ds313_outside_git_an_ignored_template_counts(lint: Callable[..., Any]) -> None:
    compose = "services:\n  api:\n    image: a/b:1\n    env_file:\n      - .env\n"
    files = {"compose.yaml": compose, ".env.example": "# A\nA=1\n", ".gitignore": ".env*\n"}
    findings, _ = lint(files, select=["DS313"], use_git=False)
    assert [f.severity for f in findings] == [Severity.INFO]


# ---------------------------------------------------------------------------- committed .env


TEMPORAL = {
    "compose.yaml": "services:\n  db:\n    image: postgres:${POSTGRESQL_VERSION}\n"
                    "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n"
                    "  app:\n    image: temporalio/auto-setup:${TEMPORAL_VERSION}\n",
    ".env": "COMPOSE_PROJECT_NAME=temporal\nPOSTGRESQL_VERSION=16\nTEMPORAL_VERSION=1.29.1\n"
            "POSTGRES_PASSWORD=temporal\nCASSANDRA_VERSION=3.11.9\n",
    ".gitignore": ".idea\n",
}


def _commit_all(root: Path) -> None:
    git(root, "add", "-A")
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init"],
        cwd=root, check=True, capture_output=True,
    )


def test_a_committed_env_used_as_defaults_is_one_ds102(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """temporal, docker-elk, n8n: no DS103/DS104/DS105/DS306 chain after the DS102 finding."""
    from conftest import write_project

    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, TEMPORAL)
    _commit_all(tmp_path)
    findings = _run(tmp_path, "DS102", "DS103", "DS104", "DS105", "DS108", "DS306", "DS313")
    assert [(f.code, f.span.path) for f in findings] == [("DS102", ".env")]
    message = findings[0].message
    assert "takes its defaults from it" in message
    assert "git mv .env .env.example" in message


def test_outside_git_a_not_ignored_env_gives_the_defaults(lint: Callable[..., Any]) -> None:
    findings, _ = lint(TEMPORAL, select=["DS1", "DS306"], use_git=False)
    assert [(f.code, f.span.path) for f in findings] == [("DS101", ".env")]


def test_an_untracked_env_inside_git_is_no_defaults_file(lint: Callable[..., Any]) -> None:
    """Only what a clone gets counts: a local .env that git does not ignore is DS101's, and
    the stack still lacks a template and a pinned tag."""
    findings, _ = lint(TEMPORAL, select=["DS1", "DS306"])
    assert sorted({f.code for f in findings}) == ["DS101", "DS103", "DS306"]


def test_a_template_wins_over_a_committed_env(lint: Callable[..., Any]) -> None:
    files = {**TEMPORAL, ".env.example": "# Versions\nPOSTGRESQL_VERSION=16\n"}
    findings, _ = lint(files, select=["DS104"], tracked=[".env", ".env.example"])
    assert {f.message.split(":")[0] for f in findings} == {
        "variable POSTGRES_PASSWORD is not in .env.example",
        "variable TEMPORAL_VERSION is not in .env.example",
    }


# ---------------------------------------------------------------------------- shell scripts

PERMANENT_DATA = """\
# Permanent data mounted in volumes
i=0
PERMANENT_DATA[((i++))]="/var/ossec/etc"
PERMANENT_DATA[((i++))]="/var/ossec/logs"
export PERMANENT_DATA
i=0
"""


def test_a_shell_script_named_like_an_env_file_is_not_linted(lint: Callable[..., Any]) -> None:
    files = {"config/permanent_data.env": PERMANENT_DATA, ".gitignore": ".env\n",
             "compose.yaml": "services:\n  a:\n    image: a/b:1\n"}
    assert_findings(lint(files, select=["DS1"]), ["DS1"])


def test_a_shell_script_an_env_file_reads_is_linted(lint: Callable[..., Any]) -> None:
    files = {"config/permanent_data.env": PERMANENT_DATA,
             "compose.yaml": "services:\n  a:\n    image: a/b:1\n"
                             "    env_file: config/permanent_data.env\n"}
    findings, _ = lint(files, select=["DS109"])
    assert findings and all(f.span.path == "config/permanent_data.env" for f in findings)
