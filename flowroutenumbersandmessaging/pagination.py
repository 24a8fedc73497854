"""Walk every page of a list method by ``limit``/``offset``."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping

from . import _validate
from .exceptions import InvalidResponseError


def paginate(
    list_method: Callable[..., Any], *args: Any, page_size: int = 100, **filters: Any
) -> Iterator[dict[str, Any]]:
    """Lazily yield the items of ``list_method`` across all pages.

    ``args`` and ``filters`` go to every call, with ``limit=page_size`` and the next
    ``offset``. Items are yielded as the API sends them (CDR export items keep their extra
    ``{"data": ...}`` wrapper; ``CDRExport.from_json`` unwraps it). Pages are requested by
    offset and never by following ``links.next``, which some endpoints point at hosts inside
    Flowroute (``http://cdr-api/...``). Stops at the first page shorter than ``page_size``,
    so a total that is an exact multiple costs one extra, empty request. An empty body
    (``None``) counts as an empty page.

    Raises:
        ValidationError: ``page_size`` is not a positive integer, or ``limit``/``offset`` was
            passed (paginate sets those itself). Raised before any request.
        InvalidResponseError: a page has no list at ``data``, or the server answered the
            same full page again for a new offset (it ignores ``offset``; going on would
            never end).
    """
    return _pages(list_method, args, _validate.paging(page_size, filters), filters)


def _pages(
    list_method: Callable[..., Any],
    args: tuple[Any, ...],
    page_size: int,
    filters: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    offset = 0
    previous: list[Any] = []
    while True:
        page = list_method(*args, limit=page_size, offset=offset, **filters)
        items = _items(page, offset)
        if items and items == previous:
            raise InvalidResponseError(
                f"paginate: offset {offset} returned the same items as the page before it; "
                "the endpoint seems to ignore offset"
            )
        yield from items
        if len(items) < page_size:
            return
        offset += len(items)
        previous = items


def _items(page: Any, offset: int) -> list[Any]:
    if page is None:
        return []
    if not isinstance(page, Mapping) or "data" not in page:
        raise InvalidResponseError(f"paginate: the page at offset {offset} has no data")
    data = page["data"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise InvalidResponseError(
            f"paginate: data at offset {offset} is not a list; is this a list method?"
        )
    return data
