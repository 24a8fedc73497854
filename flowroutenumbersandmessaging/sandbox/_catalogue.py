"""The sandbox's fixed world: area codes, rate centers, edge strategies, and a seeded generator.

Everything random here comes from one ``random.Random(seed)``, so two sandboxes built with
the same seed hold the same numbers, costs, call and message history (timestamps are relative
to the moment the sandbox starts). The numbers, area codes, exchanges and messages that
Flowroute's own README and this SDK's README show in their examples are always there, so
every example finds what it looks for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

# (area code, state, rate centers). Rate centers are lowercase and abbreviated as in the API.
AREA_CODES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("201", "nj", ("jerseycity", "hackensack", "oradell")),
    ("202", "dc", ("washington",)),
    ("203", "ct", ("newhaven", "bridgeport")),
    ("206", "wa", ("seattle",)),
    ("208", "id", ("boise", "pocatello", "nampa")),
    ("212", "ny", ("nwyrcyzn01",)),
    ("213", "ca", ("losangeles",)),
    ("214", "tx", ("dallas",)),
    ("215", "pa", ("philadelphia",)),
    ("253", "wa", ("tacoma", "puyallup")),
    ("303", "co", ("denver",)),
    ("305", "fl", ("miami",)),
    ("312", "il", ("chicago",)),
    ("313", "mi", ("detroit",)),
    ("347", "ny", ("nwyrcyzn03",)),
    ("360", "wa", ("olympia", "bellingham", "vancouver")),
    ("404", "ga", ("atlanta",)),
    ("407", "fl", ("orlando",)),
    ("408", "ca", ("sanjose",)),
    ("415", "ca", ("sanfrancisco",)),
    ("425", "wa", ("bellevue", "everett", "redmond")),
    ("503", "or", ("portland",)),
    ("509", "wa", ("spokane", "yakima")),
    ("512", "tx", ("austin",)),
    ("541", "or", ("eugene", "bend")),
    ("602", "az", ("phoenix",)),
    ("612", "mn", ("minneapolis",)),
    ("615", "tn", ("nashville",)),
    ("617", "ma", ("boston",)),
    ("646", "ny", ("nwyrcyzn01",)),
    ("650", "ca", ("millbrae", "paloalto")),
    ("702", "nv", ("lasvegas",)),
    ("704", "nc", ("charlotte",)),
    ("713", "tx", ("houston",)),
    ("718", "ny", ("brooklyn", "queens")),
    ("720", "co", ("denver", "boulder")),
    ("801", "ut", ("saltlakecity",)),
)
TOLL_FREE_CODES: tuple[str, ...] = ("800", "833", "844", "855", "866", "877", "888")
# Area codes where inbound porting lands on Flowroute's own network.
HYPERNETWORK_CODES = frozenset({"206", "253", "360", "425", "509", "208", "503", "541"})

EDGE_STRATEGIES: tuple[dict[str, object], ...] = (
    {
        "id": 1,
        "name": "US-West-OR",
        "naptr": "us-west-or.sip.flowroute.com",
        "description": "prefer Oregon edge, fall back elsewhere",
        "firewall_rules": "34.210.91.112/28",
    },
    {
        "id": 2,
        "name": "US-West-WA",
        "naptr": "us-west-wa.sip.flowroute.com",
        "description": "prefer Washington edge, fall back elsewhere",
        "firewall_rules": "147.75.60.160/28",
    },
    {
        "id": 3,
        "name": "US-East-NJ",
        "naptr": "us-east-nj.sip.flowroute.com",
        "description": "prefer New Jersey edge, fall back elsewhere",
        "firewall_rules": "147.75.65.192/28",
    },
    {
        "id": 4,
        "name": "US-East-VA",
        "naptr": "us-east-va.sip.flowroute.com",
        "description": "prefer Virginia edge, fall back elsewhere",
        "firewall_rules": "34.226.36.32/28",
    },
)

_US = "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH"
_US += " NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
US_STATES = frozenset(_US.split(" "))
CA_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)

ADDRESS_TYPES = frozenset(
    name.lower()
    for name in [
        "Apartment",
        "Basement",
        "Building",
        "Department",
        "Floor",
        "Front",
        "Hanger",
        "Key",
        "Lobby",
        "Lot",
        "Lower",
        "Office",
        "Penthouse",
        "Pier",
        "Rear",
        "Room",
        "Side",
        "Slip",
        "Space",
        "Stop",
        "Suite",
        "Trailer",
        "Unit",
        "Upper",
        "A",
        "BM",
        "B",
        "D",
        "F",
        "FR",
        "H",
        "K",
        "L",
        "LT",
        "LO",
        "O",
        "P",
        "PI",
        "RE",
        "R",
        "S",
        "SL",
        "SC",
        "SP",
        "SU",
        "T",
        "U",
        "UP",
    ]
)

# Area code 347's exchanges start with the three Flowroute's README lists, in its order.
FIXED_EXCHANGES = {"347": ("215", "325", "331", "442", "586")}
# (number, rate center, setup cost): purchasable numbers the READMEs' examples buy or find.
DOCUMENTED_NUMBERS = (
    ("12062011682", "seattle", 1.0),
    ("16463439507", "nwyrcyzn01", 1.0),
    ("16463439617", "nwyrcyzn01", 1.0),
    ("16463439667", "nwyrcyzn01", 3.99),
    ("16502390214", "millbrae", 1.0),
)
# (number, rate center, alias): a fresh account's two numbers, as Flowroute's README lists them.
ACCOUNT_NUMBERS = (
    ("12012673227", "oradell", "Office 221"),
    ("12014845220", "jerseycity", "Office 888"),
)
NUMBER_ROUTE = ("83834", "12065551212", "PSTNroute1")
FOREIGN_ALIAS = "Other account line"


@dataclass
class Number:
    """A phone number, in inventory or on an account."""

    value: str
    rate_center: Optional[str]
    state: Optional[str]
    number_type: str
    setup_cost: float
    monthly_cost: float
    alias: Optional[str] = None
    cnam_lookups_enabled: bool = True
    messaging_enabled: bool = True
    messaging_email: Optional[str] = None
    messaging_callback_url: Optional[str] = None
    primary_route: Optional[str] = "0"
    failover_route: Optional[str] = None
    e911_id: Optional[str] = None
    cnam_id: Optional[str] = None
    callbacks: dict[str, str] = field(default_factory=dict)

    @property
    def toll_free(self) -> bool:
        return self.number_type == "tollfree"

    def reset(self) -> None:
        """Back to inventory: forget everything the account set."""
        self.alias = None
        self.cnam_lookups_enabled = True
        self.messaging_enabled = True
        self.messaging_email = None
        self.messaging_callback_url = None
        self.primary_route = "0"
        self.failover_route = None
        self.e911_id = None
        self.cnam_id = None
        self.callbacks = {}


@dataclass(frozen=True)
class Call:
    """One call on some DID; ``own`` is False for traffic of other accounts."""

    own: bool
    did: str
    direction: str
    start: datetime
    duration: int
    other_party: str
    alias: str
    result: str
    sip_code: int
    reason: str
    rate: float
    cnam_fee: float
    customer_ip: str


@dataclass(frozen=True)
class PastMessage:
    """A message in a fresh account's history."""

    id: str
    direction: str
    from_: str
    to: str
    body: str
    timestamp: datetime
    status: str = "delivered"


@dataclass
class World:
    inventory: list[Number]
    account: list[Number]
    calls: tuple[Call, ...]
    messages: tuple[PastMessage, ...]


def _line_numbers(rng: random.Random, count: int) -> list[str]:
    return [f"{n:04d}" for n in sorted(rng.sample(range(10000), count))]


# Exchanges start 2-9 and are never N11 or 555 (reserved).
_EXCHANGE_POOL = tuple(x for x in range(200, 1000) if x % 100 != 11 and x != 555)


def _exchanges(rng: random.Random, count: int) -> list[str]:
    return [str(x) for x in sorted(rng.sample(_EXCHANGE_POOL, count))]


def build_world(seed: int, now: datetime) -> World:
    """The inventory, a fresh account's numbers, ~90 days of calls and a week of messages."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible catalogue, not a secret)
    taken = {value for value, _, _ in ACCOUNT_NUMBERS}
    inventory: list[Number] = []

    def stock(value: str, center: Optional[str], state: Optional[str], setup: float) -> None:
        if value not in taken:
            taken.add(value)
            kind = "standard" if state else "tollfree"
            inventory.append(Number(value, center, state, kind, setup, 1.25 if state else 1.5))

    states = {npa: state for npa, state, _ in AREA_CODES}
    for value, center, setup in DOCUMENTED_NUMBERS:
        stock(value, center, states[value[1:4]], setup)
    for npa, state, centers in AREA_CODES:
        for exchange in FIXED_EXCHANGES.get(npa) or _exchanges(rng, 3):
            setup = rng.choice((0.0, 1.0, 1.0, 1.0, 3.5))
            center = rng.choice(centers)
            for line in _line_numbers(rng, 6):
                stock(f"1{npa}{exchange}{line}", center, state, setup)
    for npa in TOLL_FREE_CODES:
        for exchange in _exchanges(rng, 2):
            for line in _line_numbers(rng, 5):
                stock(f"1{npa}{exchange}{line}", None, None, 1.0)

    def outside_number() -> str:
        while True:
            npa = rng.choice(AREA_CODES)[0]
            value = f"1{npa}{_exchanges(rng, 1)[0]}{_line_numbers(rng, 1)[0]}"
            if value not in taken:
                taken.add(value)
                return value

    account = [
        Number(value, center, "nj", "standard", 1.0, 1.25, alias=alias)
        for value, center, alias in ACCOUNT_NUMBERS
    ]
    dids = [(n.value, n.alias or "") for n in account]
    calls = _call_history(rng, now, dids, outside_number(), outside_number)
    messages = _message_history(rng, now, [n.value for n in account], outside_number)
    inventory.sort(key=lambda n: n.value)
    return World(inventory, account, calls, messages)


def _call_history(
    rng: random.Random,
    now: datetime,
    dids: list[tuple[str, str]],
    foreign: str,
    outside_number: Callable[[], str],
) -> tuple[Call, ...]:
    calls: list[Call] = []
    lines = [(did, alias, True) for did, alias in dids] + [(foreign, FOREIGN_ALIAS, False)]
    end = now.replace(microsecond=0)
    for did, alias, own in lines:
        for _ in range(30 if own else 12):
            start = end - timedelta(seconds=rng.randrange(60, 90 * 86400))
            direction = rng.choice(("Inbound", "Inbound", "Outbound"))
            if rng.random() < 0.1:
                result, code, reason, duration = "failed", 486, "Busy Here", 0
            else:
                result, code, reason = "completed", 200, "OK"
                duration = rng.randrange(5, 900)
            inbound = direction == "Inbound"
            calls.append(
                Call(
                    own=own,
                    did=did,
                    direction=direction,
                    start=start,
                    duration=duration,
                    other_party=outside_number(),
                    alias=alias,
                    result=result,
                    sip_code=code,
                    reason=reason,
                    rate=0.0015 if inbound else 0.0098,
                    cnam_fee=0.0039 if inbound and rng.random() < 0.5 else 0.0,
                    customer_ip="53.186.152.52" if inbound else "53.186.151.52:5080",
                )
            )
    calls.sort(key=lambda c: c.start)
    return tuple(calls)


# The two message records of Flowroute's README (its look-up example, December 2017).
README_MESSAGES = (
    PastMessage(
        "mdr2-39cadeace66e11e7aff806cd7f24ba2d",
        "outbound",
        "12012673227",
        "12061232634",
        "test sms on v2",
        datetime(2017, 12, 21, 16, 44, 34, 930000, tzinfo=timezone.utc),
        status="message buffered",
    ),
    PastMessage(
        "mdr2-ca82be46e6ba11e79d08862d092cf73d",
        "inbound",
        "12061231234",
        "12012673227",
        "Hello are you there? ",
        datetime(2017, 12, 22, 1, 52, 39, 390000, tzinfo=timezone.utc),
    ),
)
_BODIES = (
    "Running 10 min late, sorry!",
    "Your appointment is confirmed for Tuesday at 3pm.",
    "Can you call me back when you get a chance?",
    "Thanks, got it.",
    "Reply STOP to unsubscribe.",
    "See you at the office.",
)


def _message_history(
    rng: random.Random, now: datetime, dids: list[str], outside_number: Callable[[], str]
) -> tuple[PastMessage, ...]:
    """Flowroute's README messages, and a conversation on each number over the last week.

    Every one is at least a day old, so a look-up of today's messages shows only new ones.
    """
    history = list(README_MESSAGES)
    for did in dids:
        mobile = outside_number()
        for _ in range(4):
            when = now - timedelta(seconds=rng.randrange(86400, 7 * 86400))
            body = rng.choice(_BODIES)
            ident = f"mdr2-{rng.getrandbits(128):032x}"
            if rng.random() < 0.5:
                history.append(PastMessage(ident, "inbound", mobile, did, body, when))
            else:
                history.append(PastMessage(ident, "outbound", did, mobile, body, when))
    return tuple(sorted(history, key=lambda m: m.timestamp))
