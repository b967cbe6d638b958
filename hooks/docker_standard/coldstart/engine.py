"""One cold start: fresh copy, setup step, isolated ``up --build --wait``, settle, crash test,
and a teardown that runs whatever happened (failure, timeout, Ctrl-C, SIGTERM).

What happened is recorded as observations; the DS4xx rule modules turn them into findings, so
the rules keep their docs and the report its usual formats.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docker_standard.coldstart.fresh import apply_templates, fresh_copy
from docker_standard.coldstart.isolation import LABEL, host_access, isolate
from docker_standard.coldstart.masking import Masker, env_files_below, secret_values
from docker_standard.coldstart.run import ColdStartRun, ServiceRow
from docker_standard.coldstart.tools import ColdStartError, clean_env, compose_command, engine
from docker_standard.findings import Finding
from docker_standard.report import Report
from docker_standard.runtime_typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
LOG_LINES = 5
BUILD_ALLOWANCE = 900  # seconds `up` may spend building before the health wait starts
_BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


class Interrupted(Exception):
    """Ctrl-C or SIGTERM during a cold start: raised after the teardown."""


@dataclass
class Options:
    path: str | None = None
    files: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    timeout: float = 300
    settle: float = 10
    crash_test: bool = False
    pull: str = "missing"
    ref: str | None = None
    keep: bool = False
    allow_host_access: bool = False
    config_path: str | None = None
    work_dir: Path | None = None  # where the fresh copy goes (the Action: under the workspace)
    host_work_dir: str | None = None  # work_dir as the engine's host sees it (the Action)
    progress: Callable[[str], None] = field(default=lambda _message: None)


def cold_start(options: Options) -> tuple[Report, ColdStartRun]:
    """Run one cold start. Raises :class:`ColdStartError` (exit 2) before anything starts when
    Docker cannot be used, and :class:`Interrupted` after the teardown on Ctrl-C/SIGTERM."""
    from docker_standard.config import ConfigError
    from docker_standard.runner import enabled_rules
    from docker_standard.scope import find_scope

    env = clean_env()
    target = Path(options.path or ".").resolve()
    if not target.exists():
        raise ConfigError(f"path not found: {options.path}")
    folder = target if target.is_dir() else target.parent
    scope = find_scope([str(target)], config_path=options.config_path, scope=False)
    root, is_repo, problem = Path(scope.root), scope.is_repo, scope.problem
    settings = scope.settings
    rules = _runtime_rules(scope.settings, enabled_rules)
    project = scope.load()
    files = [Path(f).resolve() for f in options.files] or ([target] if target.is_file() else [])
    for file in files:
        if not file.is_file() or root not in file.parents:
            raise ConfigError(f"compose file not found in the project at {root}: {file}")
    stack_dir = folder.relative_to(root).as_posix()
    stack_dir = "" if stack_dir == "." else stack_dir
    run = ColdStartRun(_stack_path(project, root, stack_dir, files))
    stack = project.stack_of(run.stack_path)
    if stack is not None:
        for service in stack.all_services():
            run.spans.setdefault(service.name, service.span)
        run.spans.update({name: s.span for name, s in stack.services.items()})
    if problem:
        run.notes.append(problem)
    jobs = {name for name, s in (stack.services.items() if stack else ()) if s.one_shot}
    masker = Masker(secret_values(env_files_below(root), os.environ))
    session = _Session(options, run, env, masker, jobs)
    session.execute(root, is_repo, stack_dir, [f.relative_to(root).as_posix() for f in files])
    findings = []
    from docker_standard.runner import _suppressed

    for rule in rules:
        override = settings.severity.get(rule.code)
        for hit in rule.run(run, project):
            finding = Finding(
                rule.code,
                rule.name,
                override or hit.severity or rule.severity,
                hit.span,
                hit.message,
                subject=hit.subject,
            )
            if not _suppressed(project, finding):
                findings.append(finding)
    findings.sort(key=Finding.sort_key)
    report = Report(
        scope.root, tuple(findings), project.files_read, tuple(rules), (), tuple(run.notes)
    )
    return report, run


def _runtime_rules(settings: Any, enabled_rules: Callable[[Any, str], list[Any]]) -> list[Any]:
    """The DS4xx rules this run reports. Without selectors in the settings only the runtime
    rule modules are imported (the static ones cost a third of a second to load)."""
    if settings.select or settings.ignore or settings.severity:
        return [r for r in enabled_rules(settings, "cold-start") if r.code.startswith("DS4")]
    import importlib
    import pkgutil

    from docker_standard.registry import loaded_rules
    from docker_standard.rules import runtime

    for info in pkgutil.iter_modules(runtime.__path__):
        importlib.import_module(f"{runtime.__name__}.{info.name}")
    return [r for r in loaded_rules("DS4") if r.enabled_by_default]


def _stack_path(project: Any, root: Path, stack_dir: str, files: list[Path]) -> str:
    """The compose file findings are located in: the first one given, else the folder's base."""
    if files:
        return files[0].relative_to(root).as_posix()
    for name in _BASE_NAMES:
        rel = f"{stack_dir}/{name}" if stack_dir else name
        if (root / rel).is_file():
            return rel
    raise ColdStartError(
        f"No compose file in {root / stack_dir}: give the folder of a stack or its file with -f."
    )


class _Session:
    def __init__(
        self,
        options: Options,
        run: ColdStartRun,
        env: dict[str, str],
        masker: Masker,
        jobs: set[str],
    ) -> None:
        self.options = options
        self.run = run
        self.client: Any = None  # the SDK client and the Compose command: _preflight()
        self.compose: list[str] = []
        self.env = env
        self.mask = masker
        self.jobs = set(jobs)
        self.run_id = secrets.token_hex(4)
        self.built: list[str] = []
        self.args: list[str] = []
        self.up_output = ""
        self.up_code: int | None = None
        self.exit_codes: dict[str, int] = {}

    # ------------------------------------------------------------------ the steps

    def execute(self, root: Path, is_repo: bool, stack_dir: str, files: list[str]) -> None:
        options = self.options
        base = options.work_dir if options.work_dir is not None else None
        tmp = Path(tempfile.mkdtemp(prefix="docker-standard-cold-start-", dir=base))
        slug = re.sub(r"[^a-z0-9]+", "-", (Path(stack_dir).name or root.name).lower()).strip("-")
        name = f"dsc-{slug[:30] or 'stack'}-{self.run_id}"
        self.run.project_name = name
        copy = tmp / "src"
        previous = _trap_sigterm()
        started = False
        # Told once Docker is known to be there: a missing engine is one sentence, alone.
        told = [f"fresh copy of {root} in {copy}"]
        try:
            fresh_copy(root, copy, is_repo=is_repo, ref=options.ref)
            created = apply_templates(copy)
            if created:
                told.append("setup step: created " + ", ".join(created))
            self.mask = Masker([*self.mask.values, *secret_values(env_files_below(copy), {})])
            workdir = copy / stack_dir
            model = self._preflight(name, workdir, [str(copy / f) for f in files])
            for message in told:
                options.progress(message)
            if model is None or not self._safe(model, str(copy)):
                return
            host = None
            if options.host_work_dir:
                host = (str(copy), str(Path(options.host_work_dir) / tmp.name / "src"))
            isolated = isolate(model, name, self.run_id, host)
            self.built = [
                str(s["image"])
                for s in isolated.get("services", {}).values()
                if isinstance(s.get("build"), dict)
            ]
            for svc in isolated.get("services", {}).values():
                for dep, how in (svc.get("depends_on") or {}).items():
                    if isinstance(how, dict) and (
                        how.get("condition") == "service_completed_successfully"
                    ):
                        self.jobs.add(dep)
            compose_file = tmp / "compose.cold-start.json"
            compose_file.write_text(json.dumps(isolated, indent=1), encoding="utf-8")
            self.args = [
                "-p",
                name,
                "--project-directory",
                str(workdir),
                "-f",
                str(compose_file),
                *(a for p in options.profiles for a in ("--profile", p)),
            ]
            started = True
            self._up()
            self._observe(model)
            if options.crash_test:
                self._crash_test(model)
        except KeyboardInterrupt:
            raise Interrupted from None
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                if options.keep and started:
                    images = f" && docker image rm {' '.join(self.built)}" if self.built else ""
                    options.progress(
                        "left running (--keep); remove it with: docker compose "
                        + " ".join(shlex.quote(a) for a in self.args)
                        + f" down -v --remove-orphans{images} && rm -rf {shlex.quote(str(tmp))}"
                    )
                else:
                    if started:
                        self._teardown()
                    shutil.rmtree(tmp, ignore_errors=True)
            finally:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, previous)

    def _compose_run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.compose, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def _preflight(self, name: str, workdir: Path, files: list[str]) -> dict[str, Any] | None:
        """Find Compose and the engine (:class:`ColdStartError` when either is missing), and
        let Compose resolve the stack: the model to isolate, or DS401 with Compose's reason.

        Compose's two process starts (version, config) run while the SDK loads and pings the
        engine, which keeps the overhead over a bare ``up``/``down`` near a second.
        """
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            resolving = pool.submit(self._config, name, workdir, files)
            engine_error = None
            try:
                self.client = engine(self.env)
            except ColdStartError as exc:
                engine_error = exc
            proc = resolving.result()
        if engine_error is not None:
            raise engine_error
        if proc.returncode != 0:
            reason = _reason(proc.stderr) or "docker compose config failed"
            # "error while interpolating services.api.environment.X: ..." names the service.
            named = re.search(r"\bservices\.([A-Za-z0-9_.-]+?)\.", reason)
            service = named.group(1) if named and named.group(1) in self.run.spans else None
            self.run.add("DS401", service, f"Compose cannot load the stack: {self.mask(reason)}")
            return None
        data = json.loads(proc.stdout)
        return data if isinstance(data, dict) else {}

    def _config(
        self, name: str, workdir: Path, files: list[str]
    ) -> subprocess.CompletedProcess[str]:
        self.compose = compose_command(self.env)
        args = ["-p", name, "--project-directory", str(workdir)]
        args += [a for f in files for a in ("-f", f)]
        args += [a for p in self.options.profiles for a in ("--profile", p)]
        return self._compose_run([*args, "config", "--format", "json"], 300)

    def _safe(self, model: dict[str, Any], copy_root: str) -> bool:
        if self.options.allow_host_access:
            return True
        found = list(host_access(model, copy_root))
        for item in found:
            self.run.add(
                "DS401",
                item.service,
                f"not started: {item.what} would let the project's code reach the host "
                "(review it, then run with --allow-host-access)",
            )
        return not found

    def _up(self) -> None:
        options = self.options
        options.progress(f"docker compose up --build --wait as project {self.run.project_name}")
        args = [
            *self.args,
            "up",
            "--build",
            "--wait",
            "--wait-timeout",
            str(int(options.timeout)),
            "--pull",
            options.pull,
        ]
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        # A session of its own: Ctrl-C on the terminal reaches us, and we stop Compose in order.
        proc = subprocess.Popen(
            [*self.compose, *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + options.timeout + BUILD_ALLOWANCE
        try:
            while proc.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=min(1.0, max(0.0, deadline - time.monotonic())))
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.seek(0)
            self.up_output = log.read()
            log.close()
        self.up_code = proc.returncode
        if time.monotonic() >= deadline:
            self.run.notes.append(
                f"docker compose up did not finish within {options.timeout + BUILD_ALLOWANCE:.0f}s"
            )

    # ------------------------------------------------------------------ watching

    def _containers(self) -> list[Any]:
        found: list[Any] = self.client.containers.list(
            all=True, filters={"label": f"{PROJECT_LABEL}={self.run.project_name}"}
        )
        return found

    def _observe(self, model: dict[str, Any]) -> None:
        options = self.options
        services = list((model.get("services") or {}).keys())
        if self.up_code != 0:
            self._build_failure()
        containers = self._containers()
        # `up --wait` stops waiting at the first exited container; give the others their time.
        deadline = time.monotonic() + options.timeout
        while time.monotonic() < deadline and any(_health(c) == "starting" for c in containers):
            time.sleep(0.5)
            containers = self._reload(containers)
        restarts: dict[str, int] = {c.id: int(c.attrs["RestartCount"]) for c in containers}
        settle_end = time.monotonic() + options.settle
        while True:
            containers = self._reload(containers)
            for c in containers:
                restarts[c.id] = max(restarts.get(c.id, 0), int(c.attrs["RestartCount"]))
                code = int(c.attrs["State"].get("ExitCode") or 0)
                if code:  # a restarted container shows 0 again: keep the code it died with
                    self.exit_codes[c.id] = code
            if time.monotonic() >= settle_end:
                break
            time.sleep(0.5)
        by_service: dict[str, list[Any]] = {}
        for c in containers:
            by_service.setdefault(c.labels.get(SERVICE_LABEL, ""), []).append(c)
        build_failed = any(o.code == "DS401" for o in self.run.observations)
        missing = []
        for name in services:
            found = by_service.get(name, [])
            if not found:
                self.run.rows.append(ServiceRow(name, "not created", "", None, 0))
                missing.append(name)
            for c in found:
                self._judge(name, c, restarts.get(c.id, 0))
        if missing and not build_failed:
            # Compose's reason names the service it failed on; the others were left waiting.
            reason = self.mask(_reason(self.up_output) or "Compose did not create it")
            named = [n for n in missing if re.search(rf"\b{re.escape(n)}\b", reason)]
            for name in named:
                self.run.add("DS401", name, f"not created: {reason}")
            if not named:
                self.run.add(
                    "DS401", None, f"Compose did not create {', '.join(missing)}: {reason}"
                )

    def _reload(self, containers: list[Any]) -> list[Any]:
        fresh = []
        for c in containers:
            try:
                c.reload()
            except Exception:  # removed meanwhile (a one-off with auto-remove)
                continue
            fresh.append(c)
        return fresh

    def _judge(self, name: str, container: Any, restarts: int) -> None:
        state = container.attrs["State"]
        status = str(state.get("Status", "?"))
        code = int(state.get("ExitCode") or 0) or self.exit_codes.get(container.id, 0)
        health = _health(container) or ""
        self.run.rows.append(
            ServiceRow(name, _state_text(status, code), health, _healthy_after(state), restarts)
        )
        logs = self._logs(container)
        tail = _tail(logs)
        if name in self.jobs:
            if (status in ("exited", "dead") and code != 0) or restarts:
                again = f" (restarted {restarts} times)" if restarts else ""
                self.run.add(
                    "DS404", name, f"the one-shot job exited with code {code}{again}{tail}"
                )
            return
        if status == "restarting" or restarts:
            self.run.add(
                "DS403",
                name,
                f"restarts in a loop: restarted {restarts} times since `up`, last exit code "
                f"{code}{tail}",
            )
            return
        if status in ("exited", "dead") and code != 0:
            self.run.add("DS403", name, f"exited with code {code}{tail}")
            return
        if status != "running":
            return
        if health and health != "healthy":
            self.run.add(
                "DS402",
                name,
                f"never became healthy within {self.options.timeout:.0f}s (health: {health})"
                f"{self._health_output(state)}",
            )
        if not logs.strip():
            self.run.add(
                "DS405",
                name,
                "it runs but wrote nothing to `docker compose logs`: print at least a startup "
                "line to stdout or stderr",
            )

    def _logs(self, container: Any) -> str:
        try:
            raw = container.logs(stdout=True, stderr=True, tail=200)
        except Exception:
            return ""
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        return self.mask(text)

    def _health_output(self, state: dict[str, Any]) -> str:
        log = (state.get("Health") or {}).get("Log") or []
        if not log:
            return "; no healthcheck has finished yet"
        last = log[-1]
        output = " ".join(str(last.get("Output", "")).split())[:300]
        return f"; last check exited {last.get('ExitCode')}: {self.mask(output) or '(no output)'}"

    def _build_failure(self) -> None:
        """A failed build: the service, the failing step and BuildKit's own error."""
        lines = self.up_output.splitlines()
        steps: dict[str, tuple[str, str]] = {}
        for line in lines:
            match = re.match(r"#(\d+) \[(\S+)(?: [^\]]*)?\] (.*)", line)
            if match and match.group(1) not in steps:
                steps[match.group(1)] = (match.group(2), match.group(3).strip())
        for line in lines:
            match = re.match(r"#(\d+) ERROR: (.*)", line)
            if match and match.group(1) in steps:
                service, step = steps[match.group(1)]
                error = self.mask(match.group(2).strip())
                self.run.add(
                    "DS401",
                    service,
                    f"the image does not build: `{self.mask(step)}` failed: {error}",
                )
                return

    # ------------------------------------------------------------------ crash test

    def _crash_test(self, model: dict[str, Any]) -> None:
        options = self.options
        failed = {o.service for o in self.run.observations if o.code != "DS405"}
        targets = [
            c
            for c in self._reload(self._containers())
            if c.status == "running"
            and c.labels.get(SERVICE_LABEL) not in self.jobs
            and c.labels.get(SERVICE_LABEL) not in failed
        ]
        if not targets:
            return
        before = {
            c.id: (int(c.attrs["RestartCount"]), c.attrs["State"]["StartedAt"]) for c in targets
        }
        killer = _Killer(
            self.client, self.run_id, [*(c.image.id for c in targets), *_own_image(self.client)]
        )
        killed = []
        hows = set()
        for c in targets:
            how = killer.kill(c)
            hows.add(how)
            if how is None:
                self.run.notes.append(
                    "crash test skipped: this process can neither signal the engine's host "
                    "processes nor start a --pid=host helper from an image that has `kill`"
                )
                return
            killed.append(c)
        names = ", ".join(sorted({str(c.labels.get(SERVICE_LABEL)) for c in killed}))
        via = " and ".join(sorted(str(h) for h in hows))
        options.progress(f"crash test: SIGKILL ({via}) to the main process of {names}")
        pending = {c.id: c for c in killed}
        hopeless: set[str] = set()
        deadline = time.monotonic() + options.timeout
        first = time.monotonic()
        while len(pending) > len(hopeless) and time.monotonic() < deadline:
            time.sleep(0.5)
            for c in self._reload([c for c in pending.values() if c.id not in hopeless]):
                state = c.attrs["State"]
                count, started = before[c.id]
                back = int(c.attrs["RestartCount"]) > count or state["StartedAt"] != started
                if back and state["Status"] == "running" and _health(c) in (None, "healthy"):
                    del pending[c.id]
                elif (
                    _policy(c) == "no"
                    and state["Status"] == "exited"
                    and time.monotonic() - first > 2
                ):
                    hopeless.add(c.id)  # nothing will restart it: no need to wait any longer
        for c in self._reload(list(pending.values())):
            policy = _policy(c)
            status = c.attrs["State"]["Status"]
            health = _health(c)
            state = f"{status}" + (f", {health}" if health else "")
            self.run.add(
                "DS406",
                c.labels.get(SERVICE_LABEL),
                "killed with SIGKILL, it did not come back running"
                f"{' and healthy' if health else ''}"
                f" within {options.timeout:.0f}s (restart policy: {policy}; now {state})",
            )

    # ------------------------------------------------------------------ teardown

    def _teardown(self) -> None:
        from docker.errors import DockerException

        self.options.progress("tearing down: down -v --remove-orphans and the images it built")
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self._compose_run([*self.args, "down", "-v", "--remove-orphans", "-t", "3"], 600)
        name = self.run.project_name
        # Whatever `down` missed (an interrupted create, a helper container): only what carries
        # this run's project or label, so nothing of the user's is ever touched.
        for selector in (f"{PROJECT_LABEL}={name}", f"{LABEL}={self.run_id}"):
            for c in self.client.containers.list(all=True, filters={"label": selector}):
                with contextlib.suppress(DockerException):
                    c.remove(force=True, v=True)
            for net in self.client.networks.list(filters={"label": selector}):
                with contextlib.suppress(DockerException):
                    net.remove()
            for vol in self.client.volumes.list(filters={"label": selector}):
                with contextlib.suppress(DockerException):
                    vol.remove(force=True)
        for image in self.built:
            with contextlib.suppress(DockerException):
                self.client.images.remove(image, force=False, noprune=False)


class _Killer:
    """SIGKILL to a container's main process as a crash does: directly when this process sees
    the engine's host PIDs, else from a short-lived ``--pid=host`` helper."""

    def __init__(self, client: Any, run_id: str, images: list[str]) -> None:
        self.client = client
        self.run_id = run_id
        self.images = list(dict.fromkeys(images))
        self.helper: str | None = None

    def kill(self, container: Any) -> str | None:
        pid = int(container.attrs["State"]["Pid"])
        if pid <= 0:
            return None
        if os.geteuid() == 0 and _owns(pid, container.id):
            try:
                os.kill(pid, signal.SIGKILL)
                return "to its host PID"
            except OSError:
                pass
        for image in [self.helper] if self.helper else self.images:
            if image is None:
                continue
            try:
                self.client.containers.run(
                    image,
                    entrypoint=["kill", "-9", str(pid)],
                    command=[],
                    pid_mode="host",
                    user="0",
                    network_mode="none",
                    labels={LABEL: self.run_id},
                    remove=True,
                )
            except Exception:
                continue
            self.helper = image
            return "from a --pid=host helper"
        return None


def _own_image(client: Any) -> list[str]:
    """The image of the container this process runs in (the Action's, which has ``kill``),
    when the engine knows this host name as a container."""
    import socket

    try:
        return [str(client.containers.get(socket.gethostname()).image.id)]
    except Exception:  # not in a container of this engine
        return []


def _owns(pid: int, container_id: str) -> bool:
    """Is host PID ``pid``, as this process sees it, really in that container? Never signal a
    process of this namespace that merely shares the number."""
    try:
        return container_id in Path(f"/proc/{pid}/cgroup").read_text(encoding="utf-8")
    except OSError:
        return False


def _trap_sigterm() -> Any:
    def raise_interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, raise_interrupt)


def _policy(container: Any) -> str:
    return str((container.attrs["HostConfig"].get("RestartPolicy") or {}).get("Name") or "no")


def _health(container: Any) -> str | None:
    health = container.attrs.get("State", {}).get("Health")
    return str(health.get("Status")) if isinstance(health, dict) else None


def _state_text(status: str, code: int) -> str:
    return f"exited ({code})" if status in ("exited", "dead") else status


def _timestamp(text: str) -> datetime | None:
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?", text or "")
    if not match:
        return None
    fraction = (match.group(2) or ".0")[:7]
    return datetime.fromisoformat(match.group(1) + fraction)


def _healthy_after(state: dict[str, Any]) -> float | None:
    started = _timestamp(str(state.get("StartedAt", "")))
    for entry in (state.get("Health") or {}).get("Log") or []:
        if entry.get("ExitCode") == 0:
            end = _timestamp(str(entry.get("End", "")))
            if started and end:
                return max(0.0, (end - started).total_seconds())
    return None


def _tail(logs: str) -> str:
    """The last distinct log lines; a line repeated in a row (a restart loop) shows once."""
    runs: list[list[Any]] = []
    for line in (raw.rstrip()[:200] for raw in logs.splitlines() if raw.strip()):
        if runs and runs[-1][0] == line:
            runs[-1][1] += 1
        else:
            runs.append([line, 1])
    if not runs:
        return "; it wrote no log lines"
    shown = [f"{line} (x{count})" if count > 1 else line for line, count in runs[-LOG_LINES:]]
    return "; last log lines: " + " | ".join(shown)


_ERROR = re.compile(r"(error|failed|invalid|missing|not found|no such|denied)", re.IGNORECASE)


def _reason(output: str) -> str:
    """Compose's own reason: its last error line, without log-level decoration."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if _ERROR.search(line) and "level=warning" not in line:
            line = re.sub(r'^time="[^"]*" level=\w+ msg="(.*)"$', r"\1", line)
            return re.sub(r"^(Error response from daemon|Error): ", "", line)[:500]
    return lines[-1][:500] if lines else ""
