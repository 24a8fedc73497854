"""``flowroute cdr ...``: export call records, wait for them, download and sum them up."""

from __future__ import annotations

import contextlib
import glob
import os
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator, Optional

import click

from ._common import Failure, Group, Settings, pass_settings
from ._output import Update, created_id, progress
from ._summary import GROUPINGS, as_json, bar, load_pyplot, summarize, write_png

if TYPE_CHECKING:
    from ..models import CDRRow

DATE = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"])
# The pre-signed download URL lets anyone holding it read the account's calls for days.
HIDDEN_URL = "<pre-signed URL, not shown>"
FIRST_POLL_DELAY = 0.25
MAX_POLL_DELAY = 10.0
MIN_CALL_SECONDS = 1.0
PART_FILE_POLL = 0.1
# The columns a summary reads; a file without them is not a CDR export.
SUMMED = ("direction", "start_time", "destination", "callerid", "billed_duration", "total_cost")


@click.group(cls=Group)
def cdr() -> None:
    """Call records (CDR exports): create, wait, download, sum up."""


@cdr.command()
@click.option("--start", required=True, type=DATE, help="Calls starting at or after (UTC).")
@click.option("--end", required=True, type=DATE, help="Calls starting before (UTC).")
@click.option(
    "--alias", "number_aliases", multiple=True, help="Only this number alias; repeatable."
)
@click.option(
    "--destination",
    "destination_numbers",
    multiple=True,
    help="Only this called number; repeatable.",
)
@click.option(
    "--callerid", "callerid_numbers", multiple=True, help="Only this caller id; repeatable."
)
@click.option("--callback", metavar="URL", help="Where Flowroute posts when it is done.")
@pass_settings
def create(
    settings: Settings,
    /,
    start: datetime,
    end: datetime,
    callback: Optional[str],
    **lists: tuple[str, ...],
) -> None:
    """Start an export of the calls in a date range."""
    filters: dict[str, Any] = {"start_call_start_time": start, "start_call_end_time": end}
    filters.update({name: list(values) for name, values in lists.items() if values})
    created = settings.client().cdrs.create_cdr_export(filters, callback)
    export_id = created_id(created)
    settings.out.done(
        created, f"Started CDR export {export_id}; wait for it: flowroute cdr wait {export_id}"
    )


@cdr.command()
@click.argument("export_id")
@pass_settings
def status(settings: Settings, export_id: str) -> None:
    """Show an export's status, and totals once done."""
    settings.out.record(_hide_url(settings.client().cdrs.get_cdr_export_status(export_id)))


@cdr.command()
@click.argument("export_id")
@click.option(
    "--timeout", type=click.FloatRange(min=0), default=600, show_default=True, help="Seconds."
)
@pass_settings
def wait(settings: Settings, export_id: str, timeout: float) -> None:
    """Wait until an export is completed.

    Polls the export, with a progress line on a terminal, and gives up after --timeout.
    """
    client = settings.client()
    give_up = time.monotonic() + timeout
    delay = FIRST_POLL_DELAY
    with progress(f"Waiting for CDR export {export_id}") as update:
        while True:
            # Each look-up ends by the timeout too (give or take a second), however slow the API.
            left = max(give_up - time.monotonic(), MIN_CALL_SECONDS)
            document = client.with_options(deadline=left).cdrs.get_cdr_export_status(export_id)
            state = _attributes(document).get("status")
            if state == "completed":
                break
            if state == "failed":
                raise Failure(
                    f"CDR export {export_id} failed on Flowroute's side; create a new one"
                )
            left = give_up - time.monotonic()
            if left <= 0:
                raise Failure(
                    f"CDR export {export_id} is still {state} after {timeout:g} s; wait longer "
                    f"with: flowroute cdr wait {export_id} --timeout SECONDS"
                )
            if update:
                update(description=f"Waiting for CDR export {export_id}: {state}")
            time.sleep(min(delay, left))
            delay = min(delay * 1.5, MAX_POLL_DELAY)
    done = _attributes(document)
    settings.out.done(
        _hide_url(document),
        f"CDR export {export_id} completed: {done.get('num_calls')} calls, "
        f"{done.get('billed_minutes')} billed minutes, cost {done.get('total_cost')}; "
        f"download it: flowroute cdr download {export_id} FILE",
    )


@cdr.command()
@click.argument("export_id")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@pass_settings
def download(settings: Settings, export_id: str, file: str) -> None:
    """Save a completed export as a CSV file.

    With a progress bar on a terminal; the file appears only once complete.
    """
    if not os.path.isdir(os.path.dirname(os.path.abspath(file))):
        raise click.BadParameter(
            f"the folder of {file!r} does not exist", click.get_current_context(), param_hint="FILE"
        )
    cdrs = settings.client().cdrs
    shown = f"Downloading CDR export {export_id}"
    with progress(shown, transfer=True) as update, _watch_part_file(file, update):
        saved = cdrs.download_cdr_export(export_id, file)
    size = os.path.getsize(file)
    settings.out.done({**saved, "bytes": size}, f"Saved {file} ({size:,} bytes).")


@cdr.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", type=click.Choice(list(GROUPINGS)), default="day", show_default=True)
@click.option("--png", metavar="FILE", help="Also draw the chart into a PNG (needs matplotlib).")
@pass_settings
def summary(settings: Settings, file: str, by: str, png: Optional[str]) -> None:
    """Sum up calls, billed minutes and cost.

    Per day (with a bar chart), number or direction, and in all.
    """
    pyplot = load_pyplot() if png else None  # before the work: it may not be installed
    total, groups = summarize(_rows(file), by)
    if pyplot is not None and png is not None:
        write_png(pyplot, png, groups, by)
    if settings.out.as_json:
        settings.out.json(as_json(total, groups, by))
        return
    most = max((group.calls for group in groups.values()), default=0)
    settings.out.table(
        [by, "calls", "billed minutes", "cost", ""],
        ([key, g.calls, g.billed_minutes, g.cost, bar(g.calls, most)] for key, g in groups.items()),
        total=["total", total.calls, total.billed_minutes, total.cost, ""],
    )


def _rows(file: str) -> Iterator[CDRRow]:
    from ..exceptions import InvalidResponseError
    from ..flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient
    from ..models import CDRRow

    # Reading a file sends nothing: the client is only the SDK's way in to its CSV reader, and
    # its placeholder credentials never leave this process.
    with FlowroutenumbersandmessagingClient(
        "offline", "offline", base_uri="https://api.flowroute.com"
    ) as offline:
        try:
            for number, row in enumerate(offline.cdrs.iter_cdr_export(file), start=1):
                missing = [column for column in SUMMED if column not in row]
                if missing:
                    raise Failure(f"{file} is not a CDR export: no {', '.join(missing)} column")
                try:
                    yield CDRRow.from_json(row)
                except InvalidResponseError as error:
                    raise Failure(f"{file}, call {number}: {error}") from None
        except UnicodeDecodeError:
            raise Failure(f"{file} is not a CDR export: it is not UTF-8 text") from None


def _attributes(document: Any) -> dict[str, Any]:
    data = document.get("data") if isinstance(document, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    return attributes if isinstance(attributes, dict) else {}


def _hide_url(document: Any) -> Any:
    """The export's document with its download URL replaced by a note."""
    attributes = _attributes(document)
    if not attributes.get("download_url"):
        return document
    data = {**document["data"], "attributes": {**attributes, "download_url": HIDDEN_URL}}
    return {**document, "data": data}


@contextlib.contextmanager
def _watch_part_file(file: str, update: Optional[Update]) -> Iterator[None]:
    """Report the size of the temporary file the SDK downloads into, while it grows.

    The SDK writes ``.<name>.<random>.part`` beside the target and renames it at the end; its
    size is the bytes received so far (decompressed). The size of the whole is not known ahead.
    """
    if update is None:
        yield
        return
    directory, name = os.path.split(os.path.abspath(file))
    pattern = os.path.join(glob.escape(directory), glob.escape(f".{name}.") + "*.part")
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(PART_FILE_POLL):
            sizes = [_size(path) for path in glob.glob(pattern)]
            if sizes:
                update(completed=max(sizes))

    watcher = threading.Thread(target=watch, name="flowroute-download-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # renamed into place (or removed) since it was listed
        return 0
