"""A map is a chart like any other: `choropleth` joins a collection to a basemap by a key.

The shipped basemaps are us-states, us-counties, world-countries and world-countries-50m;
a site's own TopoJSON or GeoJSON file works too: site_shapes(data, "maps/districts.geojson").
"""

from generator import basemap, chart, choropleth


@chart(
    "loans-by-state",
    title="Most borrowed books come from neighbouring states",
    description="Map of US states shaded by the books the branches borrowed from each state's libraries last year.",
    sources=["town-report-2025"],
    as_of="2026-01-31",
)
def loans_by_state(data):
    # Every state drawn needs a record, unless `missing` says how to show the others.
    return choropleth(basemap("us-states"), data.loans, key="state", value="loans", title="Books borrowed", missing="No loans")
