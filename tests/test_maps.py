"""Maps: shipped basemaps, geometry simplified for the drawing, choropleths and locator maps
built from collections, and a plain Vega-Lite geoshape file with local TopoJSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.build import build, load_data_and_charts
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed

FIXTURES = Path(__file__).parent / "maps"


def county_site(make_site):
    return make_site({"site_src/charts/county.vl.json": (FIXTURES / "county.vl.json").read_text(),
                      "site_src/static/data/us-10m.json": (FIXTURES / "us-10m.json").read_bytes(),
                      "site_src/static/data/unemployment.tsv": (FIXTURES / "unemployment.tsv").read_bytes()})


def test_the_vega_lite_county_choropleth_builds_small_with_its_regions_in_the_table(make_site, tmp_path):
    root = county_site(make_site)
    build(load_config(root, tmp_path / "out"), Cache(None))
    folder = tmp_path / "out/embed/county"
    svg = (folder / "inline.svg").read_bytes()
    print(len(svg), len(gzip.compress(svg)))
    assert len(gzip.compress(svg)) < 150_000
