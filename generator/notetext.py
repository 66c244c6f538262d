"""How wide a line of chart text is, from the shipped font's own metrics, and wrapping by width.

Notes are placed before they are drawn, so their boxes are measured here the way the drawing
engine will set them: each character's advance in the package's "Explainer Sans" (regular or
bold) at the text's size. Kerning is left out; placement keeps a few px of room for it.
"""

from __future__ import annotations

import functools

from .typefaces import FONT_DIR

FALLBACK_ADVANCE = 0.6  # em, for a character the face lacks (drawn in another font)
SLACK = 1.03  # room for kerning and a browser's rounding


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width of each character in em, and the face's units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / ("ExplainerSans-Bold.ttf" if bold else "ExplainerSans-Regular.ttf")), lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items() if glyph in metrics}
    font.close()
    return widths, units


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of one line of text at `size` px."""
    widths, _ = _advances(bold)
    return sum(widths.get(ord(c), FALLBACK_ADVANCE) for c in text) * size * SLACK


def wrapped(text: str, size: float, width: float, bold: bool = False) -> tuple[str, ...]:
    """The words of `text` in lines no wider than `width` px (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)
