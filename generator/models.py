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

    id: Slug = Field(description="Unique id across all the data: lowercase letters, digits and hyphens.")
    sources: IdList = Field(default_factory=list, description="Ids of the sources this record's figures were read in (see the sources dataset).")
    facts: TextList = Field(default_factory=list, description="Rows of our research fact sheet this record was checked against.")
    updated: Optional[dt.date] = Field(None, description="When the record was last corrected or updated, if it was.")

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        return _check_slug(value)


class Report(BaseModel):
    """What one source reported, when sources disagree on a figure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Slug = Field(description="Id of the source that reported this value.")
    value: float = Field(description="The value that source reported.")
    wording: Optional[str] = Field(None, description="The source's own words for the figure.")


class Source(BaseModel):
    """A published article or document that figures cite."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Slug = Field(description="Unique id of the source.")
    outlet: str = Field(min_length=1, description="The publication or agency that published it.")
    title: str = Field(min_length=1, description="The headline or document title.")
    url: SafeUrl = Field(description="Where we read it.")
    date: dt.date = Field(description="Publication date.")
    date_note: Optional[str] = Field(None, description="A caveat about the date, e.g. when a page shows none.")
    also: list[SafeUrl] = Field(default_factory=list, description="Other copies of the same story or document.")
    note: Optional[str] = Field(None, description="What to know when reading this source.")


class Organization(Record):
    name: str = Field(min_length=1, description="Full name.")
    short_name: Optional[str] = Field(None, description="The name used in charts and tables, if shorter.")
    kind: Literal["company", "agency", "government", "court", "congress"] = Field(description="What kind of organization it is.")
    color: Optional[Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]] = Field(None, description="The colour charts use for it.")
    url: Optional[SafeUrl] = Field(None, description="Its website.")
    summary: str = Field("", description="Who it is in this story.")

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Contract(Record):
    """An award, task order, option or extension; values say what kind of figure they are."""

    title: str = Field(min_length=1, description="What the contract is, in a few words.")
    program: str = Field(min_length=1, description="The government program it belongs to.")
    topic: str = Field(min_length=1, description="The site's topic: nssl, lunar, crew-cargo, launches or politics.")
    kind: Literal["award", "task_order", "option", "extension", "order_year", "bid"] = Field(description="Award, task order, option, extension, order year or bid.")
    buyer: Slug = Field(description="Id of the organization buying.")
    awardee: Slug = Field(description="Id of the organization awarded (or bidding).")
    date: dt.date = Field(description="Date of the award, order or bid.")
    value: Optional[Money] = Field(None, description="Value in US dollars; what kind of figure it is is in value_kind.")
    value_high: Optional[Money] = Field(None, description="Upper end when sources report a range, in US dollars.")
    value_kind: Optional[ValueKind] = Field(None, description="What the value is: expected, ceiling, obligated, award, bid, requested, appropriated, paid or cumulative. An expected or ceiling value is not money paid.")
    missions: Optional[Count] = Field(None, description="Number of missions, where the contract counts them.")
    reports: list[Report] = Field(default_factory=list, description="Values reported by individual sources, when they disagree.")
    disagreement: Optional[str] = Field(None, description="How and why sources disagree on this contract.")
    summary: str = Field("", description="What the contract is for and why it matters.")


class Flight(Record):
    """One launch of a tracked vehicle (New Glenn, Starship)."""

    name: str = Field(min_length=1, description="The flight's name, e.g. NG-1 or Flight 7.")
    vehicle: str = Field(min_length=1, description="The rocket: New Glenn or Starship.")
    provider: Slug = Field(description="Id of the launch company.")
    date: dt.date = Field(description="Launch date (UTC where known).")
    mission: str = Field("", description="What it carried or tested.")
    outcome: Literal["success", "partial", "failure", "planned"] = Field(description="success, partial, failure or planned.")
    booster: Optional[str] = Field(None, description="What happened to the first stage.")
    summary: str = Field("", description="What happened.")
    disagreement: Optional[str] = Field(None, description="How sources disagree about this flight.")


class LaunchCount(Record):
    """How many launches one provider made in one year, and what was counted."""

    year: Annotated[int, Field(ge=1957, le=2100)] = Field(description="Calendar year.")
    provider: Slug = Field(description="Id of the launch provider.")
    count: Count = Field(description="Launches counted that year.")
    count_high: Optional[Count] = Field(None, description="Upper end when sources count differently.")
    counted: str = Field(min_length=1, description="What was counted (e.g. orbital launch attempts, Falcon 9 and Falcon Heavy).")
    disagreement: Optional[str] = Field(None, description="How sources' counts differ.")


class Event(Record):
    date: dt.date = Field(description="When it happened.")
    title: str = Field(min_length=1, description="What happened, in a headline.")
    summary: str = Field("", description="What happened, in a sentence or two.")
    companies: IdList = Field(default_factory=list, description="Ids of the organizations involved.")
    topics: TextList = Field(default_factory=list, description="The site's topics it belongs to.")
    disagreement: Optional[str] = Field(None, description="How sources disagree about this event.")


class Figure(Record):
    """A stand-alone number the prose cites (a budget line, a count, a percentage)."""

    label: str = Field(min_length=1, description="What the number is.")
    value: float = Field(description="The number, in the unit given.")
    value_high: Optional[float] = Field(None, description="Upper end when sources report a range.")
    unit: Literal["usd", "count", "percent"] = Field(description="usd (US dollars), count or percent.")
    value_kind: Optional[ValueKind] = Field(None, description="For money: what kind of figure it is (expected, ceiling, requested, …).")
    date: dt.date = Field(description="The date the figure refers to or was reported.")
    reports: list[Report] = Field(default_factory=list, description="Values reported by individual sources, when they disagree.")
    disagreement: Optional[str] = Field(None, description="How and why sources disagree on this figure.")


class Term(Record):
    """A glossary entry; `abbr` makes the term marked wherever it appears."""

    term: str = Field(min_length=1, description="The term, spelled out.")
    abbr: Optional[str] = Field(None, description="Its abbreviation, marked wherever it appears in the explainers.")
    definition: str = Field(min_length=1, description="What it means.")


class WatchItem(Record):
    """Something to watch: a milestone, with when it was last checked."""

    title: str = Field(min_length=1, description="The milestone.")
    topic: str = Field(min_length=1, description="The site's topic it belongs to.")
    status: str = Field(min_length=1, description="Where it stood when last checked.")
    next_step: str = Field("", description="What to look for next.")
    last_checked: dt.date = Field(description="When we last checked the status.")
    companies: IdList = Field(default_factory=list, description="Ids of the organizations involved.")


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
