"""Messages v2.1: send SMS/MMS, look up message detail records, set callback URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence, cast

from .. import _validate
from .._validate import DateLike, IdLike, JsonBody
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import MessageDocument, MessageList, SentMessageDocument


class MessagesController(BaseController):
    """SMS and MMS: sending, message detail records, and where Flowroute posts your callbacks."""

    def send_a_message(self, message_body: JsonBody) -> SentMessageDocument:
        """Send an SMS or MMS. ``POST /v2.1/messages``

        ``message_body`` is a JSON string or a dict, JSON:API (``data.attributes``) or flat,
        sent as given. Returns the accepted message's id (202): ``result["data"]["id"]``.
        Sends wait for the client's send limiter (5 SMS, 1 MMS a second by default).

        Raises:
            ValidationError: ``to``/``from`` are not 11-digit numbers without ``+``, an SMS
                has no ``body``, a media or callback URL is not http(s), ...
            UnprocessableEntityError: Flowroute refused it (``from`` not yours, media too big).
            APIException: any failure after the request may have reached Flowroute carries
                ``outcome_unknown=True`` and is never retried: a message is never sent twice.
        """
        body, kind = _validate.message(message_body)
        sent = self._post("/v2.1/messages", body, create=True, send_kind=kind)
        return cast("SentMessageDocument", sent)

    def send_sms(
        self, from_: IdLike, to: IdLike, body: str, dlr_callback: Optional[str] = None
    ) -> SentMessageDocument:
        """Send a text message from one of your numbers. ``POST /v2.1/messages``

        ``from_`` and ``to`` are 11-digit numbers (str or int, a leading ``+`` is dropped);
        ``dlr_callback`` is where Flowroute posts this message's delivery receipts. Returns,
        waits and raises as :meth:`send_a_message` does (``ValidationError`` for an empty
        ``body``).
        """
        return self.send_a_message(_validate.sms_body(from_, to, body, dlr_callback))

    def send_mms(
        self,
        from_: IdLike,
        to: IdLike,
        media_urls: Sequence[str],
        body: Optional[str] = None,
        dlr_callback: Optional[str] = None,
    ) -> SentMessageDocument:
        """Send a multimedia message from one of your numbers. ``POST /v2.1/messages``

        ``media_urls`` is a list of http(s) URLs Flowroute fetches (750 kB in all); ``body``
        is optional when there is media. Numbers and ``dlr_callback`` as in :meth:`send_sms`.
        Returns, waits and raises as :meth:`send_a_message` does.
        """
        message = _validate.mms_body(from_, to, media_urls, body, dlr_callback)
        return self.send_a_message(message)

    def look_up_a_set_of_messages(
        self,
        start_date: DateLike,
        end_date: Optional[DateLike] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> MessageList:
        """List the message detail records of a date range. ``GET /v2.1/messages``

        Dates are ``date``/``datetime`` objects (a naive datetime means UTC) or ISO 8601 strings,
        which go out as written. Returns a page of message detail records.

        Raises:
            ValidationError: ``start_date`` is missing, a date is not one, or the range ends
                before it starts.
        """
        start, end = _validate.message_dates(start_date, end_date)
        query = {"start_date": start, "end_date": end, "limit": limit, "offset": offset}
        return cast("MessageList", self._get("/v2.1/messages", query))

    def look_up_a_message_detail_record(self, message_id: str) -> MessageDocument:
        """One message detail record (MDR2). ``GET /v2.1/messages/{message_id}``

        Returns the record with its delivery receipts; an MMS's media are in ``included``.

        Raises:
            ValidationError: ``message_id`` is not ``mdr2-`` and 32 hex digits.
            NotFoundError: no such message on your account.
        """
        path = f"/v2.1/messages/{_validate.message_id(message_id)}"
        return cast("MessageDocument", self._get(path))

    def set_account_level_sms_callback(self, url: str) -> None:
        """Where Flowroute posts inbound SMS. ``PUT /v2.1/messages/sms_callback``

        Returns None (204). Raises ``ValidationError`` if ``url`` is not an absolute http(s) URL.
        """
        self._no_content("PUT", "/v2.1/messages/sms_callback", _validate.account_callback_body(url))

    def set_account_level_mms_callback(self, url: str) -> None:
        """Where Flowroute posts inbound MMS. ``PUT /v2.1/messages/mms_callback``

        Returns None (204). Raises ``ValidationError`` if ``url`` is not an absolute http(s) URL.
        """
        self._no_content("PUT", "/v2.1/messages/mms_callback", _validate.account_callback_body(url))

    def set_account_level_dlr_callback(self, url: str) -> None:
        """Where Flowroute posts delivery receipts. ``PUT /v2.1/messages/dlr_callback``

        Returns None (204). Raises ``ValidationError`` if ``url`` is not an absolute http(s) URL.
        """
        self._no_content("PUT", "/v2.1/messages/dlr_callback", _validate.account_callback_body(url))

    def set_did_level_dlr_callback(self, number_id: IdLike, dlr_url: str) -> None:
        """Set a number's DLR callback. ``POST /v2/numbers/{id}/relationships/dlr_callback``

        Where Flowroute posts the delivery receipts of this number's messages; the same call
        as ``numbers.set_did_callback``. Returns None (204).

        Raises:
            ValidationError: ``dlr_url`` is not an absolute http(s) URL.
            NotFoundError: the number is not on your account.
        """
        self._set_did_dlr_callback(number_id, dlr_url, "dlr_url")
