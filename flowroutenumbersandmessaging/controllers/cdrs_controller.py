"""CDR exports: ask Flowroute for call records, poll the job, download and read the CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping, Optional, cast

from .. import _validate
from .._config import DOWNLOAD_DEADLINE, PathLike
from .._validate import IdLike
from ..exceptions import CDRDownloadError, InvalidResponseError
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import CDRExportDocument, CDRExportList, CDRRowDict, DownloadResult


class CDRsController(BaseController):
    """Call detail record exports: an asynchronous job that yields a CSV file."""

    def list_cdr_exports(
        self,
        status: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> CDRExportList:
        """List the CDR exports of your account. ``GET /v2/cdrs/exports``

        ``status`` is ``processing``, ``completed`` or ``failed``. Returns a page of exports,
        each item of ``data`` wrapped once more as ``{"data": {...}}``, as the API sends it.
        Raises ``ValidationError`` for another ``status``.
        """
        query = {"status": _validate.export_status(status), "limit": limit, "offset": offset}
        return cast("CDRExportList", self._get("/v2/cdrs/exports", query))

    def list_cdrs(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        status: Optional[str] = None,
    ) -> CDRExportList:
        """:meth:`list_cdr_exports` in v3's parameter order. ``GET /v2/cdrs/exports``

        Returns and raises as :meth:`list_cdr_exports` does.
        """
        return self.list_cdr_exports(status, limit, offset)

    def create_cdr_export(
        self, filters: Mapping[str, Any], callback_url: Optional[str] = None
    ) -> CDRExportDocument:
        """Start an export of the calls matching ``filters``. ``POST /v2/cdrs/exports``

        ``filters`` needs ``start_call_start_time`` and ``start_call_end_time`` (UTC, calls that
        start in the window; strings like ``"2019-01-01 00:00:00"``, or ``date``/``datetime``);
        other keys (``number_aliases``, ``destination_numbers``, ...) are sent as given.
        Flowroute POSTs to ``callback_url`` when the export is done. Returns the export (201),
        status ``processing``: poll :meth:`get_cdr_export_status` with its ``id``.

        Raises:
            ValidationError: a required filter is missing or ``callback_url`` is not http(s).
            BadRequestError: Flowroute cannot read the filters.
            APIException: any failure after the request may have reached Flowroute carries
                ``outcome_unknown=True`` and is never retried: list your exports first.
        """
        body = _validate.cdr_export_body(filters, callback_url)
        return cast("CDRExportDocument", self._post("/v2/cdrs/exports", body, create=True))

    def create_cdr(
        self, filters: Mapping[str, Any], callback_url: Optional[str] = None
    ) -> CDRExportDocument:
        """:meth:`create_cdr_export` by v3's README name. ``POST /v2/cdrs/exports``

        Returns and raises as :meth:`create_cdr_export` does.
        """
        return self.create_cdr_export(filters, callback_url)

    def get_cdr_export_status(self, cdrexport_id: IdLike) -> CDRExportDocument:
        """One export, with its ``download_url`` once completed. ``GET /v2/cdrs/exports/{id}``

        Returns the export; ``attributes.status`` is ``processing``, ``completed`` or
        ``failed``. Raises ``NotFoundError`` if it is not yours.
        """
        export_id = _validate.record_id(cdrexport_id, "cdrexport_id")
        return cast("CDRExportDocument", self._get(f"/v2/cdrs/exports/{export_id}"))

    def download_cdr_export(
        self,
        cdrexport_id: IdLike,
        filename: PathLike,
        *,
        max_bytes: Optional[int] = None,
        deadline: float = DOWNLOAD_DEADLINE,
    ) -> DownloadResult:
        """Save a completed export's CSV to ``filename``. ``GET /v2/cdrs/exports/{id}``

        Fetches the export's status for a fresh ``download_url``, then the file itself over
        ``https`` from S3 (no Flowroute credentials go there), decompressing gzip on the fly.
        The file appears only when complete (``os.replace`` of a temporary file beside it,
        readable by you only); ``max_bytes`` caps its decompressed size and ``deadline``
        (10 minutes by default) bounds the whole transfer. Returns
        ``{"filename": filename}``. Raises ``ValidationError`` for a bad id, ``max_bytes`` or
        ``deadline`` (before sending), ``NotFoundError`` for an export that is not yours,
        :class:`CDRDownloadError` when the export is not completed, the URL is not an S3 URL,
        has expired, the transfer fails or the file is not a CSV export, and its subclass
        :class:`CDRLocalFileError` (never retried) when the file cannot be written here: no such
        directory, no permission, a directory in the way, a full disk.
        """
        export_id = _validate.record_id(cdrexport_id, "cdrexport_id")
        _validate.optional_whole_number(max_bytes, "max_bytes")
        _validate.seconds(deadline, "deadline")
        from .. import _cdr

        # The file is prepared first: a problem on this machine shows before anything is sent.
        with _cdr.PartFile(filename) as part:
            attributes = _attributes(self.get_cdr_export_status(export_id), export_id)
            status = attributes.get("status")
            if status != "completed":
                raise CDRDownloadError(_not_ready(export_id, status))
            url = _cdr.check_download_url(attributes.get("download_url"), api=self._core.base_uri)
            _cdr.download(
                self._core, url, part, export_id=export_id, max_bytes=max_bytes, deadline=deadline
            )
        return {"filename": filename}

    def parse_cdr_export(self, filename: PathLike) -> list[CDRRowDict]:
        """Read a downloaded export (CSV or gzipped CSV); nothing is sent.

        Returns a list of row dicts, column name to the exact text of the cell, never coerced.
        For large files use :meth:`iter_cdr_export`, which holds one row at a time. Raises
        :class:`CDRDownloadError` for a truncated or corrupt gzip file, ``OSError`` when the
        file cannot be read.
        """
        from .. import _cdr

        return _cdr.parse_rows(filename)

    def iter_cdr_export(self, filename: PathLike) -> Iterator[CDRRowDict]:
        """Read a downloaded export row by row; nothing is sent.

        Returns an iterator of row dicts; raises as :meth:`parse_cdr_export` does, once
        iteration reaches the problem.
        """
        from .. import _cdr

        return _cdr.iter_rows(filename)


def _attributes(document: Any, export_id: str) -> Mapping[str, Any]:
    data = document.get("data") if isinstance(document, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict):
        raise InvalidResponseError(
            f"the status of CDR export {export_id} has no data.attributes object"
        )
    return attributes


def _not_ready(export_id: str, status: Any) -> str:
    if status == "processing":
        return (
            f"CDR export {export_id} is still processing; poll "
            f"get_cdr_export_status({export_id}) until its status is 'completed' "
            "(or pass a callback_url when creating the export), then download it"
        )
    if status == "failed":
        return f"CDR export {export_id} failed on Flowroute's side; create a new export"
    return f"CDR export {export_id} has status {status!r}, not 'completed'; nothing to download"
