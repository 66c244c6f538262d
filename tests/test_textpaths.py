"""Text drawn as glyph outlines before rasterising: laid out as resvg lays it out, or left as text."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zlib

from generator.textpaths import outlined
from generator.workers import Label, Task, Workers

SVG = "{http://www.w3.org/2000/svg}"
SANS = 'font-family="Explainer Sans, Liberation Sans, Arial, sans-serif"'


def svg(*texts: str, width: int = 320, height: int = 120) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"><rect width="{width}" height="{height}" fill="#fff"/>'
            + "".join(texts) + "</svg>")


def uses(drawing: str) -> list[tuple[str, float, float, float]]:
    """(glyph id, x, y, scale) of every outline placed."""
    found = re.findall(r'<use href="#([^"]+)" transform="translate\(([-\d.]+) ([-\d.]+)\) scale\(([-\d.]+) [-\d.]+\)"/>', drawing)
    return [(glyph, float(x), float(y), float(scale)) for glyph, x, y, scale in found]


def test_text_in_our_faces_becomes_outlines_with_its_colour_and_place():
    drawing = outlined(svg(f'<text text-anchor="start" transform="translate(10,20)" {SANS} font-size="13px" fill="#4a5260" opacity="1">Hi &amp; AV</text>'))
    assert "<text" not in drawing
    tree = ET.fromstring(drawing)
    [group] = [g for g in tree.iter(f"{SVG}g")]
    assert (group.get("transform"), group.get("fill"), group.get("opacity")) == ("translate(10,20)", "#4a5260", "1")
    placed = uses(drawing)
    assert len(placed) == 5  # H, i, &, A, V: the spaces have no outline
    assert placed[0][1] == 0 and all(scale == 13 / 2048 for *_, scale in placed)
    ids = {path.get("id") for path in tree.iter(f"{SVG}path")}
    assert {glyph for glyph, *_ in placed} <= ids


def test_kerning_pairs_and_anchors_are_applied():
    def xs(words: str, anchor: str = "start") -> list[float]:
        return [x for _, x, _, _ in uses(outlined(svg(f'<text text-anchor="{anchor}" {SANS} font-size="2048">{words}</text>')))]

    assert xs("AV")[1] < xs("AX")[1]  # A and V are a kerning pair of the face; A and X are not
    start, end = xs("Blue Origin"), xs("Blue Origin", "end")
    width = start[-1] - end[-1]
    assert all(abs((a - b) - width) < 0.01 for a, b in zip(start, end)) and width > 0
    middle = xs("Blue Origin", "middle")
    assert abs((start[0] - middle[0]) - width / 2) < 0.01


def test_vega_lines_and_card_lines_keep_their_positions():
    vega = outlined(svg(f'<text {SANS} font-size="12px"><tspan>One</tspan><tspan x="0" dy="14">Two</tspan></text>'))
    assert sorted({y for _, _, y, _ in uses(vega)}) == [0.0, 14.0]
    card = outlined(svg(f'<text {SANS} font-size="60"><tspan x="64" y="159">A</tspan><tspan x="64" dy="69">B</tspan></text>'))
    assert [(x, y) for _, x, y, _ in uses(card)] == [(64.0, 159.0), (64.0, 228.0)]


def test_what_cannot_be_laid_out_here_stays_text():
    kept = [
        '<text font-family="DejaVu Sans" font-size="12">Another font</text>',
        f'<text {SANS} font-size="12">漢字 our faces lack</text>',
        f'<text {SANS} font-size="12" letter-spacing="2">Spaced</text>',
        f'<text {SANS} font-size="12"><tspan>One</tspan><tspan dy="14">continues the line</tspan></text>',
        f'<text {SANS} font-size="12">Some <a href="#x">linked</a> words</text>',
    ]
    for text in kept:
        assert outlined(svg(text)) == svg(text), text


def pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG (the filters undone)."""
    at, data, width, height = 8, b"", 0, 0
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
            assert body[8:10] == b"\x08\x06"
        data += body if kind == b"IDAT" else b""
        at += 12 + length
    raw, stride, rows, above = zlib.decompress(data), width * 4, [], bytes(width * 4)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left, up, corner = line[i - 4] if i >= 4 else 0, above[i], above[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                guess = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
                line[i] = (line[i] + guess) & 255
        rows.append(bytes(line))
        above = line
    return width, height, b"".join(rows)


def _rasterised(drawing: str) -> bytes:
    from generator.workers import drawing_engine
    return drawing_engine().svg_to_png(drawing)


def test_outlines_draw_what_resvg_draws_from_the_text():
    text = svg(f'<text text-anchor="end" transform="translate(300,40)" {SANS} font-size="22px" fill="#16191d">Lane 2: who gets the money</text>',
               '<text font-family="Explainer Serif" font-weight="bold" font-size="30" fill="#0b5cad"><tspan x="12" y="90">AVAWAY Tea, 5.9 billion</tspan></text>')
    with Workers(jobs=1) as workers:  # vl-convert runs only in worker processes
        as_text, as_outlines = workers.map([Task(_rasterised, (drawing,), Label("drawing", "drawing", "test")) for drawing in (text, outlined(text))])
    width, height, before = pixels(as_text)
    assert (width, height) == pixels(as_outlines)[:2] == (320, 120)
    after = pixels(as_outlines)[2]
    ink = [i for i in range(0, len(before), 4) if before[i] < 200]
    assert len(ink) > 500  # the text was drawn at all
    apart = sum(1 for i in range(0, len(before), 4) if abs(before[i] - after[i]) > 64)
    assert apart / len(ink) < 0.005  # the same glyphs in the same places (0 pixels apart when written); at most anti-aliasing differs
