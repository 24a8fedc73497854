"""How long an in-process sandbox takes to start and to stop (the pytest fixtures do both per test).

    python benchmarks/bench_sandbox_lifecycle.py [runs]

Starting binds a port and starts the accept and webhook threads; stopping wakes them, closes
every connection and joins every thread. Both should stay well under 50 ms, so that a suite
can afford a fresh sandbox per test. Prints medians and the worst run. Not collected by pytest.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import requests

# Runnable from a clone without installing, like the other benchmarks.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowroutenumbersandmessaging.sandbox import Sandbox


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    Sandbox().close()  # imports and first-use costs are not what this measures
    starts, stops, busy_stops = [], [], []
    session = requests.Session()
    for run in range(runs):
        started = time.perf_counter()
        sandbox = Sandbox()
        starts.append(time.perf_counter() - started)
        if run % 2:
            # A keep-alive connection left open, as a client between calls leaves it.
            session.get(sandbox.base_uri + "/v2/routes", auth=("k", "s"), timeout=5)
        started = time.perf_counter()
        sandbox.close()
        (busy_stops if run % 2 else stops).append(time.perf_counter() - started)
    session.close()
    print(f"{runs} runs, Python {sys.version.split()[0]}: median (worst)")
    for name, values in (
        ("start", starts),
        ("stop, idle", stops),
        ("stop, a keep-alive connection open", busy_stops),
    ):
        median, worst = statistics.median(values), max(values)
        print(f"  {name:36} {median * 1000:6.2f} ms ({worst * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
