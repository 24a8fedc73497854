"""Walk every page of a list method by ``limit``/``offset``."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from .exceptions import ValidationError


def paginate(
    list_method: Callable[..., Any], *args: Any, page_size: int = 100, **filters: Any
) -> Iterator[dict[str, Any]]:
    """Lazily yield the items of ``list_method`` across all pages.

    Pages are requested by offset and never by following ``links.next``, which some endpoints
    point at hosts inside Flowroute (``http://cdr-api/...``). Stops at the first short page.
    """
    if page_size < 1:
        raise ValidationError("page_size must be at least 1")
    for name in ("limit", "offset"):
        if name in filters:
            raise ValidationError(f"paginate() sets {name} itself; pass page_size instead")
    offset = 0
    while True:
        page = list_method(*args, limit=page_size, offset=offset, **filters)
        items = (page or {}).get("data") or []
        yield from items
        if len(items) < page_size:
            return
        offset += len(items)
