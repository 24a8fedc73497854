"""Start-up cost of the ``flowroute`` command: wall and CPU time of whole runs.

    python benchmarks/bench_cli.py [runs]

Each run is a fresh interpreter, as a user's shell starts it: ``flowroute --help``, one API call
against a sandbox on a loopback port (``--json`` and table output), and two baselines (an empty
interpreter, and ``import requests``, which any API call needs). The commands alternate run by
run, so a change in machine load hits them all alike; medians are printed. CPU time is user +
system of the child. Not collected by pytest.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowroutenumbersandmessaging.sandbox import Sandbox

FLOWROUTE = os.path.join(os.path.dirname(sys.executable), "flowroute")


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 (our own commands)
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(runs: int) -> None:
    with Sandbox() as sandbox:
        env = {**os.environ, "FR_BASE_URI": sandbox.base_uri}
        env.update(FR_ACCESS_KEY=sandbox.access_key, FR_SECRET_KEY=sandbox.secret_key)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import requests'": [sys.executable, "-c", "import requests"],
            "flowroute --help": [FLOWROUTE, "--help"],
            "flowroute --json numbers list": [FLOWROUTE, "--json", "numbers", "list"],
            "flowroute numbers list": [FLOWROUTE, "numbers", "list"],
        }
        for argv in commands.values():  # warm the disk cache and the .pyc files
            measure(argv, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                times[name].append(measure(argv, env))
    print(f"median of {runs} runs each (milliseconds)")
    for name, samples in times.items():
        wall = statistics.median(w for w, _ in samples) * 1000
        cpu = statistics.median(c for _, c in samples) * 1000
        print(f"  {name:32} wall {wall:6.0f}   cpu {cpu:6.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
