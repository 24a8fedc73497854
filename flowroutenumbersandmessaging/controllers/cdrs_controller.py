"""CDR exports: ask Flowroute for call records, poll the job, download and read the CSV."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterator, Mapping, Optional

from .. import _ids
from .._config import DOWNLOAD_DEADLINE, PathLike
from .._validate import optional_whole_number, seconds
from ..exceptions import CDRDownloadError, InvalidResponseError, ValidationError
from .base_controller import BaseController
from .base_controller import callback_url as check_callback_url

EXPORT_STATUSES = ("processing", "completed", "failed")
REQUIRED_FILTERS = ("start_call_start_time", "start_call_end_time")


class CDRsController(BaseController):
    """Call detail record exports: an asynchronous job that yields a CSV file."""

    def list_cdr_exports(
        self,
        status: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> Any:
        """List the CDR exports of your account. ``GET /v2/cdrs/exports``

        ``status`` is ``processing``, ``completed`` or ``failed``. Each item of ``data`` is
        wrapped once more as ``{"data": {...}}``, as the API sends it.
        """
        if status is not None and status not in EXPORT_STATUSES:
            raise ValidationError(
                f"status must be one of {', '.join(EXPORT_STATUSES)}, got {status!r}"
            )
        return self._get("/v2/cdrs/exports", {"status": status, "limit": limit, "offset": offset})

    def list_cdrs(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        status: Optional[str] = None,
    ) -> Any:
        """:meth:`list_cdr_exports` in the v3 code's parameter order. ``GET /v2/cdrs/exports``"""
        return self.list_cdr_exports(status, limit, offset)

    def create_cdr_export(
        self, filters: Mapping[str, Any], callback_url: Optional[str] = None
    ) -> Any:
        """Start an export of the calls matching ``filters``. ``POST /v2/cdrs/exports``

        ``filters`` needs ``start_call_start_time`` and ``start_call_end_time`` (UTC, calls that
        start in the window; strings like ``"2019-01-01 00:00:00"``, or ``date``/``datetime``);
        other keys (``number_aliases``, ``destination_numbers``, ...) are sent as given.
        Flowroute POSTs to ``callback_url`` when the export is done. Never retried once the
        request may have reached Flowroute (``outcome_unknown`` on the error).
        """
        if not isinstance(filters, Mapping):
            raise ValidationError("filters must be a dict of filter parameters")
        missing = [key for key in REQUIRED_FILTERS if not filters.get(key)]
        if missing:
            raise ValidationError(f"filters must include {' and '.join(missing)}")
        if callback_url is not None:
            check_callback_url(callback_url, "callback_url")
        attributes: dict[str, Any] = {
            "filter_parameters": {key: _filter_value(value) for key, value in filters.items()}
        }
        if callback_url is not None:
            attributes["callback_url"] = callback_url
        body = {"data": {"type": "cdrexport", "attributes": attributes}}
        return self._post("/v2/cdrs/exports", body, create=True)

    def create_cdr(self, filters: Mapping[str, Any], callback_url: Optional[str] = None) -> Any:
        """:meth:`create_cdr_export` by the seed README's name. ``POST /v2/cdrs/exports``"""
        return self.create_cdr_export(filters, callback_url)

    def get_cdr_export_status(self, cdrexport_id: _ids.IdLike) -> Any:
        """One export, with its ``download_url`` once completed. ``GET /v2/cdrs/exports/{id}``"""
        return self._get(f"/v2/cdrs/exports/{_ids.record_id(cdrexport_id, 'cdrexport_id')}")

    def download_cdr_export(
        self,
        cdrexport_id: _ids.IdLike,
        filename: PathLike,
        *,
        max_bytes: Optional[int] = None,
        deadline: float = DOWNLOAD_DEADLINE,
    ) -> dict[str, Any]:
        """Save a completed export's CSV to ``filename``. ``GET /v2/cdrs/exports/{id}``

        Fetches the export's status for a fresh ``download_url``, then the file itself over
        ``https`` from S3 (no Flowroute credentials go there), decompressing gzip on the fly.
        The file appears only when complete (``os.replace`` of a temporary file beside it,
        readable by you only); ``max_bytes`` caps its decompressed size and ``deadline``
        (10 minutes by default) bounds the whole transfer. Returns
        ``{"filename": filename}``. Raises :class:`CDRDownloadError` when the export is not
        completed, the URL is not an S3 URL, has expired, the transfer fails or the file is
        not a CSV export; its subclass :class:`CDRLocalFileError` (never retried) when the
        file cannot be written here: no such directory, no permission, a directory in the way,
        a full disk.
        """
        export_id = _ids.record_id(cdrexport_id, "cdrexport_id")
        optional_whole_number(max_bytes, "max_bytes")
        seconds(deadline, "deadline")
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

    def parse_cdr_export(self, filename: PathLike) -> list[dict[str, str]]:
        """Read a downloaded export (CSV or gzipped CSV) into a list of row dicts.

        Values are the exact strings of the file, never coerced. For large files use
        :meth:`iter_cdr_export`, which holds one row at a time.
        """
        from .. import _cdr

        return _cdr.parse_rows(filename)

    def iter_cdr_export(self, filename: PathLike) -> Iterator[dict[str, str]]:
        """Yield the rows of a downloaded export one by one (see :meth:`parse_cdr_export`)."""
        from .. import _cdr

        return _cdr.iter_rows(filename)


def _filter_value(value: Any) -> Any:
    """Dates as the API's ``YYYY-MM-DD HH:MM:SS`` (naive means UTC) or ISO with an offset."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.isoformat()
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00:00")
    return value


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
