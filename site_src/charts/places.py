"""Where the two companies build, test and launch: a locator map of the places collection."""

from generator import basemap, chart, locator

# Each place's record names the page its point was read on; the map cites them all.
PLACE_SOURCES = [
    "wikipedia-slc-40", "nasa-2014-04-14-lc-39a-lease", "wikipedia-lc-39a", "spacenews-2015-01-27-vandenberg-second-pad",
    "r-spacex-api-slc-4e", "time-2024-07-16-spacex-hq-texas", "aishiftnews-2026-05-starship-flight-12", "wikipedia-starbase",
    "teslarati-2021-03-19-mcgregor-tests", "wikipedia-hawthorne", "wikipedia-mcgregor", "theverge-2015-09-15-blue-origin-lc-36",
    "wikipedia-lc-36", "spacecom-2026-05-28-new-glenn-explosion", "spaceflightnow-2026-06-30-new-glenn-return",
    "cnbc-2026-06-01-lc36-2028", "floridatoday-2017-12-13-new-glenn-factory", "wikimapia-kennedy-space-center",
    "wikipedia-corn-ranch", "astronomy-2026-01-30-new-shepard-pause", "spacecom-2020-01-06-blue-origin-hq", "wikipedia-kent",
    "madeinalabama-2020-02-17-blue-origin-huntsville", "wikipedia-huntsville",
]


@chart(
    "where-they-build",
    title="Where SpaceX and Blue Origin build, test and launch",
    description="Map of the lower 48 US states with the companies' launch pads, factories, test sites and headquarters.",
    sources=PLACE_SOURCES,
)
def where_they_build(data):
    company = lambda place: data.get(place.company).label  # noqa: E731 - the legend names the company, not its id
    return locator(basemap("us-states"), data.places, point="location", label="label", projection="albersUsa",
                   color=("Company", company), colors=data.organizations.colors(by="label"),
                   columns=("name", "kind", "area"))
