"""messages: every method puts the exact request on the wire and returns the decoded document."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from flowroutenumbersandmessaging.exceptions import ServerError, ValidationError
from tests.support.server import Reply
from tests.support.timing import AT_ONCE
from tests.support.wire import JSONAPI, Wire, wire_test

NUMBER = "12012673227"
MOBILE = "12061232634"
MESSAGE_ID = "mdr2-39cadeace66e11e7aff806cd7f24ba2d"
README_MESSAGE = (
    '{ \
  "data": { \
    "type": "message", \
    "attributes": { \
      "to": "'
    + MOBILE
    + '", \
      "from": "'
    + NUMBER
    + '", \
      "body": "hello there", \
      "is_mms": "true", \
      "media_urls": ["http://s3.amazonaws.com/barkpost-assets/50+GIFs/37.gif"] \
    } \
  } \
}'
)
SMS = {
    "data": {
        "type": "message",
        "attributes": {
            "to": MOBILE,
            "from": NUMBER,
            "body": "hi",
            "dlr_callback": "https://h.example/d",
        },
    }
}
COMPACT_SMS = {"to": MOBILE, "from": NUMBER, "body": "compact"}
ACCEPTED = {
    "data": {
        "type": "message",
        "id": MESSAGE_ID,
        "links": {"self": f"https://api.flowroute.com/v2.1/messages/{MESSAGE_ID}"},
    }
}
MDRS = {"data": [{"type": "message", "id": MESSAGE_ID, "attributes": {"is_mms": False}}]}
MDR = {"data": {"type": "message", "id": MESSAGE_ID, "attributes": {"body": "Hello"}}}
HOOK = "https://hooks.example.com/flowroute"
UTC_START = "2017-12-01T00:00:00+00:00"

CASES = [
    pytest.param(
        lambda c: c.messages.send_a_message(README_MESSAGE),
        Reply(202, ACCEPTED),
        Wire("POST", "/v2.1/messages", body=json.loads(README_MESSAGE), content_type=JSONAPI),
        ACCEPTED,
        id="send_a_message-readme-string",
    ),
    pytest.param(
        lambda c: c.messages.send_a_message(message_body=SMS),
        Reply(202, ACCEPTED),
        Wire("POST", "/v2.1/messages", body=SMS, content_type=JSONAPI),
        ACCEPTED,
        id="send_a_message-keyword-dict",
    ),
    pytest.param(
        lambda c: c.messages.send_a_message(COMPACT_SMS),
        Reply(202, ACCEPTED),
        Wire("POST", "/v2.1/messages", body=COMPACT_SMS, content_type="application/json"),
        ACCEPTED,
        id="send_a_message-compact",
    ),
    pytest.param(
        lambda c: c.messages.look_up_a_set_of_messages("2017-12-01", "2018-01-08", 2),
        Reply(200, MDRS),
        Wire(
            "GET",
            "/v2.1/messages",
            [("start_date", "2017-12-01"), ("end_date", "2018-01-08"), ("limit", "2")],
        ),
        MDRS,
        id="look_up_a_set_of_messages-readme",
    ),
    pytest.param(
        lambda c: c.messages.look_up_a_set_of_messages(
            start_date="2017-12-01T00:00:00.39Z", end_date=None, limit=None, offset=20
        ),
        Reply(200, MDRS),
        Wire(
            "GET", "/v2.1/messages", [("start_date", "2017-12-01T00:00:00.39Z"), ("offset", "20")]
        ),
        MDRS,
        id="look_up_a_set_of_messages-keywords-iso-string",
    ),
    pytest.param(
        lambda c: c.messages.look_up_a_set_of_messages(date(2017, 12, 1), date(2018, 1, 8)),
        Reply(200, MDRS),
        Wire("GET", "/v2.1/messages", [("start_date", "2017-12-01"), ("end_date", "2018-01-08")]),
        MDRS,
        id="look_up_a_set_of_messages-dates",
    ),
    pytest.param(
        lambda c: c.messages.look_up_a_set_of_messages(
            datetime(2017, 12, 1), datetime(2018, 1, 8, 2, tzinfo=timezone(timedelta(hours=2)))
        ),
        Reply(200, MDRS),
        Wire(
            "GET",
            "/v2.1/messages",
            [("start_date", UTC_START), ("end_date", "2018-01-08T00:00:00+00:00")],
        ),
        MDRS,
        id="look_up_a_set_of_messages-datetimes-in-utc",
    ),
    pytest.param(
        lambda c: c.messages.look_up_a_message_detail_record(MESSAGE_ID),
        Reply(200, MDR),
        Wire("GET", f"/v2.1/messages/{MESSAGE_ID}"),
        MDR,
        id="look_up_a_message_detail_record-readme",
    ),
    pytest.param(
        lambda c: c.messages.look_up_a_message_detail_record(message_id=MESSAGE_ID),
        Reply(200, MDR),
        Wire("GET", f"/v2.1/messages/{MESSAGE_ID}"),
        MDR,
        id="look_up_a_message_detail_record-keyword",
    ),
]
for kind in ("sms", "mms", "dlr"):
    method = f"set_account_level_{kind}_callback"
    CASES += [
        pytest.param(
            lambda c, m=method: getattr(c.messages, m)(HOOK),
            Reply(204),
            Wire(
                "PUT",
                f"/v2.1/messages/{kind}_callback",
                body={"callback_url": HOOK},
                content_type="application/json",
            ),
            None,
            id=method,
        ),
        pytest.param(
            lambda c, m=method: getattr(c.messages, m)(url=HOOK + "/k"),
            Reply(204),
            Wire(
                "PUT",
                f"/v2.1/messages/{kind}_callback",
                body={"callback_url": HOOK + "/k"},
                content_type="application/json",
            ),
            None,
            id=f"{method}-keyword",
        ),
    ]
CASES += [
    pytest.param(
        lambda c: c.messages.set_did_level_dlr_callback(NUMBER, HOOK),
        Reply(204),
        Wire(
            "POST",
            f"/v2/numbers/{NUMBER}/relationships/dlr_callback",
            body={"data": {"attributes": {"callback_url": HOOK}}},
            content_type=JSONAPI,
        ),
        None,
        id="set_did_level_dlr_callback",
    ),
    pytest.param(
        lambda c: c.messages.set_did_level_dlr_callback(number_id=int(NUMBER), dlr_url=HOOK),
        Reply(204),
        Wire(
            "POST",
            f"/v2/numbers/{NUMBER}/relationships/dlr_callback",
            body={"data": {"attributes": {"callback_url": HOOK}}},
            content_type=JSONAPI,
        ),
        None,
        id="set_did_level_dlr_callback-keywords",
    ),
]


MEDIA = "https://cdn.example.com/a.png"


def sent_message(**attributes: Any) -> Wire:
    body = {"data": {"type": "message", "attributes": attributes}}
    return Wire("POST", "/v2.1/messages", body=body, content_type=JSONAPI)


CASES += [
    pytest.param(
        lambda c: c.messages.send_sms(NUMBER, MOBILE, "Your code is 4411"),
        Reply(202, ACCEPTED),
        sent_message(to=MOBILE, **{"from": NUMBER}, body="Your code is 4411"),
        ACCEPTED,
        id="send_sms",
    ),
    pytest.param(
        lambda c: c.messages.send_sms(
            from_=int(NUMBER), to="+" + MOBILE, body="hi", dlr_callback=HOOK
        ),
        Reply(202, ACCEPTED),
        sent_message(to=MOBILE, **{"from": NUMBER}, body="hi", dlr_callback=HOOK),
        ACCEPTED,
        id="send_sms-keywords-int-and-plus-numbers-dlr-callback",
    ),
    pytest.param(
        lambda c: c.messages.send_mms(NUMBER, MOBILE, [MEDIA]),
        Reply(202, ACCEPTED),
        sent_message(to=MOBILE, **{"from": NUMBER}, media_urls=[MEDIA], is_mms=True),
        ACCEPTED,
        id="send_mms-media-only",
    ),
    pytest.param(
        lambda c: c.messages.send_mms(
            NUMBER, MOBILE, (MEDIA, MEDIA + "?v=2"), "see attached", dlr_callback=HOOK
        ),
        Reply(202, ACCEPTED),
        sent_message(
            to=MOBILE,
            **{"from": NUMBER},
            body="see attached",
            media_urls=[MEDIA, MEDIA + "?v=2"],
            is_mms=True,
            dlr_callback=HOOK,
        ),
        ACCEPTED,
        id="send_mms-tuple-of-media-body-dlr-callback",
    ),
    pytest.param(
        lambda c: c.messages.send_mms(NUMBER, MOBILE, media_urls=[], body="text only"),
        Reply(202, ACCEPTED),
        sent_message(to=MOBILE, **{"from": NUMBER}, body="text only", media_urls=[], is_mms=True),
        ACCEPTED,
        id="send_mms-text-only",
    ),
]

test_each_method_sends_exact_request_and_returns_document = wire_test(CASES)


def test_readme_is_mms_string_goes_out_as_the_string_it_is(client, server):
    server.queue(Reply(202, ACCEPTED))
    client.messages.send_a_message(README_MESSAGE)
    assert b'"is_mms":"true"' in server.requests[0].body


def test_datetime_dates_are_percent_encoded_in_the_raw_query(client, server):
    client.messages.look_up_a_set_of_messages(datetime(2017, 12, 1))
    assert server.requests[0].target == (
        "/v2.1/messages?start_date=2017-12-01T00%3A00%3A00%2B00%3A00"
    )


def test_send_a_message_is_sent_once_even_on_503(client, server):
    server.queue(Reply(503))
    with pytest.raises(ServerError) as caught:
        client.messages.send_a_message(SMS)
    assert server.count == 1
    assert caught.value.outcome_unknown


def test_sends_are_classified_sms_or_mms_for_the_send_limiter(make_client, server):
    client = make_client(server, send_rate_limits={"sms": 100, "mms": 2})
    server.default = Reply(202, ACCEPTED)
    mms_by_flag = json.loads(README_MESSAGE)
    mms_by_flag["data"]["attributes"].pop("media_urls")
    started = time.monotonic()
    client.messages.send_a_message(mms_by_flag)
    client.messages.send_mms(NUMBER, MOBILE, [MEDIA])
    # Each of these is an SMS, so the two-MMS-per-second window must not hold them back.
    sms_variants = [
        {"to": MOBILE, "from": NUMBER, "body": "a", "is_mms": "false"},
        {"to": MOBILE, "from": NUMBER, "body": "b", "is_mms": False},
        {"to": MOBILE, "from": NUMBER, "body": "c", "media_urls": []},
    ]
    for body in sms_variants:
        client.messages.send_a_message(body)
    client.messages.send_sms(NUMBER, MOBILE, "d")
    assert time.monotonic() - started < AT_ONCE
    # A third MMS waits: both sends above counted as MMS.
    mms_by_media = {"to": MOBILE, "from": NUMBER, "media_urls": ["https://m.example/a.gif"]}
    client.messages.send_a_message(mms_by_media)
    assert time.monotonic() - started >= 0.9
    assert server.count == 7


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.messages.send_sms(NUMBER, MOBILE, "hi"),
        lambda c: c.messages.send_mms(NUMBER, MOBILE, [MEDIA]),
    ],
    ids=["send_sms", "send_mms"],
)
def test_send_sms_and_send_mms_are_sent_once_even_on_503(client, server, send):
    server.queue(Reply(503))
    with pytest.raises(ServerError) as caught:
        send(client)
    assert server.count == 1
    assert caught.value.outcome_unknown


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((NUMBER, MOBILE, ""), "SMS cannot be empty"),
        ((NUMBER, MOBILE, None), "body must be a string"),
        ((NUMBER, MOBILE, b"hi"), "body must be a string"),
        ((NUMBER, "2061232634", "hi"), "to must be an 11-digit number"),
        (("+1 206 123 2634", MOBILE, "hi"), "from_ must be an 11-digit number"),
        ((True, MOBILE, "hi"), "from_ must be a string or an int"),
        ((NUMBER, MOBILE, "hi", "not a url"), "dlr_callback"),
    ],
)
def test_send_sms_rejects_bad_input_before_sending(client, server, arguments, message):
    with pytest.raises(ValidationError, match=message):
        client.messages.send_sms(*arguments)
    assert server.count == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((NUMBER, MOBILE, MEDIA), "media_urls must be a list"),
        ((NUMBER, MOBILE, None, "hi"), "media_urls must be a list"),
        ((NUMBER, MOBILE, []), "needs a 'body' or 'media_urls'"),
        ((NUMBER, MOBILE, ["file:///etc/passwd"]), r"media_urls\[0\]"),
        ((NUMBER, MOBILE, [MEDIA, "cdn.example.com/b.png"]), r"media_urls\[1\]"),
        ((NUMBER, MOBILE, [MEDIA], 5), "body must be a string"),
        ((NUMBER, "1206123263", [MEDIA]), "to must be an 11-digit number"),
        ((NUMBER, MOBILE, [MEDIA], None, "ftp://h.example/d"), "dlr_callback"),
    ],
)
def test_send_mms_rejects_bad_input_before_sending(client, server, arguments, message):
    with pytest.raises(ValidationError, match=message):
        client.messages.send_mms(*arguments)
    assert server.count == 0


def attrs(**changes: Any) -> dict:
    base = {"to": MOBILE, "from": NUMBER, "body": "hi"}
    base.update(changes)
    return {
        "data": {"type": "message", "attributes": {k: v for k, v in base.items() if v is not ...}}
    }


@pytest.mark.parametrize(
    "message_body",
    [
        "{not json",
        "[]",
        None,
        attrs(to=...),
        attrs(to="2061232634"),
        attrs(to="1206123263x"),
        attrs(to="+1 206 123 2634"),
        attrs(to="١٢٠٦١٢٣٢٦٣٤"),
        attrs(to=True),
        attrs(**{"from": ...}),
        attrs(**{"from": "120612326345"}),
        attrs(body=...),
        attrs(body=""),
        attrs(body=5),
        attrs(body=..., is_mms=True),
        attrs(is_mms="yes"),
        attrs(is_mms=1),
        attrs(media_urls="https://m.example/a.gif"),
        attrs(media_urls=["file:///etc/passwd"]),
        attrs(media_urls=["https://m.example/a b.gif"]),
        attrs(dlr_callback="not a url"),
        {"data": {"type": "route", "attributes": {"to": MOBILE, "from": NUMBER, "body": "x"}}},
        {"data": {"type": "message", "attributes": "to=1"}},
    ],
)
def test_send_a_message_rejects_a_bad_message_before_sending(client, server, message_body):
    with pytest.raises(ValidationError):
        client.messages.send_a_message(message_body)
    assert server.count == 0


def test_an_mms_needs_no_body_when_it_has_media(client, server):
    body = attrs(body=..., media_urls=["https://m.example/a.gif"])
    server.queue(Reply(202, ACCEPTED))
    assert client.messages.send_a_message(body) == ACCEPTED
    assert server.requests[0].json == body


@pytest.mark.parametrize(
    ("start_date", "end_date"),
    [
        (None, None),
        (None, "2018-01-08"),
        ("2017-13-01", None),
        ("2017-12-32", None),
        ("2017-12-01T25:00:00Z", None),
        ("2017-12-01T00:00:00Z&limit=1", None),
        ("\uff12\uff10\uff11\uff17-12-01", None),
        (20171201, None),
        ("2018-01-08", "2017-12-01"),
        (datetime(2018, 1, 8), date(2017, 12, 1)),
    ],
)
def test_message_look_up_rejects_bad_dates_before_sending(client, server, start_date, end_date):
    with pytest.raises(ValidationError):
        client.messages.look_up_a_set_of_messages(start_date, end_date)
    assert server.count == 0


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("2017-12-01 00:00:00", "2017-12-01T00:00:00+00:00"),
        ("12/01/2017", "2017-12-01T00:00:00+00:00"),
        ("20171201", "2017-12-01T00:00:00+00:00"),
    ],
)
def test_v3_date_strings_still_work_and_go_out_in_iso_form(client, server, text, sent):
    server.queue(Reply(200, {"data": []}))
    client.messages.look_up_a_set_of_messages(text)
    assert server.requests[0].query == [("start_date", sent)]


@pytest.mark.parametrize("field", ["to", "from"])
def test_a_plus_in_message_numbers_is_refused_before_sending(client, server, field):
    body = {"to": MOBILE, "from": NUMBER, "body": "hi", field: "+12065550199"}
    with pytest.raises(ValidationError, match="without '\\+'"):
        client.messages.send_a_message(body)
    assert server.count == 0


@pytest.mark.parametrize(
    "method",
    [
        "set_account_level_sms_callback",
        "set_account_level_mms_callback",
        "set_account_level_dlr_callback",
    ],
)
@pytest.mark.parametrize(
    "url", ["", "hooks.example.com", "ftp://hooks.example.com", "https://h.example/\nX", None]
)
def test_account_callbacks_reject_a_bad_url_before_sending(client, server, method, url):
    with pytest.raises(ValidationError):
        getattr(client.messages, method)(url)
    assert server.count == 0


def test_account_callbacks_are_retried_on_503(client, server):
    server.queue(Reply(503), Reply(204))
    assert client.messages.set_account_level_sms_callback(HOOK) is None
    assert server.count == 2
