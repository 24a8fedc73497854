"""Input checks, in one place: every value a caller hands the SDK is checked here before use.

A check returns the value in the form the SDK sends (or stores) and raises
:class:`~flowroutenumbersandmessaging.exceptions.ValidationError` naming the parameter when the
value cannot be used. Nothing is sent for a value that fails.

``bool`` is an ``int`` to Python but never a count, an id or a number of seconds to us, so the
primitives below refuse it.

Ids are checked against strict ASCII patterns before any URL is built: quoting alone does not
stop ``..`` segments (requests removes dot-segments and decodes ``%2E``), and ``\\d`` would
accept non-ASCII digits.

Bodies the caller writes (messages, routes) go out exactly as given: they are parsed to be
checked, never rewritten.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timezone
from typing import Any, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

from .exceptions import ValidationError


def is_int(value: object) -> bool:
    """An ``int`` that is not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """An ``int`` or ``float`` that is not a ``bool``."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def whole_number(value: object, what: str, *, minimum: int = 0) -> int:
    """An int of at least ``minimum`` (a count, a size, a number of retries)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return value
    raise ValidationError(f"{what} must be an int of {minimum} or more, got {value!r:.40}")


def seconds(value: object, what: str, *, allow_zero: bool = False) -> float:
    """A number of seconds: positive (or, with ``allow_zero``, 0 or more)."""
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value > 0 or (allow_zero and value == 0))
    ):
        return float(value)
    bound = "finite, 0 or more," if allow_zero else "finite positive"
    raise ValidationError(f"{what} must be a {bound} number of seconds, got {value!r:.40}")


def optional_whole_number(value: object, what: str, *, minimum: int = 0) -> Optional[int]:
    """:func:`whole_number`, or None."""
    return None if value is None else whole_number(value, what, minimum=minimum)


IdLike = Union[str, int]
# A digit filter or an area code goes into the query as written: an int and its digits as a str
# send the same text, and only a str can keep leading zeros.
Digits = Union[str, int]
JsonBody = Union[str, Mapping[str, Any]]
DateLike = Union[str, date, datetime]
AddressField = Optional[Union[str, int]]


def _shown(value: object, size: int = 40) -> str:
    text = value if isinstance(value, str) else str(value)
    return repr(text if len(text) <= size else text[:size] + "...")


def string(value: object, what: str) -> str:
    """Any ``str``, the empty one included."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a string, not {type(value).__name__}")
    return value


# -- ids --------------------------------------------------------------------------------------

_PHONE_NUMBER = re.compile(r"1[0-9]{10}")
_RECORD_ID = re.compile(r"[0-9]{1,19}")
_MESSAGE_ID = re.compile(r"mdr[0-9]+-[0-9a-f]{32}")


def _id_text(value: object, what: str) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ValidationError(f"{what} must be a string or an int, not {type(value).__name__}")
    return str(value)


def phone_number(value: IdLike, what: str = "number_id") -> str:
    """An 11-digit NANP number (``12065550142``); a leading ``+`` is dropped."""
    text = _id_text(value, what)
    digits = text[1:] if text.startswith("+") else text
    if not _PHONE_NUMBER.fullmatch(digits):
        raise ValidationError(
            f"{what} must be an 11-digit number starting with 1, got {_shown(text)}"
        )
    return digits


def record_id(value: IdLike, what: str) -> str:
    """A numeric record id (route, E911, CNAM, CDR export)."""
    text = _id_text(value, what)
    if not _RECORD_ID.fullmatch(text):
        raise ValidationError(f"{what} must be a numeric id, got {_shown(text)}")
    return text


def message_id(value: IdLike, what: str = "message_id") -> str:
    """A message detail record id: ``mdr2-`` followed by 32 lowercase hex digits."""
    text = _id_text(value, what)
    if not _MESSAGE_ID.fullmatch(text):
        raise ValidationError(f"{what} must look like 'mdr2-' + 32 hex digits, got {_shown(text)}")
    return text


_FILTER_DIGITS = re.compile(r"[0-9]{1,11}")


def digits(value: Optional[Digits], what: str) -> Optional[str]:
    """A digit filter (``starts_with``, ``contains``, ``ends_with``, ``areacode``) or None.

    Up to 11 ASCII digits, as a str (leading zeros kept) or a non-negative int.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if isinstance(value, str) and _FILTER_DIGITS.fullmatch(value):
        return value
    raise ValidationError(f"{what} must be 1 to 11 digits (a str or an int), got {value!r:.40}")


# -- URLs and bodies --------------------------------------------------------------------------


def callback_url(value: object, what: str) -> str:
    """An absolute http(s) URL Flowroute can post to (or fetch media from)."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a URL string, not {type(value).__name__}")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError(f"{what} must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        usable = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        usable = False
    if not usable:
        raise ValidationError(f"{what} must be an absolute http:// or https:// URL")
    return value


def json_object(value: JsonBody, what: str) -> dict[str, Any]:
    """A request body given as a JSON string (as v3's README does) or as a dict, parsed."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValidationError(f"{what} is not valid JSON: {exc}") from None
    if not isinstance(value, Mapping):
        raise ValidationError(f"{what} must be a JSON object (a dict or a JSON string)")
    return dict(value)


def _attributes(body: Mapping[str, Any], what: str) -> Mapping[str, Any]:
    """The attributes of a JSON:API body, or of a flat ("compact") one."""
    data = body.get("data", body)
    attributes = data.get("attributes", data) if isinstance(data, Mapping) else None
    if not isinstance(attributes, Mapping):
        raise ValidationError(f"{what} must hold an object at data.attributes")
    return attributes


def did_callback_body(url: object, what: str) -> dict[str, Any]:
    """The body that sets a number's delivery-receipt callback."""
    return {"data": {"attributes": {"callback_url": callback_url(url, what)}}}


def account_callback_body(url: object) -> dict[str, Any]:
    """The flat body of the account-level callback settings, as Flowroute documents it."""
    return {"callback_url": callback_url(url, "url")}


# -- messages ---------------------------------------------------------------------------------


def message(message_body: JsonBody) -> tuple[dict[str, Any], str]:
    """A message body to send as given, and its kind (``"sms"``/``"mms"``) for the send limiter.

    JSON:API (``data.attributes``) or flat; ``to``/``from`` 11-digit numbers; an SMS has a
    ``body``, an MMS a ``body`` or ``media_urls``.
    """
    body = json_object(message_body, "message_body")
    data = body.get("data")
    if isinstance(data, Mapping) and data.get("type", "message") != "message":
        raise ValidationError('message_body data.type must be "message"')
    attributes = _attributes(body, "message_body")
    _message_number(attributes.get("to"), "to")
    _message_number(attributes.get("from"), "from")
    text = attributes.get("body")
    if text is not None and not isinstance(text, str):
        raise ValidationError("message 'body' must be a string")
    media = attributes.get("media_urls")
    if media is None:
        media = []
    if not isinstance(media, list):
        raise ValidationError("message 'media_urls' must be a list of URLs")
    for i, url in enumerate(media):
        callback_url(url, f"media_urls[{i}]")
    if attributes.get("dlr_callback") is not None:
        callback_url(attributes["dlr_callback"], "dlr_callback")
    mms = _is_mms(attributes.get("is_mms")) or bool(media)
    if not text and not media:
        raise ValidationError(
            "message needs a 'body'" + (" or 'media_urls'" if mms else " (an SMS cannot be empty)")
        )
    return body, "mms" if mms else "sms"


def _message_number(value: object, what: str) -> None:
    # Messages v2.1 takes 11 digits without "+"; a body goes out as given, so a "+" is refused
    # here rather than by the API after the send was attempted.
    if not _PHONE_NUMBER.fullmatch(_id_text(value, f"message {what!r}")):
        raise ValidationError(
            f"message {what!r} must be an 11-digit number starting with 1, without '+' "
            f"(e.g. 12065550142), got {_shown(value)}"
        )


def _is_mms(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    # v3's README sends the string "true"; the API accepts it, so we do too.
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValidationError("message 'is_mms' must be true or false")


def sms_body(from_: IdLike, to: IdLike, body: str, dlr_callback: Optional[str]) -> dict[str, Any]:
    """The body ``send_sms`` sends (then checked by :func:`message` like any other)."""
    return _new_message(from_, to, {"body": string(body, "body")}, dlr_callback)


def mms_body(
    from_: IdLike,
    to: IdLike,
    media_urls: Sequence[str],
    body: Optional[str],
    dlr_callback: Optional[str],
) -> dict[str, Any]:
    """The body ``send_mms`` sends, marked ``is_mms`` (so a text-only MMS is one too)."""
    if isinstance(media_urls, str) or not isinstance(media_urls, (list, tuple)):
        raise ValidationError("media_urls must be a list of URLs")
    content: dict[str, Any] = {} if body is None else {"body": string(body, "body")}
    content.update(media_urls=list(media_urls), is_mms=True)
    return _new_message(from_, to, content, dlr_callback)


def _new_message(
    from_: IdLike, to: IdLike, content: dict[str, Any], dlr_callback: Optional[str]
) -> dict[str, Any]:
    # The SDK writes this body itself, so numbers may be ints or carry a "+".
    attributes = {"to": phone_number(to, "to"), "from": phone_number(from_, "from_"), **content}
    if dlr_callback is not None:
        attributes["dlr_callback"] = dlr_callback
    return {"data": {"type": "message", "attributes": attributes}}


# Strings go out as given, so they must already be in a form the API parses: ASCII ISO 8601.
_DATE_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)


def message_dates(start_date: DateLike, end_date: Optional[DateLike]) -> tuple[str, Optional[str]]:
    """The query texts of a message look-up's date range; ``start_date`` is required."""
    if start_date is None:
        raise ValidationError("start_date is required")
    start, start_at = _query_date(start_date, "start_date")
    if end_date is None:
        return start, None
    end, end_at = _query_date(end_date, "end_date")
    if end_at < start_at:
        raise ValidationError("end_date is before start_date")
    return start, end


def _query_date(value: DateLike, what: str) -> tuple[str, datetime]:
    """The query text for a message look-up date, and the instant it names (UTC)."""
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
        moment = moment.astimezone(timezone.utc)
        return moment.isoformat(), moment
    if isinstance(value, date):
        return value.isoformat(), datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a date, a datetime or a string")
    # Imported here: dateutil is slow to import, and only a date given as a string needs it.
    from dateutil.parser import isoparse
    from dateutil.parser import parse as parse_date

    if not _DATE_TEXT.fullmatch(value):
        # Not ISO 8601, but v3 took anything dateutil reads ("2017-12-01 00:00:00",
        # "12/01/2017"): such ASCII strings still work, sent in ISO form.
        try:
            if value.isascii():
                return _query_date(parse_date(value), what)
        except (ValueError, OverflowError):
            pass
        raise ValidationError(
            f"{what} must be a date, a datetime, or a string like '2017-12-01' or "
            f"'2017-12-01T00:00:00Z', got {value!r:.60}"
        )
    try:
        moment = isoparse(value)
    except ValueError as exc:
        raise ValidationError(f"{what} is not a real date/time: {exc}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return value, moment


# -- CNAM -------------------------------------------------------------------------------------

# Flowroute's CNAM storage rules: up to 15 characters, at least one letter, and besides
# letters, digits and space only - _ . , @ + & ' / "
_CNAM_VALUE = re.compile(r"""[A-Za-z0-9 \-_.,@+&'/"]{1,15}""")
_LETTER = re.compile(r"[A-Za-z]")


def cnam_value(value: object) -> str:
    """A caller name Flowroute will store."""
    if not isinstance(value, str):
        raise ValidationError(f"cnam_value must be a string, not {type(value).__name__}")
    if not _CNAM_VALUE.fullmatch(value) or not _LETTER.search(value):
        raise ValidationError(
            "cnam_value must be 1 to 15 characters with at least one letter, using only "
            "letters, digits, space and - _ . , @ + & ' / \" "
            f"(got {value!r:.40})"
        )
    return value


# -- E911 -------------------------------------------------------------------------------------

# The parameters of validate_address/create_address/update_address, in v3's order.
E911_FIELDS = (
    "label",
    "first_name",
    "last_name",
    "street_name",
    "street_number",
    "city",
    "state",
    "country",
    "zipcode",
    "address_type",
    "address_type_number",
)
_E911_REQUIRED = E911_FIELDS[:9]
_E911_WIRE_NAMES = {"zipcode": "zip"}
# Fields that are numbers more often than not; ints are sent as strings, like the API returns them.
_E911_NUMERIC = frozenset({"street_number", "zipcode", "address_type_number"})
_STATE = re.compile(r"[A-Za-z]{2}")
_COUNTRIES = ("US", "CA")


def e911_body(fields: Mapping[str, object], e911_id: Optional[str] = None) -> dict[str, Any]:
    """The JSON:API body of an E911 address, from its fields by parameter name.

    Without ``e911_id`` (validate, create) every field but ``address_type`` /
    ``address_type_number`` is required; with it (update) only the fields given are sent, at
    least one. ``address_type`` and ``address_type_number`` go together. Other keys of
    ``fields`` are ignored.
    """
    given = {name: fields[name] for name in E911_FIELDS if fields.get(name) is not None}
    missing = [name for name in _E911_REQUIRED if name not in given]
    if e911_id is None and missing:
        raise ValidationError(f"E911 address is missing {', '.join(missing)}")
    if e911_id is not None and not given:
        raise ValidationError("update_address needs at least one field to change")
    if ("address_type" in given) != ("address_type_number" in given):
        raise ValidationError("address_type and address_type_number go together: give both")
    attributes = {}
    for name, value in given.items():
        if is_int(value) and name in _E911_NUMERIC:
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{name} must be a non-empty string")
        attributes[_E911_WIRE_NAMES.get(name, name)] = value
    if "state" in attributes and not _STATE.fullmatch(attributes["state"]):
        raise ValidationError(
            f"state must be a 2-letter code such as WA, got {given['state']!r:.20}"
        )
    if "country" in attributes and attributes["country"].upper() not in _COUNTRIES:
        raise ValidationError(f"country must be US or CA, got {given['country']!r:.20}")
    data: dict[str, Any] = {"type": "e911"}
    if e911_id is not None:
        data["id"] = e911_id
    data["attributes"] = attributes
    return {"data": data}


# -- routes -----------------------------------------------------------------------------------

_ROUTE_TYPES = ("host", "number", "uri")
_ROUTE_NUMBER = re.compile(r"[0-9]{11}")


def _route_data(route_body: JsonBody) -> tuple[dict[str, Any], Mapping[str, Any]]:
    """The parsed body and its ``data`` object, which must be of type "route"."""
    body = json_object(route_body, "route_body")
    data = body.get("data")
    if not isinstance(data, Mapping) or data.get("type") != "route":
        raise ValidationError('route_body must look like {"data": {"type": "route", ...}}')
    return body, data


def new_route(route_body: JsonBody) -> dict[str, Any]:
    """A route to create: ``route_type`` host, number (11 digits) or uri, and a ``value``."""
    body, data = _route_data(route_body)
    attributes = data.get("attributes")
    if not isinstance(attributes, Mapping):
        raise ValidationError("route_body must hold an object at data.attributes")
    route_type = attributes.get("route_type")
    if route_type not in _ROUTE_TYPES:
        raise ValidationError(
            f"route_type must be one of {', '.join(_ROUTE_TYPES)}, got {route_type!r:.40}"
        )
    value = attributes.get("value")
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("route value must be a non-empty string")
    if route_type == "number" and not _ROUTE_NUMBER.fullmatch(value):
        raise ValidationError(f"a number route's value must be 11 digits, got {value!r:.40}")
    return body


def route_reference(route_body: JsonBody) -> dict[str, Any]:
    """A reference to an existing route: ``{"data": {"type": "route", "id": ...}}``."""
    body, data = _route_data(route_body)
    route_id: Any = data.get("id")
    record_id(route_id, "route id (data.id)")
    return body


# -- CDR exports ------------------------------------------------------------------------------

EXPORT_STATUSES = ("processing", "completed", "failed")
_REQUIRED_FILTERS = ("start_call_start_time", "start_call_end_time")


def export_status(status: Optional[str]) -> Optional[str]:
    """A CDR export status filter, or None."""
    if status is not None and status not in EXPORT_STATUSES:
        raise ValidationError(f"status must be one of {', '.join(EXPORT_STATUSES)}, got {status!r}")
    return status


def cdr_export_body(filters: Mapping[str, Any], url: Optional[str]) -> dict[str, Any]:
    """The body that starts a CDR export; dates in the filters are written as the API reads them."""
    if not isinstance(filters, Mapping):
        raise ValidationError("filters must be a dict of filter parameters")
    missing = [key for key in _REQUIRED_FILTERS if not filters.get(key)]
    if missing:
        raise ValidationError(f"filters must include {' and '.join(missing)}")
    attributes: dict[str, Any] = {
        "filter_parameters": {key: _filter_value(value) for key, value in filters.items()}
    }
    if url is not None:
        attributes["callback_url"] = callback_url(url, "callback_url")
    return {"data": {"type": "cdrexport", "attributes": attributes}}


def _filter_value(value: Any) -> Any:
    """Dates as the API's ``YYYY-MM-DD HH:MM:SS`` (naive means UTC) or ISO with an offset."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.isoformat()
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00:00")
    return value


# -- porting ----------------------------------------------------------------------------------


def portability_body(numbers: Union[IdLike, Sequence[IdLike]]) -> dict[str, Any]:
    """The numbers to check, in E.164 (the ``+`` the porting API requires added where missing)."""
    items = [numbers] if isinstance(numbers, (str, int)) else numbers
    if not isinstance(items, (list, tuple)) or not items:
        raise ValidationError("numbers must be a phone number or a non-empty list of them")
    return {"numbers": ["+" + phone_number(n, f"numbers[{i}]") for i, n in enumerate(items)]}


# -- pagination -------------------------------------------------------------------------------


def paging(page_size: object, filters: Mapping[str, Any]) -> int:
    """A page size for ``paginate``, which sets ``limit`` and ``offset`` itself."""
    for name in ("limit", "offset"):
        if name in filters:
            raise ValidationError(f"paginate() sets {name} itself; pass page_size instead")
    return whole_number(page_size, "page_size", minimum=1)
