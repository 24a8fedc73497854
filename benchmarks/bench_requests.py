"""Per-call cost of the SDK against the in-process sandbox, next to plain ``requests``.

    python benchmarks/bench_requests.py [calls]

Both sides make the same ``GET /v2/numbers/{id}`` over one keep-alive connection to the same
local server. The calling thread's CPU time per call (the server runs on other threads) shows
what the SDK adds: validation, auth, the deadline adapter, retry bookkeeping, status mapping and
JSON decoding. Not collected by pytest.
"""

from __future__ import annotations

import os
import sys
import time

import requests

# Runnable from a clone without installing, like the other benchmark.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowroutenumbersandmessaging.sandbox import Sandbox


def per_call(fn, calls: int) -> tuple[float, float]:
    """Wall time and the calling thread's CPU time per call (the server runs on other threads)."""
    fn()  # warm the connection
    wall, cpu = time.perf_counter(), time.thread_time()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - wall) / calls, (time.thread_time() - cpu) / calls


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with Sandbox() as sandbox:
        client = sandbox.client()
        number = client.numbers.list_account_phone_numbers()["data"][0]["id"]
        session = requests.Session()
        session.auth = (sandbox.access_key, sandbox.secret_key)
        url = f"{sandbox.base_uri}/v2/numbers/{number}"

        def plain() -> object:
            response = session.get(url, timeout=(5, 30))
            response.raise_for_status()
            return response.json()

        raw_wall, raw_cpu = per_call(plain, calls)
        sdk_wall, sdk_cpu = per_call(
            lambda: client.numbers.list_phone_number_details(number), calls
        )
    print(
        f"{calls} calls each | client CPU per call: plain requests {raw_cpu * 1e6:.0f} us, "
        f"SDK {sdk_cpu * 1e6:.0f} us ({(sdk_cpu - raw_cpu) * 1e6:+.0f} us) | wall per call "
        f"incl. the in-process sandbox: {raw_wall * 1e6:.0f} us vs {sdk_wall * 1e6:.0f} us"
    )


if __name__ == "__main__":
    main()
