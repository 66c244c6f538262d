"""Copy-paste snippets for reusing a chart: iframe, newsletter image, plain PNG.

The iframe snippet carries a tiny inline host script (generator/embed-resize.js) that
understands our height message and Pym.js's and passes the host page's light/dark choice
into the embed (its <html data-theme>, else a color-scheme of only light or only dark: as
?theme= on the iframe's URL while the page is still loading, then by message, and again on
every change), plus a <noscript> image with the real alt text.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .chartfiles import ChartProvenance, ChartSizes, format_date_iso
from .chartoutputs import ChartPlan, plan_chart

if TYPE_CHECKING:
    from .cache import Cache
    from .config import Config
    from .data import Data
    from .site import Site

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def resize_script() -> str:
    """The host-side script: heights and the host's theme (kept under 2 KB; a test checks)."""
    return resources.files("generator").joinpath("embed-resize.js").read_text().strip()


EMBED_CHROME = 170  # px an embed page adds above and below its chart: title, description, sources


def embed_height(sizes: ChartSizes) -> int:
    """The height an embed starts at (its script then sets the real one)."""
    return sizes.wide[1] + EMBED_CHROME


def snippets_for(site: "Site", plan: ChartPlan, info: ChartProvenance, sizes: ChartSizes) -> dict[str, str]:
    """{'iframe', 'newsletter', 'png'} snippets with absolute URLs on the base URL; the image
    sizes they give are the PNG's own. The newsletter image is the phone-wide one (when the
    chart has a narrow drawing): mail is read in columns of 320-600 px, where the desktop
    image would shrink its labels to 5-9 px."""
    def url(role: str, layout: str = "", maker: str = "") -> str:
        # Escaped like every other attribute value: a base URL may hold '&' or a quote, and the
        # snippets are pasted into other sites' pages and CMSs (oEmbed's html).
        return escape(site.absolute(plan.find(role, layout, "light" if layout else "", maker).linked), quote=True)

    page_url = url("embed")
    png, png2x = url("export", "wide", "png"), url("export", "wide", "png@2x")
    alt = escape(f"{info.title}. {info.description}", quote=True)
    title = escape(info.title, quote=True)
    width, height = sizes.png
    caption = escape(f"{info.source_line}. Data as of {format_date_iso(info.as_of)}. Chart: {site.settings.title}.")
    iframe = (
        f'<iframe src="{page_url}" title="{title}" data-explainer-embed loading="lazy" '
        f'style="width:100%;min-width:280px;height:{embed_height(sizes)}px;border:0" scrolling="no"></iframe>'
        f'<noscript><img src="{png}" alt="{alt}" width="{width}" height="{height}" style="max-width:100%;height:auto"></noscript>'
        f"<script>{resize_script()}</script>"
    )
    phone = "narrow" if sizes.phone_png else "wide"
    mail_png, mail_png2x = url("export", phone, "png"), url("export", phone, "png@2x")
    mail_width, mail_height = sizes.newsletter_png
    newsletter = (
        f'<a href="{page_url}"><img src="{mail_png}" srcset="{mail_png2x} 2x" alt="{alt}" width="{mail_width}" height="{mail_height}" '
        f'style="max-width:100%;height:auto;border:0"></a>'
        f'<p style="font-size:13px;color:#4a5260;margin:4px 0 0">{caption}</p>'
    )
    plain = f'<img src="{png}" srcset="{png2x} 2x" alt="{alt}" width="{width}" height="{height}" style="max-width:100%;height:auto">'
    return {"iframe": iframe, "newsletter": newsletter, "png": plain}


def chart_snippet(config: "Config", data: "Data", charts: dict, chart_id: str, kind: str, cache: "Cache") -> str:
    """One snippet of one chart, without building the site (for `explainer embed`): the
    chart is drawn (or read from the cache) only to know its sizes."""
    from .chartfiles import chart_sizes, provenance, render_chart_files
    from .inputs import code_version
    from .site import Site, site_root
    from .themes import chart_themes

    site = Site(config, data, charts, (), (), site_root(config.settings.base_url))
    info = provenance(charts[chart_id], data, config.settings.data_as_of)
    files = render_chart_files(charts[chart_id], info, cache, code_version(), config.settings.title, chart_themes(config.settings.theme.chart))
    plan = plan_chart(chart_id)
    return snippets_for(site, plan, info, chart_sizes(files, plan))[kind]
