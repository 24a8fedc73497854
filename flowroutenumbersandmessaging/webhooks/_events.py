"""Flowroute's callback bodies as typed events; anything else is a :class:`WebhookError`.

The body is attacker-reachable (Flowroute does not sign its callbacks), so it is decoded with
``json`` only, after a size cap and a strict UTF-8 check, and the decoded tree is checked
before any model sees it: JSON types only, no repeated keys, finite numbers, integers of sane
length, no lone surrogates, bounded nesting.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping, Optional, Sequence, Union

from .. import _validate
from ..exceptions import FlowrouteError, InvalidResponseError, ValidationError
from ..models import DeliveryReceipt, Message

MAX_BODY_BYTES = 1024 * 1024
# Flowroute's callbacks nest six levels deep and hold a few dozen values (an MMS with many
# attachments, a few hundred); far more of either is not one of them.
_MAX_DEPTH = 32
_MAX_VALUES = 10_000
# Int parsing is quadratic in its digits; no field of a callback needs more than a few.
_MAX_INT_DIGITS = 40
# Digits to "0", every other byte to " ": a long run of digits is then a plain substring, which
# bytes search finds twenty times faster than a regular expression would.
_DIGIT_RUNS = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_LONG_RUN = b"0" * (_MAX_INT_DIGITS + 1)
_SURROGATE = re.compile("[\ud800-\udfff]")

Body = Union[bytes, bytearray, memoryview, str]


class WebhookError(FlowrouteError, ValueError):
    """A request body that is not a well-formed Flowroute callback."""


@dataclass(frozen=True, repr=False)
class InboundMessage:
    """An SMS or MMS sent to one of your numbers.

    ``message`` is the message detail record, with the MMS attachments in ``message.media``
    (their URLs are temporary: download what you keep promptly). ``id`` is
    ``"message:" + message.id``. Both inbound formats (v2.1 JSON:API and the legacy flat body)
    arrive as this event.
    """

    id: str
    message: Message
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        """``"mms"`` or ``"sms"``."""
        return "mms" if self.message.is_mms or self.message.media else "sms"

    def __repr__(self) -> str:
        # Not the message's own repr: its message_callback_url is the URL Flowroute posted to,
        # token included, and the body is the sender's private text.
        message = self.message
        return (
            f"InboundMessage(kind={self.kind!r}, id={self.id!r}, from_={message.from_!r}, "
            f"to={message.to!r}, media={len(message.media)})"
        )


@dataclass(frozen=True)
class DeliveryReceiptEvent:
    """A delivery receipt (DLR) for a message you sent.

    ``receipt.message_id`` is the outbound message's id; a message usually gets two receipts,
    level 1 (handed to the carrier) and level 2 (delivered, or not). ``id`` is
    ``"dlr:<message id>:<level>:"`` followed by 16 hex digits of a SHA-256 over the receipt's
    level, status, status code, description and timestamp, so each receipt has its own key.
    """

    kind: ClassVar[str] = "dlr"
    id: str
    receipt: DeliveryReceipt
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class CDRExportEvent:
    """A CDR export changed state. Treat it as a hint: fetch the export to act on it.

    ``id`` is ``"cdr:<export id>:<status>"``: one key per state the export reaches.
    """

    kind: ClassVar[str] = "cdr"
    id: str
    export_id: str
    status: Optional[str] = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


Event = Union[InboundMessage, DeliveryReceiptEvent, CDRExportEvent]


def parse_webhook(body: Union[Body, Mapping[str, Any]]) -> Event:
    """The typed event of a Flowroute callback body: bytes, text, or an already decoded mapping.

    Raises :class:`WebhookError` (and nothing else) for anything that is not a well-formed
    callback: not UTF-8 JSON, over 1 MiB, not an object, an unknown ``type``, a field of the
    wrong type, absurd nesting.
    """
    document = body if isinstance(body, Mapping) else _decode(body_bytes(body))
    _check_tree(document)
    if not isinstance(document, Mapping):
        raise WebhookError(f"a callback is a JSON object, not {_kind(document)}")
    try:
        return _event(document)
    except (InvalidResponseError, ValidationError) as error:
        raise WebhookError(f"malformed callback: {error}") from None


def body_bytes(body: Body) -> bytes:
    """The body as bytes; text is encoded as UTF-8."""
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError:
            raise WebhookError("the body holds a lone surrogate") from None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise WebhookError(f"a callback body is bytes or text, not {type(body).__name__}")


def _decode(data: bytes) -> Any:
    if len(data) > MAX_BODY_BYTES:
        raise WebhookError(f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebhookError(f"the body is not UTF-8 (at byte {error.start})") from None
    # A hook per integer triples the decoding time, so only a body with a long run of digits
    # (perhaps only inside a string) pays for it.
    integers = _integer if _LONG_RUN in data.translate(_DIGIT_RUNS) else None
    try:
        return json.loads(
            text, object_pairs_hook=_object, parse_constant=_constant, parse_int=integers
        )
    except WebhookError:
        raise
    except json.JSONDecodeError as error:
        raise WebhookError(f"the body is not JSON: {error.msg} at character {error.pos}") from None
    except (ValueError, RecursionError):
        raise WebhookError("the body is not JSON Flowroute would send") from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        # Parsers disagree on which of two equal keys wins; a callback never repeats one.
        raise WebhookError("the body repeats a key within one object")
    return obj


def _constant(name: str) -> Any:
    raise WebhookError(f"the body holds {name}, which is not JSON")


def _integer(digits: str) -> int:
    if len(digits) > _MAX_INT_DIGITS:
        raise WebhookError(f"the body holds an integer of over {_MAX_INT_DIGITS} digits")
    return int(digits)


def _check_tree(document: Any) -> None:
    """JSON values only, nested at most ``_MAX_DEPTH`` deep, no lone surrogates.

    Iterative, and bounded by a count of values, so that neither a body of a million tiny
    values nor a self-referencing mapping handed in by the caller takes long.
    """
    budget = _MAX_VALUES
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                raise WebhookError("the body holds a lone surrogate")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise WebhookError("the body holds a number that is not finite")
        elif value is None or isinstance(value, (bool, int)):
            continue
        elif isinstance(value, (Mapping, list)):
            if depth > _MAX_DEPTH:
                raise WebhookError(f"the body nests deeper than {_MAX_DEPTH} levels")
            budget -= len(value)
            if budget < 0:
                raise WebhookError("the callback holds too many values")
            if isinstance(value, list):
                stack.extend((item, depth + 1) for item in value)
                continue
            for key, item in value.items():
                if not isinstance(key, str):
                    raise WebhookError(f"an object key must be text, not {type(key).__name__}")
                stack.append((key, depth))
                stack.append((item, depth + 1))
        else:
            raise WebhookError(f"the callback holds {type(value).__name__}, which is not JSON")


def _event(document: Mapping[str, Any]) -> Event:
    if "data" not in document:
        if "id" not in document:
            raise WebhookError("not a Flowroute callback: no data and no id")
        return _inbound(document, document, ())
    data = document["data"]
    if isinstance(data, Mapping) and "type" not in data and isinstance(data.get("data"), Mapping):
        # Export list items come wrapped once more; a notice might too (none was captured).
        data = data["data"]
    if not isinstance(data, Mapping):
        raise WebhookError(f"data must be one object, not {_kind(data)}")
    kind = data.get("type")
    if kind == "message":
        included = document.get("included", [])
        if not isinstance(included, list):
            raise WebhookError(f"included must be a list, not {_kind(included)}")
        return _inbound(document, data, included)
    if kind == "delivery_receipt":
        return _receipt(document, data)
    if kind == "cdrexport":
        return _export(document, data)
    shown = repr(kind)
    raise WebhookError(f"unknown callback type {shown if len(shown) <= 40 else shown[:37] + '...'}")


def _inbound(
    document: Mapping[str, Any], obj: Mapping[str, Any], included: Sequence[Any]
) -> InboundMessage:
    message = Message.from_json(obj, included)
    if not message.from_ or not message.to:
        raise WebhookError("an inbound message needs its from and to numbers")
    return InboundMessage(id=f"message:{message.id}", message=message, raw=document)


def _receipt(document: Mapping[str, Any], obj: Mapping[str, Any]) -> DeliveryReceiptEvent:
    receipt = DeliveryReceipt.from_json(obj)
    if not receipt.message_id:
        raise WebhookError("a delivery receipt needs the id of the message it is for")
    moment = receipt.timestamp.isoformat() if receipt.timestamp else None
    facts = [receipt.status, receipt.status_code, receipt.status_code_description, moment]
    digest = hashlib.sha256(json.dumps([receipt.level, *facts]).encode("ascii")).hexdigest()
    key = f"dlr:{receipt.message_id}:{receipt.level}:{digest[:16]}"
    return DeliveryReceiptEvent(id=key, receipt=receipt, raw=document)


def _export(document: Mapping[str, Any], obj: Mapping[str, Any]) -> CDRExportEvent:
    export_id = _validate.record_id(obj.get("id", ""), "data.id")
    attributes = obj.get("attributes")
    if attributes is None:
        attributes = {}
    if not isinstance(attributes, Mapping):
        raise WebhookError(f"data.attributes must be an object, not {_kind(attributes)}")
    status = attributes.get("status")
    if status is not None and not isinstance(status, str):
        raise WebhookError(f"data.attributes.status must be text, not {_kind(status)}")
    return CDRExportEvent(
        id=f"cdr:{export_id}:{status}", export_id=export_id, status=status, raw=document
    )


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
