"""Preview how charts are laid out on a phone, without a full build.

    python bench/narrow_preview.py [CHART_ID ...]

For each chart (all if none named) prints its wide and narrow drawing sizes and
smallest text, and whether a phone gets the narrow drawing or the wide one
scrolling sideways; writes both drawings as PNG into bench/narrow-preview/ to
look at. Run it from the project folder; drawings come from the build cache.
"""

from __future__ import annotations

import sys
from pathlib import Path

import vl_convert

from generator.build import default_cache, load_data_and_charts
from generator.chartfiles import chart_sizes, provenance, render_chart_files, smallest_text
from generator.chartoutputs import plan_chart
from generator.config import load_config
from generator.inputs import code_version
from generator.themes import chart_themes

OUT = Path("bench/narrow-preview")


def main(chart_ids: list[str]) -> int:
    config = load_config(Path("."))
    cache = default_cache(config)
    data, charts = load_data_and_charts(config, cache)
    themes = chart_themes(config.settings.theme.chart)
    OUT.mkdir(exist_ok=True)
    for chart_id in chart_ids or sorted(charts):
        info = provenance(charts[chart_id], data, config.settings.data_as_of)
        files = render_chart_files(charts[chart_id], info, cache, code_version(), config.settings.title, themes)
        print(report(chart_id, files))
    return 0


def report(chart_id: str, files: dict[str, bytes]) -> str:
    plan = plan_chart(chart_id)
    sizes = chart_sizes(files, plan)
    drawings = {layout: files[plan.find("page", layout, "light").path] for layout in ("wide", "narrow")}
    for layout, svg in drawings.items():
        (OUT / f"{chart_id}-{layout}.png").write_bytes(vl_convert.svg_to_png(svg.decode()))
    texts = [smallest_text(svg) for svg in drawings.values()]
    phone = "scrolls sideways (wide drawing)" if sizes.scrolls else "narrow drawing" if sizes.has_narrow else "wide drawing fits"
    return f"{chart_id}: wide {sizes.wide} text {texts[0]:g} px · narrow {sizes.narrow} text {texts[1]:g} px · phone: {phone}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
