"""Generic record types: the building blocks a site's own collections are made of.

A site declares its collections in `site_src/models.py` (see collections.py) from
these: `Record` (id, sources, facts, updated), `Source`, `Report`, and field types
for ids, id lists, money, counts, safe URLs and value kinds. List fields accept a
`;`-separated string so CSV files can carry them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar, Iterable, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

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


# The formats a figure can be written in: US dollars, a count, a percentage, a difference of
# percentages, a year, a number as it is (no thousands separators).
FORMATS = ("usd", "count", "percent", "points", "year", "plain")


@dataclass(frozen=True)
class Unit:
    """Marks a field type with the format its figures are written in (one of FORMATS)."""

    name: str


Money = Annotated[float, Field(ge=0, allow_inf_nan=False), Unit("usd")]
Count = Annotated[int, Field(ge=0), Unit("count")]
Percent = Annotated[float, Field(allow_inf_nan=False), Unit("percent")]
Points = Annotated[float, Field(allow_inf_nan=False), Unit("points")]
Year = Annotated[int, Field(ge=0, le=9999), Unit("year")]
SafeUrl = Annotated[str, Field(pattern=r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+)$")]

class GeoPoint(BaseModel):
    """A place on the Earth in WGS 84 degrees: `{lat: 28.47, lon: -80.54}` in YAML, or
    `"28.47, -80.54"` (latitude first, as maps and gazetteers write it) in a CSV cell."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type_name: ClassVar[str] = "place (latitude, longitude in degrees)"  # what the data page and downloads call it

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, description="Latitude in degrees, north positive.")
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False, description="Longitude in degrees, east positive.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 2:
            raise ValueError("a point is written 'latitude, longitude', e.g. '28.47, -80.54'")
        return {"lat": parts[0], "lon": parts[1]}


ValueKind = Literal[
    "expected",  # anticipated value of an open-ended agreement over its life: not money paid
    "ceiling",  # the most the agreement allows
    "obligated",  # money committed, e.g. by an order under an agreement
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
    field_sources: dict[str, Slug] = Field(default_factory=dict, description="Which source backs which field (field=source id); other fields come from the first of sources.")
    facts: TextList = Field(default_factory=list, description="Rows of our research fact sheet this record was checked against.")
    updated: Optional[dt.date] = Field(None, description="When the record was last corrected or updated, if it was.")

    def check_as_of(self, as_of: dt.date) -> Iterable[tuple[str, str]]:
        """What this record says that the site's data date (`data_as_of`) contradicts, as
        (field, message) pairs; none by default. A site's model overrides it, e.g. for an event
        still "planned" on a day the data has already passed. The build reports each one as a
        warning at the field, and `--strict` fails on it."""
        return ()

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        return _check_slug(value)

    @model_validator(mode="before")
    @classmethod
    def _sources_per_field(cls, value: object) -> object:
        """`sources` may map fields to sources (`{riders_2019: report-2019}`, or `riders_2019=report-2019`
        items in CSV): the map becomes `field_sources`, and every source it names is one of `sources`."""
        if not isinstance(value, dict) or not ("sources" in value or "field_sources" in value):
            return value
        listed, mapped = _sources_and_map(value.get("sources"))
        extra, more = _sources_and_map(value.get("field_sources"))
        if mapped is None and more is None:
            return value  # nothing per field: leave the values to the field validators
        mapped = {**(mapped or {}), **(more or {})}
        if not (isinstance(listed, list) and isinstance(extra, list)) or not all(isinstance(item, str) for item in mapped.values()):
            return value  # a wrong shape: the field validators say what is wrong with it
        sources = list(dict.fromkeys([*listed, *extra, *mapped.values()]))
        return {**value, "sources": sources, "field_sources": mapped}


def _sources_and_map(value: object) -> tuple[object, Optional[dict]]:
    """(plain source ids, {field: source id} or None) from a sources value in any accepted shape."""
    if isinstance(value, dict):
        return [], {str(k): v for k, v in value.items()}
    items = _split_list(value) if value is not None else []
    if not isinstance(items, list):
        return items, None
    pairs = [item for item in items if isinstance(item, str) and "=" in item]
    if not pairs:
        return items, None
    mapped = {name.strip(): source.strip() for name, _, source in (item.partition("=") for item in pairs)}
    return [item for item in items if item not in pairs], mapped


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

