"""CDR export files: a safe download of the pre-signed URL, and a streaming CSV parser.

The ``download_url`` of a completed export is a pre-signed S3 URL: whoever holds it can read the
account's call records for three days. So it is treated as a secret (never in an error, a repr or
a log line: errors show ``scheme://host/path`` only), and as untrusted input: only ``https`` to
an ``*.amazonaws.com`` host on the default port is fetched, by the core's credential-free
download, which never consults ``~/.netrc`` either.

The body is read undecoded and gzip is recognised by its magic bytes, not by headers, because S3
may or may not label the object ``Content-Encoding: gzip``. It is inflated while it streams into
a temporary file beside the target, member after member, and the file is renamed into place only
once the last gzip trailer (length and CRC) checked out: a failed transfer leaves nothing behind,
an existing file stays as it was, and memory stays constant whatever the export's size.

Problems on this machine (no such directory, no permission, a directory in the way, a full
disk) are :class:`CDRLocalFileError`, raised the moment they happen and never retried:
downloading again cannot fix them.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import gzip
import logging
import os
import re
import tempfile
import threading
import zlib
from typing import IO, TYPE_CHECKING, Any, Iterator, Optional
from urllib.parse import urlsplit

from ._config import PathLike, is_loopback
from .exceptions import (
    CDRDownloadError,
    CDRLocalFileError,
    FlowrouteError,
    HttpContext,
    RequestInfo,
    ResponseInfo,
)

if TYPE_CHECKING:
    from ._http import Answer, HttpCore

__all__ = ["PartFile", "check_download_url", "download", "iter_rows", "parse_rows", "shown_url"]

GZIP_MAGIC = b"\x1f\x8b"
# Largest inflated piece held at once: a 64 KiB chunk of zeros inflates to ~64 MiB.
_INFLATE_STEP = 256 * 1024
_S3_SUFFIX = ".amazonaws.com"
_DNS_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_S3_FIELD = re.compile(r"<(Code|Message)>([^<]{0,200})</\1>")
# A CSV export starts with its header row; "<" starts an HTML or XML page (a proxy's or a
# portal's answer) that must not be saved as the export.
_MARKUP = b"<"
_BOM = b"\xef\xbb\xbf"


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


def check_download_url(url: object, *, api: str) -> str:
    """The URL if it may be fetched, else :class:`CDRDownloadError` (nothing is sent).

    Allowed: ``https`` to a host ending in ``.amazonaws.com``, default port, no userinfo. When
    the client's API root ``api`` is itself loopback (the sandbox, tests), also ``http`` or
    ``https`` to a loopback host on any port.
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
    allow_loopback = is_loopback(urlsplit(api).hostname)
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


# ---------------------------------------------------------------------------- the local file


class PartFile:
    """A temporary file beside ``filename``, put in its place by :meth:`commit` only.

    Use it as a context manager: leaving the block without a commit removes the temporary
    file, so nothing partial is left and an existing file at ``filename`` stays as it was.
    Every file-system failure is raised as :class:`CDRLocalFileError` when it happens.
    """

    def __init__(self, filename: PathLike) -> None:
        self.target = os.fspath(filename)
        self._temp: Optional[str] = None
        self._file: Optional[IO[bytes]] = None

    def __enter__(self) -> PartFile:
        directory = os.path.dirname(os.path.abspath(self.target))
        with self._local("save the export as", self.target):
            if os.path.isdir(self.target):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), self.target)
        with self._local("create a temporary file in", directory):
            fd, self._temp = tempfile.mkstemp(
                prefix=f".{os.path.basename(self.target)}.", suffix=".part", dir=directory
            )
            self._file = os.fdopen(fd, "wb")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)

    def rewind(self) -> None:
        """Start the file afresh (a new attempt)."""
        with self._local("write", self._temp):
            self._opened().seek(0)
            self._opened().truncate()

    def write(self, data: bytes) -> None:
        with self._local("write", self._temp):
            self._opened().write(data)

    def commit(self) -> None:
        """Make the file durable and put it in place of ``filename``."""
        with self._local("write", self._temp):
            out = self._opened()
            out.flush()
            os.fsync(out.fileno())
            out.close()
        with self._local("save the export as", self.target):
            os.replace(self._opened_name(), self.target)
        self._temp = None

    def _opened(self) -> IO[bytes]:
        assert self._file is not None, "PartFile used outside its with block"
        return self._file

    def _opened_name(self) -> str:
        assert self._temp is not None, "PartFile used outside its with block"
        return self._temp

    @contextlib.contextmanager
    def _local(self, doing: str, path: Optional[str]) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise CDRLocalFileError(
                f"could not {doing} {path}: {reason}. This is a problem on this machine, "
                f"not with the download: nothing was saved at {self.target}",
                exc,
            ) from exc


# ---------------------------------------------------------------------------- download


class _Inflater:
    """Writes a body to ``out`` as it arrives, inflating gzip (every member) when it is gzip."""

    def __init__(self, out: PartFile, max_bytes: Optional[int], what: str, info: RequestInfo):
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
        """Check the body ended where a gzip stream may end, and held something."""
        if self.gzip is None:
            self._write(self._pending)  # a body shorter than the magic: plain text
        elif self.gzip and (self._member is not None or self._pending):
            raise self._error("is truncated: the gzip data ends before its end-of-stream marker")
        if self.written == 0:
            raise self._error("is empty (an export has at least its header row)")

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
                raise self._error("is corrupt (gzip data or CRC error)") from None
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
            raise self._error("is corrupt: unexpected data after a gzip member")
        self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return data

    def _write(self, data: bytes) -> None:
        if not data:
            return
        if self.written == 0 and data.removeprefix(_BOM).lstrip().startswith(_MARKUP):
            raise self._error("is not CSV: it looks like an HTML or XML page")
        self.written += len(data)
        if self.max_bytes is not None and self.written > self.max_bytes:
            raise self._error(
                f"is larger than max_bytes={self.max_bytes} once decompressed; stopped"
            )
        self.out.write(data)

    def _error(self, problem: str) -> CDRDownloadError:
        return CDRDownloadError(f"{self.what} {problem}; nothing was saved", context=self.context)


def download(
    core: HttpCore,
    url: str,
    part: PartFile,
    *,
    export_id: str,
    max_bytes: Optional[int],
    deadline: float,
) -> None:
    """Fetch ``url`` (already checked) into ``part`` as plain CSV and commit it, all or nothing.

    ``deadline`` bounds the whole transfer, retries included.
    """
    info = RequestInfo("GET", shown_url(url))
    what = f"CDR export {export_id} ({info.url})"

    def receive(answer: Answer, chunks: Iterator[bytes]) -> None:
        if answer.status != 200:
            raise CDRDownloadError(
                f"{info.method} {info.url} answered {answer.status} instead of 200 "
                "with the file; nothing was saved"
            )
        encoding = answer.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", ""):
            raise CDRDownloadError(
                f"{info.method} {info.url} came back with Content-Encoding {encoding[:40]!r}; "
                "only gzip or none is supported"
            )
        part.rewind()
        inflater = _Inflater(part, max_bytes, what, info)
        for chunk in chunks:
            inflater.feed(chunk)
        inflater.finish()

    install_log_filter()
    failure: Optional[CDRDownloadError] = None
    try:
        core.fetch(url, info, receive, allowed=deadline)
    except CDRDownloadError:
        raise
    except FlowrouteError as error:
        failure = _download_error(error, info, export_id)
    if failure is not None:
        # Raised outside the handler: the original error (which may quote the S3 body) must
        # not ride along as __context__.
        raise failure
    part.commit()


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

    No value is coerced or escaped: a cell such as ``=HYPERLINK(...)`` comes back as written,
    since the SDK cannot know where rows end up; whoever writes them into a spreadsheet must
    neutralise formulas.
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
