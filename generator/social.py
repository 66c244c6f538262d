"""Social cards: one 1200x630 PNG per page, drawn at build time by vl-convert.

A page with a lead chart gets that chart under its headline; any other page
gets a text card. Each card is a Vega-Lite spec whose inputs (headline, words,
chart spec, theme) hash to its file name, so the URL is known before anything
is drawn (templates and JSON-LD need it) and changes whenever what the card
shows does; with the tool versions they hash to its cache key. Cards are drawn in
worker processes (workers.py), on every core.
"""

from __future__ import annotations

import base64
import functools
import html
import hashlib
import json
import struct
import textwrap
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Optional
from urllib.parse import urlparse

from .cache import Cache
from .chartfiles import png_size, svg_size
from .errors import BuildFailed
from .inputs import code_version
from .pngstrips import Strip, shared_strip, stacked
from .progress import NO_PROGRESS, Progress
from .textpaths import outlined
from .themes import chart_themes
from .typefaces import SANS_STACK, SERIF_STACK
from .workers import DEFAULT_TIMEOUT, Label, Task, Workers, borrowed, drawing_engine

if TYPE_CHECKING:
    from .site import Page, Site

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
HEADLINE_TOP = 112  # px: the top of a card's headline
SERIF = SERIF_STACK  # our own faces (typefaces.py), so a card looks the same from any machine
SANS = SANS_STACK
ACCENT = "#0b5cad"
ALT_CHARS = 420  # the most alt text X/Twitter keeps
KINDS = {"explainer": "Explainer", "home": "", "404": "", "page": "", "standalone": ""}


@dataclass(frozen=True)
class Card:
    """Where a page's card is, what it shows, and what it is made from."""

    path: str
    url: str
    alt: str
    chart_id: str
    recipe: dict
    key: str
    width: int = WIDTH
    height: int = HEIGHT


class Cards:
    """Every page's card, each distinct card worked out once: at 10,000 pages sharing the
    site's card, hashing its recipe per page (three times a page) cost more than the page's HTML."""

    def __init__(self, site: "Site"):
        self.site = site
        self._made: dict[tuple, Card] = {}
        self._designs: dict[Optional[str], str] = {}  # lead chart id -> _design(), once per chart

    def _design(self, chart_id: Optional[str]) -> str:
        if chart_id not in self._designs:
            self._designs[chart_id] = _design(self.site, chart_id)
        return self._designs[chart_id]

    def of(self, page: "Page") -> Card:
        """The card of one page (nothing is drawn here)."""
        inputs = _card_inputs(self.site, page)
        card = self._made.get(inputs)
        if card is None:
            card = self._made[inputs] = _card(self.site, *inputs, self._design(inputs[4]))
        return card

    def render(self, chart_svgs: Mapping[str, bytes], cache: Cache, workers: Optional[Workers] = None,
               progress: Progress = NO_PROGRESS) -> dict[str, bytes]:
        """Every page's card as {output path: PNG bytes}, drawn from each chart's static SVG
        (`chart_svgs`, by chart id) only on a cache miss, in worker processes (`workers`, or
        a pool made for this call)."""
        cards: dict[str, tuple[Card, Page]] = {}
        for page in self.site.pages:
            card = self.of(page)
            cards.setdefault(card.path, (card, page))
        files = {path: cache.get_bytes("social-cards", card.key) for path, (card, _) in cards.items()}
        missing = [cards[path] for path, png in files.items() if png is None]
        if not missing:
            return files
        tasks = [Task(draw_card, (_words(card.recipe), chart_svgs.get(card.chart_id) if card.chart_id else None), _drawing(card, page),
                      floor=DEFAULT_TIMEOUT)
                 for card, page in missing]
        with borrowed(workers) as pool:
            drawn = pool.map(tasks, progress)
        problems = [problem for png in drawn if isinstance(png, BuildFailed) for problem in png.problems]
        if problems:
            raise BuildFailed(problems)
        for (card, _), png in zip(missing, drawn):
            cache.put_bytes("social-cards", card.key, png)
            files[card.path] = png
        return files


def _drawing(card: Card, page: "Page") -> Label:
    shown, _, line = page.shown.partition(":")
    return Label(f"drawing the social card {card.path}", f"drawing the social card {card.path}", shown, int(line or 0), engine="the drawing engine")


def card_for(site: "Site", page: "Page") -> Card:
    """The card of one page, worked out afresh (use `Cards` for many pages)."""
    inputs = _card_inputs(site, page)
    return _card(site, *inputs, _design(site, inputs[4]))


def _card_inputs(site: "Site", page: "Page") -> tuple[str, str, str, str, Optional[str], bool]:
    """What a page's card depends on: (slug, headline, kind, description, chart id, shared)."""
    chart_id = _lead_chart(site, page)
    # Records share one card per collection (drawing one costs ~0.3 s); with social_cards
    # off, every page shares the site's card.
    per_page = site.settings.social_cards
    shared = page.kind == "record" or not per_page
    if not per_page:
        chart_id = None
    headline = site.settings.tagline if (page.kind == "home" or shared) and site.settings.tagline else page.title
    kind = KINDS.get(page.kind, "") or (site.data.schema.collections[page.collection].item if page.kind == "record" else "")
    kind = kind if per_page else ""
    description = "" if chart_id else (site.settings.description if shared else page.description)
    slug = (page.collection if per_page else "site") if shared else page.url.strip("/").replace("/", "-").removesuffix(".html") or "home"
    return slug, headline, kind, description, chart_id, shared


def _design(site: "Site", chart_id: Optional[str]) -> str:
    """A digest of what a card is drawn with besides its words: its lead chart's spec and the
    chart theme. Hashed once per chart, not once per card: at 1,000 cards, serialising the
    chart spec into every card's recipe cost a second."""
    drawn_with = {"chart": site.charts[chart_id].spec if chart_id else None, "theme": chart_themes(site.settings.theme.chart)["light"].config}
    return hashlib.sha256(json.dumps(drawn_with, sort_keys=True, default=str).encode()).hexdigest()


def _card(site: "Site", slug: str, headline: str, kind: str, description: str, chart_id: Optional[str], shared: bool, design: str) -> Card:
    recipe = {
        "headline": headline,
        "kicker": " · ".join(part for part in (site.settings.title.upper(), kind.upper()) if part),
        "description": description,
        "footer": urlparse(site.settings.base_url).netloc,
        "sources": _source_line(site, chart_id),
        "design": design,
        "versions": code_version(),
    }
    key = hashlib.sha256(json.dumps(recipe, sort_keys=True, default=str).encode()).hexdigest()
    # The name hashes what the card shows, not the tool versions, so a Python or vl-convert
    # upgrade redraws cards (the cache key has the versions) without renaming every og:image.
    shown = {name: value for name, value in recipe.items() if name != "versions"}
    name = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()
    path = f"assets/social/{slug}.{name[:12]}.png"
    alt = textwrap.shorten(f"{headline}. Chart: {site.charts[chart_id].description}", ALT_CHARS, placeholder=" …") if chart_id else f"{site.settings.title}{' · ' + kind if kind and shared else ''}: {headline}"
    return Card(path, site.absolute(path), alt, chart_id or "", recipe, key)


def draw_card(words: dict, chart_svg: Optional[bytes]) -> bytes:
    """In a worker: a card's PNG, from its words and its lead chart's drawing (if any)."""
    return _card_png(words, chart_svg)


def _card_png(words: dict, chart_svg: Optional[bytes]) -> bytes:
    if chart_svg is None:
        return _draw(card_svg(words, None))
    box = chart_box(words)
    top = _document(_top_parts(words, 2), 0, box.y)
    return stacked(drawing_engine().svg_to_png(outlined(top)), _shared_strip(chart_svg, box, words["sources"], words["footer"]))


def _draw(svg: str) -> bytes:
    return smaller_png(drawing_engine().svg_to_png(outlined(svg)))  # text as outlines: textpaths.py says why


@functools.lru_cache(maxsize=16)
def _shared_strip(chart_svg: bytes, box: "Box", sources: str, footer: str) -> Strip:
    """What every card of one lead chart has under its headline (the chart and the footer),
    drawn once per worker for each height a headline leaves it (one line or two)."""
    chart = _fitted(chart_svg, box.width, box.height)
    bottom = _document(_bottom_parts({"sources": sources, "footer": footer}, chart, box), box.y, HEIGHT - box.y)
    return shared_strip(drawing_engine().svg_to_png(outlined(bottom)))


def _words(recipe: dict) -> dict:
    """What a worker needs of a recipe to lay a card out: its text, not the chart spec or theme."""
    return {name: recipe[name] for name in ("headline", "kicker", "description", "footer", "sources")}


@dataclass(frozen=True)
class Box:
    """Where a card's chart goes: the space under the headline, above the footer."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class FittedChart:
    """A chart rasterised at the size it has on a card, so the card composes pixels, not a second SVG."""

    png: bytes
    width: int
    height: int


def chart_box(words: dict) -> Box:
    """The chart's space on a card with these words (the headline's lines set its top)."""
    size, lines = _fit(words["headline"], max_lines=2)
    below = HEADLINE_TOP + round(size * 1.15) * len(lines) + 20
    return Box(MARGIN, below, WIDTH - 2 * MARGIN, HEIGHT - 72 - below)


def _fitted(chart_svg: bytes, width: int, height: int) -> FittedChart:
    """The chart drawn to fit `width` x `height`, its aspect kept."""
    drawn_width, drawn_height = svg_size(chart_svg)
    return _rasterised(chart_svg, min(width / drawn_width, height / drawn_height))


@functools.lru_cache(maxsize=64)
def _rasterised(chart_svg: bytes, scale: float) -> FittedChart:
    """The chart at `scale`, once per worker for every card that shows it so: cards sharing a lead
    chart share this work (their boxes differ only with the headline's lines, and the width
    usually sets the scale), and a card costs one raster of its own text, not the chart's again."""
    png = drawing_engine().svg_to_png(outlined(chart_svg.decode()), scale=scale)
    return FittedChart(png, *png_size(png))


def smaller_png(png: bytes) -> bytes:
    """The same pixels with the image data deflated again at zlib's default level: a card shrinks to
    about a third. Level 9 would save 1 % more bytes for five times the time (46 ms a card, more than
    drawing it)."""
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        chunks.append((png[at + 4:at + 8], png[at + 8:at + 8 + length]))
        at += 12 + length
    data = zlib.compress(zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT")), 6)
    kept = [(kind, body) for kind, body in chunks if kind not in (b"IDAT", b"IEND")]
    out = png[:8] + b"".join(_chunk(kind, body) for kind, body in kept)
    return out + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def card_svg(words: dict, chart: Optional[FittedChart]) -> str:
    """A card as SVG: an exact 1200x630 canvas of text lines laid out here and the chart image.

    Drawn with resvg (vl-convert's svg_to_png), not through Vega: the layout is ours anyway,
    and starting Vega's JavaScript runtime costs about 0.4 s a build, more than the rest of a
    100-page build. A card with a chart is drawn as two strips (pngstrips.py): the rows above
    the chart's box, its own; the rest, shared with every card of that chart.
    """
    if chart:
        return _document(_top_parts(words, 2) + _bottom_parts(words, chart, chart_box(words)), 0, HEIGHT)
    size, lines = _fit(words["headline"], max_lines=4)
    below = HEADLINE_TOP + round(size * 1.15) * len(lines) + 20
    parts = _top_parts(words, 4)
    if words["description"]:
        wrapped = textwrap.wrap(words["description"], 70, max_lines=4, placeholder=" …")
        parts.append(_svg_text(wrapped, below + 8, SANS, 28, "#4a5260", line_height=38))
    return _document(parts + _footer_parts(words), 0, HEIGHT)


def _top_parts(words: dict, max_lines: int) -> list[str]:
    """The background, the accent rule, the kicker and the headline."""
    size, lines = _fit(words["headline"], max_lines=max_lines)
    return [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>', f'<rect width="{WIDTH}" height="10" fill="{ACCENT}"/>',
            _svg_text([words["kicker"]], 56, SANS, 22, "#4a5260", weight="bold"),
            _svg_text(lines, HEADLINE_TOP, SERIF, size, "#16191d", weight="bold", line_height=round(size * 1.15))]


def _bottom_parts(words: dict, chart: FittedChart, box: Box) -> list[str]:
    """The background, the chart in its box, and the footer."""
    uri = "data:image/png;base64," + base64.b64encode(chart.png).decode()
    return [f'<rect y="{box.y}" width="{WIDTH}" height="{HEIGHT - box.y}" fill="#ffffff"/>',
            f'<image x="{box.x + (box.width - chart.width) // 2}" y="{box.y}" width="{chart.width}" height="{chart.height}" xlink:href="{uri}"/>',
            *_footer_parts(words)]


def _footer_parts(words: dict) -> list[str]:
    """The sources (or the site's address) bottom left, and the address bottom right when sources are shown."""
    footer = words["sources"] or words["footer"]
    limit = WIDTH - 2 * MARGIN - (300 if words["sources"] else 0)
    parts = [_svg_text([textwrap.shorten(footer, int(limit / (20 * 0.5)), placeholder=" …")], HEIGHT - 48, SANS, 20, "#4a5260")]
    if words["sources"]:
        parts.append(_svg_text([words["footer"]], HEIGHT - 48, SANS, 20, "#4a5260", anchor="end", x=WIDTH - MARGIN))
    return parts


def _document(parts: list[str], top: int, height: int) -> str:
    """The rows `top` to `top + height` of a card drawn from `parts`."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" height="{height}" '
            f'viewBox="0 {top} {WIDTH} {height}">' + "".join(parts) + "</svg>")


def _fit(headline: str, max_lines: int) -> tuple[int, list[str]]:
    """The largest headline size (and its lines) that fits in `max_lines`; the last line cut if none does."""
    for size in (60, 54, 48, 42):
        chars = int((WIDTH - 2 * MARGIN) / (size * 0.52))
        lines = textwrap.wrap(headline, chars)
        if len(lines) <= max_lines:
            return size, lines
    lines = textwrap.wrap(headline, chars)
    return 42, lines[: max_lines - 1] + [textwrap.shorten(" ".join(lines[max_lines - 1:]), chars, placeholder=" …")]


def _svg_text(lines: list[str], top: int, font: str, size: int, color: str, weight: str = "normal", line_height: int = 0,
              anchor: str = "start", x: int = MARGIN) -> str:
    """Lines of text whose first line's top is at `top` (the baseline sits 0.79 em lower, as Vega places it)."""
    spans = "".join(f'<tspan x="{x}" {"y" if i == 0 else "dy"}="{top + round(0.79 * size) if i == 0 else line_height}">{html.escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text font-family="{html.escape(font)}" font-size="{size}" font-weight="{weight}" fill="{color}" '
            f'text-anchor="{anchor}">{spans}</text>')


def _lead_chart(site: "Site", page: "Page") -> Optional[str]:
    chart_id = page.explainer.meta.lead_chart if page.explainer is not None else None
    return chart_id if chart_id in site.charts else None


def _source_line(site: "Site", chart_id: Optional[str]) -> str:
    if not chart_id:
        return ""
    outlets = dict.fromkeys(site.data.source(s).outlet for s in site.charts[chart_id].sources)
    return "Sources: " + "; ".join(outlets)

