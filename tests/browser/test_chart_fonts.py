"""A static chart SVG shown through <img> draws its text in the face it carries, under the site's CSP.

Page fonts never reach an SVG shown as an image, and a reader's machine rarely has ours,
so each SVG embeds a subset (typefaces.with_embedded_fonts). Here an SVG names our family
with `monospace` after it: drawn in ours, its thin letters are far narrower than the
monospace fallback a copy without the embedded face gets. Both are served with
netlify.toml's headers (font-src 'self'), and the page records every CSP violation.
"""

from __future__ import annotations

import functools
from pathlib import Path

from fontTools.ttLib import TTFont

from generator import typefaces
from generator.headers import headers_file
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, serve_http

TEXT, SIZE = "illi illi illi", 40
SVG = (f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><rect width="400" height="60" fill="#fff"/>'
       f'<text x="10" y="45" font-family="Explainer Sans, monospace" font-size="{SIZE}" fill="#000">{TEXT}</text></svg>')

INK_WIDTH = """
async (id) => {
  const img = document.getElementById(id);
  if (!img.complete) await new Promise((done) => img.addEventListener("load", done, { once: true }));
  await new Promise((done) => setTimeout(done, 300));
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let left = canvas.width, right = -1;
  for (let x = 0; x < canvas.width; x++)
    for (let y = 0; y < canvas.height; y++)
      if (pixels[(y * canvas.width + x) * 4] < 128) { left = Math.min(left, x); right = Math.max(right, x); }
  return right - left + 1;
}
"""

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def advance_width(text: str) -> float:
    font = TTFont(typefaces.FONT_DIR / "ExplainerSans-Regular.ttf")
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    return sum(metrics[cmap[ord(c)]][0] for c in text) * SIZE / font["head"].unitsPerEm


def test_an_svg_image_draws_in_the_face_it_carries_under_the_sites_csp(browser, tmp_path: Path):
    folder = tmp_path / "explainers" / "fonts"
    folder.mkdir(parents=True)
    (folder / "embedded.svg").write_text(typefaces.with_embedded_fonts(SVG))
    (folder / "plain.svg").write_text(SVG)
    (folder / "index.html").write_text('<!doctype html><html lang="en"><meta charset="utf-8"><title>Fonts</title>'
                                       '<img id="embedded" src="embedded.svg" alt=""><img id="plain" src="plain.svg" alt=""></html>')
    messages: list[str] = []
    # The headers a build would publish for this page (its _headers file), with netlify.toml's.
    (tmp_path / "_headers").write_bytes(headers_file(["explainers/fonts/index.html"]))
    handler = functools.partial(NetlifyHandler, directory=str(tmp_path), headers=NetlifyHeaders.of(tmp_path, REPO / "netlify.toml"))
    with serve_http(handler) as origin:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.add_init_script(RECORD_VIOLATIONS)
            page.on("console", lambda message: messages.append(message.text))
            page.goto(f"{origin}/explainers/fonts/", wait_until="load")
            embedded, plain = page.evaluate(INK_WIDTH, "embedded"), page.evaluate(INK_WIDTH, "plain")
            violations = page.evaluate("window.__csp")
        finally:
            context.close()
    expected = advance_width(TEXT)  # ink is a little narrower than the advances (side bearings)
    assert expected - 12 <= embedded <= expected, (embedded, expected)
    assert plain > expected * 1.5, (plain, expected)  # the control: without the face, monospace
    assert violations == [] and not [m for m in messages if "Content Security Policy" in m]
