"""Shared: every page has valid Open Graph tags and a 1200x630 card that exists, drawn once and cached."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import copy_site
from generator import social
from generator.cache import Cache
from generator.workers import Label, Task, Workers
from test_discovery import BASE, Head, add_found_pages, build_site, html_pages, page_url

OG_REQUIRED = ("og:title", "og:description", "og:url", "og:type", "og:image", "og:image:alt", "og:image:width", "og:image:height")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Cache:
    return Cache(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def out(tmp_path_factory, cache) -> Path:
    return build_site(add_found_pages(copy_site("minimal", tmp_path_factory.mktemp("site"))), cache)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_page_has_valid_open_graph_tags_whose_image_exists(out):
    pages = [p for p in html_pages(out) if not p.startswith("embed/")]
    assert len(pages) == 13
    for path in pages:
        meta = Head((out / path).read_text()).meta
        for name in OG_REQUIRED:
            assert meta.get(name, "").strip(), f"{path}: {name}"
        assert meta["og:url"] == page_url(path)
        assert meta["og:type"] == ("article" if path.startswith("explainers/") else "website"), path
        assert meta["twitter:card"] == "summary_large_image"
        image = urlsplit(meta["og:image"])
        assert meta["og:image"].startswith(BASE) and image.path.startswith("/assets/social/"), path
        assert png_size((out / image.path.lstrip("/")).read_bytes()) == (1200, 630) == (int(meta["og:image:width"]), int(meta["og:image:height"]))
        assert meta["og:image:type"] == "image/png"


def test_each_page_has_a_card_record_pages_share_their_collections_and_none_is_orphaned(out):
    pages = [p for p in html_pages(out) if not p.startswith("embed/")]
    card_of = {p: Head((out / p).read_text()).meta["og:image"].removeprefix(BASE) for p in pages}
    on_disk = {p.relative_to(out).as_posix() for p in (out / "assets/social").iterdir()}
    assert set(card_of.values()) == on_disk
    assert card_of["contracts/lane2-spacex/index.html"] == card_of["contracts/lane2-blue-origin/index.html"]
    assert card_of["organizations/spacex/index.html"] != card_of["contracts/lane2-spacex/index.html"]
    own = [p for p in pages if not p.startswith(("contracts/", "organizations/"))]
    assert len({card_of[p] for p in own}) == len(own)


def test_an_explainer_card_draws_its_lead_chart_and_says_so(out):
    meta = Head((out / "explainers/lane2/index.html").read_text()).meta
    assert meta["og:image:alt"] == "The Lane 2 awards. Chart: Bar chart: SpaceX is expected to fly 28 missions, Blue Origin 7."
    assert "/assets/social/explainers-lane2." in meta["og:image"]
    assert Head((out / "contracts/lane2-spacex/index.html").read_text()).meta["og:image:alt"] == "Test Orbit · Contract: A minimal explainer site for tests"


def test_cards_are_an_exact_canvas_with_the_headline_and_chart_drawn(make_site):
    import xml.etree.ElementTree as ET

    from generator.build import model_site
    from generator.config import load_config

    site = model_site(load_config(make_site()), Cache(None))
    explainer = next(p for p in site.pages if p.kind == "explainer")
    card = social.card_for(site, explainer)
    svg = ET.fromstring(social.card_svg(card.recipe, social.FittedChart(blank_png(10, 10), 10, 10)))
    SVG = "{http://www.w3.org/2000/svg}"
    assert (svg.get("width"), svg.get("height"), svg.get("viewBox")) == ("1200", "630", "0 0 1200 630")
    texts = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert "The Lane 2 awards" in texts and "TEST ORBIT · EXPLAINER" in texts
    [image] = svg.iter(f"{SVG}image")
    assert image.get("{http://www.w3.org/1999/xlink}href").startswith("data:image/png;base64,")
    assert card.chart_id == "lane2-missions" and card.recipe["design"] == social._design(site, "lane2-missions")
    record = next(p for p in site.pages if p.kind == "record")
    assert social.card_for(site, record).chart_id == "" and social.card_for(site, record).recipe["description"]


def blank_png(width: int, height: int) -> bytes:
    """A white RGBA PNG of this size, as the drawing engine would return one."""
    rows = b"".join(b"\0" + b"\xff" * 4 * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + social._chunk(b"IHDR", header) + social._chunk(b"IDAT", zlib.compress(rows)) + social._chunk(b"IEND", b"")


def test_cards_sharing_a_lead_chart_share_its_raster_and_the_strip_under_their_headlines(monkeypatch):
    import xml.etree.ElementTree as ET

    drawn: list[tuple[str, float]] = []

    class Engine:  # records what is rasterised: the chart at its fitted size, each card's own rows, the shared strips
        def svg_to_png(self, svg: str, scale: float = 1.0) -> bytes:
            drawn.append((svg, scale))
            width, height = social.svg_size(svg.encode())
            return blank_png(round(width * scale), round(height * scale))

    monkeypatch.setattr(social, "drawing_engine", Engine)
    social._rasterised.cache_clear()
    social._shared_strip.cache_clear()
    chart = b'<svg xmlns="http://www.w3.org/2000/svg" width="536" height="150"></svg>'
    words = {"kicker": "K", "description": "", "footer": "x.org", "sources": "Sources: A"}

    def kinds() -> list[str]:
        return ["chart" if svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"536\"") else "own" if 'viewBox="0 0 ' in svg else "shared"
                for svg, _ in drawn]

    for headline in ("One short headline", "Another short one", "A third"):
        assert png_size(social.draw_card(words | {"headline": headline}, chart)) == (1200, 630)
    assert sorted(kinds()) == ["chart", "own", "own", "own", "shared"]  # the chart and the strip under it once for three cards
    assert next(scale for svg, scale in drawn if svg == chart.decode()) == 2.0  # the box is 1072 px wide, the chart 536
    box = social.chart_box(words | {"headline": "A third"})
    shared = next(svg for (svg, _), kind in zip(drawn, kinds()) if kind == "shared")
    assert f'viewBox="0 {box.y} 1200 {630 - box.y}"' in shared
    [image] = ET.fromstring(shared).iter("{http://www.w3.org/2000/svg}image")
    assert (image.get("x"), image.get("y"), image.get("width"), image.get("height")) == (str(box.x), str(box.y), "1072", "300")
    social.draw_card(words | {"headline": "word " * 30}, chart)  # two lines: a lower box and its own strip; the width still sets the scale
    assert kinds().count("chart") == 1 and kinds().count("shared") == 2
    social.draw_card(words | {"headline": "word " * 30}, chart.replace(b'"150"', b'"200"'))  # a taller chart: its height does
    assert kinds().count("chart") == 2 and drawn[-2][1] < 2.0


def _card_both_ways(words: dict, chart_svg: bytes) -> tuple[bytes, bytes]:
    """In a worker: a chart card drawn whole, and drawn as its own rows over the shared strip."""
    box = social.chart_box(words)
    return social._draw(social.card_svg(words, social._fitted(chart_svg, box.width, box.height))), social.draw_card(words, chart_svg)


def test_a_chart_card_drawn_as_two_strips_has_the_pixels_of_the_whole_card(out):
    from test_textpaths import pixels

    chart = (out / "embed/lane2-missions/inline.svg").read_bytes()
    words = {"kicker": "TEST ORBIT · EXPLAINER", "description": "", "footer": "example.org", "sources": "Sources: Example Wire"}
    cards = [words | {"headline": "The Lane 2 awards"}, words | {"headline": "A headline long enough to need a second line on the card " * 2}]
    with Workers(jobs=1) as workers:  # vl-convert runs only in worker processes
        drawn = workers.map([Task(_card_both_ways, (card, chart), Label("drawing", "drawing", "test")) for card in cards])
    for whole, stacked in drawn:
        assert png_size(stacked) == (1200, 630) and pixels(stacked) == pixels(whole)


def test_card_text_is_escaped_and_drawn_as_text():
    import xml.etree.ElementTree as ET

    recipe = {"headline": "</text><script>x</script> & y", "kicker": "K", "description": "<b>not bold</b>", "footer": "x.org", "sources": ""}
    svg = ET.fromstring(social.card_svg(recipe, None))
    assert not list(svg.iter("{http://www.w3.org/2000/svg}script"))
    assert any("</text><script>x</script> & y" == "".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    with Workers(jobs=1) as workers:  # vl-convert runs only in worker processes
        png = workers.map([Task(social.draw_card, (recipe, None), Label("drawing", "drawing", "test"))])[0]
    assert png_size(png) == (1200, 630)


def test_a_long_headline_is_wrapped_and_cut_to_fit():
    size, lines = social._fit("word " * 60, max_lines=2)
    assert size == 42 and len(lines) == 2 and lines[-1].endswith("…")
    assert social._fit("Short", max_lines=2) == (60, ["Short"])


def test_cards_are_drawn_once_then_read_from_the_cache(make_site, tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    root = add_found_pages(make_site())
    build_site(root, cache)
    log = tmp_path / "drawn.txt"  # cards are drawn in forked workers: they tell the test through a file

    def draw(words: dict, chart_svg) -> bytes:
        with log.open("a") as written:
            written.write(words["headline"] + "\n")
        return b""

    monkeypatch.setattr(social, "_card_png", draw)
    build_site(root, cache)
    assert not log.exists()
    explainer = root / "site_src/explainers/lane2.md"
    explainer.write_text(explainer.read_text().replace("title: The Lane 2 awards", "title: The Lane 2 awards, explained"))
    build_site(root, cache)
    drawn = log.read_text().splitlines()
    assert drawn == ["The Lane 2 awards, explained"]  # only the card whose headline changed


def test_smaller_png_keeps_every_pixel(out):
    card = next((out / "assets/social").iterdir()).read_bytes()

    def pixels(png: bytes) -> bytes:
        at, data = 8, b""
        while at < len(png):
            (length,) = struct.unpack(">I", png[at:at + 4])
            kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + length]
            assert struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body)
            data += body if kind == b"IDAT" else b""
            at += 12 + length
        return zlib.decompress(data)

    again = social.smaller_png(card)
    assert pixels(again) == pixels(card) and len(again) <= len(card)


def test_with_social_cards_off_every_page_shares_the_sites_card(tmp_path, cache):
    root = copy_site("minimal", tmp_path / "site")
    settings = root / "site_src/site.yaml"
    settings.write_text(settings.read_text() + "social_cards: false\n")
    out = build_site(root, cache)
    cards = {Head((out / p).read_text()).meta["og:image"].removeprefix(BASE) for p in html_pages(out) if not p.startswith("embed/")}
    assert len(cards) == 1 and next(iter(cards)).startswith("assets/social/site.")
    assert [p.name for p in (out / "assets/social").iterdir()] == [next(iter(cards)).rpartition("/")[2]]
