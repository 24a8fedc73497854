"""Call detail record (CDR) exports: a walk through the SDK in the order of its README.

    python cdr_demo.py

Without FR_ACCESS_KEY/FR_SECRET_KEY this runs on a local Flowroute sandbox (its own, or the one
FR_BASE_URI names on a loopback address), whose exports complete within a second. With them it
exports the last 30 days of calls on your Flowroute account (free; Flowroute usually needs a few
minutes). Download URLs are never printed: anyone holding one can fetch the file.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta, timezone

from demo_support import Demo, DemoFailure, run_demo


def main(demo: Demo) -> None:
    client = demo.client
    cdrs_controller = client.cdrs

    demo.step("List Completed CDR Exports")
    status = "completed"
    limit = 10
    offset = None
    exports = cdrs_controller.list_cdr_exports(status, limit, offset)
    demo.show(exports)

    demo.step("Create a CDR Export of the calls that started in the last 30 days")
    now = datetime.now(timezone.utc)
    filters = {
        "start_call_start_time": (now - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S"),
        "start_call_end_time": now.strftime("%Y-%m-%d %H:%M:%S"),
    }
    callback_url = None
    new_export = cdrs_controller.create_cdr_export(filters, callback_url)
    demo.show(new_export)
    cdrexport_id = new_export["data"]["id"]

    demo.step("Get CDR Export Detail Status (until it is completed)")
    export = demo.wait_for(
        lambda: cdrs_controller.get_cdr_export_status(cdrexport_id),
        lambda export: export["data"]["attributes"]["status"] != "processing",
        sandbox_seconds=15,
        real_seconds=600,
    )
    if export is None:
        hint = " (a sandbox on a port completes them after --cdr-processing-seconds)"
        raise DemoFailure(
            f"CDR export {cdrexport_id} was still processing after the wait"
            + (hint if demo.on_sandbox else "")
        )
    demo.show(export)
    if export["data"]["attributes"]["status"] != "completed":
        raise DemoFailure(
            f"CDR export {cdrexport_id} ended as {export['data']['attributes']['status']!r}"
        )

    with tempfile.TemporaryDirectory() as directory:
        filename = os.path.join(directory, "cdrs.csv")

        demo.step("Get CDR Export Data")
        download = cdrs_controller.download_cdr_export(cdrexport_id, filename)
        demo.show(download)

        demo.step("Parse the CDR Export")
        rows = cdrs_controller.parse_cdr_export(filename)
        print(f"{len(rows)} calls; the first {min(3, len(rows))}:")
        demo.show(rows[:3])


if __name__ == "__main__":
    run_demo(main, __doc__)
