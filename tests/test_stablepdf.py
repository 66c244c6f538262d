"""A PDF's bytes do not depend on the order its writer happened to emit and number objects in."""

from __future__ import annotations

from generator.stablepdf import stable_pdf


def written(objects: list[tuple[int, bytes, bytes | None]], trailer: bytes) -> bytes:
    """A PDF laid out as vl-convert's svg2pdf writes one, objects in the order given."""
    out, offsets = bytearray(b"%PDF-1.7\n%\x80\x80\x80\x80\n\n"), {}
    for number, head, stream in objects:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + head
        out += (b"\nstream\n" + stream + b"\nendstream" if stream is not None else b"") + b"\nendobj\n\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n\r\n" % offsets[n] for n in sorted(offsets))
    return bytes(out + b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF" % start)


def font(name: bytes, file: int) -> bytes:
    return b"<<\n  /Type /Font\n  /BaseFont /" + name + b"\n  /FontFile2 %d 0 R\n>>" % file


def page(fonts: bytes) -> bytes:
    return b"<<\n  /Type /Page\n  /Resources <<\n    /Font <<\n" + fonts + b"    >>\n  >>\n  /Contents 9 0 R\n>>"


CATALOG, PAGES = b"<<\n  /Type /Catalog\n  /Pages 2 0 R\n>>", b"<<\n  /Type /Pages\n  /Count 1\n  /Kids [3 0 R]\n>>"
CONTENT = b"<<\n  /Length 11\n>>", b"/fo0 12 Tf\n"
INFO = b"<<\n  /Producer (svg2pdf)\n>>"


def test_two_orders_of_the_same_drawing_give_the_same_bytes_numbered_as_first_referred_to():
    # The same document twice: its fonts emitted and numbered in another order, its font dictionary shuffled.
    one = written([(1, CATALOG, None), (2, PAGES, None), (9, *CONTENT), (3, page(b"      /fo0 4 0 R\n      /fo1 5 0 R\n"), None),
                   (4, font(b"Sans", 6), None), (6, b"<<\n  /Length 3\n>>", b"AAA"), (5, font(b"Bold", 7), None),
                   (7, b"<<\n  /Length 3\n>>", b"BBB"), (8, INFO, None)], b"<<\n  /Size 10\n  /Root 1 0 R\n  /Info 8 0 R\n>>")
    two = written([(1, CATALOG, None), (2, PAGES, None), (9, *CONTENT), (3, page(b"      /fo1 4 0 R\n      /fo0 6 0 R\n"), None),
                   (4, font(b"Bold", 5), None), (5, b"<<\n  /Length 3\n>>", b"BBB"), (6, font(b"Sans", 7), None),
                   (7, b"<<\n  /Length 3\n>>", b"AAA"), (8, INFO, None)], b"<<\n  /Size 10\n  /Root 1 0 R\n  /Info 8 0 R\n>>")
    # By hand: breadth first from the trailer (root, then info), each object's references in the
    # order written, the font dictionary sorted by name.
    expected = written([(1, b"<<\n  /Type /Catalog\n  /Pages 3 0 R\n>>", None), (2, INFO, None),
                        (3, b"<<\n  /Type /Pages\n  /Count 1\n  /Kids [4 0 R]\n>>", None),
                        (4, page(b"      /fo0 5 0 R\n      /fo1 6 0 R\n").replace(b"/Contents 9 0 R", b"/Contents 7 0 R"), None),
                        (5, font(b"Sans", 8), None), (6, font(b"Bold", 9), None), (7, *CONTENT),
                        (8, b"<<\n  /Length 3\n>>", b"AAA"), (9, b"<<\n  /Length 3\n>>", b"BBB")],
                       b"<<\n  /Size 10\n  /Root 1 0 R\n  /Info 2 0 R\n>>")
    assert one != two
    assert stable_pdf(one) == stable_pdf(two) == expected


def test_a_stable_pdf_stays_as_it_is():
    one = written([(2, PAGES, None), (1, CATALOG, None), (3, page(b"      /fo0 4 0 R\n"), None),
                   (4, font(b"Sans", 5), None), (5, b"<<\n  /Length 3\n>>", b"AAA"), (9, *CONTENT)],
                  b"<<\n  /Size 10\n  /Root 1 0 R\n>>")
    assert stable_pdf(stable_pdf(one)) == stable_pdf(one)


def test_a_pdf_not_laid_out_like_this_writer_s_is_left_as_it_came():
    compressed_xref = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /Length 99 >>\nstream\nshort\nendstream\nendobj\nstartxref\n9\n%%EOF"
    dangling = written([(1, b"<<\n  /Pages 7 0 R\n>>", None)], b"<<\n  /Size 2\n  /Root 1 0 R\n>>")
    assert stable_pdf(compressed_xref) == compressed_xref
    assert stable_pdf(dangling) == dangling
