"""Typed views of the API's JSON documents: small frozen dataclasses.

The controllers return plain dicts, as Flowroute's v3 SDK did; these models are an opt-in
layer over them::

    numbers = parse_list(PhoneNumber, client.numbers.list_account_phone_numbers())
    number = PhoneNumber.from_document(client.numbers.list_phone_number_details(numbers[0].id))
    routes = parse_list(Route, client.routes.list_inbound_routes())
    exports = [CDRExport.from_json(item) for item in client.paginate(client.cdrs.list_cdr_exports)]

``Model.from_json(obj)`` takes one resource object (the item with ``type``/``id``/``attributes``);
``Model.from_document(doc)`` takes a whole single-resource document (``{"data": {...}}``) and
``parse_list(Model, doc)`` a whole list document (``{"data": [...]}``).

Models tolerate fields they do not know and fields that are missing (``None``); the object they
were built from stays on ``raw`` (left out of ``==`` and ``repr``). A field that is present but
cannot be what it claims (a money value that is not a number, a timestamp in no known format)
raises :class:`~flowroutenumbersandmessaging.exceptions.InvalidResponseError` naming the field.
Conventions: ids are ``str`` (the API sends some as integers); money is ``Decimal``; timestamps
are timezone-aware UTC ``datetime`` objects, whichever of the API's formats they arrived in.

Each field is declared once: its type says how its value converts, and metadata from
:mod:`._reader` says where it is when that is not the attribute of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence, TypeVar

from ._reader import build, included, link, listing, related, single, source

__all__ = [
    "AreaCode",
    "CDRExport",
    "CDRRow",
    "CNAMRecord",
    "DeliveryReceipt",
    "E911Address",
    "EdgeStrategy",
    "Exchange",
    "Media",
    "Message",
    "PhoneNumber",
    "Portability",
    "Route",
    "parse_list",
]

M = TypeVar("M", bound="_Model")
JsonObject = Mapping[str, Any]


class _Model:
    """What every model shares: building from a resource object or a whole document."""

    __slots__ = ()

    @classmethod
    def from_json(cls: type[M], obj: Any, included: Sequence[Any] = ()) -> M:
        """Build from one resource object; ``included`` is the document's ``included`` list."""
        return build(cls, obj, included)

    @classmethod
    def from_document(cls: type[M], doc: Any) -> M:
        """Build from a single-resource document, ``{"data": {...}, "included": [...]}``."""
        data, resources = single(cls, doc)
        return cls.from_json(data, resources)


def parse_list(cls: type[M], doc: Any) -> list[M]:
    """Build one ``cls`` per item of a list document, ``{"data": [...]}``."""
    items, resources = listing(cls, doc)
    return [cls.from_json(item, resources) for item in items]


@dataclass(frozen=True)
class AreaCode(_Model):
    """An area code with purchasable numbers (``list_available_area_codes``)."""

    id: str
    related_url: Optional[str] = field(default=None, metadata=link("related"))
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Exchange(_Model):
    """An exchange (area code + prefix, e.g. ``"425318"``) with purchasable numbers."""

    id: str
    related_url: Optional[str] = field(default=None, metadata=link("related"))
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class PhoneNumber(_Model):
    """A phone number: on your account, in inventory, or attached to an E911 address.

    ``value`` is the 11-digit number. It usually equals ``id``, but not always (numbers listed
    under an E911 address carry their own ids), so use ``value`` as the phone number. The
    ``*_id`` fields come from the number's relationships (set on details and purchase).
    """

    id: str = field(metadata=source("id", "attributes.value"))
    value: Optional[str] = field(default=None, metadata=source("attributes.value", "id"))
    alias: Optional[str] = None
    rate_center: Optional[str] = None
    state: Optional[str] = None
    number_type: Optional[str] = None
    cnam_lookups_enabled: Optional[bool] = None
    monthly_cost: Optional[Decimal] = None
    setup_cost: Optional[Decimal] = None
    primary_route_id: Optional[str] = field(default=None, metadata=related("primary_route"))
    failover_route_id: Optional[str] = field(default=None, metadata=related("failover_route"))
    e911_id: Optional[str] = field(default=None, metadata=related("e911_address", "e911"))
    cnam_id: Optional[str] = field(default=None, metadata=related("cnam_preset", "cnam"))
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Route(_Model):
    """Where inbound calls go: a SIP host, a number, a URI or SIP registration."""

    id: str
    route_type: Optional[str] = None
    value: Optional[str] = None
    alias: Optional[str] = None
    edge_strategy_id: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class EdgeStrategy(_Model):
    """A Flowroute edge (point of presence) policy a route can use."""

    id: str
    name: Optional[str] = None
    naptr: Optional[str] = None
    description: Optional[str] = None
    firewall_rules: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class DeliveryReceipt(_Model):
    """A delivery receipt: embedded in a message record, or a DLR webhook's resource.

    ``status_code`` arrives as an integer, a string or null; it is an ``int`` or ``None`` here
    (a code that is not a number is left on ``raw``). ``message_id`` and ``body`` are set only
    for webhook receipts, where ``id`` is the outbound message's id.
    """

    level: Optional[int] = None
    status: Optional[str] = None
    status_code: Optional[int] = field(default=None, metadata=source(loose=True))
    status_code_description: Optional[str] = None
    timestamp: Optional[datetime] = None
    message_id: Optional[str] = field(default=None, metadata=source("id"))
    body: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Media(_Model):
    """An MMS attachment. ``url`` is a temporary link (download it promptly); not in ``repr``."""

    id: str
    file_name: Optional[str] = None
    file_size: Optional[int] = None
    mime_type: Optional[str] = None
    url: Optional[str] = field(default=None, repr=False)
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Message(_Model):
    """A message detail record (MDR), a send's answer, or an inbound-message webhook.

    ``from_`` is the sender (``from`` is a Python keyword). ``media`` holds the MMS attachments
    the record's relationships name, looked up in the document's ``included`` list (use
    :meth:`from_document` or :func:`parse_list` so that list is seen). The legacy (pre-v2.1)
    inbound webhook, a flat ``{"to", "from", "body", "id"}``, is read as well.
    """

    id: str
    from_: Optional[str] = field(default=None, metadata=source("attributes.from"))
    to: Optional[str] = None
    body: Optional[str] = None
    direction: Optional[str] = None
    is_mms: Optional[bool] = None
    message_type: Optional[str] = None
    message_encoding: Optional[int] = None
    status: Optional[str] = None
    timestamp: Optional[datetime] = None
    amount_nanodollars: Optional[int] = None
    amount_display: Optional[str] = None
    delivery_receipts: tuple[DeliveryReceipt, ...] = ()
    media: tuple[Media, ...] = field(default=(), metadata=included("media"))
    # Not in repr: a callback URL may carry its receiver's secret token.
    message_callback_url: Optional[str] = field(default=None, repr=False)
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class E911Address(_Model):
    """An E911 address record. ``address_type``/``address_type_number`` are often unset."""

    id: str
    label: Optional[str] = None
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    street_number: Optional[str] = None
    street_name: Optional[str] = None
    address_type: Optional[str] = None
    address_type_number: Optional[str] = None
    city: Optional[str] = None
    state: Optional[str] = None
    country: Optional[str] = None
    zip: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class CNAMRecord(_Model):
    """A caller-name (CNAM) record, or the answer to associating/unassociating one.

    Association answers carry only ``date_created``; unassociation answers have no ``id``.
    """

    id: Optional[str] = None
    value: Optional[str] = None
    is_approved: Optional[bool] = None
    rejection_reason: Optional[str] = None
    creation_datetime: Optional[datetime] = None
    approval_datetime: Optional[datetime] = None
    date_created: Optional[datetime] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class CDRExport(_Model):
    """A call-detail-record export job.

    ``download_url`` is a pre-signed link that works for anyone holding it: it is kept out of
    ``repr`` (and so out of logs and tracebacks that show the model). Money fields and counts
    are ``None`` while the export is processing. List items arrive wrapped once more
    (``{"data": {...}}``); :meth:`from_json` unwraps them, and ``raw`` is the inner object.
    """

    id: str
    status: Optional[str] = None
    download_url: Optional[str] = field(default=None, repr=False)
    requested_at: Optional[datetime] = None
    created_at: Optional[datetime] = None
    expires_at: Optional[datetime] = None
    num_calls: Optional[int] = None
    billed_minutes: Optional[int] = None
    total_cost: Optional[Decimal] = None
    call_subtotal: Optional[Decimal] = None
    connect_fees: Optional[Decimal] = None
    cnamlookup_fees: Optional[Decimal] = None
    usf_fees: Optional[Decimal] = None
    ccrf: Optional[Decimal] = None
    filter_parameters: JsonObject = field(default_factory=dict, hash=False)
    callback_url: Optional[str] = field(default=None, repr=False)
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> CDRExport:
        """Build from one export object, or from a list item that wraps it in ``{"data": ...}``."""
        if isinstance(obj, Mapping) and "attributes" not in obj:
            inner = obj.get("data")
            if isinstance(inner, Mapping):
                obj = inner
        return super().from_json(obj, included)


@dataclass(frozen=True)
class CDRRow(_Model):
    """One call from a CDR export file (a row dict from ``parse_cdr_export``).

    Text columns are kept exactly as written: caller ids, aliases and X-tags come from outside
    parties and may start with ``=``, ``+``, ``@``... (never evaluate them in a spreadsheet).
    Money is ``Decimal``, durations are ``int`` seconds, times are UTC ``datetime`` objects;
    empty numeric or time cells are ``None``. The fields are the file's columns, in order
    (``CDR_COLUMNS``); :meth:`from_json` takes one ``{column: text}`` row and ignores columns
    it does not know.
    """

    direction: Optional[str] = None
    start_time: Optional[datetime] = None
    end_time: Optional[datetime] = None
    destination: Optional[str] = None
    number_alias: Optional[str] = None
    callerid: Optional[str] = None
    total_cost: Optional[Decimal] = None
    destination_name: Optional[str] = None
    callerid_country: Optional[str] = None
    line_information: Optional[str] = None
    result: Optional[str] = None
    call_fail_sip_code: Optional[int] = None
    call_fail_reason: Optional[str] = None
    duration: Optional[int] = None
    billed_duration: Optional[int] = None
    rate: Optional[Decimal] = None
    first_increment: Optional[int] = None
    subsequent_increment: Optional[int] = None
    cost_subtotal: Optional[Decimal] = None
    connect_fee: Optional[Decimal] = None
    usf_fee: Optional[Decimal] = None
    ccrf: Optional[Decimal] = None
    cnam_lookup_fee: Optional[Decimal] = None
    custom_x_tag: Optional[str] = None
    customer_ip: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Portability(_Model):
    """The answer of ``check_portability``: E.164 numbers sorted by what can be ported."""

    portable: tuple[str, ...] = ()
    nonportable: tuple[str, ...] = ()
    hypernetwork_enabled: tuple[str, ...] = ()
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)
