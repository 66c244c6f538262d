"""Machine-readable views of the site: JSON-LD per page and the chart manifest."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from .cache import sha256_of
from .chartfiles import ChartProvenance

if TYPE_CHECKING:
    from .artifacts import Artifacts
    from .site import Page, Site

def page_json_ld(site: "Site", page: "Page", card_url: str) -> Markup:
    """A <script type="application/ld+json"> body for the page (`card_url`: its social card), escaped for HTML."""
    from .render import json_for_script

    items = [_breadcrumbs(site, page)]
    if page.kind == "explainer":
        items.append(_news_article(site, page, card_url))
    return json_for_script(items if len(items) > 1 else items[0])


def _news_article(site: "Site", page: "Page", card_url: str) -> dict:
    meta = page.explainer.meta
    author = meta.author or site.settings.author
    return {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": meta.title, "description": meta.summary,
        "datePublished": meta.date.isoformat(), "dateModified": (meta.updated or meta.date).isoformat(),
        "author": {"@type": "Organization", "name": author},
        "publisher": {"@type": "Organization", "name": site.settings.publisher or site.settings.title},
        "mainEntityOfPage": site.absolute(page.url), "inLanguage": site.settings.language,
        "image": [card_url],  # the page's 1200x630 social card (generator/social.py)
    }


def _breadcrumbs(site: "Site", page: "Page") -> dict:
    crumbs = [("Home", "")]
    if page.url:
        crumbs.append((page.title, page.url))
    return {
        "@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": i + 1, "name": name, "item": site.absolute(url)} for i, (name, url) in enumerate(crumbs)],
    }


def manifest(site: "Site", chart_info: dict[str, ChartProvenance], outputs: "Artifacts") -> bytes:
    """embed/charts.json: every chart with its provenance, the URL of each file every chart gets
    (not the optional ones: a partner can count on each), and a content hash."""
    charts = []
    for chart_id, spec in site.charts.items():
        listed = sorted((f for f in site.chart_plan(chart_id) if not f.optional), key=lambda f: f.name)
        files = {f.name: site.absolute(f.path) for f in listed}
        # A hash over the files' own hashes (known for files from the cache): same change detection, no rehashing.
        # Not the embed page's: a change of the site's theme or wording is not a change of the chart.
        digest = hashlib.sha256("".join(sha256_of(outputs.get(f.path, b"")) for f in listed if f.role != "embed").encode()).hexdigest()
        info = chart_info[chart_id]
        sources = [{"id": s, "outlet": site.data.source(s).outlet, "title": site.data.source(s).title, "url": site.data.source(s).url,
                    "date": site.data.source(s).date.isoformat()} for s in spec.sources]
        charts.append({"id": chart_id, "title": info.title, "description": info.description, "as_of": info.as_of,
                       "sources": sources, "urls": files, "content_hash": digest})
    document = {"site": site.settings.title, "base_url": site.settings.base_url, "charts": charts}
    return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()
