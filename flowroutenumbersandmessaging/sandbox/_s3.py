"""The pre-signed "S3" download of a finished CDR export: no Flowroute auth, S3-style XML errors.

The URL's path names the file by a random token and its query carries the signature; any
account's completed export can be fetched by whoever holds its URL, as on S3.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from ._wire import Request, Response

if TYPE_CHECKING:
    from ._state import State

DOWNLOAD_PREFIX = "/_sandbox/cdr-files/"
SUFFIX = ".csv.gz"


def download(request: Request, state: State) -> Response:
    if request.method not in ("GET", "HEAD"):
        return s3_error(405, "MethodNotAllowed", "The specified method is not allowed.")
    name = request.path[len(DOWNLOAD_PREFIX) :]
    token = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else ""
    export = state.export_by_token(token) if token else None
    if export is None or export.status != "completed" or export.signed_query is None:
        return s3_error(404, "NoSuchKey", "The specified key does not exist.")
    expected = dict(parse_qsl(export.signed_query)).get("X-Amz-Signature", "")
    given = request.param("X-Amz-Signature") or ""
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogateescape")):
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    return Response(200, export.file, {"Content-Type": "binary/octet-stream"})


def s3_error(status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    return Response(status, body, {"Content-Type": "application/xml"})
