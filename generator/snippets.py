"""Copy-paste snippets for reusing a chart: iframe, newsletter image, plain PNG.

The iframe snippet carries a tiny inline resize script that understands our
height message and Pym.js's, plus a <noscript> image with the real alt text.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .chartfiles import ChartProvenance, chart_folder, format_date_iso

if TYPE_CHECKING:
    from .config import Config
    from .data import Data
    from .site import Site

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def resize_script() -> str:
    """The host-side resize script (kept under 2 KB; a test checks)."""
    return resources.files("generator").joinpath("embed-resize.js").read_text().strip()


def snippets_for(site: "Site", chart_id: str, info: ChartProvenance) -> dict[str, str]:
    """{'iframe', 'newsletter', 'png'} snippets with absolute URLs on the base URL."""
    folder = chart_folder(chart_id)
    page_url = site.absolute(folder)
    png = site.absolute(f"{folder}chart.png")
    png2x = site.absolute(f"{folder}chart@2x.png")
    alt = escape(f"{info.title}. {info.description}", quote=True)
    title = escape(info.title, quote=True)
    caption = escape(f"{info.source_line}. Data as of {format_date_iso(info.as_of)}. Chart: {site.settings.title}.")
    iframe = (
        f'<iframe src="{page_url}" title="{title}" data-explainer-embed loading="lazy" '
        f'style="width:100%;min-width:280px;height:480px;border:0" scrolling="no"></iframe>'
        f'<noscript><img src="{png}" alt="{alt}" style="max-width:100%;height:auto"></noscript>'
        f"<script>{resize_script()}</script>"
    )
    newsletter = (
        f'<a href="{page_url}"><img src="{png}" srcset="{png2x} 2x" alt="{alt}" width="680" '
        f'style="max-width:100%;height:auto;border:0"></a>'
        f'<p style="font-size:13px;color:#4a5260;margin:4px 0 0">{caption}</p>'
    )
    plain = f'<img src="{png}" srcset="{png2x} 2x" alt="{alt}" width="680" style="max-width:100%;height:auto">'
    return {"iframe": iframe, "newsletter": newsletter, "png": plain}


def chart_snippet(config: "Config", data: "Data", charts: dict, chart_id: str, kind: str) -> str:
    """One snippet of one chart, without building the site (for `explainer embed`)."""
    from .chartfiles import provenance
    from .site import Site, site_root

    site = Site(config, data, charts, (), (), site_root(config.settings.base_url))
    return snippets_for(site, chart_id, provenance(charts[chart_id], data, config.settings.data_as_of))[kind]
