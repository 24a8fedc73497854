"""Downloading a CDR export: integrity, retries, URL policy, no credentials, no leaks.

The API is one loopback server; "S3" is a second one on another loopback host (127.0.0.2).
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import logging
import os
import pickle
import subprocess
import sys
import time
import traceback
import tracemalloc
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
import requests.adapters
import requests.utils

from flowroutenumbersandmessaging.exceptions import (
    CDRDownloadError,
    CDRLocalFileError,
    NotFoundError,
)
from tests.support.bombs import MiB, gzip_bomb
from tests.support.cdr_sample import SAMPLE_CSV as SEED_CSV
from tests.support.server import Close, Hang, Raw, Reply, ScriptedServer

EXPORT_ID = "51230"
OBJECT_PATH = "/flowroute-cdrexports/40375/2024/5/7/ab12cd34.gz"
# Canaries standing for the secret parts of a pre-signed URL: none may appear in any output.
SIGNATURE = "c4nary5ig0f1e2d3c4b5a69788796a5b4c3d2e1f0"
TOKEN = "CanaryTok3nFQoGZXIvYXdz"
CREDENTIAL = "ASIACANARYCREDKEY"
CANARIES = (SIGNATURE, TOKEN, CREDENTIAL)
QUERY = (
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    f"&X-Amz-Credential={CREDENTIAL}%2F20240507%2Fus-west-2%2Fs3%2Faws4_request"
    "&X-Amz-Date=20240507T181030Z&X-Amz-Expires=259200&X-Amz-SignedHeaders=host"
    f"&X-Amz-Security-Token={TOKEN}%2F%2F%2F%2BabcQ%3D%3D"
    f"&X-Amz-Signature={SIGNATURE}"
)
EXPIRED_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    "<Message>Request has expired</Message><X-Amz-Expires>259200</X-Amz-Expires>"
    "<Expires>2024-05-10T18:10:30Z</Expires><ServerTime>2024-05-11T09:00:00Z</ServerTime>"
    "<RequestId>4442587FB7D0A2F9</RequestId></Error>"
)


def status(url: Any, state: str = "completed") -> dict[str, Any]:
    return {
        "data": {
            "type": "cdrexport",
            "id": EXPORT_ID,
            "attributes": {"status": state, "download_url": url, "num_calls": 3},
        },
        "links": {"self": f"http://cdr-api/cdrs/exports/{EXPORT_ID}"},
    }


@pytest.fixture
def s3() -> Iterator[ScriptedServer]:
    with ScriptedServer(host="127.0.0.2") as server:
        yield server


@pytest.fixture
def url(s3: ScriptedServer) -> str:
    return s3.url + OBJECT_PATH + QUERY


@pytest.fixture
def target(tmp_path: Any) -> str:
    return str(tmp_path / "calls.csv")


def assert_nothing_written(directory: Any) -> None:
    assert os.listdir(directory) == []


def gz_reply(data: bytes = SEED_CSV, **headers: str) -> Reply:
    return Reply(200, gzip.compress(data), headers)


def assert_no_leak(error: BaseException, *texts: str) -> None:
    exposed = [
        str(error),
        repr(error),
        repr(error.args),
        repr(vars(error)),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        pickle.dumps(error).decode("latin-1"),
        repr(error.__context__),
        repr(error.__cause__),
        *texts,
    ]
    for canary in CANARIES:
        for text in exposed:
            assert canary.lower() not in text.lower()


# ---------------------------------------------------------------------------- integrity


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, SEED_CSV, {"Content-Type": "text/csv"}),
        Reply(200, gzip.compress(SEED_CSV), {"Content-Type": "binary/octet-stream"}),
        Reply(200, gzip.compress(SEED_CSV), {"Content-Encoding": "gzip"}),
    ],
    ids=["plain", "gzip", "gzip-with-content-encoding"],
)
def test_download_writes_the_exact_csv_whatever_the_encoding(
    client, server, s3, url, target, reply
):
    server.queue(Reply(200, status(url)))
    s3.queue(reply)
    assert client.cdrs.download_cdr_export(EXPORT_ID, target) == {"filename": target}
    with open(target, "rb") as written:
        assert written.read() == SEED_CSV
    assert len(client.cdrs.parse_cdr_export(target)) == 3
    assert [r.target for r in server.requests] == [f"/v2/cdrs/exports/{EXPORT_ID}"]
    # The signed query goes out exactly as Flowroute gave it: re-encoding breaks the signature.
    assert [r.target for r in s3.requests] == [OBJECT_PATH + QUERY]


def test_download_inflates_every_member_of_a_multi_member_gzip(client, server, s3, url, target):
    head, _, rest = SEED_CSV.partition(b"\n")
    rows = rest.splitlines(keepends=True)
    body = gzip.compress(head + b"\n" + rows[0]) + gzip.compress(b"".join(rows[1:]))
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, body))
    client.cdrs.download_cdr_export(EXPORT_ID, target)
    with open(target, "rb") as written:
        assert written.read() == SEED_CSV


def test_truncated_gzip_raises_and_leaves_no_file(client, server, s3, url, tmp_path, target):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, gzip.compress(SEED_CSV * 20)[:-12]))
    with pytest.raises(CDRDownloadError, match="truncated"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert_nothing_written(tmp_path)
    assert s3.count == 1  # a complete HTTP body holding a cut file: retrying cannot help


def test_corrupt_gzip_checksum_raises_and_keeps_the_previous_file(
    client, server, s3, url, tmp_path, target
):
    packed = bytearray(gzip.compress(SEED_CSV))
    packed[-8] ^= 0xFF  # CRC32 of the trailer
    with open(target, "wb") as old:
        old.write(b"yesterday's export")
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, bytes(packed)))
    with pytest.raises(CDRDownloadError, match="corrupt"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert os.listdir(tmp_path) == ["calls.csv"]
    with open(target, "rb") as kept:
        assert kept.read() == b"yesterday's export"


def test_garbage_after_a_gzip_member_is_refused(client, server, s3, url, tmp_path, target):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, gzip.compress(SEED_CSV) + b"<html>oops</html>"))
    with pytest.raises(CDRDownloadError, match="corrupt"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert_nothing_written(tmp_path)


def test_connection_dropped_mid_body_is_retried_then_raises_leaving_no_file(
    client, server, s3, url, tmp_path, target
):
    packed = gzip.compress(SEED_CSV)
    cut = Raw(f"HTTP/1.1 200 OK\r\nContent-Length: {len(packed)}\r\n\r\n".encode() + packed[:40])
    server.queue(Reply(200, status(url)))
    s3.queue(cut, cut, cut)
    with pytest.raises(CDRDownloadError, match="cut off") as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 3
    assert_nothing_written(tmp_path)
    assert_no_leak(caught.value)


def test_a_retry_after_a_dropped_connection_starts_the_file_afresh(client, server, s3, url, target):
    packed = gzip.compress(SEED_CSV)
    server.queue(Reply(200, status(url)))
    s3.queue(
        Raw(f"HTTP/1.1 200 OK\r\nContent-Length: {len(packed)}\r\n\r\n".encode() + packed[:60]),
        Reply(200, packed),
    )
    client.cdrs.download_cdr_export(EXPORT_ID, target)
    with open(target, "rb") as written:
        assert written.read() == SEED_CSV


def test_s3_503_is_retried_like_a_get(client, server, s3, url, target):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(503, "<Error><Code>SlowDown</Code></Error>"), gz_reply())
    client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 2
    with open(target, "rb") as written:
        assert written.read() == SEED_CSV


def test_s3_503_every_time_raises_a_download_error_after_the_retries(
    client, server, s3, url, tmp_path, target
):
    server.queue(Reply(200, status(url)))
    s3.default = Reply(503, "<Error><Code>SlowDown</Code><Message>Reduce rate</Message></Error>")
    with pytest.raises(CDRDownloadError, match="503 SlowDown: Reduce rate"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 3
    assert_nothing_written(tmp_path)


def test_expired_url_403_says_so_and_how_to_get_a_fresh_one(
    client, server, s3, url, tmp_path, target
):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(403, EXPIRED_XML, {"Content-Type": "application/xml"}))
    with pytest.raises(CDRDownloadError) as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    message = str(caught.value)
    assert "expired" in message
    assert "AccessDenied: Request has expired" in message
    assert f"get_cdr_export_status({EXPORT_ID})" in message
    assert caught.value.context.response.status_code == 403
    assert s3.count == 1
    assert_nothing_written(tmp_path)


def test_s3_error_body_echoing_the_signature_is_not_kept(client, server, s3, url, target):
    echo = (
        "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated "
        f"does not match</Message><AWSAccessKeyId>{CREDENTIAL}</AWSAccessKeyId>"
        f"<SignatureProvided>{SIGNATURE}</SignatureProvided></Error>"
    )
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(403, echo))
    with pytest.raises(CDRDownloadError, match="SignatureDoesNotMatch") as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert caught.value.__context__ is None
    assert_no_leak(caught.value)


def test_hanging_download_stops_at_its_deadline(make_client, server, s3, url, tmp_path):
    client = make_client(server, timeout=(5, 5))
    server.queue(Reply(200, status(url)))
    s3.default = Hang(5)
    started = time.monotonic()
    with pytest.raises(CDRDownloadError, match=r"deadline of 0\.5s passed"):
        client.cdrs.download_cdr_export(EXPORT_ID, str(tmp_path / "x.csv"), deadline=0.5)
    assert time.monotonic() - started < 2.0
    assert_nothing_written(tmp_path)


def test_decompressed_size_cap_stops_the_download_and_leaves_no_file(
    client, server, s3, url, tmp_path, target
):
    server.queue(Reply(200, status(url)))
    s3.queue(gz_reply(SEED_CSV * 1000))
    with pytest.raises(CDRDownloadError, match="max_bytes=1000"):
        client.cdrs.download_cdr_export(EXPORT_ID, target, max_bytes=1000)
    assert_nothing_written(tmp_path)
    assert s3.count == 1


def test_size_cap_equal_to_the_file_lets_it_through(client, server, s3, url, target):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, SEED_CSV))
    client.cdrs.download_cdr_export(EXPORT_ID, target, max_bytes=len(SEED_CSV))
    assert os.path.getsize(target) == len(SEED_CSV)


def test_gzip_bomb_is_inflated_in_bounded_memory(client, server, s3, url, tmp_path, target):
    bomb = gzip_bomb(48 * MiB, fill=b"0")
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, bomb))
    tracemalloc.start()
    try:
        with pytest.raises(CDRDownloadError, match="max_bytes"):
            client.cdrs.download_cdr_export(EXPORT_ID, target, max_bytes=40 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024
    assert_nothing_written(tmp_path)


def test_unsupported_content_encoding_is_refused(client, server, s3, url, tmp_path, target):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, b"\x0b\x02\x80data", {"Content-Encoding": "br"}))
    with pytest.raises(CDRDownloadError, match="Content-Encoding 'br'"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert_nothing_written(tmp_path)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "is empty"),
        (gzip.compress(b""), "is empty"),
        (b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>", "not CSV"),
        (b"\r\n  <html>proxy error</html>", "not CSV"),
        (gzip.compress(b"<?xml version='1.0'?><Error/>"), "not CSV"),
    ],
    ids=["empty", "empty-gzip", "html", "html-after-blank-lines", "xml-in-gzip"],
)
def test_a_200_that_is_not_a_csv_export_is_an_error_and_keeps_the_previous_file(
    client, server, s3, url, tmp_path, target, body, problem
):
    with open(target, "wb") as old:
        old.write(b"yesterday's export")
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(200, body, {"Content-Type": "text/html"}))
    with pytest.raises(CDRDownloadError, match=problem):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert os.listdir(tmp_path) == ["calls.csv"]
    with open(target, "rb") as kept:
        assert kept.read() == b"yesterday's export"
    assert s3.count == 1


def test_a_lower_case_retry_after_on_a_download_429_is_honoured(client, server, s3, url, target):
    # 100 s is above the 60 s cap: not waited for, so the download fails at once, not retried.
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(429, b"", {"retry-after": "100"}))
    started = time.monotonic()
    with pytest.raises(CDRDownloadError, match="429"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 1
    assert time.monotonic() - started < 1.0


def test_a_short_lower_case_retry_after_on_a_download_429_is_waited_for(
    client, server, s3, url, target
):
    server.queue(Reply(200, status(url)))
    s3.queue(Reply(429, b"", {"retry-after": "0.3"}), gz_reply())
    client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 2
    assert s3.requests[1].at - s3.requests[0].at >= 0.3


# ---------------------------------------------------------------------------- export state


def test_processing_export_raises_a_clear_error_and_downloads_nothing(
    client, server, s3, tmp_path, target
):
    server.queue(Reply(200, status(None, "processing")))
    with pytest.raises(CDRDownloadError, match="still processing; poll get_cdr_export_status"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 0
    assert_nothing_written(tmp_path)


def test_failed_export_says_to_create_a_new_one(client, server, s3, url, target):
    server.queue(Reply(200, status(url, "failed")))
    with pytest.raises(CDRDownloadError, match="failed on Flowroute's side"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 0


def test_unknown_export_raises_not_found_from_the_status_call(client, server, s3, target):
    server.queue(Reply(404, {"errors": [{"detail": "Not found"}]}))
    with pytest.raises(NotFoundError):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert s3.count == 0


def test_bad_export_id_is_refused_before_any_request(client, server, target):
    with pytest.raises(ValueError):
        client.cdrs.download_cdr_export("51230/../1", target)
    assert server.count == 0


# ---------------------------------------------------------------------------- credentials


def test_download_carries_no_credentials_even_with_a_netrc_for_the_host(
    client, server, s3, url, target, tmp_path_factory, monkeypatch
):
    home = tmp_path_factory.mktemp("home")
    netrc = home / ".netrc"
    netrc.write_text(f"machine {s3.host} login netrcuser password netrcpass\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("NETRC", raising=False)
    # The control: plain requests would send these credentials to the download host.
    assert requests.utils.get_netrc_auth(url) == ("netrcuser", "netrcpass")
    server.queue(Reply(200, status(url)))
    s3.queue(gz_reply())
    client.cdrs.download_cdr_export(EXPORT_ID, target)
    (download,) = s3.requests
    assert download.header("Authorization") is None
    assert server.requests[0].header("Authorization").startswith("Basic ")
    assert download.header("Accept-Encoding") == "identity"


def test_redirect_from_the_download_host_is_not_followed(client, server, s3, url, target):
    with ScriptedServer(host="localhost") as elsewhere:
        server.queue(Reply(200, status(url)))
        s3.queue(Reply(302, b"", {"Location": elsewhere.url + "/latest/meta-data/"}))
        with pytest.raises(CDRDownloadError, match="redirects are not followed"):
            client.cdrs.download_cdr_export(EXPORT_ID, target)
        assert s3.count == 1
        assert elsewhere.count == 0


# ---------------------------------------------------------------------------- URL policy


@pytest.mark.parametrize(
    "bad",
    [
        "file:///etc/passwd",
        "ftp://s3.us-west-2.amazonaws.com/flowroute-cdrexports/x.gz",
        "http://s3.us-west-2.amazonaws.com/flowroute-cdrexports/x.gz",
        "https://evil.example/x.gz",
        "https://s3.us-west-2.amazonaws.com.evil.example/x",
        "https://u:p@x.s3.amazonaws.com/x",
        "https://x.s3.amazonaws.com:8443/x",
        "https://x.s3.amazonaws.com:99999/x",
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/latest/meta-data/",
        "https://amazonaws.com/x",
        "https://x.s3.amazonaws.com\\@evil.example/x",
        "https://x.s3.amazonaws.com/x y",
        "data:text/csv,a,b",
        "",
        None,
        12345,
    ],
)
def test_unsafe_download_urls_are_refused_before_any_request(
    client, server, s3, tmp_path, target, bad
):
    server.queue(Reply(200, status(bad)))
    with pytest.raises(CDRDownloadError, match="download_url"):
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert server.count == 1
    assert s3.count == 0
    assert_nothing_written(tmp_path)


class _CannedAPI(requests.adapters.BaseAdapter):
    """Stands in for api.flowroute.com at the transport seam: one canned JSON answer."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__()
        self.document = document
        self.sent: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request.url or "")
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/vnd.api+json"
        response.raw = io.BytesIO(json.dumps(self.document).encode())
        response.request = request
        response.url = request.url or ""
        return response

    def close(self) -> None:
        pass


def test_loopback_download_urls_are_refused_when_the_api_is_not_loopback(
    make_client, s3, url, tmp_path, target
):
    canned = _CannedAPI(status(url))
    session = requests.Session()
    session.mount("https://", canned)
    client = make_client("https://api.flowroute.com", session=session)
    with pytest.raises(CDRDownloadError, match=r"only https is allowed") as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert canned.sent == [f"https://api.flowroute.com/v2/cdrs/exports/{EXPORT_ID}"]
    assert s3.count == 0
    assert_nothing_written(tmp_path)
    assert_no_leak(caught.value)


# ---------------------------------------------------------------------------- no leaks


def test_refused_url_error_shows_the_url_without_query_or_userinfo(client, server, target):
    bad = "https://user:pw@evil.example/flowroute-cdrexports/x.gz" + QUERY
    server.queue(Reply(200, status(bad)))
    with pytest.raises(CDRDownloadError) as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert "https://evil.example/flowroute-cdrexports/x.gz" in str(caught.value)
    assert "pw" not in str(caught.value)
    assert_no_leak(caught.value)


@pytest.mark.parametrize(
    "actions",
    [
        [Reply(403, EXPIRED_XML)],
        [Reply(503), Reply(503), Reply(503)],
        [Close(), Close(), Close()],
        [Reply(200, gzip.compress(SEED_CSV)[:-9])],
    ],
    ids=["expired", "503s", "closed", "truncated"],
)
def test_signed_url_never_appears_in_errors_or_debug_logs(
    client, server, s3, url, target, caplog, actions
):
    caplog.set_level(logging.DEBUG)
    server.queue(Reply(200, status(url)))
    s3.queue(*actions)
    with pytest.raises(CDRDownloadError) as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, target)
    assert OBJECT_PATH in str(caught.value)
    assert_no_leak(caught.value, caplog.text)


def test_urllib3_debug_log_of_a_download_is_redacted(client, server, s3, url, target, caplog):
    caplog.set_level(logging.DEBUG)
    server.queue(Reply(200, status(url)))
    s3.queue(gz_reply())
    client.cdrs.download_cdr_export(EXPORT_ID, target)
    logged = [r.getMessage() for r in caplog.records if r.name == "urllib3.connectionpool"]
    download_lines = [line for line in logged if OBJECT_PATH in line]
    assert download_lines, logged  # urllib3 did log the request: the redaction was exercised
    assert all("?[redacted]" in line for line in download_lines)
    for canary in CANARIES:
        assert canary not in caplog.text


def test_redacting_log_filter_is_installed_once(client, server, s3, url, tmp_path):
    for name in ("a.csv", "b.csv"):
        server.queue(Reply(200, status(url)))
        s3.queue(gz_reply())
        client.cdrs.download_cdr_export(EXPORT_ID, str(tmp_path / name))
    pool_logger = logging.getLogger("urllib3.connectionpool")
    assert [type(f).__name__ for f in pool_logger.filters].count("RedactSignedQuery") == 1


# ---------------------------------------------------------------------------- local faults


def assert_local(error: CDRLocalFileError, kind: type[OSError]) -> None:
    assert isinstance(error, CDRDownloadError)  # existing handlers still catch it
    assert isinstance(error.os_error, kind)
    assert error.__cause__ is error.os_error
    assert "problem on this machine" in str(error)


@pytest.mark.parametrize(
    ("where", "kind"),
    [
        ("missing/calls.csv", FileNotFoundError),
        ("a-file/calls.csv", NotADirectoryError),
        ("a-directory", IsADirectoryError),
    ],
    ids=["missing-directory", "parent-is-a-file", "target-is-a-directory"],
)
def test_a_bad_local_path_is_a_local_error_before_anything_is_sent(
    client, server, s3, tmp_path, where, kind
):
    (tmp_path / "a-file").write_text("not a directory")
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(CDRLocalFileError) as caught:
        client.cdrs.download_cdr_export(EXPORT_ID, tmp_path / where)
    assert_local(caught.value, kind)
    assert (server.count, s3.count) == (0, 0)
    assert sorted(os.listdir(tmp_path)) == ["a-directory", "a-file"]
    assert os.listdir(tmp_path / "a-directory") == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_directory_is_a_local_error_before_anything_is_sent(
    client, server, s3, tmp_path
):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(CDRLocalFileError) as caught:
            client.cdrs.download_cdr_export(EXPORT_ID, locked / "calls.csv")
    finally:
        locked.chmod(0o700)
    assert_local(caught.value, PermissionError)
    assert (server.count, s3.count) == (0, 0)


FULL_DISK = """
import gzip, json, resource, signal, sys
from flowroutenumbersandmessaging import CDRLocalFileError, FlowroutenumbersandmessagingClient
from tests.support.server import Reply, ScriptedServer
from tests.test_cdr_download import status

target, limit = sys.argv[1], int(sys.argv[2])
rows = b"Outbound,2019-06-25 18:18:54+00,18774551500,Office 221,0.00000000\\n" * 20000
with ScriptedServer() as api, ScriptedServer(host="127.0.0.2") as s3:
    api.queue(Reply(200, status(s3.url + "/flowroute-cdrexports/x.gz")))
    s3.default = Reply(200, gzip.compress(b"direction,start_time,destination,alias,cost\\n" + rows))
    # The file system refuses to grow any file of this process past `limit` bytes.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    with FlowroutenumbersandmessagingClient("k", "s", base_uri=api.url) as client:
        try:
            client.cdrs.download_cdr_export(51230, target)
            outcome = {"error": None}
        except CDRLocalFileError as error:
            outcome = {
                "error": str(error),
                "errno": error.os_error.errno,
                "cause": error.__cause__ is error.os_error,
            }
    outcome["downloads"] = s3.count
print(json.dumps(outcome))
"""


def test_a_full_disk_is_a_local_error_at_once_not_retried_and_the_old_file_stays(tmp_path):
    target = tmp_path / "calls.csv"
    target.write_bytes(b"yesterday's export")
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(target), str(64 * 1024)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    outcome = json.loads(result.stdout)
    assert outcome["errno"] == errno.EFBIG
    assert outcome["cause"]
    assert "problem on this machine" in outcome["error"]
    assert outcome["downloads"] == 1  # downloading again cannot make room
    assert os.listdir(tmp_path) == ["calls.csv"]
    assert target.read_bytes() == b"yesterday's export"
