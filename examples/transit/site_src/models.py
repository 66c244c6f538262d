"""Riverton Transit's collections: routes, yearly ridership per route, service changes and stations."""

import datetime as dt
from typing import Literal, Optional

from pydantic import Field

from generator import Count, GeoPoint, Record, Slug, collection


@collection("routes", label="Routes", item="Route", title="Route {number}: {name}", url="routes/{id}/", template="record.html",
            figure="weekday_riders", search=("number", "name", "corridor"), description="Every bus route, with its weekday riders.")
class Route(Record):
    number: str = Field(description="The number on the bus.")
    name: str = Field(description="The route's name.")
    corridor: str = Field(description="The streets it runs along.")
    weekday_riders: Count = Field(description="Average weekday boardings in the latest year.")
    summary: str = Field("", description="One sentence about the route.")


@collection("ridership", label="Ridership by year", item="Ridership count", title="Route {route.number} in {year}",
            figure="riders", references={"route": "routes"}, search=False,
            description="Average weekday boardings per route and year.")
class Ridership(Record):
    route: Slug = Field(description="Id of the route.")
    year: int = Field(ge=2000, le=2100, description="Calendar year.")
    riders: Count = Field(description="Average weekday boardings.")
    riders_high: Optional[Count] = Field(None, description="Upper end when two counts differ.")


@collection("service_changes", label="Service changes", item="Service change", url="changes-list/#{id}", figure="date",
            references={"routes": "routes"}, description="Dated changes to routes and timetables.")
class ServiceChange(Record):
    date: dt.date = Field(description="When the change took effect.")
    title: str = Field(description="What changed, in a headline.")
    kind: Literal["frequency", "reroute", "new", "cut"] = Field(description="frequency, reroute, new or cut.")
    routes: list[Slug] = Field(default_factory=list, description="Ids of the routes affected.")
    summary: str = Field("", description="What changed, in a sentence.")


@collection("stations", label="Stations", item="Station", title="{name}", url="stations/{id}/", template="record.html",
            references={"routes": "routes"}, search=("name",), description="Stops where routes meet, with where each one is.")
class Station(Record):
    name: str = Field(description="The name on the shelter.")
    location: GeoPoint = Field(description="Where the stop is: latitude, longitude.")
    routes: list[Slug] = Field(description="Ids of the routes that stop there.")
