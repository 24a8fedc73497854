"""Types of the JSON:API documents the endpoints return, for your type checker.

Every endpoint returns the plain ``dict`` Flowroute sent, exactly as v3 did; these
``TypedDict`` classes only describe it, so ``mypy --strict`` checks what you read from a
response instead of treating it as ``Any``::

    from typing import Optional

    from flowroutenumbersandmessaging.documents import NumberDocument

    def alias_of(document: NumberDocument) -> Optional[str]:
        return document["data"]["attributes"]["alias"]

Each type is ``total=False``: Flowroute leaves keys out (``links.next`` on the last page,
``address_type`` when unset, ``attributes`` on a message just accepted), so a key's type says
what it holds when it is there, not that it is there. Where the API is loose the types are
too: some ids are ints, some strings, some either; money is a string. :data:`Document` is
the type where no shape would be honest. Endpoints that answer 204 return None.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, TypedDict, Union

__all__ = [
    "AvailableCode",
    "AvailableCodeList",
    "CDRExportAttributes",
    "CDRExportDocument",
    "CDRExportList",
    "CDRExportListItem",
    "CDRExportResource",
    "CDRRowDict",
    "CNAMAssociation",
    "CNAMAssociationDocument",
    "CNAMAttributes",
    "CNAMDocument",
    "CNAMList",
    "CNAMResource",
    "DeliveryReceiptEntry",
    "Document",
    "DownloadResult",
    "E911Attributes",
    "E911Document",
    "E911List",
    "E911Resource",
    "EdgeStrategyAttributes",
    "EdgeStrategyList",
    "EdgeStrategyResource",
    "IncludedResource",
    "Links",
    "MediaRelationship",
    "MessageAttributes",
    "MessageDocument",
    "MessageList",
    "MessageRelationships",
    "MessageResource",
    "NumberAttributes",
    "NumberDocument",
    "NumberList",
    "NumberRelationships",
    "NumberResource",
    "PortabilityData",
    "PortabilityDocument",
    "Relationship",
    "ResourceIdentifier",
    "RouteAttributes",
    "RouteDocument",
    "RouteList",
    "RouteResource",
    "SentMessage",
    "SentMessageDocument",
]

Document = Dict[str, Any]
"""Any JSON:API document: an object with ``data`` (and perhaps ``links``, ``included``)."""

CDRRowDict = Dict[str, str]
"""One row of a CDR export file: column name to the cell's exact text.

The keys are the file's header, normally the 25 columns of :class:`~.models.CDRRow`; a dict
rather than a fixed shape, because a row holds whatever columns Flowroute writes.
"""


class DownloadResult(TypedDict):
    """What ``cdrs.download_cdr_export`` returns: where the file was saved."""

    filename: Union[str, os.PathLike[str]]


# -- JSON:API building blocks -----------------------------------------------------------------


class Links(TypedDict, total=False):
    self: str
    next: str
    related: str


class ResourceIdentifier(TypedDict, total=False):
    type: str
    id: str


class Relationship(TypedDict, total=False):
    data: Optional[ResourceIdentifier]


class IncludedResource(TypedDict, total=False):
    """An object of a document's ``included`` list (a route, CNAM, E911 record or media)."""

    type: str
    id: str
    attributes: Dict[str, Any]
    links: Links


# -- numbers ----------------------------------------------------------------------------------


class AvailableCode(TypedDict, total=False):
    """An area code (``"type": "areacode"``) or exchange (``"exchange"``) with numbers for sale."""

    type: str
    id: str
    links: Links


class AvailableCodeList(TypedDict, total=False):
    data: List[AvailableCode]
    links: Links


class NumberAttributes(TypedDict, total=False):
    value: str
    alias: Optional[str]
    rate_center: str
    state: str
    number_type: str
    monthly_cost: float
    setup_cost: float
    cnam_lookups_enabled: bool


class NumberRelationships(TypedDict, total=False):
    cnam_preset: Relationship
    e911_address: Relationship
    failover_route: Relationship
    primary_route: Relationship


class NumberResource(TypedDict, total=False):
    type: str
    id: str
    attributes: NumberAttributes
    relationships: NumberRelationships
    links: Links


class NumberList(TypedDict, total=False):
    """Numbers for sale, on your account, or using an E911 address."""

    data: List[NumberResource]
    links: Links


class NumberDocument(TypedDict, total=False):
    """One number with its relationships; ``included`` holds the routes, CNAM and E911 they
    point at."""

    data: NumberResource
    included: List[IncludedResource]
    links: Links


# -- routes -----------------------------------------------------------------------------------


class RouteAttributes(TypedDict, total=False):
    route_type: str
    value: Optional[str]
    alias: Optional[str]
    edge_strategy_id: Optional[int]


class RouteResource(TypedDict, total=False):
    type: str
    id: str
    attributes: RouteAttributes
    links: Links


class RouteList(TypedDict, total=False):
    data: List[RouteResource]
    links: Links


class RouteDocument(TypedDict, total=False):
    data: RouteResource
    links: Links


class EdgeStrategyAttributes(TypedDict, total=False):
    name: str
    naptr: str
    description: str
    firewall_rules: str


class EdgeStrategyResource(TypedDict, total=False):
    type: str
    id: int
    attributes: EdgeStrategyAttributes


class EdgeStrategyList(TypedDict, total=False):
    data: List[EdgeStrategyResource]


# -- messages ---------------------------------------------------------------------------------


class DeliveryReceiptEntry(TypedDict, total=False):
    """A delivery receipt inside a message detail record (``delivery_receipts``)."""

    level: int
    status: str
    status_code: Union[int, str, None]
    status_code_description: str
    timestamp: str


# "from" is a Python keyword, hence the functional form.
MessageAttributes = TypedDict(
    "MessageAttributes",
    {
        "from": str,
        "to": str,
        "body": Optional[str],
        "direction": str,
        "is_mms": bool,
        "message_type": str,
        "message_encoding": int,
        "status": str,
        "timestamp": str,
        "amount_nanodollars": Union[int, str],
        "amount_display": str,
        "delivery_receipts": List[DeliveryReceiptEntry],
        "message_callback_url": str,
    },
    total=False,
)


class MediaRelationship(TypedDict, total=False):
    data: List[ResourceIdentifier]


class MessageRelationships(TypedDict, total=False):
    media: MediaRelationship


class MessageResource(TypedDict, total=False):
    """A message detail record (MDR2); an MMS's media are in the document's ``included``."""

    type: str
    id: str
    attributes: MessageAttributes
    relationships: MessageRelationships
    links: Links


class MessageList(TypedDict, total=False):
    data: List[MessageResource]
    included: List[IncludedResource]
    links: Links


class MessageDocument(TypedDict, total=False):
    data: MessageResource
    included: List[IncludedResource]
    links: Links


class SentMessage(TypedDict, total=False):
    """A message Flowroute accepted: its id (``mdr2-...``), no attributes yet."""

    type: str
    id: str
    links: Links


class SentMessageDocument(TypedDict, total=False):
    data: SentMessage


# -- E911 -------------------------------------------------------------------------------------


class E911Attributes(TypedDict, total=False):
    label: str
    first_name: str
    last_name: str
    street_number: str
    street_name: str
    address_type: str
    address_type_number: str
    city: str
    state: str
    country: str
    zip: str


class E911Resource(TypedDict, total=False):
    type: str
    id: str
    attributes: E911Attributes
    links: Links


class E911List(TypedDict, total=False):
    data: List[E911Resource]
    links: Links


class E911Document(TypedDict, total=False):
    data: E911Resource


# -- CNAM -------------------------------------------------------------------------------------


class CNAMAttributes(TypedDict, total=False):
    value: str
    is_approved: bool
    rejection_reason: Optional[str]
    creation_datetime: Optional[str]
    approval_datetime: Optional[str]


class CNAMResource(TypedDict, total=False):
    type: str
    id: str
    attributes: CNAMAttributes
    links: Links


class CNAMList(TypedDict, total=False):
    data: List[CNAMResource]
    links: Links


class CNAMDocument(TypedDict, total=False):
    data: CNAMResource


class CNAMAssociation(TypedDict, total=False):
    """The receipt of (un)assigning a CNAM record; ``id`` is an int, or None after removal."""

    type: str
    id: Optional[int]
    attributes: Dict[str, str]


class CNAMAssociationDocument(TypedDict, total=False):
    data: CNAMAssociation


# -- CDR exports ------------------------------------------------------------------------------


class CDRExportAttributes(TypedDict, total=False):
    """An export job; the money and count fields are None until it has completed."""

    status: str
    callback_url: Optional[str]
    download_url: Optional[str]
    requested_at: str
    created_at: Optional[str]
    expires_at: Optional[str]
    total_cost: Optional[str]
    call_subtotal: Optional[str]
    connect_fees: Optional[str]
    cnamlookup_fees: Optional[str]
    usf_fees: Optional[str]
    ccrf: Optional[str]
    num_calls: Optional[int]
    billed_minutes: Optional[int]
    filter_parameters: Dict[str, Any]


class CDRExportResource(TypedDict, total=False):
    type: str
    id: Union[int, str]
    attributes: CDRExportAttributes
    links: Links


class CDRExportDocument(TypedDict, total=False):
    data: CDRExportResource
    links: Links


class CDRExportListItem(TypedDict, total=False):
    """The list wraps each export once more, as ``{"data": {...}}``."""

    data: CDRExportResource


class CDRExportList(TypedDict, total=False):
    data: List[CDRExportListItem]
    links: Links


# -- porting ----------------------------------------------------------------------------------


class PortabilityData(TypedDict, total=False):
    """E.164 numbers by verdict; a number may be both portable and hypernetwork-enabled."""

    portable: List[str]
    nonportable: List[str]
    hypernetwork_enabled: List[str]


class PortabilityDocument(TypedDict, total=False):
    data: PortabilityData
