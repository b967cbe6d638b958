"""Run one fuzz target under atheris (libFuzzer): ``python fuzz/fuzz.py TARGET [flags] [DIRS]``.

TARGET is one of yaml, dotenv, dockerfile, interpolation, ignore, check (see fuzz_targets.py).
Every other argument goes to libFuzzer (``-max_total_time=60``, ``-jobs=2``, ``-timeout=10`` …).
Without a corpus folder the run uses ``$XDG_CACHE_HOME/docker-standard-fuzz/TARGET`` (seeded
from ../shared and the example stack on first use), so long runs build on earlier ones.
A crash leaves ``crash-<sha1>`` (or ``timeout-…``, ``oom-…``) where ``-artifact_prefix`` says;
keep it under tests/regressions/TARGET/ (see fuzz/README.md).
"""

from __future__ import annotations

import os
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _cache_dir(target: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docker-standard-fuzz" / target


def main(argv: list[str]) -> int:
    import atheris
    from fuzz_seeds import write_seeds

    if len(argv) < 2 or argv[1].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    target = argv[1]
    flags = [arg for arg in argv[2:] if arg.startswith("-")]
    folders = [arg for arg in argv[2:] if not arg.startswith("-")]
    if not folders:
        folder = _cache_dir(target)
        if not folder.is_dir() or not any(folder.iterdir()):
            write_seeds(target, folder)
        folders = [str(folder)]
    # Instrument the whole package (rules are discovered lazily, so import them all now).
    with atheris.instrument_imports(include=["docker_standard"]):
        import docker_standard

        for module in pkgutil.walk_packages(docker_standard.__path__, "docker_standard."):
            __import__(module.name)
        from fuzz_targets import TARGETS
    if target not in TARGETS:
        print(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}", file=sys.stderr)
        return 2
    one_input = TARGETS[target]
    atheris.Setup([argv[0], *flags, *folders], one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
