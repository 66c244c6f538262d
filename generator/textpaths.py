"""Text turned into glyph outlines before an SVG is rasterised (export PNGs, social cards).

vl-convert's rasteriser (resvg) opens and maps a registered font's file again for every
glyph it draws: about 1,800 openat/mmap/munmap calls for one chart's PNG, which took
44 ms of processor time where the same drawing without its text takes 3 ms. Here, each
<text> set in one of our faces is laid out as resvg lays it out (the face's advances and
kerning pairs, the anchor, the lines of its <tspan>s) and drawn as <use>s of one outline
per glyph, so resvg draws paths only.

Only what is rasterised is changed: the SVG a page shows and the PDF keep real text (it
can be selected and read aloud). A <text> this module cannot lay out exactly, in another
font, with a character our faces lack, or with an attribute it does not know, stays text
and is drawn as before.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Optional

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

from .typefaces import FONT_DIR, face_of

_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_TSPAN = re.compile(r"<tspan\b([^>]*)>([^<]*)</tspan>")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"-?[\d.]+(?:e-?\d+)?")
_ID_PREFIX = "explainer-glyph-"

# Attributes that mean the same on a group of outlines as on the text: carried over.
_CARRIED = ("transform", "fill", "fill-opacity", "opacity", "stroke", "stroke-width", "stroke-opacity", "clip-path")
# Attributes that only say which face and where: used for the layout.
_LAYOUT = ("font-family", "font-size", "font-weight", "font-style", "text-anchor", "x", "y")
# Attributes for assistive technology, which a raster image does not keep anyway.
_IGNORED = ("aria-label", "aria-hidden", "aria-roledescription", "role", "pointer-events")
_KNOWN = frozenset(_CARRIED + _LAYOUT + _IGNORED)


@dataclass(frozen=True)
class _Line:
    """One line of a text: where it starts and what it says."""

    x: float
    y: float
    words: str


def outlined(svg: str) -> str:
    """The SVG with every <text> it can lay out drawn as glyph outlines (defs added once)."""
    glyphs: dict[str, str] = {}  # id -> path data, of the glyphs used

    def replaced(match: re.Match) -> str:
        return _outlined_text(match.group(1), match.group(2), glyphs) or match.group(0)

    body = _TEXT.sub(replaced, svg)
    if not glyphs:
        return svg
    start = body.index(">", body.index("<svg")) + 1
    defs = "".join(f'<path id="{glyph_id}" d="{path}"/>' for glyph_id, path in sorted(glyphs.items()))
    return f"{body[:start]}<defs>{defs}</defs>{body[start:]}"


def _outlined_text(attributes: str, content: str, glyphs: dict[str, str]) -> Optional[str]:
    """A <g> of outlines for one <text>, or None when it must stay text."""
    found = dict(_ATTRIBUTE.findall(attributes))
    face = face_of(attributes)
    lines = _lines(content, _number(found.get("x", "0")), _number(found.get("y", "0")))
    size = _number(found.get("font-size", "16").removesuffix("px"))
    if face is None or lines is None or size is None or not set(found) <= _KNOWN:
        return None
    font = _font(face.stem)
    uses = []
    for line in lines:
        placed = _laid_out(font, line.words)
        if placed is None:
            return None
        advances, width = placed
        scale = size / font.units_per_em
        shift = {"middle": width / 2, "end": width}.get(found.get("text-anchor", "start"), 0.0) * scale
        for glyph_name, at in advances:
            glyph_id = f"{_ID_PREFIX}{face.stem}-{font.index[glyph_name]}"
            path = _outline(face.stem, glyph_name)
            if path:
                glyphs[glyph_id] = path
                uses.append(f'<use href="#{glyph_id}" transform="translate({_fmt(line.x + at * scale - shift)} {_fmt(line.y)}) '
                            f'scale({scale:.9g} {-scale:.9g})"/>')  # a scale rounded to 4 places would shrink glyphs by up to 1 %
    carried = "".join(f' {name}="{found[name]}"' for name in _CARRIED if name in found)
    return f"<g{carried}>{''.join(uses)}</g>"


def _lines(content: str, x: Optional[float], y: Optional[float]) -> Optional[list[_Line]]:
    """The text's lines: its own words, or one per <tspan> (each with x, and y or dy), as Vega
    and the social cards write them; None for anything else."""
    if x is None or y is None:
        return None
    if "<" not in content:
        return [_Line(x, y, _collapsed(content))]
    spans = _TSPAN.findall(content)
    if _TSPAN.sub("", content).strip() or not spans:
        return None  # words between the spans, or other markup
    lines = []
    for at, (attributes, words) in enumerate(spans):
        found = dict(_ATTRIBUTE.findall(attributes))
        if not set(found) <= {"x", "y", "dy"} or (at and "x" not in found):
            return None  # a span that continues the line before it: not laid out here
        x = _number(found["x"]) if "x" in found else x
        y = _number(found["y"]) if "y" in found else y + (_number(found.get("dy", "0")) or 0.0)
        if x is None or y is None:
            return None
        lines.append(_Line(x, y, _collapsed(words)))
    return lines


def _collapsed(words: str) -> str:
    """Characters as SVG draws them by default: entities decoded, white space folded and trimmed."""
    return _SPACES.sub(" ", html.unescape(words)).strip()


def _laid_out(font: "_Face", words: str) -> Optional[tuple[list[tuple[str, float]], float]]:
    """Each glyph of `words` with its x (font units) and the line's width; None if the face lacks one."""
    placed, x, before = [], 0.0, None
    for char in words:
        glyph_name = font.cmap.get(ord(char))
        if glyph_name is None:
            return None
        if before is not None:
            x += font.kerning.get((before, glyph_name), 0)
        placed.append((glyph_name, x))
        x += font.advances[glyph_name]
        before = glyph_name
    return placed, x


@dataclass(frozen=True)
class _Face:
    """What laying out text in one face takes, read once per process."""

    units_per_em: int
    cmap: dict[int, str]
    advances: dict[str, int]
    kerning: dict[tuple[str, str], int]
    index: dict[str, int]


@functools.lru_cache(maxsize=None)
def _font(stem: str) -> _Face:
    font = _ttfont(stem)
    kern = font["kern"].kernTables[0].kernTable if "kern" in font else {}
    return _Face(font["head"].unitsPerEm, dict(font.getBestCmap()), {name: metrics[0] for name, metrics in font["hmtx"].metrics.items()},
                 dict(kern), {name: at for at, name in enumerate(font.getGlyphOrder())})


@functools.lru_cache(maxsize=None)
def _ttfont(stem: str) -> TTFont:
    return TTFont(str(FONT_DIR / f"{stem}.ttf"), lazy=True)


@functools.lru_cache(maxsize=4096)
def _outline(stem: str, glyph_name: str) -> str:
    """A glyph's outline as SVG path data, in font units (y up); '' for an empty glyph."""
    glyph_set = _ttfont(stem).getGlyphSet()
    pen = SVGPathPen(glyph_set)
    glyph_set[glyph_name].draw(pen)
    return pen.getCommands()


def _number(text: str) -> Optional[float]:
    match = _NUMBER.fullmatch(text.strip())
    return float(match.group(0)) if match else None


def _fmt(value: float) -> str:
    """A coordinate with at most 4 decimals and no trailing zeros: short and stable."""
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"
