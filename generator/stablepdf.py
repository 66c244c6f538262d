"""The same PDF bytes for the same drawing, whatever order vl-convert wrote its objects in.

vl-convert's svg2pdf keeps a drawing's fonts, and each page's resources, in hash maps
seeded at random per process: the same SVG comes out with its font objects in another
order, numbered otherwise, and its resource dictionaries shuffled (the drawing itself is
the same). A chart's PDF would then change on every clean build, and the output writer
would rewrite it and a deploy upload it. Here the objects are renumbered in the order they
are first referred to from the catalogue, and each resource dictionary is sorted by name.

Only this writer's plain layout is read (`N 0 obj`, dictionaries one entry a line,
streams with a direct /Length, one xref table); anything else is returned as it came.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_OBJECT = re.compile(rb"(\d+) 0 obj\n")
_REFERENCE = re.compile(rb"(?<![\d.])(\d+) 0 R(?![A-Za-z])")
_LENGTH = re.compile(rb"\n\s*/Length (\d+)\n")
_NAMED_REFERENCES = re.compile(rb"<<\n((?:([ ]+)/[^\s/]+ \d+ 0 R\n)(?:\2/[^\s/]+ \d+ 0 R\n)*)(?=\s*>>)")  # a resource dictionary


@dataclass(frozen=True)
class _Object:
    head: bytes  # the dictionary (or value) before any stream
    stream: Optional[bytes]


def stable_pdf(pdf: bytes) -> bytes:
    """`pdf` with its objects numbered and ordered canonically, resource dictionaries sorted."""
    parsed = _parse(pdf)
    if parsed is None:
        return pdf
    header, objects, trailer, tail = parsed
    referred = {int(m.group(1)) for text in [trailer] + [o.head for o in objects.values()] for m in _REFERENCE.finditer(text)}
    if not referred <= objects.keys():
        return pdf  # a reference to no object: not this writer's
    objects = {number: _Object(_sorted_dictionaries(o.head), o.stream) for number, o in objects.items()}
    order = _reference_order(objects, trailer)
    renumber = {old: new for new, old in enumerate(order, start=1)}

    def renumbered(text: bytes) -> bytes:
        return _REFERENCE.sub(lambda m: b"%d 0 R" % renumber[int(m.group(1))], text)

    out, offsets = bytearray(header), []
    for old in order:
        offsets.append(len(out))
        body = objects[old]
        out += b"%d 0 obj\n" % renumber[old] + renumbered(body.head)
        out += (b"\nstream\n" + body.stream + b"\nendstream" if body.stream is not None else b"") + b"\nendobj\n\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(order) + 1) + b"".join(b"%010d 00000 n\r\n" % at for at in offsets)
    trailer = re.sub(rb"/Size \d+", b"/Size %d" % (len(order) + 1), renumbered(trailer))
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n" % start + tail
    return bytes(out)


def _parse(pdf: bytes) -> Optional[tuple[bytes, dict[int, _Object], bytes, bytes]]:
    """(header, objects by number, trailer dictionary, what follows the xref offset), or None
    for a layout not this writer's."""
    first = _OBJECT.search(pdf)
    xref = pdf.rfind(b"\nxref\n")
    trailer_at, startxref = pdf.rfind(b"\ntrailer\n"), pdf.rfind(b"\nstartxref\n")
    if first is None or min(xref, trailer_at, startxref) < 0:
        return None
    objects: dict[int, _Object] = {}
    at = first.start()
    while at < xref:
        parsed = _parse_object(pdf, at)
        if parsed is None:
            return None
        number, body, at = parsed
        objects[number] = body
        while pdf.startswith(b"\n", at) and at < xref:  # the blank line between objects
            at += 1
    offset_end = pdf.find(b"\n", startxref + len(b"\nstartxref\n"))
    if at != xref or offset_end < 0:
        return None
    return pdf[:first.start()], objects, pdf[trailer_at + len(b"\ntrailer\n"):startxref], pdf[offset_end + 1:]


def _parse_object(pdf: bytes, at: int) -> Optional[tuple[int, _Object, int]]:
    """The object starting at `at`: its number, its body and where the next one starts."""
    found = _OBJECT.match(pdf, at)
    if found is None:
        return None
    start = found.end()
    end, stream = pdf.find(b"\nendobj\n", start), pdf.find(b"\nstream\n", start)
    if 0 <= stream < end:
        length = _LENGTH.search(pdf, start, stream)
        if length is None:
            return None
        data_at = stream + len(b"\nstream\n")
        data_end = data_at + int(length.group(1))
        if not pdf.startswith(b"\nendstream\nendobj\n", data_end):
            return None
        return int(found.group(1)), _Object(pdf[start:stream], pdf[data_at:data_end]), data_end + len(b"\nendstream\nendobj\n")
    if end < 0:
        return None
    return int(found.group(1)), _Object(pdf[start:end], None), end + len(b"\nendobj\n")


def _sorted_dictionaries(head: bytes) -> bytes:
    """Each dictionary of only `/name N 0 R` entries (fonts, images, graphics states) sorted by name."""
    def sorted_entries(match: re.Match) -> bytes:
        entries = match.group(1).splitlines(keepends=True)
        return b"<<\n" + b"".join(sorted(entries, key=lambda line: line.split()[0]))

    return _NAMED_REFERENCES.sub(sorted_entries, head)


def _reference_order(objects: dict[int, _Object], trailer: bytes) -> list[int]:
    """Object numbers in the order they are first referred to, from the trailer on (breadth
    first); any object nothing refers to comes after, by its bytes."""
    order: list[int] = []
    seen: set[int] = set()
    queue = [int(m.group(1)) for m in _REFERENCE.finditer(trailer)]
    while queue:
        number = queue.pop(0)
        if number in seen or number not in objects:
            continue
        seen.add(number)
        order.append(number)
        queue += [int(m.group(1)) for m in _REFERENCE.finditer(objects[number].head)]
    rest = sorted((n for n in objects if n not in seen), key=lambda n: (objects[n].head, objects[n].stream or b""))
    return order + rest
