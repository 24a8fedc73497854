"""What the sandbox's pytest plugin adds to every pytest run of an environment with the SDK.

    python benchmarks/bench_plugin_import.py [runs]

Installing the package registers ``flowroutenumbersandmessaging.sandbox.pytest_plugin`` as a
``pytest11`` plugin, which pytest imports at start-up whether or not a test uses its fixtures.
Each run starts two fresh interpreters, in alternating order: one imports pytest, the other
pytest and then the plugin; each reports the time its imports took (interpreter start-up
excluded) and its peak memory. Everything is compiled first, so ``.pyc`` files are read, as
after an install. Prints the medians and their ratio; the target is at most 1.05x.

On a busy machine ``import pytest`` varies by tens of milliseconds between interpreters, more
than the plugin should add, so the second interpreter's own ratio (pytest and the plugin, over
pytest alone, both timed in it) is printed too, as a median. Not collected by pytest.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = "flowroutenumbersandmessaging.sandbox.pytest_plugin"
CHILD = """
import json, resource, sys, time
started = time.perf_counter()
import pytest
pytest_only = time.perf_counter() - started
if sys.argv[1:]:
    __import__(sys.argv[1])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([elapsed, elapsed / pytest_only, peak]))
"""


def measure(*module: str) -> tuple[float, float, int]:
    """Seconds spent importing, that over pytest's part, and peak RSS in KiB, at the root."""
    output = subprocess.run(  # noqa: S603 - a fixed snippet
        [sys.executable, "-c", CHILD, *module],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    seconds, ratio, rss = json.loads(output)
    return float(seconds), float(ratio), int(rss)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 41
    compileall.compile_dir(os.path.join(ROOT, "flowroutenumbersandmessaging"), quiet=1)
    measure(PLUGIN)  # compiles whatever else is not compiled yet
    alone: list[tuple[float, float, int]] = []
    with_plugin: list[tuple[float, float, int]] = []
    for run in range(runs):
        if run % 2:
            alone.append(measure())
            with_plugin.append(measure(PLUGIN))
        else:
            with_plugin.append(measure(PLUGIN))
            alone.append(measure())
    base = statistics.median(t for t, _, _ in alone)
    plugged = statistics.median(t for t, _, _ in with_plugin)
    paired = statistics.median(r for _, r, _ in with_plugin)
    memory = statistics.median(m for *_, m in with_plugin) - statistics.median(m for *_, m in alone)
    print(f"{runs} runs each, medians, precompiled (Python {sys.version.split()[0]}):")
    print(f"  import pytest               {base * 1000:7.1f} ms")
    print(f"  import pytest + the plugin  {plugged * 1000:7.1f} ms  {plugged / base:.3f}x")
    print(f"  the plugin after pytest, in one interpreter: {paired:.3f}x")
    print(f"  peak memory added by the plugin: {memory / 1024:+.1f} MiB")


if __name__ == "__main__":
    main()
