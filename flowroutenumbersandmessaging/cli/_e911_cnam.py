"""``flowroute e911 ...`` and ``flowroute cnam ...``: emergency addresses and caller names."""

from __future__ import annotations

from typing import Any, Optional

import click

from ._common import F, Group, Settings, fetch, list_options, pass_settings
from ._output import created_id

E911_COLUMNS = (
    ("id", "id"),
    ("label", "label"),
    ("number", "street_number"),
    ("street", "street_name"),
    ("city", "city"),
    ("state", "state"),
    ("zip", "zip"),
)
CNAM_COLUMNS = (
    ("id", "id"),
    ("value", "value"),
    ("approved", "is_approved"),
    ("rejection reason", "rejection_reason"),
)
# The address flags, in the SDK's parameter order: (flags, parameter, help).
ADDRESS_FLAGS = (
    (("--label",), "label", "A name for the address."),
    (("--first-name",), "first_name", None),
    (("--last-name",), "last_name", None),
    (("--street-name",), "street_name", "e.g. '3rd Ave'."),
    (("--street-number",), "street_number", "e.g. 1218."),
    (("--city",), "city", None),
    (("--state",), "state", "Two letters, e.g. WA."),
    (("--country",), "country", "US or CA."),
    (("--zip", "--zipcode"), "zipcode", None),
    (("--address-type",), "address_type", "e.g. Suite (with --address-type-number)."),
    (("--address-type-number",), "address_type_number", "e.g. 400."),
)


def address_options(command: F) -> F:
    for flags, name, text in reversed(ADDRESS_FLAGS):
        command = click.option(*flags, name, help=text)(command)
    return command


@click.group(cls=Group)
def e911() -> None:
    """E911 addresses, and which number uses which."""


@e911.command("list")
@list_options
@pass_settings
def list_addresses(settings: Settings, limit: Optional[int], all_pages: bool) -> None:
    """List your E911 addresses."""
    method = settings.client().e911s.list_e911s
    settings.out.items(fetch(settings, method, limit, all_pages), E911_COLUMNS)


@e911.command("show")
@click.argument("e911_id")
@pass_settings
def show_address(settings: Settings, e911_id: str) -> None:
    """Show one E911 address."""
    settings.out.record(settings.client().e911s.get_e911(e911_id))


@e911.command()
@address_options
@pass_settings
def validate(settings: Settings, /, **address: Any) -> None:
    """Check an address without saving it.

    Every address flag is needed but --address-type and --address-type-number.
    """
    settings.client().e911s.validate_address(**address)
    settings.out.done(None, "The address is valid.")


@e911.command("create")
@address_options
@pass_settings
def create_address(settings: Settings, /, **address: Any) -> None:
    """Validate and save an address.

    Every address flag is needed but --address-type and --address-type-number.
    """
    created = settings.client().e911s.create_address(**address)
    settings.out.done(created, f"Created E911 address {created_id(created)}.")


@e911.command()
@click.argument("e911_id")
@address_options
@pass_settings
def update(settings: Settings, /, e911_id: str, **address: Any) -> None:
    """Change some fields of an address (only those given)."""
    updated = settings.client().e911s.update_address(e911_id, **address)
    settings.out.done(updated, f"Updated E911 address {e911_id}.")


@e911.command("associate")
@click.argument("e911_id")
@click.argument("number")
@pass_settings
def associate_address(settings: Settings, e911_id: str, number: str) -> None:
    """Give a number an E911 address."""
    settings.client().e911s.associate(e911_id, number)
    settings.out.done(None, f"{number} now uses E911 address {e911_id}.")


@e911.command()
@click.argument("number")
@pass_settings
def disconnect(settings: Settings, number: str) -> None:
    """Take a number's E911 address away."""
    settings.client().e911s.disconnect(number)
    settings.out.done(None, f"{number} has no E911 address now.")


@e911.command()
@click.argument("e911_id")
@pass_settings
def delete(settings: Settings, e911_id: str) -> None:
    """Delete an address no number uses."""
    settings.client().e911s.delete_address(e911_id)
    settings.out.done(None, f"Deleted E911 address {e911_id}.")


@click.group(cls=Group)
def cnam() -> None:
    """Caller-name (CNAM) records, and which number shows which."""


@cnam.command("list")
@click.option("--approved/--not-approved", default=None, help="Only (not yet) approved ones.")
@list_options
@pass_settings
def list_records(
    settings: Settings, approved: Optional[bool], limit: Optional[int], all_pages: bool
) -> None:
    """List your CNAM records."""
    method = settings.client().cnams.list_cnams
    document = fetch(settings, method, limit, all_pages, is_approved=approved)
    settings.out.items(document, CNAM_COLUMNS)


@cnam.command("show")
@click.argument("cnam_id")
@pass_settings
def show_record(settings: Settings, cnam_id: str) -> None:
    """Show one CNAM record."""
    settings.out.record(settings.client().cnams.get_cnam(cnam_id))


@cnam.command("create")
@click.argument("value")
@pass_settings
def create_record(settings: Settings, value: str) -> None:
    """Create a CNAM record (Flowroute approves it within 48 hours)."""
    created = settings.client().cnams.create_cnam_record(value)
    settings.out.done(created, f"Created CNAM record {created_id(created)}, awaiting approval.")


@cnam.command("associate")
@click.argument("cnam_id")
@click.argument("number")
@pass_settings
def associate_record(settings: Settings, cnam_id: str, number: str) -> None:
    """Show an approved CNAM record for a number."""
    answer = settings.client().cnams.associate_cnam(cnam_id, number)
    settings.out.done(answer, f"{number} now shows CNAM record {cnam_id}.")


@cnam.command()
@click.argument("number")
@pass_settings
def unassociate(settings: Settings, number: str) -> None:
    """Stop showing a CNAM record for a number."""
    answer = settings.client().cnams.unassociate_cnam(number)
    settings.out.done(answer, f"{number} shows no CNAM record now.")


@cnam.command()
@click.argument("cnam_id")
@pass_settings
def remove(settings: Settings, cnam_id: str) -> None:
    """Delete a CNAM record (numbers using it lose it)."""
    settings.client().cnams.remove_cnam(cnam_id)
    settings.out.done(None, f"Removed CNAM record {cnam_id}.")
