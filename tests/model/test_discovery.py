"""Which files are compose files, which stacks they form, and how fragments are judged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import assert_findings, shared, write_project
from docker_standard.check import check_project
from docker_standard.config import Settings
from docker_standard.model import project as pm
from docker_standard.model.loading import load_project
from docker_standard.model.project import Project

WEB = "services:\n  web:\n    image: nginx:1.27\n"


def _load(root: Path, files: dict[str, str], **kwargs: object) -> Project:
    write_project(root, files, use_git=False)
    return load_project(root, Settings(), is_repo=False, **kwargs)  # type: ignore[arg-type]


def _stack_paths(project: Project) -> list[str]:
    return sorted(stack.path for stack in project.stacks)


# ---------------------------------------------------------------- names and content


@pytest.mark.parametrize(
    "name",
    [
        "docker-compose-prod.yml",
        "compose-prod.yaml",
        "prod.docker-compose.yml",
        "foo-compose.yml",
        "stack.yml",
        "kimai/kimai.yaml",
    ],
)
def test_compose_files_of_any_name_are_stacks(tmp_path: Path, name: str) -> None:
    project = _load(tmp_path, {name: WEB})
    assert _stack_paths(project) == [name]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
         "    services:\n      db:\n        image: postgres:16\n"),
        (".gitlab-ci.yml", "image: python:3.12\nservices:\n  - postgres:16\ntest:\n"
         "  script: [pytest]\n"),
        ("k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"),
        ("ansible/site.yml", "- hosts: all\n  tasks:\n    - name: ping\n      ping:\n"),
        ("helm/values.yaml", "replicaCount: 1\nservices:\n  api:\n    image:\n"
         "      repository: x\n      tag: '1'\n"),
        ("patch.yml", "services:\n  web:\n    environment:\n      A: b\n"),
    ],
)
def test_other_yaml_is_not_a_compose_file(tmp_path: Path, name: str, text: str) -> None:
    project = _load(tmp_path, {name: text})
    assert project.stacks == []
    assert name not in project.sources  # sniffed, not kept: it is not checked


def test_yaml_without_a_services_line_is_never_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A monorepo of manifests costs a read per file, not a YAML parse."""
    files = {f"k8s/m{i}.yaml": "apiVersion: v1\nkind: ConfigMap\n" for i in range(50)}
    write_project(tmp_path, files, use_git=False)
    parsed: list[str] = []
    real = pm.load_documents

    def counting(text: str, path: str) -> list[object]:
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(pm, "load_documents", counting)
    project = load_project(tmp_path, Settings(), is_repo=False)
    assert project.stacks == [] and parsed == []


def test_a_sniffed_file_is_read_and_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, {"stack.yml": WEB}, use_git=False)
    parsed: list[str] = []
    real = pm.load_documents

    def counting(text: str, path: str) -> list[object]:
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(pm, "load_documents", counting)
    project = load_project(tmp_path, Settings(), is_repo=False)
    assert _stack_paths(project) == ["stack.yml"]
    assert parsed == ["stack.yml"] and project.files_read == 1


def test_a_named_file_is_judged_by_its_content(tmp_path: Path) -> None:
    """An overlay without `image` is found only when named; a manifest never is."""
    files = {"patch.yml": "services:\n  web:\n    environment:\n      A: b\n",
             "deploy.yaml": "apiVersion: v1\nkind: Pod\n"}
    project = _load(tmp_path, files, only=["patch.yml", "deploy.yaml"])
    assert _stack_paths(project) == ["patch.yml"]
    assert project.stacks[0].fragment  # it patches a service nobody defines here


def test_dockerfiles_of_new_names_get_their_context(tmp_path: Path) -> None:
    files = {
        "deploy/stack.yml": "services:\n  app:\n    build:\n      context: ../app\n"
                            "      args:\n        V: '1'\n",
        "app/Dockerfile": "FROM alpine:3.20\nARG V\nCOPY run.sh /run.sh\n",
        "app/run.sh": "",
    }
    project = _load(tmp_path, files)
    service = project.stacks[0].services["app"]
    assert service.dockerfile is not None and service.dockerfile.path == "app/Dockerfile"
    assert [c.path for c in project.contexts.by_dockerfile["app/Dockerfile"]] == ["app"]


@pytest.mark.parametrize(
    "folder",
    [
        "compose-prod.yaml-dir",
        "docker-compose-prod.yml-dir",
        "foo-compose.yml-dir",
        "prod.docker-compose.yml-dir",
        "stack.yml-dir",
    ],
)
def test_precision_discovery_named_and_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    """precision/discovery: every compose file is read, named or found."""
    source = shared("precision", "discovery", folder)
    shutil.copytree(source, tmp_path / folder)
    name = next(p.name for p in (tmp_path / folder).iterdir())
    monkeypatch.chdir(tmp_path / folder)
    for paths in ([name], ["."]):
        report = check_project(paths, select=("DS306",))
        assert [(f.code, f.span.path) for f in report.findings] == [("DS306", name)]


def test_check_of_one_file_lints_that_file(lint) -> None:  # type: ignore[no-untyped-def]
    """`check docker-compose-postgres.yml` reports that file, not its neighbour."""
    findings, _ = lint(
        {
            "docker-compose.yml": "services:\n  app:\n    image: app\n",
            "docker-compose-postgres.yml": "services:\n  db:\n    image: postgres\n",
        },
        select=("DS306",),
        paths=("docker-compose-postgres.yml",),
    )
    assert [f.span.path for f in findings] == ["docker-compose-postgres.yml"]


# ---------------------------------------------------------------- fragments


BASE = (
    "services:\n"
    "  frontend:\n    image: frappe/erpnext:v15.1.0\n    restart: unless-stopped\n"
    "    healthcheck:\n      test: [CMD, 'true']\n    networks: [app]\n"
    "  backend:\n    image: frappe/erpnext:v15.1.0\n    restart: unless-stopped\n"
    "    healthcheck:\n      test: [CMD, 'true']\n    networks: [app]\n"
    "networks:\n  app:\n"
)


def test_a_subfolder_overlay_is_merged_onto_the_base(lint) -> None:  # type: ignore[no-untyped-def]
    """frappe-docker overrides/compose.*.yaml: judged merged, paths from the base's folder."""
    result = lint(
        {
            "compose.yaml": BASE,
            "overrides/compose.https.yaml": "services:\n  frontend:\n    labels:\n"
                                            "      - traefik.enable=true\n"
                                            "    volumes:\n      - ./sites:/sites\n",
            "sites/.keep": "",
        },
        select=("DS3", "DS001"),
    )
    assert_findings(result, ("DS3", "DS001"))


def test_override_named_fragments_in_subfolders(lint) -> None:  # type: ignore[no-untyped-def]
    """mailcow helper-scripts/docker-compose.override.yml.d/*/docker-compose.override.yml."""
    folder = "helper-scripts/docker-compose.override.yml.d"
    result = lint(
        {
            "compose.yaml": BASE,
            f"{folder}/DNS/docker-compose.override.yml": "services:\n  frontend:\n"
                                                        "    dns: [1.1.1.1]\n",
            f"{folder}/BUILD/docker-compose.override.yml": "services:\n  backend:\n"
                                                          "    build: ./backend\n",
        },
        select=("DS301", "DS305", "DS306", "DS309"),
    )
    assert_findings(result, ("DS301", "DS305", "DS306", "DS309"))


def test_a_fragment_without_a_base_gets_fragment_rules(lint) -> None:  # type: ignore[no-untyped-def]
    """No base to merge onto: never "Compose refuses", still secrets and syntax."""
    result = lint(
        {
            "ci/compose.ci.yaml": "services:\n  zulip:\n    environment:\n"
                                  "      SECRET_KEY: 9f8e7d6c5b4a39281706f5e4d3c2b1a0"
                                  "  # expect: DS310\n",
        },
        select=("DS3",),
    )
    assert_findings(result, ("DS3",))


def test_an_overlay_needs_the_overlays_its_usage_names(lint) -> None:  # type: ignore[no-untyped-def]
    """opentelemetry-demo compose.agent.yaml runs after compose.observability.yaml."""
    agent = (
        "# Usage:\n#   docker compose -f compose.yaml -f compose.observability.yaml \\\n"
        "#                  -f compose.agent.yaml up\n"
        "services:\n  agent:\n    image: agent:1.0.0\n    restart: unless-stopped\n"
        "    healthcheck:\n      test: [CMD, 'true']\n    networks: [app]\n"
        "    depends_on:\n      jaeger:\n        condition: service_healthy\n"
    )
    observability = (
        "services:\n  jaeger:\n    image: jaegertracing/all-in-one:1.60.0\n"
        "    restart: unless-stopped\n    healthcheck:\n      test: [CMD, 'true']\n"
        "    networks: [app]\n"
    )
    result = lint(
        {"compose.yaml": BASE, "compose.observability.yaml": observability,
         "compose.agent.yaml": agent},
        select=("DS304",),
    )
    assert_findings(result, ("DS304",))


def test_a_fragment_patching_an_overlay_sees_it(tmp_path: Path) -> None:
    """compose.mariadb-secrets.yaml patches the `db` of compose.mariadb.yaml (not of
    compose.postgres.yaml), even though it sorts before it."""
    files = {
        "compose.yaml": BASE,
        "overrides/compose.mariadb-secrets.yaml": "services:\n  db:\n    secrets: [pw]\n"
                                                  "secrets:\n  pw:\n    file: ./pw.txt\n",
        "overrides/compose.mariadb.yaml": "services:\n  db:\n    image: mariadb:11.8\n"
                                          "  backend:\n    depends_on: [db]\n",
        "overrides/compose.postgres.yaml": "services:\n  db:\n    image: postgres:16\n"
                                           "  backend:\n    depends_on: [db]\n",
    }
    project = _load(tmp_path, files)
    assert _stack_paths(project) == ["compose.yaml"]
    views = project.stacks[0].views
    key = ("compose.yaml", "overrides/compose.mariadb.yaml",
           "overrides/compose.mariadb-secrets.yaml")
    assert views[key]["db"].image == "mariadb:11.8"


def test_a_same_folder_overlay_of_another_name(lint) -> None:  # type: ignore[no-untyped-def]
    """docker-jitsi-meet jibri.yml adds a service that waits on one of the base."""
    result = lint(
        {
            "docker-compose.yml": BASE,
            "jibri.yml": "services:\n  jibri:\n    image: jitsi/jibri:stable-9753\n"
                         "    depends_on: [frontend]\n    networks: [app]\n",
        },
        select=("DS304", "DS308"),
    )
    assert_findings(result, ("DS304", "DS308"))


def test_a_complete_file_mentioning_an_override_is_a_stack(tmp_path: Path) -> None:
    """docker-mailserver demo-setups/relay-compose.yaml: a comment about a postfix override
    does not make a complete stack a fragment."""
    text = (
        "services:\n  dms:\n    image: mailserver/docker-mailserver:15.0\n"
        "    # (change the port to 587 if you do not want the postfix-main.cf override)\n"
        "    environment:\n      - RELAY_HOST=smtp\n"
    )
    project = _load(tmp_path, {"compose.yaml": BASE, "demo/relay-compose.yaml": text})
    stacks = {stack.path: stack for stack in project.stacks}
    assert set(stacks) == {"compose.yaml", "demo/relay-compose.yaml"}
    assert not stacks["demo/relay-compose.yaml"].fragment


def test_a_complete_stack_in_a_subfolder_stays_its_own(tmp_path: Path) -> None:
    """Its own -f usage comment names only itself (laradock production/compose.yml)."""
    text = "# docker compose -f production/compose.yml up -d\n" + WEB
    project = _load(tmp_path, {"compose.yaml": BASE, "production/compose.yml": text})
    assert _stack_paths(project) == ["compose.yaml", "production/compose.yml"]


def test_precision_r9_comment_only_overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """precision/r9: Compose merges a comment-only overlay; it is no DS001."""
    shutil.copytree(shared("precision", "r9"), tmp_path / "r9")
    monkeypatch.chdir(tmp_path / "r9")
    report = check_project([str(tmp_path / "r9")], select=("DS001",))
    assert report.findings == ()


def test_an_empty_base_is_still_reported(lint) -> None:  # type: ignore[no-untyped-def]
    result = lint({"compose.yaml": "# nothing yet  # expect: DS001\n"}, select=("DS001",))
    assert_findings(result, ("DS001",))


# ---------------------------------------------------------------- values


def test_precision_r12_include_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """precision/r12: an include's env_file supplies values to DS306 and DS103."""
    shutil.copytree(shared("precision", "r12"), tmp_path / "r12")
    monkeypatch.chdir(tmp_path / "r12")
    report = check_project([str(tmp_path / "r12")], select=("DS306", "DS103"))
    assert report.findings == ()


def test_include_env_file_values_resolve_images(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        "compose.yaml": "include:\n  - path: svc/compose.yml\n    env_file: svc/defaults.env\n",
        "svc/compose.yml": "services:\n  db:\n    image: arangodb:${ARANGODB_VERSION}\n"
                           "  cache:\n    image: redis:${REDIS_VERSION}  # expect: DS306\n",
        "svc/defaults.env": "ARANGODB_VERSION=3.12\n",
    }
    assert_findings(lint(files, select=("DS306",)), ("DS306",))


def test_precision_r13_interpolated_dockerfile(tmp_path: Path) -> None:
    """precision/r13: `dockerfile: ${APP_DOCKERFILE}` resolves from .env.example."""
    shutil.copytree(shared("precision", "r13"), tmp_path / "r13")
    project = load_project(tmp_path / "r13", Settings(), is_repo=False)
    service = project.stacks[0].services["app"]
    assert service.dockerfile is not None and service.dockerfile.path == "src/app/Dockerfile"
    assert project.services_building(service.dockerfile) == [service]


def test_an_unresolved_dockerfile_is_left_alone(tmp_path: Path) -> None:
    files = {
        "compose.yaml": "services:\n  app:\n    build:\n      context: .\n"
                        "      dockerfile: ${NOWHERE}\n",
        "Dockerfile": "FROM alpine:3.20\n",
    }
    project = _load(tmp_path, files)
    build = project.stacks[0].services["app"].build
    assert build is not None and build.dockerfile_path is None


# ---------------------------------------------------------------- hooks


def test_hook_patterns_catch_every_compose_name() -> None:
    import re

    import yaml
    from conftest import REPO

    hooks = {h["id"]: re.compile(h["files"]) for h in yaml.safe_load(
        (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    )}
    names = ["docker-compose-prod.yml", "a/compose-prod.yaml", "prod.docker-compose.yml",
             "foo-compose.yml", "compose.yaml", "docker-compose.override.yml"]
    for hook in ("docker-standard", "check-compose", "check-env-example"):
        assert all(hooks[hook].search(name) for name in names), hook
    # Any other name can be a compose file only by its content: the all-rules hook takes it.
    assert hooks["docker-standard"].search("kimai/kimai.yaml")
    assert not hooks["check-compose"].search("kimai/kimai.yaml")


def test_the_all_rules_hook_skips_yaml_that_is_not_compose(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                    "    steps:\n      - run: make\n",
        "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
        "broken.yaml": "key: [unclosed\n",
        "kimai/kimai.yaml": "services:\n  kimai:\n    image: kimai/kimai2  # expect: DS306\n",
    }
    result = lint(files, paths=tuple(files), select=("DS001", "DS306"))
    assert_findings(result, ("DS001", "DS306"))


@pytest.mark.parametrize("tracked", [True, False])
def test_a_committed_dotenv_is_in_a_fresh_clone(lint, tracked: bool) -> None:  # type: ignore[no-untyped-def]
    """temporal-docker-compose, opentelemetry-demo: a tracked .env gives every clone its
    values; a local one does not."""
    mark = "" if tracked else "  # expect: DS306"
    files = {
        "compose.yaml": f"services:\n  db:\n    image: postgres:${{PG_VERSION}}{mark}\n",
        ".env": "PG_VERSION=16.4\n",
    }
    result = lint(files, select=("DS306",), tracked=(".env",) if tracked else ())
    assert_findings(result, ("DS306",))


def test_a_hook_given_one_overlay_reports_it_not_its_siblings(lint) -> None:  # type: ignore[no-untyped-def]
    files = {
        "compose.yaml": BASE,
        "overrides/compose.a.yaml": "services:\n  a:  # expect: DS301\n    image: x:1\n"
                                    "    depends_on: [frontend]\n",
        "overrides/compose.b.yaml": "services:\n  b:\n    image: x:1\n    depends_on: [backend]\n",
    }
    result = lint(files, select=("DS301",), paths=("overrides/compose.a.yaml",),
                  hook="check-compose")
    assert_findings(result, ("DS301",))


def test_an_overlay_needs_the_overlay_that_defines_what_it_waits_on(lint) -> None:  # type: ignore[no-untyped-def]
    """Without a usage comment, the overlay defining the service it waits on is merged first."""
    files = {
        "compose.yaml": BASE,
        "compose.observability.yaml": "services:\n  jaeger:\n    image: jaeger:1.60.0\n",
        "compose.agent.yaml": "services:\n  agent:\n    image: agent:1.0.0\n"
                              "    depends_on: [jaeger]\n",
    }
    assert_findings(lint(files, select=("DS304",)), ("DS304",))


def test_a_file_that_only_swaps_images_patches_the_stack_above(tmp_path: Path) -> None:
    """frappe-docker tests/compose.ci.yaml points each service at a local registry's image."""
    swap = (
        "services:\n  backend:\n    image: localhost:5000/app:${VERSION:-1}\n"
        "  frontend:\n    image: localhost:5000/app:${VERSION:-1}\n"
    )
    project = _load(tmp_path, {"compose.yaml": BASE, "tests/compose.ci.yaml": swap})
    assert _stack_paths(project) == ["compose.yaml"]
    # One service with only an image, named like one above, is a small stack of its own.
    lone = "services:\n  frontend:\n    image: localhost:5000/app:1\n"
    project = _load(tmp_path, {"compose.yaml": BASE, "tests/compose.ci.yaml": lone})
    assert _stack_paths(project) == ["compose.yaml", "tests/compose.ci.yaml"]
    # A file that also adds something of its own is still a stack of its own.
    own = swap + "    ports: ['8080:80']\n"
    project = _load(tmp_path, {"compose.yaml": BASE, "tests/compose.ci.yaml": own})
    assert _stack_paths(project) == ["compose.yaml", "tests/compose.ci.yaml"]


def test_a_file_naming_the_project_of_the_stack_above_is_part_of_it(tmp_path: Path) -> None:
    """docker-zulip's ci/base.yaml sets `name: docker-zulip`: the root folder's project."""
    root = tmp_path / "docker-zulip"
    root.mkdir()
    ci = "name: docker-zulip\nservices:\n  frontend:\n    image: ${CI_IMAGE:?error}\n"
    project = _load(root, {"compose.yaml": BASE, "ci/base.yaml": ci})
    assert _stack_paths(project) == ["compose.yaml"]
    other = ci.replace("name: docker-zulip", "name: something-else")
    project = _load(root, {"compose.yaml": BASE, "ci/base.yaml": other})
    assert _stack_paths(project) == ["ci/base.yaml", "compose.yaml"]


def test_existence_comes_from_the_listing_and_each_path_is_looked_up_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules ask the model whether paths exist; a file discovery listed is known, and any
    other path costs one look at the disk a run, whatever the number of rules asking."""
    project = _load(tmp_path, {"compose.yaml": WEB, "app/main.py": "", "app/data/x": ""})
    looked: list[str] = []
    real = pm.os.path.lexists

    def counting(path: str) -> bool:
        looked.append(path)
        return real(path)

    monkeypatch.setattr(pm.os.path, "lexists", counting)
    assert project.exists("app/main.py") and project.exists("compose.yaml")
    assert looked == []
    for _ in range(3):
        assert project.exists("app/data") and not project.exists("app/missing")
    assert sorted(looked) == [str(tmp_path / "app/data"), str(tmp_path / "app/missing")]
