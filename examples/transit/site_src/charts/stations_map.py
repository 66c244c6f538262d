"""A locator map: the stations, each at its GeoPoint, on the city's own districts
(a GeoJSON file of the site, maps/riverton.geojson, read through data.file so that the map
is redrawn when the file changes). Each station's name is a label the annotation layer places."""

from generator import chart, locator, site_shapes


@chart("stations-map", title="Where the routes meet", description="Map of Riverton's districts with the five stations where routes stop.",
       sources=["rta-2025-report"], as_of="2026-06-30")
def stations_map(data):
    districts = site_shapes(data, "maps/riverton.geojson", singular="district", plural="districts")
    return locator(districts, data.stations, point="location", label="name", extent=None)
