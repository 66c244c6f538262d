"""The fonts charts, social cards and pages are drawn in, shipped with the package.

Charts are laid out by measuring their text, so whichever fonts the build machine
happens to have would change the drawings, the narrow layouts and every PNG. The
package therefore carries its own faces (Liberation Sans and Serif 2.1.5, SIL OFL
1.1, renamed "Explainer Sans" and "Explainer Serif": see fonts/README.md) and
registers them with vl-convert before it draws anything. Their own family names
keep a system copy of Liberation (another version, other glyphs) from ever
being picked instead. Pages serve the same faces as WOFF2 subsets, and every
static SVG carries a subset of the faces its text uses, so a reader sees the text
in the font it was measured in.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Iterable, Mapping, Optional

FONT_DIR = Path(__file__).parent / "fonts"
SANS = "Explainer Sans"
SERIF = "Explainer Serif"
# What the drawings and pages ask for: ours first; the metric-compatible families after it
# keep line lengths if a reader's browser cannot load ours.
SANS_STACK = f"{SANS}, Liberation Sans, Arial, Helvetica, sans-serif"
SERIF_STACK = f"{SERIF}, Liberation Serif, Times New Roman, serif"


@dataclass(frozen=True)
class Face:
    family: str
    stem: str  # file name without suffix, in fonts/ (.ttf) and theme/assets/fonts/ (-RANGE.woff2)
    weight: int
    style: str  # "normal" or "italic"
    web: bool  # served to pages as WOFF2


FACES = (
    Face(SANS, "ExplainerSans-Regular", 400, "normal", True),
    Face(SANS, "ExplainerSans-Bold", 700, "normal", True),
    Face(SANS, "ExplainerSans-Italic", 400, "italic", True),
    Face(SANS, "ExplainerSans-BoldItalic", 700, "italic", False),
    Face(SERIF, "ExplainerSerif-Regular", 400, "normal", True),
    Face(SERIF, "ExplainerSerif-Bold", 700, "normal", True),
    Face(SERIF, "ExplainerSerif-Italic", 400, "italic", True),
    Face(SERIF, "ExplainerSerif-BoldItalic", 700, "italic", False),
)

# The page subsets: a browser downloads only those whose range the page's text uses.
WEB_RANGES = {
    "latin": "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F, U+20AC, U+2122, "
             "U+2190-2199, U+2212, U+2215, U+FEFF, U+FFFD",
    "latin-ext": "U+0100-024F, U+0259, U+1E00-1EFF, U+2020, U+20A0-20AB, U+20AD-20CF, U+2113, U+2C60-2C7F, U+A720-A7FF",
    "greek": "U+0370-03FF, U+1F00-1FFF",
    "cyrillic": "U+0400-052F, U+1C80-1C88, U+2116, U+2DE0-2DFF, U+A640-A69F, U+FE2E-FE2F",
}


def web_font_name(face: Face, subset: str) -> str:
    """The theme asset a face's subset is served as (theme/assets/fonts/…)."""
    return f"fonts/{face.stem}-{subset}.woff2"


def font_faces_css(url_of) -> str:
    """@font-face rules for every served subset; `url_of(asset name)` gives its URL."""
    rules = []
    for face in FACES:
        for subset, unicode_range in WEB_RANGES.items() if face.web else ():
            rules.append(f'@font-face {{ font-family: "{face.family}"; font-style: {face.style}; font-weight: {face.weight}; '
                         f'font-display: swap; src: url("{url_of(web_font_name(face, subset))}") format("woff2"); '
                         f"unicode-range: {unicode_range}; }}\n")
    return "".join(rules)


def converter() -> ModuleType:
    """vl_convert with our fonts registered; called once per worker process (workers._started_engine)."""
    import vl_convert  # imported only when something is drawn: it is the slow step

    _register(vl_convert)
    return vl_convert


@functools.cache
def _register(vl_convert: ModuleType) -> None:
    # vl-convert's font database lives as long as the process, so once per process is enough;
    # registering again would load every face a second time.
    vl_convert.register_font_directory(str(FONT_DIR))


_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_TAG = re.compile(r"<[^>]*>")


def with_embedded_fonts(svg: str, characters: Optional[Mapping[Face, str]] = None) -> str:
    """The SVG with a WOFF2 subset of each of our faces its text uses, as data: URIs in a
    <style>: shown through <img>, an SVG cannot use the page's fonts, and a reader's machine
    rarely has ours, so without them the text would be drawn in another font's widths.
    `characters` (each face's, a superset of what this SVG uses) lets drawings that show
    nearly the same words share one subset."""
    used = characters_used([svg])
    if not used:
        return svg
    rules = "".join(f'@font-face{{font-family:"{face.family}";font-weight:{face.weight};font-style:{face.style};'
                    f'src:url(data:font/woff2;base64,{_subset(face.stem, (characters or used).get(face, chars))})format("woff2")}}'
                    for face, chars in sorted(used.items(), key=lambda item: item[0].stem))
    start = svg.index(">", svg.index("<svg")) + 1
    return f"{svg[:start]}<style>{rules}</style>{svg[start:]}"


def characters_used(svgs: Iterable[str]) -> dict[Face, str]:
    """Each of our faces the SVGs' text is drawn in, with the characters it draws (sorted)."""
    used: dict[Face, set[str]] = {}
    for svg in svgs:
        for attributes, content in _TEXT.findall(svg):
            face = face_of(attributes)
            if face is not None:
                used.setdefault(face, set()).update(html.unescape(_TAG.sub("", content)))
    return {face: "".join(sorted(chars)) for face, chars in used.items()}


def face_of(attributes: str) -> Face | None:
    """Which of our faces a <text> element is drawn in, from its font attributes."""
    family = re.search(r'font-family="([^"]*)"', attributes)
    name = html.unescape(family.group(1)).split(",")[0].strip().strip("'\"") if family else ""
    weight = re.search(r'font-weight="([^"]*)"', attributes)
    bold = bool(weight) and (weight.group(1) == "bold" or weight.group(1).isdigit() and int(weight.group(1)) >= 600)
    italic = re.search(r'font-style="(italic|oblique)"', attributes) is not None
    return next((face for face in FACES if face.family == name and (face.weight == 700) == bold and (face.style == "italic") == italic), None)


@functools.lru_cache(maxsize=256)
def _subset(stem: str, chars: str) -> str:
    """A WOFF2 of one face with only `chars`, base64: the same bytes for the same inputs
    (the source's timestamps are kept, not set to now)."""
    from fontTools import subset

    options = subset.Options(flavor="woff2", hinting=False, desubroutinize=True)
    options.name_IDs = [0, 1, 2, 6, 13, 14]  # copyright, family, style, name, licence: what the OFL asks to keep
    # Kerning (which the drawing was measured with) and glyph composition only. The other layout
    # features these faces have (mark and mkmk, for combining accents; dlig, subs, sups) are never
    # asked for by a drawing's text, and closing over their lookups was half of every subset's time.
    options.layout_features = ["kern", "ccmp"]
    font = subset.load_font(str(FONT_DIR / f"{stem}.ttf"), options, dontLoadGlyphNames=True)
    font.recalcTimestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return base64.b64encode(out.getvalue()).decode()
