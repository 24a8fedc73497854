"""Benchmark: download and parse a large gzipped CDR export through the public API.

Serves a ~200 MB (decompressed) gzipped CSV and the export's status from a loopback server,
then runs ``download_cdr_export`` and ``iter_cdr_export`` twice: once for throughput, once
under ``tracemalloc`` for peak traced memory (tracemalloc slows allocation, so the two are
measured apart). Prints one line. Not a test; run it by hand:

    python benchmarks/bench_cdr_download.py [--mb 200]
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import random
import sys
import tempfile
import threading
import time
import tracemalloc
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowroutenumbersandmessaging import FlowroutenumbersandmessagingClient

HEADER = (
    "direction,start_time,end_time,destination,number_alias,callerid,total_cost,"
    "destination_name,callerid_country,line_information,result,call_fail_sip_code,"
    "call_fail_reason,duration,billed_duration,rate,first_increment,subsequent_increment,"
    "cost_subtotal,connect_fee,usf_fee,ccrf,cnam_lookup_fee,custom_x_tag,customer_ip\n"
)
OBJECT = "/flowroute-cdrexports/40375/2024/5/7/bench.gz"
QUERY = "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0123456789abcdef"


def make_export(path: str, target_bytes: int) -> tuple[int, int]:
    """Write a gzipped CSV of about ``target_bytes`` decompressed; (csv bytes, rows)."""
    rng = random.Random(7)  # noqa: S311 - test data
    aliases = ["Office Line 1", "Office Line 2", "Support", "Sales", "Front desk"]
    places = [("UNITED STATES", "UNITED STATES"), ("UNITED STATES - TOLL FREE", "N/A")]
    written = rows = 0
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write(HEADER.encode())
        written += len(HEADER)
        while written < target_bytes:
            batch = []
            for _ in range(5000):
                duration = rng.randint(0, 3600)
                cost = rng.random() / 10
                place, country = rng.choice(places)
                batch.append(
                    f"{rng.choice(('Inbound', 'Outbound'))},2024-05-0{rng.randint(1, 7)} "
                    f"{rng.randint(10, 23)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}+00,"
                    f"2024-05-07 18:19:31+00,1{rng.randint(2012000000, 9899999999)},"
                    f"{rng.choice(aliases)},+1{rng.randint(2012000000, 9899999999)},{cost:.8f},"
                    f"{place},{country},{rng.choice(('', '61', '0'))},completed,200,OK,"
                    f"{duration},{duration + 6 - duration % 6},{cost / 2:.6f},6,6,{cost:.8f},"
                    f"0.0000,0.00000000,{cost / 20:.8f},0.00000000,,"
                    f"53.186.{rng.randint(0, 255)}.{rng.randint(0, 255)}:5080\n"
                )
            chunk = "".join(batch).encode()
            out.write(chunk)
            written += len(chunk)
            rows += len(batch)
    return written, rows


def serve(gz_path: str) -> http.server.ThreadingHTTPServer:
    """One loopback server for both the API (status) and "S3" (the file, streamed from disk)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path.startswith("/v2/cdrs/exports/"):
                host, port = self.server.server_address[:2]
                url = f"http://{host}:{port}{OBJECT}{QUERY}"
                body = json.dumps(
                    {
                        "data": {
                            "id": "1",
                            "attributes": {"status": "completed", "download_url": url},
                        }
                    }
                ).encode()
                self._head(len(body), "application/vnd.api+json")
                self.wfile.write(body)
                return
            self._head(os.path.getsize(gz_path), "binary/octet-stream")
            with open(gz_path, "rb") as source:
                while chunk := source.read(256 * 1024):
                    self.wfile.write(chunk)

        def _head(self, length: int, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timed(run: Callable[[], Any], traced: bool) -> tuple[float, int, Any]:
    """(seconds, peak traced bytes or 0, result)."""
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
    finally:
        if traced:
            tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="decompressed size in MB")
    args = parser.parse_args()
    mib = 1024 * 1024
    with tempfile.TemporaryDirectory() as work:
        gz_path = os.path.join(work, "export.gz")
        csv_bytes, rows = make_export(gz_path, int(args.mb * 1_000_000))
        gz_bytes = os.path.getsize(gz_path)
        server = serve(gz_path)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        target = os.path.join(work, "calls.csv")
        with FlowroutenumbersandmessagingClient("bench", "bench", base_uri=base, deadline=600) as c:

            def download() -> Any:
                return c.cdrs.download_cdr_export(1, target)

            def parse() -> int:
                return sum(1 for _ in c.cdrs.iter_cdr_export(target))

            down_s, _, _ = timed(download, traced=False)
            assert os.path.getsize(target) == csv_bytes, "download is not the exact CSV"
            parse_s, _, parsed = timed(parse, traced=False)
            assert parsed == rows, f"parsed {parsed} rows, wrote {rows}"
            _, down_peak, _ = timed(download, traced=True)
            _, parse_peak, _ = timed(parse, traced=True)
        server.shutdown()
        server.server_close()
    print(
        f"cdr download+parse: {csv_bytes / 1e6:.0f} MB csv ({gz_bytes / 1e6:.1f} MB gzip, "
        f"{rows} rows) | download {down_s:.2f}s = {csv_bytes / 1e6 / down_s:.0f} MB/s "
        f"(csv written), peak traced {down_peak / mib:.2f} MiB | parse {parse_s:.2f}s = "
        f"{rows / parse_s / 1000:.0f}k rows/s, peak traced {parse_peak / mib:.2f} MiB"
    )


if __name__ == "__main__":
    main()
