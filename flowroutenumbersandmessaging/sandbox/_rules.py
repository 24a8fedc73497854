"""What the sandbox accepts and rejects, and why: the API's validation rules in one place.

Field problems answer 422 (with a JSON:API detail object for E911 and CNAM fields), malformed
queries 400, and an E911 address that passes its field checks but cannot be located 400 with
the API's geocoding message. ``cnam_verdict`` is the review that approves or rejects a stored
CNAM value when approval is automatic.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Mapping, Optional, Union
from urllib.parse import urlsplit

from ._catalogue import ADDRESS_TYPES, CA_PROVINCES, EDGE_STRATEGIES, US_STATES

REQUIRED = "This field is required."
GEOCODE_FAILED = "Could not geocode this address. Please check the validity of your address."
E911_FIELDS = (
    "label",
    "first_name",
    "last_name",
    "street_number",
    "street_name",
    "address_type",
    "address_type_number",
    "city",
    "state",
    "country",
    "zip",
)
E911_REQUIRED = tuple(f for f in E911_FIELDS if not f.startswith("address_type"))
CDR_LIST_FILTERS = (
    "number_aliases",
    "number_aliases_contains",
    "destination_numbers",
    "callerid_numbers",
    "custom_x_tags",
)
CNAM_ALLOWED = re.compile(r"[A-Za-z0-9 \-_.,@+&'/\"]*")
PHONE = re.compile(r"1[0-9]{10}")
DIGITS = re.compile(r"[0-9]+")
HOST = re.compile(
    r"(?=[^:]{1,253}(:|$))[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:(?P<port>[0-9]{1,5}))?"
)
SIP_URI = re.compile(
    r"sips?:[^@\s;:]+@(?P<host>[A-Za-z0-9.-]+)(:(?P<port>[0-9]{1,5}))?"
    r"(;(transport=(tcp|udp|tls)|weight=[0-9]{1,3}))*",
    re.IGNORECASE,
)
DATETIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.(?P<frac>[0-9]{1,6}))?)?)"
    r"\s*(?P<tz>Z|[+ -][0-9]{2}(?::?[0-9]{2})?)?)?"
)


class ApiError(Exception):
    """An answer in the API's error shape; raised anywhere inside a handler."""

    def __init__(
        self,
        status: int,
        detail: Union[str, Mapping[str, Any]],
        *,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


def boolean(value: Any, name: str, *, status: int = 400) -> bool:
    """A JSON bool, or the strings the original SDK sent (``"true"``, ``"True"``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise ApiError(status, f"{name} must be true or false, got {value!r}.")


def is_url(value: Any) -> bool:
    """An http(s) URL with a host; never raises, whatever the text (``http://[`` is not one)."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host)


def is_http_host(value: str) -> bool:
    """A ``Host`` header fit to start links with: a name, IPv4 or [IPv6] and an optional port."""
    if len(value) > 260:
        return False
    if value.startswith("["):
        address, bracket, port = value[1:].partition("]")
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return False
        return bool(bracket) and (port == "" or (port[0] == ":" and _port_ok(port[1:])))
    match = HOST.fullmatch(value)
    return match is not None and (match["port"] is None or _port_ok(match["port"]))


def _port_ok(port: str) -> bool:
    return DIGITS.fullmatch(port) is not None and len(port) <= 5 and 0 < int(port) < 65536


def callback_url(attributes: Mapping[str, Any]) -> str:
    url = attributes.get("callback_url")
    if not is_url(url):
        raise ApiError(422, "callback_url must be an http(s) URL.")
    return str(url)


def optional_text(attributes: Mapping[str, Any], name: str) -> Optional[str]:
    value = attributes.get(name)
    if value is not None and not isinstance(value, str):
        raise ApiError(422, f"{name} must be a string or null.")
    return value


def number_settings(attributes: Mapping[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for name in ("alias", "messaging_email", "messaging_callback_url"):
        if name in attributes:
            settings[name] = optional_text(attributes, name)
    for name in ("cnam_lookups_enabled", "messaging_enabled"):
        if name in attributes:
            settings[name] = boolean(attributes[name], name, status=422)
    url = settings.get("messaging_callback_url")
    if url is not None and not is_url(url):
        raise ApiError(422, "messaging_callback_url must be an http(s) URL.")
    return settings


def route_value(route_type: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ApiError(422, "value is required.")
    if route_type == "number":
        ok = bool(PHONE.fullmatch(value))
        hint = "an 11-digit number such as 12065550199"
    else:
        pattern, hint = (
            (HOST, "a host name or IP address, optionally with :port")
            if route_type == "host"
            else (SIP_URI, "sip:user@domain[:port][;transport=tcp|udp|tls]")
        )
        match = pattern.fullmatch(value)
        ok = match is not None and (match["port"] is None or _port_ok(match["port"]))
    if not ok:
        raise ApiError(422, f"Invalid {route_type} route value {value!r}: expected {hint}.")
    return value


def edge_strategy(value: Any) -> Optional[int]:
    if value is None:
        return None
    known = {int(str(s["id"])) for s in EDGE_STRATEGIES}
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, str))
        or str(value) not in map(str, known)
    ):
        raise ApiError(422, f"edge_strategy_id must be one of {sorted(known)}, got {value!r}.")
    return int(value)


def message_number(value: Any, name: str) -> str:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not PHONE.fullmatch(text):
        raise ApiError(
            422, f"{name} must be an 11-digit number such as 12065550142, got {value!r}."
        )
    return text


def parse_datetime(raw: str, name: str) -> tuple[datetime, bool]:
    """A date or ISO date-time (``Z``, offsets, a ``+`` decoded as a space); UTC if naive."""
    match = DATETIME.fullmatch(raw.strip())
    if match is None:
        raise ApiError(400, f"{name} must be YYYY-MM-DD or an ISO 8601 date-time, got {raw!r}.")
    try:
        value = datetime.strptime(match["date"], "%Y-%m-%d")
        if match["time"]:
            clock = match["time"].split(".")[0]
            parts = [int(p) for p in clock.split(":")] + [0]
            value = value.replace(hour=parts[0], minute=parts[1], second=parts[2])
            if match["frac"]:
                value = value.replace(microsecond=int(match["frac"].ljust(6, "0")))
        tz = match["tz"]
        offset = timedelta(0)
        if tz and tz != "Z":
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            if tz[0] == "-":
                offset = -offset
        return value.replace(tzinfo=timezone(offset)).astimezone(timezone.utc), not match["time"]
    except (ValueError, OverflowError):  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ApiError(400, f"{name} is not a valid date: {raw!r}.") from None


def cdr_time(raw: Any, name: str) -> datetime:
    if not isinstance(raw, str) or not raw:
        raise ApiError(422, f"filter_parameters.{name} is required (YYYY-MM-DD HH:MM:SS, UTC).")
    try:
        return parse_datetime(raw, name)[0]
    except ApiError:
        raise ApiError(422, f"filter_parameters.{name} is not a date-time: {raw!r}.") from None


def cdr_criteria(raw: Mapping[str, Any]) -> dict[str, Any]:
    criteria: dict[str, Any] = {}
    tags = raw.get("custom_x_tags", raw.get("custom_x_tag"))
    for name in CDR_LIST_FILTERS:
        value = tags if name == "custom_x_tags" else raw.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ApiError(422, f"filter_parameters.{name} must be a list of strings.")
        criteria[name] = value
    if raw.get("caller_ip") is not None:
        if not isinstance(raw["caller_ip"], str):
            raise ApiError(422, "filter_parameters.caller_ip must be a string.")
        criteria["caller_ip"] = raw["caller_ip"]
    duration = raw.get("duration_greater_than")
    if duration is not None:
        whole = isinstance(duration, int) and not isinstance(duration, bool)
        if not (
            (whole and abs(duration) < 10**18)
            or (isinstance(duration, str) and DIGITS.fullmatch(duration) and len(duration) <= 18)
        ):
            raise ApiError(
                422, "filter_parameters.duration_greater_than must be a whole number of seconds."
            )
        criteria["duration_greater_than"] = int(duration)
    return criteria


def check_address(
    incoming: Mapping[str, Any], existing: Optional[Mapping[str, str]]
) -> dict[str, str]:
    """Validate an E911 address (whole, or a partial update merged onto ``existing``).

    Field problems answer 422 with a JSON:API detail object listing each field; an address
    that passes them but cannot be located answers 400 with the API's geocoding message.
    """
    errors: dict[str, list[str]] = {}
    merged = _merge_address(incoming, existing, errors)
    for check in (_required_fields, _zip_length, _state_code, _country, _address_type):
        for name, problem in check(merged):
            if problem == REQUIRED and name in errors:
                continue  # already said why: blank, or not a string
            errors.setdefault(name, []).append(problem)
    if errors:
        raise ApiError(422, {"data": {"attributes": errors}})
    merged["state"], merged["country"] = merged["state"].upper(), merged["country"].upper()
    if not _locatable(merged):
        raise ApiError(400, GEOCODE_FAILED)
    return {name: merged[name] for name in E911_FIELDS if name in merged}


Problems = Iterator[tuple[str, str]]


def _merge_address(
    incoming: Mapping[str, Any], existing: Optional[Mapping[str, str]], errors: dict[str, list[str]]
) -> dict[str, str]:
    """``existing`` with the fields given applied: blank clears, a non-text value is an error."""
    merged: dict[str, str] = dict(existing or {})
    values = dict(incoming)
    if "zip" not in values and "zip_code" in values:  # the original SDK sent both spellings
        values["zip"] = values["zip_code"]
    for name in E911_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value is None or value == "":
            if name in E911_REQUIRED:
                errors.setdefault(name, []).append("This field may not be blank.")
            merged.pop(name, None)
        elif isinstance(value, bool) or not isinstance(value, (str, int)):
            errors.setdefault(name, []).append("Must be a string.")
        else:
            merged[name] = str(value).strip()
    return merged


def _required_fields(address: Mapping[str, str]) -> Problems:
    for name in E911_REQUIRED:
        if not address.get(name):
            yield name, REQUIRED


def _zip_length(address: Mapping[str, str]) -> Problems:
    zip_code = address.get("zip", "")
    if zip_code and not 4 <= len(zip_code) <= 7:
        yield "zip", "ZIP code must be between 4 and 7 characters."


def _state_code(address: Mapping[str, str]) -> Problems:
    state = address.get("state", "")
    if state and not re.fullmatch(r"[A-Za-z]{2}", state):
        yield "state", "State must be a 2-letter code such as WA."


def _country(address: Mapping[str, str]) -> Problems:
    country = address.get("country", "")
    if country and country.upper() not in ("US", "USA", "CA"):
        yield "country", "Country must be US or CA."


def _address_type(address: Mapping[str, str]) -> Problems:
    kind = address.get("address_type")
    if kind is not None and kind.lower() not in ADDRESS_TYPES:
        yield "address_type", f"{kind!r} is not a valid address type."
    if kind is not None and not address.get("address_type_number"):
        yield "address_type_number", "Required when address_type is given."
    if kind is None and address.get("address_type_number"):
        yield "address_type", "Required when address_type_number is given."


def _locatable(address: Mapping[str, str]) -> bool:
    """The sandbox's geocoder: a real-looking street, state and postal code for the country."""
    us = address["country"] in ("US", "USA")
    postal = r"[0-9]{5}" if us else r"[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]"
    return (
        "nowhere" not in address["street_name"].lower()
        and address["state"] in (US_STATES if us else CA_PROVINCES)
        and re.fullmatch(postal, address["zip"]) is not None
    )


def cnam_problems(value: str) -> list[str]:
    """Why a CNAM value cannot even be stored (422): length, a letter, allowed characters."""
    problems = []
    if len(value) > 15:
        problems.append("CNAM value must be at most 15 characters.")
    if not any(c.isascii() and c.isalpha() for c in value):
        problems.append("CNAM value must contain at least one letter.")
    if not CNAM_ALLOWED.fullmatch(value):
        problems.append(
            "CNAM value may only contain letters, digits, spaces and - _ . , @ + & ' / \"."
        )
    return problems


_PROFANE = re.compile(r"\b(DAMN|HELL|CRAP|SHIT|FUCK\w*|BITCH)\b")
_MISLEADING = re.compile(
    r"\b(POLICE|SHERIFF|FBI|IRS|911|WHITE HOUSE|OBAMA|PRESIDENT|GOVERNMENT|SENATOR)\b"
)


def cnam_verdict(value: str) -> Optional[str]:
    """Why a CNAM value would be rejected on review, or None when it is approvable."""
    upper = value.upper()
    if sum(c.isdigit() for c in value) >= 7:
        return "CNAM must be a name, not a phone number."
    if _PROFANE.search(upper):
        return "CNAM contains inappropriate language."
    if _MISLEADING.search(upper):
        return "CNAM appears misleading (public figures, government or emergency services)."
    return None
