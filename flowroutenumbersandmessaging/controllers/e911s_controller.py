"""E911 addresses: validate, create, update and delete them; attach them to numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Union, cast

from .. import _validate
from .._validate import AddressField, IdLike
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import E911Document, E911List, NumberList

# validate_address, create_address and update_address keep v3's eleven named parameters;
# each hands ``locals()`` (its parameters, by name) to the one builder of the E911 body.


class E911sController(BaseController):
    """E911 address records and their association with your numbers."""

    def list_e911s(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        state: Optional[str] = None,
        label: Optional[str] = None,
        street_name: Optional[str] = None,
        city: Optional[str] = None,
    ) -> E911List:
        """List your E911 addresses, optionally filtered. ``GET /v2/e911s``

        ``label``, ``street_name`` and ``city`` match partially, ignoring case. Returns a page
        of addresses. Raises only the errors any call may raise (see ``BaseController``).
        """
        query = {
            "limit": limit,
            "offset": offset,
            "state": state,
            "label": label,
            "street_name": street_name,
            "city": city,
        }
        return cast("E911List", self._get("/v2/e911s", query))

    def get_e911(self, e911_id: IdLike) -> E911Document:
        """One E911 address. ``GET /v2/e911s/{e911_id}``

        Returns the address. Raises ``NotFoundError`` if it is not yours.
        """
        path = f"/v2/e911s/{_validate.record_id(e911_id, 'e911_id')}"
        return cast("E911Document", self._get(path))

    def validate_address(
        self,
        label: str,
        first_name: str,
        last_name: str,
        street_name: str,
        street_number: Union[str, int],
        city: str,
        state: str,
        country: str,
        zipcode: Union[str, int],
        address_type: Optional[str] = None,
        address_type_number: AddressField = None,
    ) -> None:
        """Check an address without saving it. ``POST /v2/e911s/validate``

        Returns None (204) when Flowroute can use the address.

        Raises:
            ValidationError: a field is missing or empty, ``state`` is not 2 letters,
                ``country`` not US or CA, or only one of ``address_type`` and
                ``address_type_number`` is given.
            BadRequestError: Flowroute cannot geocode the address.
            UnprocessableEntityError: Flowroute refused a field (its ``errors`` say which).
        """
        self._no_content("POST", "/v2/e911s/validate", _validate.e911_body(locals()))

    def create_address(
        self,
        label: str,
        first_name: str,
        last_name: str,
        street_name: str,
        street_number: Union[str, int],
        city: str,
        state: str,
        country: str,
        zipcode: Union[str, int],
        address_type: Optional[str] = None,
        address_type_number: AddressField = None,
    ) -> E911Document:
        """Validate and save a new E911 address. ``POST /v2/e911s``

        Returns the new address (201) with its ``id``. Raises as :meth:`validate_address`;
        any failure after the request may have reached Flowroute carries
        ``outcome_unknown=True`` and is never retried: list your addresses first.
        """
        body = _validate.e911_body(locals())
        return cast("E911Document", self._post("/v2/e911s", body, create=True))

    def update_address(
        self,
        e911_id: IdLike,
        label: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        street_name: Optional[str] = None,
        street_number: AddressField = None,
        city: Optional[str] = None,
        state: Optional[str] = None,
        country: Optional[str] = None,
        zipcode: AddressField = None,
        address_type: Optional[str] = None,
        address_type_number: AddressField = None,
    ) -> E911Document:
        """Change some fields of an E911 address. ``PATCH /v2/e911s/{e911_id}``

        Only the fields given are sent; the others keep their values. Returns the updated
        address. Raises ``ValidationError`` when no field is given (or one is bad, as in
        :meth:`validate_address`), ``NotFoundError`` for an address that is not yours, and
        ``BadRequestError`` when the new address cannot be geocoded.
        """
        record = _validate.record_id(e911_id, "e911_id")
        body = _validate.e911_body(locals(), record)
        return cast("E911Document", self._patch(f"/v2/e911s/{record}", body))

    def delete_address(self, e911_id: IdLike) -> None:
        """Delete an E911 address no number uses any more. ``DELETE /v2/e911s/{e911_id}``

        Returns None (204). Raises ``NotFoundError`` if it is not yours, and an
        ``ErrorException`` while numbers still use it.
        """
        self._no_content("DELETE", f"/v2/e911s/{_validate.record_id(e911_id, 'e911_id')}")

    def associate(self, e911_id: IdLike, number_id: IdLike) -> None:
        """Assign an E911 address. ``PATCH /v2/numbers/{id}/relationships/e911s/{e911_id}``

        Note the order: the E911 record first, as in v3. Repeating it is harmless (charged
        once). Returns None (204). Raises ``NotFoundError`` for a record or number that is not
        yours, and ``UnprocessableEntityError`` for a number without emergency services.
        """
        record = _validate.record_id(e911_id, "e911_id")
        number = _validate.phone_number(number_id)
        self._no_content("PATCH", f"/v2/numbers/{number}/relationships/e911s/{record}")

    def disconnect(self, number_id: IdLike) -> None:
        """Remove a number's E911 address. ``DELETE /v2/numbers/{number_id}/relationships/e911s``

        The address record stays on your account. Returns None (204). Raises
        ``NotFoundError`` if the number is not yours.
        """
        number = _validate.phone_number(number_id)
        self._no_content("DELETE", f"/v2/numbers/{number}/relationships/e911s")

    def list_dids_for_e911(
        self,
        e911_id: IdLike,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> NumberList:
        """List the numbers using an E911 address. ``GET /v2/e911s/{id}/relationships/numbers``

        Returns a page of numbers (``attributes.value`` is the number). Raises
        ``NotFoundError`` if the address is not yours.
        """
        path = f"/v2/e911s/{_validate.record_id(e911_id, 'e911_id')}/relationships/numbers"
        return cast("NumberList", self._get(path, {"limit": limit, "offset": offset}))
