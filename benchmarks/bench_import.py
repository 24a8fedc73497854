"""Import cost of the SDK next to ``import requests``, which it cannot do without.

    python benchmarks/bench_import.py [runs]

Each run starts a fresh interpreter per statement and times the statement alone (interpreter
start-up excluded), in alternating order; everything is precompiled first, so ``.pyc`` files
are read, as after an install. Prints the median of each and its ratio to ``import requests``.

On a busy machine ``import requests`` alone varies by tens of milliseconds from one interpreter
to the next, more than the SDK adds; so each run also times ``import requests`` and then the
client's line in one interpreter, and the median of those paired ratios is printed as well.
Not collected by pytest.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "flowroutenumbersandmessaging")
STATEMENTS = {
    "import requests": "import requests",
    "import flowroutenumbersandmessaging": "import flowroutenumbersandmessaging",
    "the client's import line": (
        "from flowroutenumbersandmessaging.flowroutenumbersandmessaging_client "
        "import FlowroutenumbersandmessagingClient"
    ),
}
TIMER = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"
PAIRED = (
    "import time; t = time.perf_counter(); import requests; r = time.perf_counter(); {}; "
    "print((time.perf_counter() - t) / (r - t))"
)


def timed(code: str, statement: str) -> float:
    """What ``code`` prints for ``statement`` in a fresh interpreter at the repository root."""
    result = subprocess.run(  # noqa: S603 - the fixed snippets above
        [sys.executable, "-c", code.format(statement)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(result.stdout)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 41
    compileall.compile_dir(PACKAGE, quiet=1)
    for statement in STATEMENTS.values():
        timed(TIMER, statement)  # whatever was not compiled yet (requests, urllib3) is now
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    paired = []
    client_line = STATEMENTS["the client's import line"]
    order = list(STATEMENTS.items())
    for run in range(runs):
        for name, statement in order if run % 2 == 0 else reversed(order):
            samples[name].append(timed(TIMER, statement))
        paired.append(timed(PAIRED, client_line))
    base = statistics.median(samples["import requests"])
    print(f"{runs} runs each, medians, precompiled (Python {sys.version.split()[0]}):")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:38} {median * 1000:7.1f} ms  {median / base:5.2f}x import requests")
    print(
        f"  the client's line after import requests, in one interpreter: "
        f"{statistics.median(paired):.3f}x"
    )


if __name__ == "__main__":
    main()
