"""JSON:API documents in the shapes Flowroute sends (answers and webhooks), from sandbox records."""

from __future__ import annotations

from typing import Any, Optional

from ._catalogue import Number
from ._records import (
    E911,
    CdrExport,
    Cnam,
    Media,
    Message,
    Route,
    amount_display,
    cnam_time,
    iso_seconds,
    mdr_time,
)

Doc = dict[str, Any]
# The real API's CDR links point at an internal host; clients must not follow them.
CDR_LINK_BASE = "http://cdr-api"


def purchasable_number(base: str, number: Number) -> Doc:
    return {
        "type": "number",
        "id": number.value,
        "attributes": {
            "value": number.value,
            "rate_center": number.rate_center,
            "state": number.state,
            "number_type": number.number_type,
            "monthly_cost": number.monthly_cost,
            "setup_cost": number.setup_cost,
        },
        "links": {"related": f"{base}/v2/numbers/{number.value}"},
    }


def account_number(base: str, number: Number) -> Doc:
    return {
        "type": "number",
        "id": number.value,
        "attributes": _number_attributes(number),
        "links": {"self": f"{base}/v2/numbers/{number.value}"},
    }


def _number_attributes(number: Number) -> Doc:
    return {
        "value": number.value,
        "alias": number.alias,
        "rate_center": number.rate_center,
        "state": number.state,
        "number_type": number.number_type,
        "cnam_lookups_enabled": number.cnam_lookups_enabled,
    }


def number_details(
    base: str,
    number: Number,
    routes: dict[str, Route],
    e911s: dict[str, E911],
    cnams: dict[str, Cnam],
) -> Doc:
    """A number with its relationships, and the related objects in ``included``."""
    included: list[Doc] = []

    def relate(kind: str, ident: Optional[str], obj: Optional[Doc]) -> Doc:
        if ident is None or obj is None:
            return {"data": None}
        if not any(i["type"] == kind and i["id"] == ident for i in included):
            included.append(obj)
        return {"data": {"type": kind, "id": ident}}

    def route_of(ident: Optional[str]) -> Optional[Doc]:
        route = routes.get(ident) if ident is not None else None
        return route_object(base, route) if route else None

    e911 = e911s.get(number.e911_id) if number.e911_id else None
    cnam = cnams.get(number.cnam_id) if number.cnam_id else None
    self_link = f"{base}/v2/numbers/{number.value}"
    data = {
        "type": "number",
        "id": number.value,
        "attributes": _number_attributes(number),
        "relationships": {
            "cnam_preset": relate(
                "cnam", number.cnam_id, cnam_object(base, cnam) if cnam else None
            ),
            "e911_address": relate(
                "e911", number.e911_id, e911_object(base, e911) if e911 else None
            ),
            "failover_route": relate(
                "route", number.failover_route, route_of(number.failover_route)
            ),
            "primary_route": relate("route", number.primary_route, route_of(number.primary_route)),
        },
        "links": {"self": self_link},
    }
    return {"data": data, "included": included, "links": {"self": self_link}}


def route_object(base: str, route: Route) -> Doc:
    attributes: Doc = {"route_type": route.route_type, "alias": route.alias, "value": route.value}
    if route.edge_strategy_id is not None:
        attributes["edge_strategy_id"] = route.edge_strategy_id
    return {
        "type": "route",
        "id": route.id,
        "attributes": attributes,
        "links": {"self": f"{base}/v2/routes/{route.id}"},
    }


def e911_object(base: str, record: E911) -> Doc:
    return {
        "type": "e911",
        "id": record.id,
        "attributes": dict(record.attributes),
        "links": {"self": f"{base}/v2/e911s/{record.id}"},
    }


def cnam_object(base: str, record: Cnam) -> Doc:
    return {
        "type": "cnam",
        "id": record.id,
        "attributes": {
            "value": record.value,
            "is_approved": record.is_approved,
            "rejection_reason": record.rejection_reason,
            "creation_datetime": cnam_time(record.creation_datetime),
            "approval_datetime": cnam_time(record.approval_datetime),
        },
        "links": {"self": f"{base}/v2/cnams/{record.id}"},
    }


def export_object(record: CdrExport, download_base: str, *, string_id: bool = False) -> Doc:
    """A ``cdrexport``; money fields stay ``null`` until the export completes."""
    download_url = None
    if record.status == "completed" and record.token:
        download_url = (
            f"{download_base}/_sandbox/cdr-files/{record.token}.csv.gz?{record.signed_query}"
        )
    totals = record.totals
    return {
        "type": "cdrexport",
        "id": str(record.id) if string_id else record.id,
        "attributes": {
            "status": record.status,
            "callback_url": record.callback_url,
            "download_url": download_url,
            "requested_at": iso_seconds(record.requested_at),
            "created_at": iso_seconds(record.created_at),
            "expires_at": iso_seconds(record.expires_at),
            "num_calls": totals.get("num_calls"),
            "billed_minutes": totals.get("billed_minutes"),
            "total_cost": totals.get("total_cost"),
            "call_subtotal": totals.get("call_subtotal"),
            "connect_fees": totals.get("connect_fees"),
            "cnamlookup_fees": totals.get("cnamlookup_fees"),
            "usf_fees": totals.get("usf_fees"),
            "ccrf": totals.get("ccrf"),
            "filter_parameters": dict(record.filter_parameters),
        },
    }


def export_document(record: CdrExport, download_base: str) -> Doc:
    """One export, its ``self`` link on Flowroute's internal host as the real API has it."""
    return {
        "data": export_object(record, download_base),
        "links": {"self": f"{CDR_LINK_BASE}/cdrs/exports/{record.id}"},
    }


def media_object(base: str, media: Media) -> Doc:
    return {
        "type": "media",
        "id": media.id,
        "attributes": {
            "file_name": media.file_name,
            "file_size": media.file_size,
            "mime_type": media.mime_type,
            "url": media.url,
        },
        "links": {"self": f"{base}/v2.2/media/{media.id}"},
    }


def message_object(base: str, message: Message, *, with_callback: bool = False) -> Doc:
    attributes: Doc = {
        "from": message.from_,
        "to": message.to,
        "body": message.body,
        "direction": message.direction,
        "is_mms": message.is_mms,
        "message_type": message.message_type,
        "message_encoding": message.encoding,
        "status": message.status,
        "timestamp": mdr_time(message.timestamp),
        "amount_nanodollars": message.amount_nanodollars,
        "amount_display": amount_display(message.amount_nanodollars),
        "delivery_receipts": [dict(r) for r in message.receipts],
    }
    if with_callback and message.callback_url:
        attributes["message_callback_url"] = message.callback_url
    data: Doc = {"type": "message", "id": message.id, "attributes": attributes}
    if message.media:
        data["relationships"] = {
            "media": {"data": [{"type": "media", "id": m.id} for m in message.media]}
        }
    return data


def message_document(base: str, message: Message, *, with_callback: bool = False) -> Doc:
    """One message record, as looked up or POSTed inbound: its media in ``included`` for MMS."""
    doc: Doc = {"data": message_object(base, message, with_callback=with_callback)}
    if message.media:
        doc["included"] = [media_object(base, m) for m in message.media]
    return doc


def delivery_receipt(base: str, message: Message, receipt: dict[str, Any]) -> Doc:
    """A delivery-receipt webhook body; ``status_code`` travels as a string here."""
    code = receipt.get("status_code")
    return {
        "data": {
            "type": "delivery_receipt",
            "id": message.id,
            "attributes": {
                "body": "" if message.is_mms else message.body,
                "level": receipt["level"],
                "status": receipt["status"],
                "status_code": None if code is None else str(code),
                "status_code_description": receipt["status_code_description"],
                "timestamp": receipt["timestamp"][:19] + "Z",
            },
            "links": {"related": f"{base}/v2.1/messages/{message.id}"},
        }
    }
