"""explainer: a static-site generator for data-driven explainers (Markdown + data + Altair charts).

What a site's own code imports: `chart` (with `Note`, `Range` and `Line` annotations, and
`Layout`) and the map builders (`choropleth`, `locator`, `basemap`, `site_shapes`) for chart
files, `collection` and the record types for `site_src/models.py`, and the house number formats.
"""

from .annotations import Line, Note, Range
from .charts import chart
from .data import Collection, Data
from .figures import format_date, format_money, format_number
from .layout import Layout
from .maps import basemap, choropleth, locator, site_shapes
from .models import Count, GeoPoint, IdList, Money, Percent, Points, Record, Report, SafeUrl, Slug, Source, TextList, Unit, ValueKind, Year
from .schema import collection

__all__ = ["chart", "Note", "Range", "Line", "Layout", "basemap", "choropleth", "locator", "site_shapes", "collection", "Collection", "Data",
           "Record", "Source", "Report", "Slug", "IdList", "TextList", "Money", "Count", "GeoPoint", "Percent", "Points", "Year", "SafeUrl", "Unit",
           "ValueKind", "format_date", "format_money", "format_number"]
