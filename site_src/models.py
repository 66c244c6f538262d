"""Contested Orbit's collections: what each data file in site_src/data/ holds.

Every record states where its figures were read (`sources`) and which rows of the
research ledger (research/facts-data.yaml) it was checked against (`facts`).
The generator knows none of these by name: the `@collection` declarations below
tell it labels, record pages, main figures, references and search text.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Optional

from pydantic import Field

from generator import Count, Data, GeoPoint, IdList, Money, Record, Report, SafeUrl, Slug, TextList, ValueKind, collection, format_date, format_money


@collection("organizations", label="Organizations", item="Organization", title="{name}",
            url="organizations/{id}/", template="organization.html",
            description="The companies, agencies, courts and congressional bodies that appear in the contracts, flights and events.")
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

    def search_summary(self, data: Data) -> str:
        return self.summary or self.kind.capitalize()

    def search_words(self, data: Data) -> str:
        return " ".join([self.name, self.short_name or "", self.kind, self.summary])


@collection("contracts", label="Contracts", item="Contract", title="{title}", url="contracts/{id}/", template="contract.html",
            figure="value", references={"buyer": "organizations", "awardee": "organizations"},
            description="Awards, task orders, options, extensions and bids in the SpaceX–Blue Origin contest, each value labelled with the kind of figure it is.")
class Contract(Record):
    """An award, task order, option or extension; values say what kind of figure they are."""

    title: str = Field(min_length=1, description="What the contract is, in a few words.")
    program: str = Field(min_length=1, description="The government program it belongs to.")
    topic: str = Field(min_length=1, description="The site's topic: nssl, defense, lunar, crew-cargo, launches or politics.")
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

    def search_summary(self, data: Data) -> str:
        value = format_money(self.value) if self.value is not None else ""
        return " · ".join(p for p in [data.get(self.awardee).label, format_date(self.date), value] if p)

    def search_words(self, data: Data) -> str:
        return " ".join([self.program, self.topic, self.kind.replace("_", " "), data.get(self.awardee).name, data.get(self.buyer).name, self.summary])


@collection("flights", label="Flights", item="Flight", title="{name}", url="launches/#{id}", figure="date",
            references={"provider": "organizations"}, search=False,
            description="Every tracked New Glenn and Starship flight: date, mission, outcome and booster.")
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

    def check_as_of(self, as_of: dt.date):
        # A flight still "planned" for a day the data has passed is a stale status: say what happened.
        if self.outcome == "planned" and self.date < as_of:
            yield "outcome", (f"planned for {self.date.isoformat()}, before the data date {as_of.isoformat()}: "
                              "say what happened (a flight that never launched is an event, not a flight)")


@collection("launch_counts", label="Launches per year", item="Launch count", title="{provider.label} launches in {year}",
            url="launches/", figure="count", references={"provider": "organizations"}, search=False,
            description="How many launches each provider made per year, and what was counted.")
class LaunchCount(Record):
    """How many launches one provider made in one year, and what was counted."""

    year: Annotated[int, Field(ge=1957, le=2100)] = Field(description="Calendar year.")
    provider: Slug = Field(description="Id of the launch provider.")
    count: Count = Field(description="Launches counted that year.")
    count_high: Optional[Count] = Field(None, description="Upper end when sources count differently.")
    counted: str = Field(min_length=1, description="What was counted (e.g. orbital launch attempts, Falcon 9 and Falcon Heavy).")
    disagreement: Optional[str] = Field(None, description="How sources' counts differ.")


@collection("events", label="Timeline events", item="Event", title="{title}", url="timeline/#{id}", figure="date",
            references={"companies": "organizations"},
            description="Dated events in the contest: awards, protests, flights, nominations and statements.")
class Event(Record):
    date: dt.date = Field(description="When it happened.")
    title: str = Field(min_length=1, description="What happened, in a headline.")
    summary: str = Field("", description="What happened, in a sentence or two.")
    companies: IdList = Field(default_factory=list, description="Ids of the organizations involved.")
    topics: TextList = Field(default_factory=list, description="The site's topics it belongs to.")
    disagreement: Optional[str] = Field(None, description="How sources disagree about this event.")

    def search_summary(self, data: Data) -> str:
        return f"{format_date(self.date)}: {self.summary}" if self.summary else format_date(self.date)

    def search_words(self, data: Data) -> str:
        return " ".join([self.summary, *(data.get(c).label for c in self.companies), *self.topics])


@collection("figures", label="Figures", item="Figure", title="{label}", figure="value", search=False,
            description="Stand-alone numbers the explainers cite: budget lines, counts and percentages, each with its kind.")
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


@collection("glossary", label="Glossary", item="Glossary", title="{term}", url="glossary/#{id}", search=("abbr", "definition"),
            sourced=False, abbreviations=("abbr", "term"),
            description="The acronyms and contracting terms used on the site, with definitions.")
class Term(Record):
    """A glossary entry; `abbr` makes the term marked wherever it appears."""

    term: str = Field(min_length=1, description="The term, spelled out.")
    abbr: Optional[str] = Field(None, description="Its abbreviation, marked wherever it appears in the explainers.")
    definition: str = Field(min_length=1, description="What it means.")


@collection("watch", label="Watch list", item="Watch item", title="{title}", url="watch/#{id}",
            references={"companies": "organizations", "checked_against": "sources"}, search=False,
            description="Milestones to watch, each with its status and the date it was last checked.")
class WatchItem(Record):
    """Something to watch: a milestone, with when it was last checked."""

    title: str = Field(min_length=1, description="The milestone.")
    topic: str = Field(min_length=1, description="The site's topic it belongs to.")
    status: str = Field(min_length=1, description="Where it stood when last checked.")
    next_step: str = Field("", description="What to look for next.")
    last_checked: dt.date = Field(description="When we last checked the status.")
    checked_against: Slug = Field(description="Id of the newest source the status was checked against.")
    companies: IdList = Field(default_factory=list, description="Ids of the organizations involved.")

    def check_as_of(self, as_of: dt.date):
        # Moving the data date means re-checking every status against what the sources now say.
        if self.last_checked < as_of:
            yield "last_checked", (f"last checked {self.last_checked.isoformat()}, before the data date {as_of.isoformat()}: "
                                   "check the status again and say against which source")
        elif self.last_checked > as_of:
            yield "last_checked", f"checked {self.last_checked.isoformat()}, after the data date {as_of.isoformat()}"


@collection("places", label="Places", item="Place", title="{name}", references={"company": "organizations"}, search=False,
            description="Where SpaceX and Blue Origin build, test and launch rockets: each place with its location and what happens there.")
class Place(Record):
    """A launch pad, factory, test site or headquarters, with the point a map marks for it.

    The point marks the place itself where a source gives it (a pad), else the town it is in
    (`point` says which); `sources` names the source of the point (`location: source-id`)."""

    name: str = Field(min_length=1, description="The place's name, e.g. Launch Complex 36.")
    label: str = Field(min_length=1, max_length=20, description="The short name a map writes next to its point, e.g. LC-36.")
    company: Slug = Field(description="Id of the company that builds or launches there.")
    kind: Literal["launch site", "factory", "headquarters", "test site"] = Field(description="What the place mainly is: launch site, factory, headquarters or test site.")
    area: str = Field(min_length=1, description="Where it is, e.g. Cape Canaveral Space Force Station, Florida.")
    location: GeoPoint = Field(description="Latitude and longitude in degrees, rounded to three decimals: enough for a national map.")
    point: Literal["site", "town", "space center"] = Field(description="What the location marks: the site itself, or the town or space center it is in when no source gives the site's own point.")
    summary: str = Field(min_length=1, description="What happens there, in a sentence or two.")
