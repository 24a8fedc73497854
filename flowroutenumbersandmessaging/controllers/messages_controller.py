"""Messages v2.1: send SMS/MMS, look up message detail records, set callback URLs."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Mapping, Optional, Union

from dateutil.parser import isoparse
from dateutil.parser import parse as parse_date

from .. import _ids
from ..exceptions import ValidationError
from .base_controller import (
    BaseController,
    JsonBody,
    callback_url,
    json_body,
    jsonapi_attributes,
)

DateLike = Union[str, date, datetime]

# Strings go out as given, so they must already be in a form the API parses: ASCII ISO 8601.
_DATE_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)
# Messages v2.1 takes 11 digits without "+"; the body goes out as given, so "+" is refused here
# rather than by the API after the send was attempted.
_MESSAGE_NUMBER = re.compile(r"1[0-9]{10}")


def set_did_dlr_callback(
    controller: BaseController, number_id: _ids.IdLike, url: str, what: str
) -> Any:
    """The one implementation behind ``numbers.set_did_callback`` and
    ``messages.set_did_level_dlr_callback``: they are the same endpoint.

    POST, yet setting a URL is idempotent, so it is retried like any other write.
    """
    number = _ids.phone_number(number_id)
    body = {"data": {"attributes": {"callback_url": callback_url(url, what)}}}
    return controller._post(f"/v2/numbers/{number}/relationships/dlr_callback", body, create=False)


def _message_number(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError(f"message {what!r} must be a phone number string")
    if not _MESSAGE_NUMBER.fullmatch(str(value)):
        raise ValidationError(
            f"message {what!r} must be an 11-digit number starting with 1, without '+' "
            f"(e.g. 12065550142), got {str(value)[:40]!r}"
        )


def _is_mms(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    # The seed README sends the string "true"; the API accepts it, so we do too.
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValidationError("message 'is_mms' must be true or false")


def _send_kind(attributes: Mapping[str, Any]) -> str:
    """Validate a message's attributes; "mms" or "sms", for the client-side send limiter."""
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
    return "mms" if mms else "sms"


def _query_date(value: Optional[DateLike], what: str) -> tuple[Optional[str], Optional[datetime]]:
    """The query text for a message look-up date, and the instant it names (UTC)."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
        moment = moment.astimezone(timezone.utc)
        return moment.isoformat(), moment
    if isinstance(value, date):
        return value.isoformat(), datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a date, a datetime or a string")
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


class MessagesController(BaseController):
    """SMS and MMS: sending, message detail records, and where Flowroute posts your callbacks."""

    def send_a_message(self, message_body: JsonBody) -> Any:
        """Send an SMS or MMS. ``POST /v2.1/messages``

        ``message_body`` is a JSON string or a dict, JSON:API (``data.attributes``) or flat. It is
        checked (``to``/``from`` 11-digit numbers, an SMS has a ``body``) and sent as given.
        Never retried once it may have reached Flowroute: a send never happens twice.
        """
        body = json_body(message_body, "message_body")
        data = body.get("data")
        if isinstance(data, Mapping) and data.get("type", "message") != "message":
            raise ValidationError('message_body data.type must be "message"')
        kind = _send_kind(jsonapi_attributes(body, "message_body"))
        return self._post("/v2.1/messages", body, create=True, send_kind=kind)

    def look_up_a_set_of_messages(
        self,
        start_date: DateLike,
        end_date: Optional[DateLike] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> Any:
        """List the message detail records of a date range. ``GET /v2.1/messages``

        Dates are ``date``/``datetime`` objects (a naive datetime means UTC) or ISO 8601 strings,
        which go out as written.
        """
        if start_date is None:
            raise ValidationError("start_date is required")
        start, start_at = _query_date(start_date, "start_date")
        end, end_at = _query_date(end_date, "end_date")
        if start_at is not None and end_at is not None and end_at < start_at:
            raise ValidationError("end_date is before start_date")
        return self._get(
            "/v2.1/messages",
            {"start_date": start, "end_date": end, "limit": limit, "offset": offset},
        )

    def look_up_a_message_detail_record(self, message_id: str) -> Any:
        """One message detail record (MDR2). ``GET /v2.1/messages/{message_id}``"""
        return self._get(f"/v2.1/messages/{_ids.message_id(message_id)}")

    def set_account_level_sms_callback(self, url: str) -> Any:
        """Where Flowroute posts inbound SMS. ``PUT /v2.1/messages/sms_callback``"""
        return self._put("/v2.1/messages/sms_callback", {"callback_url": callback_url(url, "url")})

    def set_account_level_mms_callback(self, url: str) -> Any:
        """Where Flowroute posts inbound MMS. ``PUT /v2.1/messages/mms_callback``"""
        return self._put("/v2.1/messages/mms_callback", {"callback_url": callback_url(url, "url")})

    def set_account_level_dlr_callback(self, url: str) -> Any:
        """Where Flowroute posts delivery receipts. ``PUT /v2.1/messages/dlr_callback``"""
        return self._put("/v2.1/messages/dlr_callback", {"callback_url": callback_url(url, "url")})

    def set_did_level_dlr_callback(self, number_id: _ids.IdLike, dlr_url: str) -> Any:
        """Set a number's DLR callback. ``POST /v2/numbers/{id}/relationships/dlr_callback``

        Where Flowroute posts this number's delivery receipts. Same endpoint and implementation
        as ``numbers.set_did_callback``.
        """
        return set_did_dlr_callback(self, number_id, dlr_url, "dlr_url")
