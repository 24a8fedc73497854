"""Callback bodies as Flowroute documents them, one fresh dict per call."""

from __future__ import annotations

from typing import Any

INBOUND_ID = "mdr2-af84b158ee2b11e8b507c61432586dc9"
MMS_ID = "mdr2-0c55e1d2f3a411ee9a1b0242ac120002"
SENT_ID = "mdr2-5f1c0a7e9b2d11eaa1b2c3d4e5f60718"


def inbound_sms() -> dict[str, Any]:
    return {
        "data": {
            "type": "message",
            "id": INBOUND_ID,
            "attributes": {
                "from": "12065550777",
                "to": "12065550142",
                "body": "Hello from my phone",
                "direction": "inbound",
                "is_mms": False,
                "message_type": "longcode",
                "message_encoding": 0,
                "status": "delivered",
                "timestamp": "2024-05-07T18:22:41.37Z",
                "amount_nanodollars": 4000000,
                "amount_display": "$0.0040",
                "delivery_receipts": [],
                "message_callback_url": "https://hooks.example.com/flowroute/sms",
            },
        }
    }


def inbound_mms() -> dict[str, Any]:
    return {
        "data": {
            "type": "message",
            "id": MMS_ID,
            "attributes": {
                "from": "12065550777",
                "to": "12065550142",
                "body": None,
                "direction": "inbound",
                "is_mms": True,
                "message_type": "longcode",
                "message_encoding": 0,
                "status": "",
                "timestamp": "2024-05-07T18:25:02.00Z",
                "amount_nanodollars": 19500000,
                "amount_display": "$0.0195",
                "delivery_receipts": [],
            },
            "relationships": {"media": {"data": [{"type": "media", "id": "9d7e1c2a-1"}]}},
        },
        "included": [
            {
                "type": "media",
                "id": "9d7e1c2a-1",
                "attributes": {
                    "file_name": "image000000.png",
                    "file_size": 14832,
                    "mime_type": "image/png",
                    "url": "https://s3.us-west-2.amazonaws.com/flowroute-messaging-media/a.png",
                },
                "links": {"self": "https://api.flowroute.com/v2.2/media/9d7e1c2a-1"},
            }
        ],
    }


def receipt(level: int = 2) -> dict[str, Any]:
    first = level == 1
    return {
        "data": {
            "type": "delivery_receipt",
            "id": SENT_ID,
            "attributes": {
                "body": "Your code is 4411",
                "level": level,
                "status": "smsc submit" if first else "delivered",
                "status_code": None if first else "1000",
                "status_code_description": "Message has been sent"
                if first
                else "Message delivered to handset",
                "timestamp": "2024-05-07T17:03:12Z" if first else "2024-05-07T17:03:15Z",
            },
            "links": {"related": f"https://api.flowroute.com/v2.1/messages/{SENT_ID}"},
        }
    }


def legacy_sms() -> dict[str, Any]:
    return {"to": "12065550142", "from": "12065550777", "body": "hi", "id": "mdr1-" + "a" * 32}


def cdr_export(status: str = "completed") -> dict[str, Any]:
    return {
        "data": {
            "type": "cdrexport",
            "id": 51230,
            "attributes": {
                "status": status,
                "callback_url": "https://hooks.example.com/flowroute/cdr",
                "download_url": "https://s3.us-west-2.amazonaws.com/x.gz?X-Amz-Signature=abc",
                "num_calls": 301,
                "total_cost": "34.321300",
            },
        },
        "links": {"self": "http://cdr-api/cdrs/exports/51230"},
    }


ALL = {
    "sms": inbound_sms,
    "mms": inbound_mms,
    "dlr": receipt,
    "legacy": legacy_sms,
    "cdr": cdr_export,
}
