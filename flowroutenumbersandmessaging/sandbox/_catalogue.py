"""The sandbox's fixed world: area codes, rate centers, edge strategies, and a seeded generator.

Everything random here comes from one ``random.Random(seed)``, so two sandboxes built with
the same seed hold the same numbers, costs and call history (timestamps are relative to the
moment the sandbox starts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Optional

# (area code, state, rate centers). Rate centers are lowercase and abbreviated as in the API.
AREA_CODES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("201", "nj", ("jerseycity", "hackensack")),
    ("202", "dc", ("washington",)),
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

ACCOUNT_ALIASES = ("Office 221", "Office 888")
FOREIGN_ALIAS = "Other account line"


@dataclass
class Number:
    """A phone number, in inventory or on the account."""

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


@dataclass
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


@dataclass
class World:
    inventory: list[Number]
    account: list[Number]
    extra_route_value: str
    calls: list[Call]


def _line_numbers(rng: random.Random, count: int) -> list[str]:
    return [f"{n:04d}" for n in sorted(rng.sample(range(10000), count))]


def _exchanges(rng: random.Random, count: int) -> list[str]:
    # Exchanges start 2-9 and are never N11 or 555 (reserved).
    pool = [x for x in range(200, 1000) if x % 100 != 11 and x != 555]
    return [str(x) for x in sorted(rng.sample(pool, count))]


def build_world(seed: int, now: datetime) -> World:
    """The inventory, a fresh account's two numbers, and ~90 days of call history."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible catalogue, not a secret)
    inventory: list[Number] = []
    taken: set[str] = set()
    for npa, state, centers in AREA_CODES:
        for exchange in _exchanges(rng, 3):
            setup = rng.choice((0.0, 1.0, 1.0, 1.0, 3.5))
            center = rng.choice(centers)
            for line in _line_numbers(rng, 6):
                value = f"1{npa}{exchange}{line}"
                taken.add(value)
                inventory.append(Number(value, center, state, "standard", setup, 1.25))
    for npa in TOLL_FREE_CODES:
        for exchange in _exchanges(rng, 2):
            for line in _line_numbers(rng, 5):
                value = f"1{npa}{exchange}{line}"
                taken.add(value)
                inventory.append(Number(value, None, None, "tollfree", 1.0, 1.5))

    def fresh(npa: str) -> str:
        while True:
            value = f"1{npa}{_exchanges(rng, 1)[0]}{_line_numbers(rng, 1)[0]}"
            if value not in taken:
                taken.add(value)
                return value

    account = [
        Number(fresh("206"), "seattle", "wa", "standard", 1.0, 1.25, alias=ACCOUNT_ALIASES[0]),
        Number(fresh("425"), "bellevue", "wa", "standard", 1.0, 1.25, alias=ACCOUNT_ALIASES[1]),
    ]
    account[1].cnam_lookups_enabled = False
    foreign = fresh("503")
    extra_route_value = fresh("206")
    calls = _call_history(rng, now, [(n.value, n.alias or "") for n in account], foreign)
    inventory.sort(key=lambda n: n.value)
    return World(inventory, account, extra_route_value, calls)


def _call_history(
    rng: random.Random, now: datetime, dids: list[tuple[str, str]], foreign: str
) -> list[Call]:
    calls: list[Call] = []
    lines = [(did, alias, True) for did, alias in dids] + [(foreign, FOREIGN_ALIAS, False)]
    end = now.replace(microsecond=0)
    for did, alias, own in lines:
        for _ in range(30 if own else 12):
            start = end - timedelta(seconds=rng.randrange(60, 90 * 86400))
            direction = rng.choice(("Inbound", "Inbound", "Outbound"))
            other = f"1{rng.choice(AREA_CODES)[0]}{_exchanges(rng, 1)[0]}{_line_numbers(rng, 1)[0]}"
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
                    other_party=other,
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
    return calls
