"""The portability check: which numbers could move to Flowroute, and onto its own network."""

from __future__ import annotations

import re
from typing import Any

from ._catalogue import AREA_CODES, HYPERNETWORK_CODES, TOLL_FREE_CODES
from ._rules import ApiError
from ._wire import Call, Response, json_response

E164 = re.compile(r"\+[1-9][0-9]{7,14}")
COVERED = frozenset({code for code, _, _ in AREA_CODES} | set(TOLL_FREE_CODES))


def check_portability(call: Call) -> Response:
    document = call.body(form=True)
    numbers: Any
    if isinstance(document, dict) and "numbers" not in document and "numbers[]" in document:
        numbers = document["numbers[]"]
    else:
        numbers = document.get("numbers") if isinstance(document, dict) else None
    if not isinstance(numbers, list) or not numbers or not all(isinstance(n, str) for n in numbers):
        raise ApiError(422, 'Expected {"numbers": ["+14255550111", ...]}.')
    bad = [n for n in numbers if not E164.fullmatch(n)]
    if bad:
        shown = ", ".join(repr(n[:20]) for n in bad[:5])
        raise ApiError(422, f"Numbers must be E.164 with a leading '+': {shown}.")
    portable, nonportable, hyper = [], [], []
    for n in numbers:
        npa = n[2:5]
        north_american = len(n) == 12 and n.startswith("+1")
        if north_american and npa in COVERED and n[1:] not in call.account.numbers:
            portable.append(n)
            if npa in HYPERNETWORK_CODES:
                hyper.append(n)
        else:
            nonportable.append(n)
    data = {"portable": portable, "nonportable": nonportable, "hypernetwork_enabled": hyper}
    return json_response(200, {"data": data}, content_type="application/json")


RESOURCES = ((r"/v2/portorders/portability", {"POST": check_portability}),)
