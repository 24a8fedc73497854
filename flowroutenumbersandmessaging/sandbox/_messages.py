"""Messages: sending SMS/MMS (at the account's send rate), message records, account callbacks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Optional
from urllib.parse import quote

from . import _shapes
from ._account import CALLBACK_TYPES, MMS_MAX_BYTES
from ._records import Message
from ._rules import ApiError, boolean, callback_url, is_url, message_number, parse_datetime
from ._wire import Call, Response, find, json_response, no_content


def send_message(call: Call) -> Response:
    attributes = call.attributes()
    to = message_number(attributes.get("to"), "to")
    sender_value = message_number(attributes.get("from"), "from")
    body = attributes.get("body")
    if body is not None and not isinstance(body, str):
        raise ApiError(422, "body must be a string.")
    is_mms = boolean(attributes.get("is_mms", False), "is_mms", status=422)
    media_urls = attributes.get("media_urls") or []
    if not isinstance(media_urls, list) or not all(is_url(u) for u in media_urls):
        raise ApiError(422, "media_urls must be a list of http(s) URLs.")
    dlr_callback = attributes.get("dlr_callback")
    if dlr_callback is not None and not is_url(dlr_callback):
        raise ApiError(422, "dlr_callback must be an http(s) URL.")
    mms = is_mms or bool(media_urls)
    if not mms and not body:
        raise ApiError(422, "body is required for an SMS.")
    if mms and not body and not media_urls:
        raise ApiError(422, "An MMS needs a body or media_urls.")
    sender = call.account.numbers.get(sender_value)
    if sender is None:
        raise ApiError(422, f"The from number {sender_value} is not on your account.")
    if not sender.messaging_enabled:
        raise ApiError(403, f"Messaging is not enabled on {sender_value}.")
    if mms:
        size = call.state.mms_size(body, media_urls)
        if size > MMS_MAX_BYTES:
            raise ApiError(422, f"MMS is {size} bytes; the limit is {MMS_MAX_BYTES} bytes.")
    kind = "mms" if mms else "sms"
    wait = call.account.take_send_slot(kind)
    if wait is not None:
        limit = call.state.send_rate_limits[kind]
        raise ApiError(
            429,
            f"Too many {kind.upper()} sends: this account may send {limit} a second.",
            headers={"Retry-After": str(wait)},
        )
    message = call.account.send_message(
        sender, to, body, is_mms=mms, media_urls=media_urls, dlr_callback=dlr_callback
    )
    link = f"{call.base}/v2.1/messages/{message.id}"
    return json_response(
        202, {"data": {"type": "message", "id": message.id, "links": {"self": link}}}
    )


def list_messages(call: Call) -> Response:
    start_raw = call.param("start_date")
    if not start_raw:
        raise ApiError(400, "start_date is required (YYYY-MM-DD or an ISO 8601 date-time).")
    start, _ = parse_datetime(start_raw, "start_date")
    end_raw = call.param("end_date")
    end: Optional[datetime] = None
    end_date_only = False
    if end_raw:
        end, end_date_only = parse_datetime(end_raw, "end_date")
        if end_date_only:
            end += timedelta(days=1) - timedelta(microseconds=1)
        if end < start:
            raise ApiError(400, "end_date must not be before start_date.")
    found = sorted(
        (
            m
            for m in call.account.messages.values()
            if m.timestamp >= start and (end is None or m.timestamp <= end)
        ),
        key=lambda m: m.timestamp,
        reverse=True,
    )
    # The real API re-encodes the dates as ISO date-times in its next link, and has no self.
    dates = f"start_date={quote(start.isoformat(), safe='')}"
    if end_raw and end is not None:
        shown = end_raw.strip() if end_date_only else end.isoformat()
        dates += f"&end_date={quote(shown, safe='')}"

    def link(limit: int, offset: int) -> str:
        return f"{call.base}/v2.1/messages?limit={limit}&{dates}&offset={offset}"

    def render(message: Message) -> dict[str, Any]:
        return _shapes.message_object(call.base, message)

    return json_response(200, call.page(found, render, kind="messages", link=link, self_link=False))


def get_message(call: Call, message: str) -> Response:
    return json_response(
        200, _shapes.message_document(call.base, find(call.account.messages, message))
    )


def set_account_callback(call: Call, kind: str) -> Response:
    call.account.callbacks[kind] = callback_url(call.attributes())
    return no_content()


def get_account_callback(call: Call, kind: str) -> Response:
    attributes = {
        "callback_url": call.account.callbacks.get(kind),
        "product": kind.replace("_callback", "") or "sms",
        "api_version": "2.1",
    }
    return json_response(200, {"data": {"type": "callback", "attributes": attributes}})


def delete_account_callback(call: Call, kind: str) -> Response:
    call.account.callbacks.pop(kind, None)
    return no_content()


RESOURCES = (
    (r"/v2\.1/messages", {"POST": send_message, "GET": list_messages}),
    (
        r"/v2\.1/messages/(?P<kind>" + "|".join(CALLBACK_TYPES) + ")",
        {
            "PUT": set_account_callback,
            "GET": get_account_callback,
            "DELETE": delete_account_callback,
        },
    ),
    (r"/v2\.1/messages/(?P<message>[^/]+)", {"GET": get_message}),
)
