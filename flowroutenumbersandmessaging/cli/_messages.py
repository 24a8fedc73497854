"""``flowroute messages ...``: send SMS and MMS, read message records, set callback URLs."""

from __future__ import annotations

from typing import Any, Optional

import click

from ._common import Group, Settings, fetch, list_options, pass_settings
from ._output import created_id

MESSAGE_COLUMNS = (
    ("id", "id"),
    ("time", "timestamp"),
    ("direction", "direction"),
    ("from", "from"),
    ("to", "to"),
    ("status", "status"),
    ("body", "body"),
)


@click.group(cls=Group)
def messages() -> None:
    """SMS and MMS: send, look up, and where Flowroute posts."""


@messages.command()
@click.option("--from", "from_", required=True, metavar="NUMBER", help="One of your numbers.")
@click.option("--to", required=True, metavar="NUMBER", help="11 digits, e.g. 12065550100.")
@click.option("--body", help="The text.")
@click.option("--media", multiple=True, metavar="URL", help="Media to attach (an MMS); repeatable.")
@pass_settings
def send(
    settings: Settings, from_: str, to: str, body: Optional[str], media: tuple[str, ...]
) -> None:
    """Send an SMS, or an MMS with --media (it costs money)."""
    if body is None and not media:
        raise click.UsageError(
            "give --body TEXT, --media URL, or both", click.get_current_context()
        )
    attributes: dict[str, Any] = {"to": to, "from": from_}
    if body is not None:
        attributes["body"] = body
    if media:
        attributes["media_urls"] = list(media)
    sent = settings.client().messages.send_a_message(
        {"data": {"type": "message", "attributes": attributes}}
    )
    kind = "MMS" if media else "SMS"
    settings.out.done(sent, f"Sent {kind} {created_id(sent)} from {from_} to {to}.")


@messages.command("list")
@click.option("--start", required=True, metavar="DATE", help="UTC, e.g. 2024-05-01.")
@click.option("--end", metavar="DATE", help="UTC, e.g. 2024-05-31T23:59:59.")
@list_options
@pass_settings
def list_messages(
    settings: Settings, start: str, end: Optional[str], limit: Optional[int], all_pages: bool
) -> None:
    """List message records in a date range."""
    method = settings.client().messages.look_up_a_set_of_messages
    settings.out.items(fetch(settings, method, limit, all_pages, start, end), MESSAGE_COLUMNS)


@messages.command()
@click.argument("mdr_id")
@pass_settings
def show(settings: Settings, mdr_id: str) -> None:
    """Show one message record, with its delivery receipts."""
    settings.out.record(settings.client().messages.look_up_a_message_detail_record(mdr_id))


@messages.group()
def callbacks() -> None:
    """Where Flowroute posts inbound messages and receipts."""


@callbacks.command("set")
@click.argument("kind", type=click.Choice(["sms", "mms", "dlr"]))
@click.argument("url")
@pass_settings
def set_callback(settings: Settings, kind: str, url: str) -> None:
    """Set the account's SMS, MMS or delivery-receipt URL."""
    api = settings.client().messages
    setter = {
        "sms": api.set_account_level_sms_callback,
        "mms": api.set_account_level_mms_callback,
        "dlr": api.set_account_level_dlr_callback,
    }[kind]
    settings.out.done(setter(url), f"Flowroute now posts {kind.upper()} callbacks to {url}.")
