"""``flowroute numbers ...`` and ``flowroute routes ...``: the numbers and where calls go."""

from __future__ import annotations

from typing import Any, Optional

import click

from ._common import Group, Settings, fetch, list_options, pass_settings
from ._output import created_id

NUMBER_COLUMNS = (
    ("number", "id"),
    ("alias", "alias"),
    ("rate center", "rate_center"),
    ("state", "state"),
    ("type", "number_type"),
)
FOR_SALE_COLUMNS = (
    ("number", "id"),
    ("rate center", "rate_center"),
    ("state", "state"),
    ("type", "number_type"),
    ("monthly", "monthly_cost"),
    ("setup", "setup_cost"),
)
ROUTE_COLUMNS = (("id", "id"), ("type", "route_type"), ("value", "value"), ("alias", "alias"))


@click.group(cls=Group)
def numbers() -> None:
    """Phone numbers: yours, and those for sale."""


@numbers.command("list")
@list_options
@pass_settings
def list_numbers(settings: Settings, limit: Optional[int], all_pages: bool) -> None:
    """List the numbers on the account."""
    method = settings.client().numbers.list_account_phone_numbers
    settings.out.items(fetch(settings, method, limit, all_pages), NUMBER_COLUMNS)


@numbers.command()
@click.option("--starts-with", metavar="DIGITS", help="Numbers starting with these digits.")
@click.option("--contains", metavar="DIGITS", help="Numbers containing these digits.")
@click.option("--ends-with", metavar="DIGITS", help="Numbers ending with these digits.")
@click.option("--state", help="Two-letter state, e.g. WA.")
@click.option("--rate-center", help="Rate center (needs --state), e.g. SEATTLE.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many (API default 10).")
@pass_settings
def search(settings: Settings, /, **filters: Any) -> None:
    """Search the numbers for sale."""
    found = settings.client().numbers.search_for_purchasable_phone_numbers(**filters)
    settings.out.items(found, FOR_SALE_COLUMNS)


@numbers.command()
@click.argument("number")
@pass_settings
def buy(settings: Settings, number: str) -> None:
    """Buy a number (it costs money)."""
    bought = settings.client().numbers.purchase_a_phone_number(number)
    settings.out.done(bought, f"Bought {number}.")


@numbers.command()
@click.argument("number")
@pass_settings
def show(settings: Settings, number: str) -> None:
    """Show one of your numbers, with its routes."""
    settings.out.record(settings.client().numbers.list_phone_number_details(number))


@numbers.command()
@click.argument("number")
@pass_settings
def release(settings: Settings, number: str) -> None:
    """Release one of your numbers (it leaves the account)."""
    settings.client().numbers.release_a_did(number)
    settings.out.done(None, f"Released {number}.")


@numbers.command()
@click.argument("number")
@click.argument("alias")
@pass_settings
def alias(settings: Settings, number: str, alias: str) -> None:
    """Give one of your numbers a name."""
    renamed = settings.client().numbers.set_did_alias(number, alias)
    settings.out.done(renamed, f"{number} is now called {alias!r}.")


@click.group(cls=Group)
def routes() -> None:
    """Inbound voice routes, and which a number uses."""


@routes.command("list")
@list_options
@pass_settings
def list_routes(settings: Settings, limit: Optional[int], all_pages: bool) -> None:
    """List your inbound routes."""
    method = settings.client().routes.list_inbound_routes
    settings.out.items(fetch(settings, method, limit, all_pages), ROUTE_COLUMNS)


@routes.command()
@click.option("--type", "route_type", required=True, type=click.Choice(["host", "number", "uri"]))
@click.option("--value", required=True, help="host[:port], an 11-digit number, or a sip: URI.")
@click.option("--alias", help="A name for the route.")
@pass_settings
def create(settings: Settings, route_type: str, value: str, alias: Optional[str]) -> None:
    """Create an inbound route."""
    attributes = {"route_type": route_type, "value": value}
    if alias is not None:
        attributes["alias"] = alias
    created = settings.client().routes.create_an_inbound_route(
        {"data": {"type": "route", "attributes": attributes}}
    )
    settings.out.done(created, f"Created route {created_id(created)} ({route_type} {value}).")


@routes.command("set-primary")
@click.argument("number")
@click.argument("route_id")
@pass_settings
def set_primary(settings: Settings, number: str, route_id: str) -> None:
    """Send a number's calls to a route."""
    body = {"data": {"type": "route", "id": route_id}}
    settings.client().routes.update_primary_voice_route(number, body)
    settings.out.done(None, f"Calls to {number} now go to route {route_id}.")


@routes.command("set-failover")
@click.argument("number")
@click.argument("route_id")
@pass_settings
def set_failover(settings: Settings, number: str, route_id: str) -> None:
    """Send a number's calls to a route when the primary fails."""
    body = {"data": {"type": "route", "id": route_id}}
    settings.client().routes.update_failover_voice_route(number, body)
    settings.out.done(None, f"Calls to {number} fail over to route {route_id}.")
