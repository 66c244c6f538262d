"""A PNG made of two strips of rows: one drawn for this image, one shared with many others.

A social card with a lead chart is its own words on top of a strip it shares with every
card of that chart (the chart and the footer with its sources). The shared strip is drawn,
filtered and deflated once; each card then draws and deflates only its own rows, and the
two deflate streams are joined: the card's stream is flushed to a byte boundary with its
dictionary reset (Z_FULL_FLUSH), so the shared stream, deflated on its own, can follow it,
and the zlib checksum is taken over all the rows.

PNG rows are filtered against the row above. The shared strip was filtered as an image of
its own, its first row against a row of zeros; that row is stored unfiltered here, so it
means the same under any row. Every other row keeps its filter.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGBA = 4  # bytes a pixel: resvg writes 8-bit RGBA
LEVEL = 6  # zlib's default: level 9 saves 1 % more bytes for five times the time


@dataclass(frozen=True)
class Strip:
    """Rows of an image, filtered, and the same rows deflated on their own."""

    width: int
    height: int
    rows: bytes  # each row: its filter byte, then width * 4 bytes
    deflated: bytes  # raw deflate (no zlib header), ending in a final block


def shared_strip(png: bytes) -> Strip:
    """The rows of an RGBA PNG, ready to be stacked under other rows."""
    width, height, rows = _rows(png)
    rows = _standalone_first_row(rows, width)
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Strip(width, height, rows, packer.compress(rows) + packer.flush())


def stacked(top_png: bytes, strip: Strip) -> bytes:
    """One PNG: the rows of `top_png` above the shared `strip` (both as wide, both RGBA)."""
    width, height, rows = _rows(top_png)
    if width != strip.width:
        raise ValueError(f"a strip {strip.width} px wide cannot go under an image {width} px wide")
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, 15)
    data = packer.compress(rows) + packer.flush(zlib.Z_FULL_FLUSH) + strip.deflated
    data += struct.pack(">I", zlib.adler32(strip.rows, zlib.adler32(rows)))
    header = struct.pack(">IIBBBBB", width, height + strip.height, 8, 6, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _rows(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the filtered rows of an 8-bit RGBA, non-interlaced PNG."""
    if not png.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    at, data, header = 8, [], b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        header = body if kind == b"IHDR" else header
        data.append(body if kind == b"IDAT" else b"")
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if (depth, colour, interlace) != (8, 6, 0):
        raise ValueError("only 8-bit RGBA PNGs without interlacing can be stacked")
    return width, height, zlib.decompress(b"".join(data))


def _standalone_first_row(rows: bytes, width: int) -> bytes:
    """The rows with the first one unfiltered (filter 0): it was filtered against zeros."""
    stride = width * RGBA
    kind, line = rows[0], bytearray(rows[1:1 + stride])
    if kind in (1, 4):  # Sub, and Paeth, which over a row of zeros predicts from the left
        for i in range(RGBA, stride):
            line[i] = (line[i] + line[i - RGBA]) & 255
    elif kind == 3:  # Average of the left and of zero
        for i in range(RGBA, stride):
            line[i] = (line[i] + (line[i - RGBA] >> 1)) & 255
    # 0 (None) and 2 (Up, over zeros) leave the bytes as they are
    return b"\x00" + bytes(line) + rows[1 + stride:]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
