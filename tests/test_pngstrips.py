"""A PNG stacked from its own rows and a shared strip: the image the rows make together."""

from __future__ import annotations

import random
import struct
import zlib

import pytest

from generator.pngstrips import shared_strip, stacked
from test_textpaths import pixels


def png(rows: list[bytes], width: int, filters: list[int]) -> bytes:
    """An RGBA PNG of these raw rows, each filtered with the filter given (0-4), the first against zeros."""
    out, above = [], bytes(width * 4)
    for row, kind in zip(rows, filters):
        line = bytearray(len(row))
        for i, value in enumerate(row):
            left, up, corner = row[i - 4] if i >= 4 else 0, above[i], above[i - 4] if i >= 4 else 0
            guess = {0: 0, 1: left, 2: up, 3: (left + up) // 2,
                     4: min((abs(left + up - corner - left), 0, left), (abs(left + up - corner - up), 1, up), (abs(left + up - corner - corner), 2, corner))[2]}[kind]
            line[i] = (value - guess) & 255
        out.append(bytes([kind]) + bytes(line))
        above = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(out))) + chunk(b"IEND", b"")


@pytest.mark.parametrize("first", [0, 1, 2, 3, 4])
def test_a_strip_stacked_under_other_rows_keeps_every_pixel(first):
    rng = random.Random(first)
    width = 7
    top = [bytes(rng.randrange(256) for _ in range(width * 4)) for _ in range(3)]
    bottom = [bytes(rng.randrange(256) for _ in range(width * 4)) for _ in range(4)]
    image = stacked(png(top, width, [4, 2, 1]), shared_strip(png(bottom, width, [first, 4, 3, 2])))
    assert pixels(image) == (width, 7, b"".join(top + bottom))


def test_a_strip_of_another_width_is_refused():
    row = bytes(4 * 3)
    with pytest.raises(ValueError, match="3 px wide cannot go under an image 2 px wide"):
        stacked(png([row[:8]], 2, [0]), shared_strip(png([row], 3, [0])))
