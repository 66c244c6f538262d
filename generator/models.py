"""Pydantic models of the site's data: the boundary where outside text becomes typed.

Each collection is one file in `site_src/data/` (`<name>.yaml` or `<name>.csv`).
Every record that states a figure names its sources by id. List fields accept a
`;`-separated string so CSV files can carry them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

SLUG = r"^[a-z0-9][a-z0-9-]{0,80}$"
RESERVED_SLUGS = {"con", "prn", "aux", "nul", "com1", "lpt1", "index", "embed", "static", "assets"}


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _check_slug(value: str) -> str:
    if value in RESERVED_SLUGS:
        raise ValueError(f"'{value}' is a reserved name")
    return value


Slug = Annotated[str, Field(pattern=SLUG)]
IdList = Annotated[list[Slug], BeforeValidator(_split_list)]
TextList = Annotated[list[str], BeforeValidator(_split_list)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]
SafeUrl = Annotated[str, Field(pattern=r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+)$")]

ValueKind = Literal[
    "expected",  # anticipated value of an IDIQ/requirements contract: not money paid
    "ceiling",  # the most the contract allows
    "obligated",  # money put on contract, e.g. by a task order
    "award",  # fixed-price award value
    "bid",  # a bidder's price
    "requested",  # asked of Congress
    "appropriated",  # given by Congress
    "paid",  # money paid out
    "cumulative",  # total of several awards
]
VALUE_KIND_LABELS = {
    "expected": "expected value",
    "ceiling": "ceiling value",
    "obligated": "obligated",
    "award": "award value",
    "bid": "bid price",
    "requested": "requested",
    "appropriated": "appropriated",
    "paid": "paid to date",
    "cumulative": "cumulative value",
}


class Record(BaseModel):
    """Fields every record shares: a slug id, its sources, the fact-sheet rows used."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Slug
    sources: IdList = Field(default_factory=list)
    facts: TextList = Field(default_factory=list)
    updated: Optional[dt.date] = None

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        return _check_slug(value)


class Report(BaseModel):
    """What one source reported, when sources disagree on a figure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Slug
    value: float
    wording: Optional[str] = None


class Source(BaseModel):
    """A published article or document that figures cite."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Slug
    outlet: str = Field(min_length=1)
    title: str = Field(min_length=1)
    url: SafeUrl
    date: dt.date
    date_note: Optional[str] = None
    also: list[SafeUrl] = Field(default_factory=list)
    note: Optional[str] = None


class Organization(Record):
    name: str = Field(min_length=1)
    short_name: Optional[str] = None
    kind: Literal["company", "agency", "government", "court", "congress"]
    color: Optional[Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]] = None
    url: Optional[SafeUrl] = None
    summary: str = ""

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Contract(Record):
    """An award, task order, option or extension; values say what kind of figure they are."""

    title: str = Field(min_length=1)
    program: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    kind: Literal["award", "task_order", "option", "extension", "order_year", "bid"]
    buyer: Slug
    awardee: Slug
    date: dt.date
    value: Optional[Money] = None
    value_high: Optional[Money] = None
    value_kind: Optional[ValueKind] = None
    missions: Optional[Count] = None
    reports: list[Report] = Field(default_factory=list)
    disagreement: Optional[str] = None
    summary: str = ""


class Flight(Record):
    """One launch of a tracked vehicle (New Glenn, Starship)."""

    name: str = Field(min_length=1)
    vehicle: str = Field(min_length=1)
    provider: Slug
    date: dt.date
    mission: str = ""
    outcome: Literal["success", "partial", "failure", "planned"]
    booster: Optional[str] = None
    summary: str = ""
    disagreement: Optional[str] = None


class LaunchCount(Record):
    """How many launches one provider made in one year, and what was counted."""

    year: Annotated[int, Field(ge=1957, le=2100)]
    provider: Slug
    count: Count
    count_high: Optional[Count] = None
    counted: str = Field(min_length=1)
    disagreement: Optional[str] = None


class Event(Record):
    date: dt.date
    title: str = Field(min_length=1)
    summary: str = ""
    companies: IdList = Field(default_factory=list)
    topics: TextList = Field(default_factory=list)
    disagreement: Optional[str] = None


class Figure(Record):
    """A stand-alone number the prose cites (a budget line, a count, a percentage)."""

    label: str = Field(min_length=1)
    value: float
    value_high: Optional[float] = None
    unit: Literal["usd", "count", "percent"]
    value_kind: Optional[ValueKind] = None
    date: dt.date
    reports: list[Report] = Field(default_factory=list)
    disagreement: Optional[str] = None


class Term(Record):
    """A glossary entry; `abbr` makes the term marked wherever it appears."""

    term: str = Field(min_length=1)
    abbr: Optional[str] = None
    definition: str = Field(min_length=1)


class WatchItem(Record):
    """Something to watch: a milestone, with when it was last checked."""

    title: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    status: str = Field(min_length=1)
    next_step: str = ""
    last_checked: dt.date
    companies: IdList = Field(default_factory=list)


COLLECTIONS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "organizations": Organization,
    "contracts": Contract,
    "flights": Flight,
    "launch_counts": LaunchCount,
    "events": Event,
    "figures": Figure,
    "glossary": Term,
    "watch": WatchItem,
}

# Fields that must name a record of another collection: (collection, field) -> target.
REFERENCES: dict[tuple[str, str], str] = {
    ("contracts", "buyer"): "organizations",
    ("contracts", "awardee"): "organizations",
    ("flights", "provider"): "organizations",
    ("launch_counts", "provider"): "organizations",
    ("events", "companies"): "organizations",
    ("watch", "companies"): "organizations",
}

FACT_ID = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
