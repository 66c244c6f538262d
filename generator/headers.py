"""`_headers`: the response headers the site's own files need, written with the site.

Netlify and Cloudflare Pages read a `_headers` file at the root of the published
folder. Netlify applies every rule whose path matches and joins a header set by two
rules with ', ', so a site-wide `frame-ancestors 'none'` could never be lifted for
`/embed/`: framing is refused one top-level section at a time. Those sections follow
from the site (collections, pages, static folders), so they are listed here from the
build's own output paths, never by hand: a section a newsroom adds is unframeable
from its first build.

What is here is what every site built by this generator needs: the Content Security
Policy its pages are made to run under (no inline script or style, no eval), framing
allowed only for embeds, cross-origin reads of embeds, a year's caching of
content-hashed assets. Choices that belong to the owner of the domain, such as
Strict-Transport-Security and its includeSubDomains, stay in the host's own
configuration (netlify.toml); on Netlify a rule there for the same path and header
replaces the one here.
"""

from __future__ import annotations

from typing import Iterable

HEADERS_FILE = "_headers"

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
SITE_WIDE = (
    ("Content-Security-Policy", POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
# A second Content-Security-Policy is enforced alongside the site-wide one (both must allow).
NOT_FRAMED = (("X-Frame-Options", "DENY"), ("Content-Security-Policy", "frame-ancestors 'none'"))
FRAMED_BY_ANYONE = "embed"
EXTRA = {
    "embed": (("Access-Control-Allow-Origin", "*"),),  # embedding sites read data.csv, oembed.json, …
    "assets": (("Cache-Control", "public, max-age=31536000, immutable"), ("Access-Control-Allow-Origin", "*")),
}

INTRO = """\
# Written by `explainer build` from the site's own files: do not edit (the next build replaces it).
# Netlify and Cloudflare Pages apply every rule whose path matches. Every page may be framed by
# other sites only under /embed/; the second Content-Security-Policy adds frame-ancestors.
"""


def headers_file(paths: Iterable[str]) -> bytes:
    """The `_headers` file for a site whose output files are `paths` (posix, relative)."""
    rules: list[tuple[str, tuple[tuple[str, str], ...]]] = [("/*", SITE_WIDE)]
    folders = sorted({path.split("/", 1)[0] for path in paths if "/" in path})
    pages = sorted(path for path in paths if "/" not in path and path.endswith(".html"))
    rules.append(("/", NOT_FRAMED))
    rules += [(f"/{page}", NOT_FRAMED) for page in pages]
    for folder in folders:
        framing = () if folder == FRAMED_BY_ANYONE else NOT_FRAMED
        if framing or folder in EXTRA:
            rules.append((f"/{folder}/*", framing + EXTRA.get(folder, ())))
    blocks = ["\n".join([path] + [f"  {name}: {value}" for name, value in values]) for path, values in rules]
    return (INTRO + "\n" + "\n\n".join(blocks) + "\n").encode()
