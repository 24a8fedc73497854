"""CDR export files: a safe download of the pre-signed URL, and a streaming CSV parser.

The ``download_url`` of a completed export is a pre-signed S3 URL: whoever holds it can read the
account's call records for three days. So it is treated as a secret (never in an error, a repr or
a log line: errors show ``scheme://host/path`` only), and as untrusted input: only ``https`` to
an ``*.amazonaws.com`` host on the default port is fetched (reliability.md S7), through a
separate session that carries no Flowroute credentials and never consults ``~/.netrc`` (S4).

The body is read undecoded and gzip is recognised by its magic bytes, not by headers, because S3
may or may not label the object ``Content-Encoding: gzip`` (R11). It is inflated while it
streams into a temporary file beside the target, member after member, and the file is renamed
into place only once the last gzip trailer (length and CRC) checked out: a truncated transfer
leaves nothing behind and memory stays constant whatever the export's size (S8).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import logging
import os
import re
import tempfile
import threading
import zlib
from typing import IO, Any, Iterator, Optional, Union
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from ._http import Answer, AttemptFailure, HttpCore, is_loopback, transport_failure, was_sent
from ._transport import DeadlineAdapter, remaining
from .exceptions import CDRDownloadError, FlowrouteError, HttpContext, RequestInfo, ResponseInfo

__all__ = ["check_download_url", "download", "iter_rows", "parse_rows", "shown_url"]

PathLike = Union[str, "os.PathLike[str]"]

GZIP_MAGIC = b"\x1f\x8b"
# Reliability.md §4.2: a whole export may rightly take longer than an API call.
DOWNLOAD_DEADLINE = 600.0
_CHUNK = 64 * 1024
# Largest inflated piece held at once: a 64 KiB chunk of zeros inflates to ~64 MiB.
_INFLATE_STEP = 256 * 1024
_ERROR_BODY_LIMIT = 16 * 1024
_S3_SUFFIX = ".amazonaws.com"
_DNS_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_S3_FIELD = re.compile(r"<(Code|Message)>([^<]{0,200})</\1>")


class _NoAuth(requests.auth.AuthBase):
    """Explicitly no credentials: requests falls back to ``~/.netrc`` only when auth is unset."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


# ---------------------------------------------------------------------------- the URL policy


def shown_url(url: str) -> str:
    """``scheme://host[:port]/path``: the URL without userinfo, query or fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "<unparsable URL>"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    text = f"{parts.scheme}://{netloc}{parts.path}"
    return text if len(text) <= 200 else text[:200] + "..."


def check_download_url(url: object, *, allow_loopback: bool) -> str:
    """The URL if it may be fetched, else :class:`CDRDownloadError` (nothing is sent).

    Allowed: ``https`` to a host ending in ``.amazonaws.com``, default port, no userinfo. With
    ``allow_loopback`` (the client itself talks to loopback: the sandbox, tests) also ``http``
    or ``https`` to a loopback host on any port.
    """
    if not isinstance(url, str) or not url:
        raise CDRDownloadError("the export has no download_url")
    shown = shown_url(url)
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise CDRDownloadError(f"refusing download_url {shown}: it contains spaces or controls")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise CDRDownloadError(f"refusing download_url {shown}: it cannot be parsed") from None
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if "@" in parts.netloc:
        raise CDRDownloadError(f"refusing download_url {shown}: it contains credentials")
    if allow_loopback and is_loopback(host) and scheme in ("http", "https"):
        return url
    if scheme != "https":
        raise CDRDownloadError(f"refusing download_url {shown}: only https is allowed")
    if port not in (None, 443):
        raise CDRDownloadError(f"refusing download_url {shown}: only the default port is allowed")
    if not (host.endswith(_S3_SUFFIX) and _DNS_NAME.fullmatch(host)):
        raise CDRDownloadError(
            f"refusing download_url {shown}: exports are only fetched from *{_S3_SUFFIX}"
        )
    return url


# ---------------------------------------------------------------------------- log redaction

_filter_lock = threading.Lock()
_QUERY = re.compile(r"\?[^\s\"']*")
_AMZ_PARAM = re.compile(r"(X-Amz-[A-Za-z-]+)=[^&\s\"']*", re.IGNORECASE)


class RedactSignedQuery(logging.Filter):
    """Rewrites log records that carry a pre-signed query string (``X-Amz-...``).

    urllib3 logs every request target at DEBUG, query included; this hides the query. Other
    records pass through untouched; none is dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is the logging module's business, not ours
            return True
        if "x-amz-" not in text.lower():
            return True
        text = _QUERY.sub(
            lambda m: "?[redacted]" if "x-amz-" in m.group().lower() else m.group(), text
        )
        record.msg = _AMZ_PARAM.sub(r"\1=[redacted]", text)
        record.args = None
        return True


def install_log_filter() -> None:
    """Add :class:`RedactSignedQuery` to urllib3's request logger, once per process."""
    pool_logger = logging.getLogger("urllib3.connectionpool")
    with _filter_lock:
        if not any(isinstance(f, RedactSignedQuery) for f in pool_logger.filters):
            pool_logger.addFilter(RedactSignedQuery())


# ---------------------------------------------------------------------------- download


class _Inflater:
    """Writes a body to ``out`` as it arrives, inflating gzip (every member) when it is gzip."""

    def __init__(self, out: IO[bytes], max_bytes: Optional[int], what: str, info: RequestInfo):
        self.out = out
        self.max_bytes = max_bytes
        self.what = what
        self.context = HttpContext(info)
        self.written = 0
        self.gzip: Optional[bool] = None  # unknown until two bytes have arrived
        self._pending = b""
        self._member: Optional[Any] = None  # zlib decompress object of the current member

    def feed(self, data: bytes) -> None:
        if self.gzip is None:
            data = self._pending + data
            if len(data) < len(GZIP_MAGIC):
                self._pending = data
                return
            self._pending = b""
            self.gzip = data.startswith(GZIP_MAGIC)
        if self.gzip:
            self._inflate(data)
        else:
            self._write(data)

    def finish(self) -> None:
        """Check the body ended where a gzip stream may end."""
        if self.gzip is None:
            self._write(self._pending)  # a body shorter than the magic: plain text
        elif self.gzip and (self._member is not None or self._pending):
            raise CDRDownloadError(
                f"{self.what} is truncated: the gzip data ends before its end-of-stream marker; "
                "nothing was written",
                context=self.context,
            )

    def _inflate(self, data: bytes) -> None:
        while data:
            if self._member is None:
                data = self._start_member(data)
                if self._member is None:
                    return
            try:
                # Bounded steps; a full step may leave output pending even with no input left.
                while True:
                    out = self._member.decompress(data, _INFLATE_STEP)
                    self._write(out)
                    data = self._member.unconsumed_tail
                    if self._member.eof or (not data and len(out) < _INFLATE_STEP):
                        break
            except zlib.error:
                raise CDRDownloadError(
                    f"{self.what} is corrupt (gzip data or CRC error); nothing was written",
                    context=self.context,
                ) from None
            if not self._member.eof:
                return
            data = self._member.unused_data
            self._member = None

    def _start_member(self, data: bytes) -> bytes:
        """Begin the next gzip member; trailing zero padding is allowed, as gzip(1) does."""
        data = (self._pending + data).lstrip(b"\x00")
        self._pending = b""
        if len(data) < len(GZIP_MAGIC):
            self._pending = data
            return b""
        if not data.startswith(GZIP_MAGIC):
            raise CDRDownloadError(
                f"{self.what} is corrupt: unexpected data after a gzip member; nothing was written",
                context=self.context,
            )
        self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return data

    def _write(self, data: bytes) -> None:
        if not data:
            return
        self.written += len(data)
        if self.max_bytes is not None and self.written > self.max_bytes:
            raise CDRDownloadError(
                f"{self.what} is larger than max_bytes={self.max_bytes} once decompressed; "
                "stopped, nothing was written",
                context=self.context,
            )
        self.out.write(data)


def _stream_failure(exc: Exception, info: RequestInfo) -> AttemptFailure:
    """A urllib3 read error as the core's transport failure (what requests' iter_content does)."""
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        wrapped: requests.RequestException = requests.exceptions.ConnectionError(exc)
    elif isinstance(exc, urllib3.exceptions.SSLError):
        wrapped = requests.exceptions.SSLError(exc)
    else:
        wrapped = requests.exceptions.ChunkedEncodingError(exc)
    failure = transport_failure(wrapped, info, sent=True)
    failure.retryable = not isinstance(exc, urllib3.exceptions.SSLError)
    return failure


def _new_session(core: HttpCore) -> requests.Session:
    """A session of its own: the API session may hold auth or headers meant for Flowroute."""
    session = requests.Session()
    adapter = DeadlineAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    # Reach S3 the way the user reaches Flowroute (proxies, CA bundle), nothing more.
    # verify=False is not carried over: a weakened API session must not weaken this one.
    session.proxies.update(core.session.proxies)
    if core.ca_bundle is not None:
        session.verify = core.ca_bundle
    session.headers["User-Agent"] = core.user_agent
    session.headers["Accept-Encoding"] = "identity"
    session.headers["Accept"] = "*/*"
    return session


def download(
    core: HttpCore,
    url: str,
    filename: PathLike,
    *,
    export_id: str,
    max_bytes: Optional[int] = None,
    deadline: float = DOWNLOAD_DEADLINE,
) -> None:
    """Fetch ``url`` (already checked) into ``filename`` as plain CSV, all or nothing.

    ``deadline`` bounds the whole transfer, retries included.
    """
    info = RequestInfo("GET", shown_url(url))
    what = f"CDR export {export_id} ({info.url})"
    target = os.fspath(filename)
    directory = os.path.dirname(os.path.abspath(target))
    install_log_filter()
    fd, temp = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".part", dir=directory
    )
    session = _new_session(core)
    try:
        with os.fdopen(fd, "wb") as out:

            def attempt() -> Answer:
                out.seek(0)
                out.truncate()
                return _fetch(session, core, url, info, _Inflater(out, max_bytes, what, info))

            failure: Optional[CDRDownloadError] = None
            try:
                core.with_retries(attempt, info, create=False, deadline_seconds=deadline)
            except CDRDownloadError:
                raise
            except FlowrouteError as error:
                failure = _download_error(error, info, export_id)
            if failure is not None:
                # Raised outside the handler: the original error (which may quote the S3
                # body) must not ride along as __context__.
                raise failure
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    finally:
        session.close()


def _fetch(
    session: requests.Session, core: HttpCore, url: str, info: RequestInfo, sink: _Inflater
) -> Answer:
    request = requests.Request("GET", url, auth=_NoAuth())
    prepared = session.prepare_request(request)
    try:
        response = session.send(
            prepared,
            stream=True,
            allow_redirects=False,
            timeout=(min(core.timeout.connect, remaining()), core.timeout.read),
        )
    except requests.RequestException as exc:
        raise transport_failure(exc, info, sent=was_sent(exc)) from None
    with response:
        headers = dict(response.headers)
        if 200 < response.status_code < 300:
            raise CDRDownloadError(
                f"{info.method} {info.url} answered {response.status_code} instead of 200 "
                "with the file; nothing was written"
            )
        if response.status_code != 200:
            try:
                body = response.raw.read(_ERROR_BODY_LIMIT, decode_content=False)
            except (urllib3.exceptions.HTTPError, OSError):
                body = b""
            return Answer(response.status_code, headers, body)
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", ""):
            raise CDRDownloadError(
                f"{info.method} {info.url} came back with Content-Encoding {encoding[:40]!r}; "
                "only gzip or none is supported"
            )
        try:
            for chunk in response.raw.stream(_CHUNK, decode_content=False):
                sink.feed(chunk)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _stream_failure(exc, info) from None
        sink.finish()
        return Answer(200, headers, b"")


def _download_error(error: Exception, info: RequestInfo, export_id: str) -> CDRDownloadError:
    """The error the caller sees, built afresh so no S3 body or URL text rides along."""
    what = f"download of CDR export {export_id} from {info.url}"
    response = getattr(getattr(error, "context", None), "response", None)
    if not isinstance(response, ResponseInfo) or response.status_code == 0:  # no HTTP answer
        return CDRDownloadError(f"{what} failed: {error}", context=HttpContext(info))
    # The S3 error document can echo the signature (SignatureDoesNotMatch): keep Code/Message.
    fields = dict(_S3_FIELD.findall(response.raw_body))
    said = ": ".join(v for v in (fields.get("Code"), fields.get("Message")) if v)
    said = "".join(c if c.isprintable() else " " for c in said)
    status = response.status_code
    context = HttpContext(info, ResponseInfo(status, response.headers, said))
    if status == 403:
        return CDRDownloadError(
            f"{what} was refused ({status} {said or 'Forbidden'}): the download URL has expired "
            f"or is no longer valid. Re-fetch the export with get_cdr_export_status({export_id}) "
            "for a fresh download_url (download_cdr_export does this on every call); exports "
            "expire 3 days after they complete, after which create a new one",
            context=context,
        )
    if 300 <= status < 400:
        return CDRDownloadError(
            f"{what} answered with a redirect ({status}); redirects are not followed",
            context=context,
        )
    return CDRDownloadError(f"{what} failed: {status} {said}".rstrip(), context=context)


# ---------------------------------------------------------------------------- parse


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as raw:
        return raw.read(len(GZIP_MAGIC)) == GZIP_MAGIC


def iter_rows(filename: PathLike) -> Iterator[dict[str, str]]:
    """Yield each CSV row as a dict of exact strings (gzip detected by magic bytes).

    No value is coerced or escaped: a cell such as ``=HYPERLINK(...)`` comes back as written
    (reliability.md S10); whoever writes rows into a spreadsheet must neutralise formulas.
    """
    path = os.fspath(filename)
    # newline="" as the csv module requires: quoted cells keep their CR/LF exactly.
    opener = gzip.open if _is_gzip(path) else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as text:
        try:
            yield from csv.DictReader(text)
        except (EOFError, gzip.BadGzipFile, zlib.error):
            raise CDRDownloadError(
                f"{os.path.basename(path)} is a truncated or corrupt gzip file"
            ) from None


def parse_rows(filename: PathLike) -> list[dict[str, str]]:
    """Every row of the file (see :func:`iter_rows`)."""
    return list(iter_rows(filename))
