"""CDR exports from processing to a downloadable gzipped CSV, and the portability check."""

from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
import requests

from flowroutenumbersandmessaging.sandbox import Sandbox
from tests.sandbox.conftest import Api, error_of

COLUMNS = [
    *("direction", "start_time", "end_time", "destination", "number_alias", "callerid"),
    *("total_cost", "destination_name", "callerid_country", "line_information", "result"),
    *("call_fail_sip_code", "call_fail_reason", "duration", "billed_duration", "rate"),
    *("first_increment", "subsequent_increment", "cost_subtotal", "connect_fee", "usf_fee"),
    *("ccrf", "cnam_lookup_fee", "custom_x_tag", "customer_ip"),
]


def window(days=100):
    now = datetime.now(timezone.utc)
    start = (now - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")
    return {
        "start_call_start_time": start,
        "start_call_end_time": (now + timedelta(days=1)).isoformat(),
    }


def create_export(api, **filters):
    return api.jsonapi(
        "POST", "/v2/cdrs/exports", "cdrexport", filter_parameters={**window(), **filters}
    )


def test_export_is_processing_then_listed_double_wrapped_on_internal_links(api):
    created = create_export(api)
    assert created.status_code == 201
    data = created.json()["data"]
    assert data["id"] == str(int(data["id"]))
    assert data["attributes"]["status"] == "processing"
    assert data["attributes"]["download_url"] is None and data["attributes"]["total_cost"] is None
    assert data["attributes"]["filter_parameters"]["start_call_start_time"].endswith("+00:00")
    listed = api.get("/v2/cdrs/exports", limit=1).json()
    assert listed["data"][0]["data"]["id"] == int(data["id"])
    assert listed["links"]["self"] == "http://cdr-api/cdrs/exports?offset=0&limit=1"
    status = api.get(f"/v2/cdrs/exports/{data['id']}").json()
    assert status["links"]["self"] == f"http://cdr-api/cdrs/exports/{data['id']}"
    assert api.get("/v2/cdrs/exports", status="completed").json()["data"] == []
    assert api.get("/v2/cdrs/exports", status="done").status_code == 400


def test_completed_export_downloads_a_gzipped_csv_of_the_accounts_calls_only(api, sandbox):
    export_id = create_export(api).json()["data"]["id"]
    sandbox.complete_cdr_export(export_id)
    attributes = api.get(f"/v2/cdrs/exports/{export_id}").json()["data"]["attributes"]
    assert attributes["status"] == "completed"
    url = attributes["download_url"]
    assert url.startswith(f"{sandbox.base_uri}/_sandbox/cdr-files/")
    assert re.search(r"X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}$", url)
    response = requests.get(url, timeout=5)
    assert response.status_code == 200 and response.content[:2] == b"\x1f\x8b"
    rows = list(csv.reader(io.StringIO(gzip.decompress(response.content).decode())))
    assert rows[0] == COLUMNS and all(len(r) == 25 for r in rows)
    records = [dict(zip(COLUMNS, r)) for r in rows[1:]]
    assert len(records) == attributes["num_calls"] > 0
    own = set(api.my_numbers())
    for record in records:
        line = record["destination"] if record["direction"] == "Inbound" else record["callerid"][1:]
        assert line in own
    assert {r["number_alias"] for r in records} == {"Office 221", "Office 888"}
    (download,) = sandbox.download_requests
    assert download.header("Authorization") is None
    assert len(sandbox.requests) == 3


def test_filters_narrow_the_export(api, sandbox):
    everything = create_export(api).json()["data"]["id"]
    one_line = create_export(api, number_aliases=["Office 888"]).json()["data"]["id"]
    long_calls = create_export(api, duration_greater_than=600).json()["data"]["id"]
    for export_id in (everything, one_line, long_calls):
        sandbox.complete_cdr_export(export_id)
    calls = {
        e: api.get(f"/v2/cdrs/exports/{e}").json()["data"]["attributes"]["num_calls"]
        for e in (everything, one_line, long_calls)
    }
    assert 0 < calls[one_line] < calls[everything]
    assert 0 < calls[long_calls] < calls[everything]
    empty = api.jsonapi(
        "POST",
        "/v2/cdrs/exports",
        "cdrexport",
        filter_parameters={
            "start_call_start_time": "2019-01-01 00:00:00",
            "start_call_end_time": "2019-02-01 00:00:00",
        },
    )
    sandbox.complete_cdr_export(empty.json()["data"]["id"])
    status = api.get(f"/v2/cdrs/exports/{empty.json()['data']['id']}").json()["data"]
    assert (
        status["attributes"]["num_calls"] == 0 and status["attributes"]["total_cost"] == "0.000000"
    )


def test_download_with_a_wrong_signature_is_refused_like_s3(api, sandbox):
    export_id = create_export(api).json()["data"]["id"]
    sandbox.complete_cdr_export(export_id)
    url = api.get(f"/v2/cdrs/exports/{export_id}").json()["data"]["attributes"]["download_url"]
    forged = re.sub(r"X-Amz-Signature=\w+", "X-Amz-Signature=" + "0" * 64, url)
    refused = requests.get(forged, timeout=5)
    assert refused.status_code == 403 and b"SignatureDoesNotMatch" in refused.content
    missing = requests.get(f"{sandbox.base_uri}/_sandbox/cdr-files/nope.csv.gz", timeout=5)
    assert missing.status_code == 404


def test_failed_export_has_no_download_and_cannot_complete_later(api, sandbox):
    export_id = create_export(api).json()["data"]["id"]
    sandbox.fail_cdr_export(export_id)
    attributes = api.get(f"/v2/cdrs/exports/{export_id}").json()["data"]["attributes"]
    assert attributes["status"] == "failed" and attributes["download_url"] is None
    with pytest.raises(ValueError, match="already failed"):
        sandbox.complete_cdr_export(export_id)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"start_call_start_time": "soon", "start_call_end_time": "2019-02-01 00:00:00"},
        {"start_call_start_time": "2019-02-01", "start_call_end_time": "2019-01-01"},
        {**window(), "number_aliases": "Office 221"},
    ],
)
def test_bad_filters_are_422(api, filters):
    response = api.jsonapi("POST", "/v2/cdrs/exports", "cdrexport", filter_parameters=filters)
    assert response.status_code == 422
    assert error_of(response)["detail"]


def test_auto_processing_completes_and_notifies_the_callback(receiver):
    with Sandbox(cdr_processing_seconds=0.05) as sandbox:
        api = Api(sandbox)
        created = api.jsonapi(
            "POST",
            "/v2/cdrs/exports",
            "cdrexport",
            filter_parameters=window(),
            callback_url=receiver.url + "/cdr",
        )
        export_id = created.json()["data"]["id"]
        (delivery,) = sandbox.wait_for_webhooks(1)
        status = api.get(f"/v2/cdrs/exports/{export_id}").json()["data"]["attributes"]["status"]
        api.session.close()
    assert status == "completed"
    assert delivery.kind == "cdr" and delivery.json["data"]["attributes"]["status"] == "completed"
    assert receiver.json_at("/cdr")["data"]["id"] == int(export_id)


def test_portability_sorts_numbers_and_accepts_the_old_form_body(api):
    body = {"numbers": ["+14255550111", "+19075550100", "+18005550199"]}
    response = api("POST", "/v2/portorders/portability", json=body)
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "portable": ["+14255550111", "+18005550199"],
            "nonportable": ["+19075550100"],
            "hypernetwork_enabled": ["+14255550111"],
        }
    }
    form = api("POST", "/v2/portorders/portability", data={"numbers": ["+12125550100"]})
    assert form.json()["data"]["portable"] == ["+12125550100"]
    no_plus = api("POST", "/v2/portorders/portability", json={"numbers": ["14255550111"]})
    assert no_plus.status_code == 422 and "+" in error_of(no_plus)["detail"]
