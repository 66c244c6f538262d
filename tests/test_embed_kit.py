"""Every chart of the real site travels with its provenance: images, data, spec, manifest."""

from __future__ import annotations

import csv
import io
import json
import struct
from html import unescape as html_unescape

import pytest

from generator.build import build, model_site
from generator.cache import Cache
from generator.chartfiles import chart_rows, provenance
from generator.chartrows import chart_table
from generator.config import load_config
from support import REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    config = load_config(REPO, out)
    build(config, Cache(REPO / ".cache"))
    return out, model_site(config, Cache(REPO / ".cache"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_every_exported_image_is_valid_and_carries_title_source_and_date(built):
    out, site = built
    for chart_id, spec in site.charts.items():
        info = provenance(spec, site.data, site.settings.data_as_of)
        folder = out / "embed" / chart_id
        for theme in ("", "-dark"):
            svg = (folder / f"chart{theme}.svg").read_text()
            assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>"), chart_id
            first_outlet = site.data.source(spec.sources[0]).outlet
            for text in ("Sources:", "Data as of", "Contested Orbit"):
                assert text in svg, (chart_id, text)
            assert first_outlet.split(" ")[0] in svg, (chart_id, first_outlet)
            one, two = png_size((folder / f"chart{theme}.png").read_bytes()), png_size((folder / f"chart{theme}@2x.png").read_bytes())
            assert two == (one[0] * 2, one[1] * 2), chart_id
        assert info.title and info.description


def test_every_csv_has_exactly_the_rows_the_chart_draws(built):
    out, site = built
    for chart_id, spec in site.charts.items():
        raw = (out / "embed" / chart_id / "data.csv").read_bytes()
        rows = list(csv.DictReader(io.StringIO(raw.decode(), newline="")))
        header = ",".join(chart_table(spec.spec).columns).encode()
        assert raw.startswith(header + b"\r\n") and raw.endswith(b"\r\n"), chart_id  # the header first, CRLF line ends
        assert len(rows) == len(chart_rows(spec.spec)), chart_id
        data = json.loads((out / "embed" / chart_id / "data.json").read_text())
        assert len(data["rows"]) == len(rows) and data["sources"].startswith("Sources: ")


def test_the_manifest_lists_every_chart_and_every_url_resolves(built):
    out, site = built
    manifest = json.loads((out / "embed/charts.json").read_text())
    assert sorted(c["id"] for c in manifest["charts"]) == sorted(site.charts)
    base = site.settings.base_url
    for entry in manifest["charts"]:
        assert entry["sources"] and entry["as_of"] and len(entry["content_hash"]) == 64
        for url in entry["urls"].values():
            assert url.startswith(base) and (out / url.removeprefix(base)).is_file(), url


def test_every_chart_on_a_page_offers_the_embed_kit(built):
    out, site = built
    for explainer in site.explainers:
        html = (out / "explainers" / explainer.slug / "index.html").read_text()
        for placed in explainer.charts:
            chart_id = placed.spec.chart_id
            assert f'id="snippet-{chart_id}-iframe"' in html and f'id="snippet-{chart_id}-newsletter"' in html
            assert f'href="/embed/{chart_id}/data.csv"' in html and f'href="/embed/{chart_id}/chart.vl.json"' in html


def test_oembed_documents_are_discoverable(built):
    out, site = built
    for chart_id in site.charts:
        page = (out / "embed" / chart_id / "index.html").read_text()
        assert f'<link rel="alternate" type="application/json+oembed" href="{site.absolute(f"embed/{chart_id}/oembed.json")}"' in page
        oembed = json.loads((out / "embed" / chart_id / "oembed.json").read_text())
        assert oembed["type"] == "rich" and "<iframe" in oembed["html"]


def test_newsletters_get_the_phone_image_at_its_own_size(built):
    """Mail is read in 320-600 px columns: the desktop PNG shrank its labels to ~5 px there.
    Every chart with a narrow drawing gives newsletters its phone-wide PNG, and the snippet
    (in the page's kit and from `explainer embed --format newsletter`) states that PNG's size."""
    out, site = built
    checked = 0
    for explainer in site.explainers:
        html = (out / "explainers" / explainer.slug / "index.html").read_text()
        for placed in explainer.charts:
            chart_id = placed.spec.chart_id
            folder = out / "embed" / chart_id
            if not (folder / "inline-narrow.svg").read_bytes() != (folder / "inline.svg").read_bytes():
                continue  # no narrow drawing: the desktop image is the only one
            checked += 1
            width, height = png_size((folder / "chart-narrow.png").read_bytes())
            assert width <= 360 - 8 and png_size((folder / "chart-narrow@2x.png").read_bytes()) == (2 * width, 2 * height), chart_id
            snippet = html[html.index(f'id="snippet-{chart_id}-newsletter"'):]
            snippet = snippet[:snippet.index("</textarea>")]
            snippet = html_unescape(snippet)
            assert f'/embed/{chart_id}/chart-narrow.png" srcset="' in snippet and f'width="{width}" height="{height}"' in snippet, chart_id
    assert checked >= 10


def test_export_images_wrap_long_source_lines_to_the_chart_width(built):
    """A chart citing many sources drew its source line on one line: a PNG thousands of px wide."""
    out, site = built
    for chart_id in site.charts:
        inline = png_size((out / "embed" / chart_id / "chart.png").read_bytes())[0]
        drawn = int(json.loads((out / "embed" / chart_id / "oembed.json").read_text())["thumbnail_width"])
        assert inline == drawn and inline <= 800, (chart_id, inline)
