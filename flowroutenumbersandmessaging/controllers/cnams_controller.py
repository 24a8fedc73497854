"""CNAM (caller name) records: create, list, remove, and attach them to numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, cast

from .. import _validate
from .._validate import IdLike
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import CNAMAssociationDocument, CNAMDocument, CNAMList


class CNAMsController(BaseController):
    """Caller-name records and their association with your long-code numbers."""

    def list_cnams(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        is_approved: Optional[bool] = None,
        value: Optional[str] = None,
    ) -> CNAMList:
        """List your CNAM records, optionally only (un)approved ones. ``GET /v2/cnams``

        ``value`` matches partially, ignoring case. Returns a page of records.
        Raises only the errors any call may raise (see ``BaseController``).
        """
        query = {"limit": limit, "offset": offset, "is_approved": is_approved, "value": value}
        return cast("CNAMList", self._get("/v2/cnams", query))

    def get_cnam(self, cnam_id: IdLike) -> CNAMDocument:
        """One CNAM record. ``GET /v2/cnams/{cnam_id}``

        Returns the record. Raises ``NotFoundError`` if it is not yours.
        """
        path = f"/v2/cnams/{_validate.record_id(cnam_id, 'cnam_id')}"
        return cast("CNAMDocument", self._get(path))

    def create_cnam_record(self, cnam_value: str) -> CNAMDocument:
        """Create a CNAM record (approval takes up to 48 hours). ``POST /v2/cnams``

        Returns the new record (201), not yet approved.

        Raises:
            ValidationError: ``cnam_value`` is not 1-15 characters with a letter, in the
                characters Flowroute stores.
            UnprocessableEntityError: Flowroute refused the name.
            APIException: any failure after the request may have reached Flowroute carries
                ``outcome_unknown=True`` and is never retried: list your records first.
        """
        body = {"value": _validate.cnam_value(cnam_value)}
        return cast("CNAMDocument", self._post("/v2/cnams", body, create=True))

    def associate_cnam(self, cnam_id: IdLike, number_id: IdLike) -> CNAMAssociationDocument:
        """Assign a CNAM record. ``PATCH /v2/numbers/{id}/relationships/cnam/{cnam_id}``

        The record must be approved first. ``number_id`` is used as given (no look-up
        request). Returns a receipt (202) with the record's id and the date. Raises
        ``NotFoundError`` for a record or number that is not yours, and an
        ``ErrorException`` for a record not yet approved.
        """
        record = _validate.record_id(cnam_id, "cnam_id")
        number = _validate.phone_number(number_id)
        path = f"/v2/numbers/{number}/relationships/cnam/{record}"
        return cast("CNAMAssociationDocument", self._patch(path))

    def unassociate_cnam(self, number_id: IdLike) -> CNAMAssociationDocument:
        """Stop showing a CNAM record for a number. ``DELETE /v2/numbers/{id}/relationships/cnam``

        The record itself stays on your account. Returns a receipt (202) whose ``id`` is None.
        Raises ``NotFoundError`` if the number is not yours.
        """
        number = _validate.phone_number(number_id)
        path = f"/v2/numbers/{number}/relationships/cnam"
        return cast("CNAMAssociationDocument", self._delete(path))

    unassociate = unassociate_cnam

    def remove_cnam(self, cnam_id: IdLike) -> None:
        """Delete a CNAM record (numbers using it lose it). ``DELETE /v2/cnams/{cnam_id}``

        Returns None (204). Raises ``NotFoundError`` if it is not yours.
        """
        self._no_content("DELETE", f"/v2/cnams/{_validate.record_id(cnam_id, 'cnam_id')}")
