"""Typed views of the API's JSON documents: small frozen dataclasses.

The controllers return plain dicts (what the seed README shows); these models are an opt-in
layer over them::

    number = PhoneNumber.from_document(client.numbers.list_phone_number_details(12065550142))
    routes = parse_list(Route, client.routes.list_routes())
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
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Optional, Sequence, TypeVar

from dateutil.parser import isoparse

from .exceptions import InvalidResponseError

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

_INTEGER = re.compile(r"-?[0-9]+\Z")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


class _Model:
    """What every model shares: building from a resource object or a whole document."""

    __slots__ = ()

    @classmethod
    def from_json(cls: type[M], obj: Any, included: Sequence[Any] = ()) -> M:
        """Build from one resource object; ``included`` is the document's ``included`` list."""
        raise NotImplementedError

    @classmethod
    def from_document(cls: type[M], doc: Any) -> M:
        """Build from a single-resource document, ``{"data": {...}, "included": [...]}``."""
        data = _data(cls, doc)
        if not isinstance(data, Mapping):
            raise InvalidResponseError(
                f"{cls.__name__}: expected one object at data, got {_kind(data)}"
            )
        return cls.from_json(data, _included(doc))


def parse_list(cls: type[M], doc: Any) -> list[M]:
    """Build one ``cls`` per item of a list document, ``{"data": [...]}``."""
    data = _data(cls, doc)
    if not isinstance(data, list):
        raise InvalidResponseError(f"{cls.__name__}: expected a list at data, got {_kind(data)}")
    included = _included(doc)
    return [cls.from_json(item, included) for item in data]


@dataclass(frozen=True)
class AreaCode(_Model):
    """An area code with purchasable numbers (``list_available_area_codes``)."""

    id: str
    related_url: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> AreaCode:
        resource = _Fields.resource(cls, obj)
        return cls(id=resource.id(), related_url=resource.link("related"), raw=obj)


@dataclass(frozen=True)
class Exchange(_Model):
    """An exchange (area code + prefix, e.g. ``"425318"``) with purchasable numbers."""

    id: str
    related_url: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> Exchange:
        resource = _Fields.resource(cls, obj)
        return cls(id=resource.id(), related_url=resource.link("related"), raw=obj)


@dataclass(frozen=True)
class PhoneNumber(_Model):
    """A phone number: on your account, in inventory, or attached to an E911 address.

    ``value`` is the 11-digit number. It usually equals ``id``, but not always (numbers listed
    under an E911 address carry their own ids), so use ``value`` as the phone number. The
    ``*_id`` fields come from the number's relationships (set on details and purchase).
    """

    id: str
    value: Optional[str] = None
    alias: Optional[str] = None
    rate_center: Optional[str] = None
    state: Optional[str] = None
    number_type: Optional[str] = None
    cnam_lookups_enabled: Optional[bool] = None
    monthly_cost: Optional[Decimal] = None
    setup_cost: Optional[Decimal] = None
    primary_route_id: Optional[str] = None
    failover_route_id: Optional[str] = None
    e911_id: Optional[str] = None
    cnam_id: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> PhoneNumber:
        r = _Fields.resource(cls, obj)
        value = r.text("value")
        return cls(
            id=r.id(fallback=value),
            value=value if value is not None else r.optional_id(),
            alias=r.text("alias"),
            rate_center=r.text("rate_center"),
            state=r.text("state"),
            number_type=r.text("number_type"),
            cnam_lookups_enabled=r.flag("cnam_lookups_enabled"),
            monthly_cost=r.money("monthly_cost"),
            setup_cost=r.money("setup_cost"),
            primary_route_id=r.related_id("primary_route"),
            failover_route_id=r.related_id("failover_route"),
            e911_id=r.related_id("e911_address", "e911"),
            cnam_id=r.related_id("cnam_preset", "cnam"),
            raw=obj,
        )


@dataclass(frozen=True)
class Route(_Model):
    """Where inbound calls go: a SIP host, a number, a URI or SIP registration."""

    id: str
    route_type: Optional[str] = None
    value: Optional[str] = None
    alias: Optional[str] = None
    edge_strategy_id: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> Route:
        r = _Fields.resource(cls, obj)
        return cls(
            id=r.id(),
            route_type=r.text("route_type"),
            value=r.text("value"),
            alias=r.text("alias"),
            edge_strategy_id=r.ident("edge_strategy_id"),
            raw=obj,
        )


@dataclass(frozen=True)
class EdgeStrategy(_Model):
    """A Flowroute edge (point of presence) policy a route can use."""

    id: str
    name: Optional[str] = None
    naptr: Optional[str] = None
    description: Optional[str] = None
    firewall_rules: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> EdgeStrategy:
        r = _Fields.resource(cls, obj)
        return cls(
            id=r.id(),
            name=r.text("name"),
            naptr=r.text("naptr"),
            description=r.text("description"),
            firewall_rules=r.text("firewall_rules"),
            raw=obj,
        )


@dataclass(frozen=True)
class DeliveryReceipt(_Model):
    """A delivery receipt: embedded in a message record, or a DLR webhook's resource.

    ``status_code`` arrives as an integer, a string or null; it is an ``int`` or ``None`` here
    (a code that is not a number is left on ``raw``). ``message_id`` and ``body`` are set only
    for webhook receipts, where ``id`` is the outbound message's id.
    """

    level: Optional[int] = None
    status: Optional[str] = None
    status_code: Optional[int] = None
    status_code_description: Optional[str] = None
    timestamp: Optional[datetime] = None
    message_id: Optional[str] = None
    body: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> DeliveryReceipt:
        r = _Fields.resource(cls, obj, flat_ok=True)
        return cls(
            level=r.integer("level"),
            status=r.text("status"),
            status_code=r.loose_integer("status_code"),
            status_code_description=r.text("status_code_description"),
            timestamp=r.time("timestamp"),
            message_id=r.optional_id(),
            body=r.text("body"),
            raw=obj,
        )


@dataclass(frozen=True)
class Media(_Model):
    """An MMS attachment. ``url`` is a temporary link (download it promptly); not in ``repr``."""

    id: str
    file_name: Optional[str] = None
    file_size: Optional[int] = None
    mime_type: Optional[str] = None
    url: Optional[str] = field(default=None, repr=False)
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> Media:
        r = _Fields.resource(cls, obj)
        return cls(
            id=r.id(),
            file_name=r.text("file_name"),
            file_size=r.integer("file_size"),
            mime_type=r.text("mime_type"),
            url=r.text("url"),
            raw=obj,
        )


@dataclass(frozen=True)
class Message(_Model):
    """A message detail record (MDR), a send's answer, or an inbound-message webhook.

    ``from_`` is the sender (``from`` is a Python keyword). ``media`` holds the MMS attachments
    the record's relationships name, looked up in the document's ``included`` list (use
    :meth:`from_document` or :func:`parse_list` so that list is seen).
    """

    id: str
    from_: Optional[str] = None
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
    media: tuple[Media, ...] = ()
    message_callback_url: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> Message:
        # The legacy (pre-v2.1) inbound webhook is flat: {"to", "from", "body", "id"}.
        r = _Fields.resource(cls, obj, flat_ok=True)
        receipts = r.objects("delivery_receipts")
        return cls(
            id=r.id(),
            from_=r.text("from"),
            to=r.text("to"),
            body=r.text("body"),
            direction=r.text("direction"),
            is_mms=r.flag("is_mms"),
            message_type=r.text("message_type"),
            message_encoding=r.integer("message_encoding"),
            status=r.text("status"),
            timestamp=r.time("timestamp"),
            amount_nanodollars=r.integer("amount_nanodollars"),
            amount_display=r.text("amount_display"),
            delivery_receipts=tuple(DeliveryReceipt.from_json(item) for item in receipts),
            media=tuple(_media(r.related_ids("media"), included)),
            message_callback_url=r.text("message_callback_url"),
            raw=obj,
        )


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

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> E911Address:
        r = _Fields.resource(cls, obj)
        return cls(
            id=r.id(),
            label=r.text("label"),
            first_name=r.text("first_name"),
            last_name=r.text("last_name"),
            street_number=r.text("street_number"),
            street_name=r.text("street_name"),
            address_type=r.text("address_type"),
            address_type_number=r.text("address_type_number"),
            city=r.text("city"),
            state=r.text("state"),
            country=r.text("country"),
            zip=r.text("zip"),
            raw=obj,
        )


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

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> CNAMRecord:
        r = _Fields.resource(cls, obj)
        return cls(
            id=r.optional_id(),
            value=r.text("value"),
            is_approved=r.flag("is_approved"),
            rejection_reason=r.text("rejection_reason"),
            creation_datetime=r.time("creation_datetime"),
            approval_datetime=r.time("approval_datetime"),
            date_created=r.time("date_created"),
            raw=obj,
        )


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
    callback_url: Optional[str] = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> CDRExport:
        if isinstance(obj, Mapping) and "attributes" not in obj:
            inner = obj.get("data")
            if isinstance(inner, Mapping):
                obj = inner
        r = _Fields.resource(cls, obj)
        return cls(
            id=r.id(),
            status=r.text("status"),
            download_url=r.text("download_url"),
            requested_at=r.time("requested_at"),
            created_at=r.time("created_at"),
            expires_at=r.time("expires_at"),
            num_calls=r.integer("num_calls"),
            billed_minutes=r.integer("billed_minutes"),
            total_cost=r.money("total_cost"),
            call_subtotal=r.money("call_subtotal"),
            connect_fees=r.money("connect_fees"),
            cnamlookup_fees=r.money("cnamlookup_fees"),
            usf_fees=r.money("usf_fees"),
            ccrf=r.money("ccrf"),
            filter_parameters=r.mapping("filter_parameters"),
            callback_url=r.text("callback_url"),
            raw=obj,
        )


@dataclass(frozen=True)
class CDRRow(_Model):
    """One call from a CDR export file (a row dict from ``parse_cdr_export``).

    Text columns are kept exactly as written: caller ids, aliases and X-tags come from outside
    parties and may start with ``=``, ``+``, ``@``... (never evaluate them in a spreadsheet).
    Money is ``Decimal``, durations are ``int`` seconds, times are UTC ``datetime`` objects;
    empty numeric or time cells are ``None``.
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

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> CDRRow:
        """Build from one CSV row as a ``{column: text}`` dict; extra columns are ignored."""
        r = _Fields.flat(cls, obj)
        return cls(
            direction=r.text("direction"),
            start_time=r.time("start_time"),
            end_time=r.time("end_time"),
            destination=r.text("destination"),
            number_alias=r.text("number_alias"),
            callerid=r.text("callerid"),
            total_cost=r.money("total_cost"),
            destination_name=r.text("destination_name"),
            callerid_country=r.text("callerid_country"),
            line_information=r.text("line_information"),
            result=r.text("result"),
            call_fail_sip_code=r.integer("call_fail_sip_code"),
            call_fail_reason=r.text("call_fail_reason"),
            duration=r.integer("duration"),
            billed_duration=r.integer("billed_duration"),
            rate=r.money("rate"),
            first_increment=r.integer("first_increment"),
            subsequent_increment=r.integer("subsequent_increment"),
            cost_subtotal=r.money("cost_subtotal"),
            connect_fee=r.money("connect_fee"),
            usf_fee=r.money("usf_fee"),
            ccrf=r.money("ccrf"),
            cnam_lookup_fee=r.money("cnam_lookup_fee"),
            custom_x_tag=r.text("custom_x_tag"),
            customer_ip=r.text("customer_ip"),
            raw=obj,
        )


@dataclass(frozen=True)
class Portability(_Model):
    """The answer of ``check_portability``: E.164 numbers sorted by what can be ported."""

    portable: tuple[str, ...] = ()
    nonportable: tuple[str, ...] = ()
    hypernetwork_enabled: tuple[str, ...] = ()
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, obj: Any, included: Sequence[Any] = ()) -> Portability:
        r = _Fields.flat(cls, obj)
        return cls(
            portable=r.texts("portable"),
            nonportable=r.texts("nonportable"),
            hypernetwork_enabled=r.texts("hypernetwork_enabled"),
            raw=obj,
        )


class _Fields:
    """Reads typed values out of one resource object; errors name the model and the field."""

    def __init__(self, model: type, obj: JsonObject, values: JsonObject) -> None:
        self._model = model.__name__
        self._obj = obj
        self._values = values

    @classmethod
    def resource(cls, model: type, obj: Any, *, flat_ok: bool = False) -> _Fields:
        """A JSON:API resource object; ``flat_ok``: without ``attributes``, read ``obj`` itself."""
        if not isinstance(obj, Mapping):
            raise InvalidResponseError(
                f"{model.__name__}: expected a JSON object, got {_kind(obj)}"
            )
        attributes = obj.get("attributes")
        if attributes is None:
            attributes = obj if flat_ok else {}
        if not isinstance(attributes, Mapping):
            raise InvalidResponseError(
                f"{model.__name__}: expected an object at attributes, got {_kind(attributes)}"
            )
        return cls(model, obj, attributes)

    @classmethod
    def flat(cls, model: type, obj: Any) -> _Fields:
        if not isinstance(obj, Mapping):
            raise InvalidResponseError(
                f"{model.__name__}: expected a JSON object, got {_kind(obj)}"
            )
        return cls(model, obj, obj)

    def _fail(self, key: str, expected: str, value: Any) -> InvalidResponseError:
        shown = repr(value)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        return InvalidResponseError(f"{self._model}.{key}: expected {expected}, got {shown}")

    def optional_id(self) -> Optional[str]:
        return self._ident("id", self._obj.get("id"))

    def id(self, fallback: Optional[str] = None) -> str:
        ident = self.optional_id()
        if ident is None:
            ident = fallback
        if ident is None:
            raise InvalidResponseError(f"{self._model}: the object has no id")
        return ident

    def ident(self, key: str) -> Optional[str]:
        return self._ident(key, self._values.get(key))

    def _ident(self, key: str, value: Any) -> Optional[str]:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self._fail(key, "an id", value)

    def text(self, key: str) -> Optional[str]:
        value = self._values.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return str(value)
        raise self._fail(key, "text", value)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._values.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of strings", value)
        return tuple(value)

    def flag(self, key: str) -> Optional[bool]:
        value = self._values.get(key)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise self._fail(key, "true or false", value)

    def integer(self, key: str) -> Optional[int]:
        value = self._values.get(key)
        if value is None or value == "":
            return None
        number = _integer(value)
        if number is None:
            raise self._fail(key, "an integer", value)
        return number

    def loose_integer(self, key: str) -> Optional[int]:
        """An integer, or ``None`` for anything else (the value stays on ``raw``)."""
        value = self._values.get(key)
        return None if value is None else _integer(value)

    def money(self, key: str) -> Optional[Decimal]:
        value = self._values.get(key)
        if value is None or value == "":
            return None
        amount: Optional[Decimal] = None
        if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
            # str() of a float is its shortest round-trip form: 1.25 -> Decimal("1.25").
            try:
                amount = Decimal(value) if isinstance(value, str) else Decimal(str(value))
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite():
            raise self._fail(key, "a decimal amount", value)
        return amount

    def time(self, key: str) -> Optional[datetime]:
        value = self._values.get(key)
        if value is None or value == "":
            return None
        moment = _timestamp(value)
        if moment is None:
            raise self._fail(key, "a timestamp", value)
        return moment

    def mapping(self, key: str) -> dict[str, Any]:
        value = self._values.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self._fail(key, "an object", value)
        return dict(value)

    def objects(self, key: str) -> list[Any]:
        value = self._values.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "a list", value)
        return value

    def link(self, name: str) -> Optional[str]:
        links = self._obj.get("links")
        value = links.get(name) if isinstance(links, Mapping) else None
        return value if isinstance(value, str) else None

    def _relationship(self, name: str) -> Any:
        relationships = self._obj.get("relationships")
        if not isinstance(relationships, Mapping):
            return None
        relationship = relationships.get(name)
        return relationship.get("data") if isinstance(relationship, Mapping) else None

    def related_id(self, *names: str) -> Optional[str]:
        """The id a to-one relationship points at, under the first of ``names`` present."""
        for name in names:
            linkage = self._relationship(name)
            if isinstance(linkage, Mapping):
                return self._ident(f"relationships.{name}", linkage.get("id"))
        return None

    def related_ids(self, name: str) -> list[tuple[str, str]]:
        """``(type, id)`` of each resource a to-many relationship points at."""
        linkage = self._relationship(name)
        if not isinstance(linkage, list):
            return []
        pairs = []
        for item in linkage:
            if isinstance(item, Mapping):
                ident = self._ident(f"relationships.{name}", item.get("id"))
                if ident is not None:
                    pairs.append((str(item.get("type", name)), ident))
        return pairs


def _media(pairs: Iterable[tuple[str, str]], included: Sequence[Any]) -> Iterable[Media]:
    index = {}
    for item in included:
        if isinstance(item, Mapping) and item.get("id") is not None:
            index[(str(item.get("type")), str(item.get("id")))] = item
    for kind, ident in pairs:
        found = index.get((kind, ident))
        # An attachment the document names but does not include still counts as one.
        yield Media.from_json(found) if found is not None else Media(id=ident)


def _integer(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    return None


def _timestamp(value: Any) -> Optional[datetime]:
    """Any of the API's timestamp formats, as an aware UTC datetime; naive means UTC."""
    moment: Optional[datetime] = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        # ISO 8601 in all the API's variants (``Z``, ``+00``, space separator, 1-6 fraction
        # digits); datetime.fromisoformat reads none of those before Python 3.11.
        try:
            moment = isoparse(text)
        except (ValueError, OverflowError):
            # RFC 1123 (``Fri, 01 Jun 2018 00:17:52 GMT``), sent by CNAM associations.
            try:
                moment = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                moment = None
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _data(model: type, doc: Any) -> Any:
    if not isinstance(doc, Mapping):
        raise InvalidResponseError(f"{model.__name__}: expected a JSON document, got {_kind(doc)}")
    if "data" not in doc:
        raise InvalidResponseError(f"{model.__name__}: the document has no data")
    return doc["data"]


def _included(doc: JsonObject) -> Sequence[Any]:
    included = doc.get("included")
    return included if isinstance(included, list) else ()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
