"""The sandbox's records and the wire formats of their timestamps and money."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Optional


@dataclass
class Route:
    id: str
    route_type: str
    value: Optional[str]
    alias: Optional[str]
    edge_strategy_id: Optional[int] = None


@dataclass
class E911:
    id: str
    attributes: dict[str, str]


@dataclass
class Cnam:
    id: str
    value: str
    creation_datetime: Optional[datetime]
    is_approved: bool = False
    rejection_reason: Optional[str] = None
    approval_datetime: Optional[datetime] = None
    # monotonic time at which a pending record is decided automatically, if ever
    due: Optional[float] = None

    @property
    def pending(self) -> bool:
        return not self.is_approved and self.rejection_reason is None


@dataclass
class Media:
    id: str
    url: str
    mime_type: str
    file_size: Optional[int]
    file_name: str


@dataclass
class Message:
    id: str
    from_: str
    to: str
    body: Optional[str]
    direction: str
    is_mms: bool
    message_type: str
    encoding: int
    status: str
    timestamp: datetime
    amount_nanodollars: int
    receipts: list[dict[str, Any]] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    callback_url: Optional[str] = None


@dataclass
class CdrExport:
    id: int
    status: str
    callback_url: Optional[str]
    filter_parameters: dict[str, Any]
    window: tuple[datetime, datetime]
    criteria: dict[str, Any]
    requested_at: datetime
    created_at: datetime
    expires_at: Optional[datetime] = None
    totals: dict[str, Any] = field(default_factory=dict)
    token: Optional[str] = None
    signed_query: Optional[str] = None
    file: bytes = b""
    due: Optional[float] = None


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def mdr_time(value: datetime) -> str:
    """``2017-12-22T01:52:39.39Z``: messages carry hundredths of a second."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 10000:02d}Z"


def cnam_time(value: Optional[datetime]) -> Optional[str]:
    """``2018-04-16 16:20:32.939166+00:00``."""
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def iso_seconds(value: Optional[datetime]) -> Optional[str]:
    """``2019-03-18T23:20:30+00:00``."""
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def csv_time(value: datetime) -> str:
    """``2019-06-25 18:18:54+00``: CDR files use an hour-only offset."""
    return value.strftime("%Y-%m-%d %H:%M:%S+00")


def rfc1123(value: datetime) -> str:
    return email.utils.format_datetime(value.astimezone(timezone.utc), usegmt=True)


def amount_display(nanodollars: int) -> str:
    return f"${nanodollars / 1e9:.4f}"
