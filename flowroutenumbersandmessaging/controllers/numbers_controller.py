"""Phone numbers: inventory search, purchase, and the numbers on your account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, cast

from .. import _validate
from .._validate import Digits, IdLike
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import AvailableCodeList, NumberDocument, NumberList


class NumbersController(BaseController):
    """Phone numbers on your account, and numbers you can buy."""

    def list_available_area_codes(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        max_setup_cost: Optional[float] = None,
    ) -> AvailableCodeList:
        """List area codes that have purchasable numbers. ``GET /v2/numbers/available/areacodes``

        ``max_setup_cost`` keeps area codes with a number whose setup fee is at most that.
        Returns a page of ``areacode`` objects (``id`` is the area code). Raises only the
        errors any call may raise (see ``BaseController``).
        """
        query = {"limit": limit, "offset": offset, "max_setup_cost": max_setup_cost}
        return cast("AvailableCodeList", self._get("/v2/numbers/available/areacodes", query))

    def list_available_exchange_codes(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        max_setup_cost: Optional[float] = None,
        areacode: Optional[Digits] = None,
    ) -> AvailableCodeList:
        """List exchanges that have purchasable numbers. ``GET /v2/numbers/available/exchanges``

        Returns a page of ``exchange`` objects (``id`` is area code and exchange, ``425318``).
        Raises ``ValidationError`` (nothing sent) when ``areacode`` is not digits.
        """
        query = {
            "limit": limit,
            "offset": offset,
            "max_setup_cost": max_setup_cost,
            "areacode": _validate.digits(areacode, "areacode"),
        }
        return cast("AvailableCodeList", self._get("/v2/numbers/available/exchanges", query))

    def search_for_purchasable_phone_numbers(
        self,
        starts_with: Optional[Digits] = None,
        contains: Optional[Digits] = None,
        ends_with: Optional[Digits] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        rate_center: Optional[str] = None,
        state: Optional[str] = None,
    ) -> NumberList:
        """Search the inventory of numbers you can buy. ``GET /v2/numbers/available``

        Returns a page of numbers with their monthly and setup costs. ``rate_center`` needs
        ``state``. The digit filters take a str or an int. Raises ``ValidationError`` (nothing
        sent) when one is not 1 to 11 digits.
        """
        query = {
            "starts_with": _validate.digits(starts_with, "starts_with"),
            "contains": _validate.digits(contains, "contains"),
            "ends_with": _validate.digits(ends_with, "ends_with"),
            "limit": limit,
            "offset": offset,
            "rate_center": rate_center,
            "state": state,
        }
        return cast("NumberList", self._get("/v2/numbers/available", query))

    def purchase_a_phone_number(self, purchasable_number: IdLike) -> NumberDocument:
        """Buy a number from inventory. ``POST /v2/numbers/{number_id}``

        Returns the number, now on your account, with its relationships (201).

        Raises:
            ValidationError: ``purchasable_number`` is not an 11-digit number.
            NotFoundError: the number is not for sale.
            APIException: any failure after the request may have reached Flowroute carries
                ``outcome_unknown=True`` and is never retried: look the number up before
                buying again.
        """
        number = _validate.phone_number(purchasable_number, "purchasable_number")
        return cast("NumberDocument", self._post(f"/v2/numbers/{number}", create=True))

    def list_account_phone_numbers(
        self,
        starts_with: Optional[Digits] = None,
        ends_with: Optional[Digits] = None,
        contains: Optional[Digits] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> NumberList:
        """List the numbers on your account. ``GET /v2/numbers``

        Returns a page of numbers (note the filter order differs from the inventory search).
        Raises ``ValidationError`` (nothing sent) when a digit filter is not 1 to 11 digits.
        """
        query = {
            "starts_with": _validate.digits(starts_with, "starts_with"),
            "ends_with": _validate.digits(ends_with, "ends_with"),
            "contains": _validate.digits(contains, "contains"),
            "limit": limit,
            "offset": offset,
        }
        return cast("NumberList", self._get("/v2/numbers", query))

    def list_phone_number_details(self, number_id: IdLike) -> NumberDocument:
        """Details of one of your numbers, with its routes. ``GET /v2/numbers/{number_id}``

        Returns the number; the routes, CNAM and E911 records it uses are in ``included``.

        Raises:
            NotFoundError: the number is not on your account.
        """
        return cast("NumberDocument", self._get(f"/v2/numbers/{_validate.phone_number(number_id)}"))

    def release_a_did(self, number_id: IdLike) -> None:
        """Release one of your numbers. ``DELETE /v2/numbers/{number_id}``

        Returns None (204). Raises ``NotFoundError`` if the number is not on your account.
        """
        self._no_content("DELETE", f"/v2/numbers/{_validate.phone_number(number_id)}")

    def set_did_alias(self, number_id: IdLike, alias: str) -> NumberDocument:
        """Give one of your numbers a friendly name. ``PATCH /v2/numbers/{number_id}``

        Returns the updated number. Raises ``NotFoundError`` if the number is not yours.
        """
        number = _validate.phone_number(number_id)
        body = {"type": "number", "alias": _validate.string(alias, "alias")}
        return cast("NumberDocument", self._patch(f"/v2/numbers/{number}", body))

    def set_did_callback(self, number_id: IdLike, url: str) -> None:
        """Set a number's DLR callback. ``POST /v2/numbers/{id}/relationships/dlr_callback``

        Where Flowroute posts the delivery receipts of this number's messages; the same call
        as ``messages.set_did_level_dlr_callback``. Returns None (204).

        Raises:
            ValidationError: ``url`` is not an absolute http(s) URL.
            NotFoundError: the number is not on your account.
        """
        self._set_did_dlr_callback(number_id, url, "url")
