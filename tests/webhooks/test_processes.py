"""Two receiver processes sharing one SQLite store handle each callback exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from flowroutenumbersandmessaging.webhooks import parse_webhook
from tests.webhooks import payloads

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_posts_to_two_processes_run_the_handler_once_per_callback(tmp_path):
    store, handled = tmp_path / "dedupe.sqlite3", tmp_path / "handled.txt"
    command = [sys.executable, "-m", "tests.webhooks.receiver_process", str(store), str(handled)]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        urls = [worker.stdout.readline().strip() for worker in workers]
        assert all(url.startswith("http://127.0.0.1:") for url in urls)
        bodies = [json.dumps(payloads.inbound_sms()), json.dumps(payloads.legacy_sms())]
        posts = [(urls[n % 2], bodies[n % 4 // 2]) for n in range(48)]
        with ThreadPoolExecutor(12) as pool:
            statuses = list(
                pool.map(lambda p: requests.post(p[0], data=p[1], timeout=10).status_code, posts)
            )
        # 409: the other process was handling that callback at that moment.
        assert set(statuses) <= {200, 409} and 200 in statuses
        for url in urls:
            for body in bodies:
                assert requests.post(url, data=body, timeout=10).status_code == 200
    finally:
        for worker in workers:
            worker.communicate(timeout=10)
    assert sorted(handled.read_text().split()) == sorted(parse_webhook(b).id for b in bodies)
