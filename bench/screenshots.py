"""Screenshots for review: `make screenshots` writes them into docs/screenshots/.

    python bench/screenshots.py [--site DIR] [--into DIR]

Builds the site (into a temporary folder unless --site names a built one), serves it on
127.0.0.1 and takes, with Debian's Chromium, the home page, an explainer (at its first
chart), the richest contract page and an embed pasted into a host page with its own
snippet, at 360 and 1280 px, light and dark: 16 PNGs (one screen each; the embed host page in full). Look at them
after any change to the theme, the charts or the embed page.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from generator.build import build, default_cache  # noqa: E402
from generator.chartoutputs import plan_chart  # noqa: E402
from generator.config import load_config  # noqa: E402
from support import serve_folder  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {360: 780, 1280: 900}
THEMES = ("light", "dark")
EMBED = "lane2-split"  # two panels side by side on a desktop, stacked on a phone
EXPLAINER = "explainers/launch-cadence/"
HOST = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<style>body{{font:17px/1.5 Georgia,serif;max-width:40rem;margin:0 auto;padding:0 16px;color:CanvasText;background:Canvas}}
:root{{color-scheme:light dark}}</style></head><body><h1>A partner's article</h1><p>Text of the host page, with the chart pasted in below.</p>{snippet}<p>The article goes on.</p></body></html>"""


def richest_record(out: Path, prefix: str = "contracts/") -> str:
    pages = [p for p in (out / prefix).glob("*/index.html")]
    return max(pages, key=lambda p: (p.stat().st_size, str(p))).parent.relative_to(out).as_posix() + "/"


def shoot(out: Path, into: Path, base_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    record = richest_record(out)
    oembed = json.loads((out / plan_chart(EMBED).find("meta").path).read_text())
    written = []
    with serve_folder(out) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        for width, height in WIDTHS.items():
            for theme in THEMES:
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=theme)
                page = context.new_page()
                for name, path in (("home", ""), ("explainer", EXPLAINER), ("record", record)):
                    page.goto(f"{origin}/{path}", wait_until="load")
                    if name == "explainer":
                        page.locator("figure.chart").first.scroll_into_view_if_needed()
                        page.evaluate("window.scrollBy(0, -12)")
                    page.wait_for_timeout(600)
                    written.append(into / f"{name}-{width}-{theme}.png")
                    page.screenshot(path=str(written[-1]))
                page.set_content(HOST.format(snippet=oembed["html"].replace(base_url.rstrip("/"), origin)), wait_until="load")
                page.wait_for_timeout(1200)
                written.append(into / f"embed-{width}-{theme}.png")
                page.screenshot(path=str(written[-1]), full_page=True)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build one)")
    parser.add_argument("--into", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        config = load_config(REPO, args.site or Path(scratch) / "output")
        if args.site is None:
            build(config, default_cache(config))
        for path in shoot(config.out_dir, args.into, config.settings.base_url):
            print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()
