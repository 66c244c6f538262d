"""The error panel the live preview lays over every page while a build is failing."""

from __future__ import annotations

import html

from .build import plural

NO_BUILD_PAGE = b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head><body></body></html>'
OVERLAY_STYLE = ("position:fixed;z-index:2147483647;left:0;right:0;bottom:0;max-height:70vh;overflow:auto;margin:0;"
                 "padding:1rem 1.25rem;background:#1d1d21;color:#f4f4f5;border-top:4px solid #e5484d;"
                 "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left")


def overlay_html(lines: tuple[str, ...], good: bool) -> bytes:
    """The error panel laid over every page while the build is failing."""
    kept = "Showing the last good build." if good else "No build has succeeded yet."
    items = html.escape("\n".join(lines))
    return (f'<div id="explainer-build-errors" role="alert" style="{OVERLAY_STYLE}">'
            f'<p style="margin:0 0 .5rem;font-weight:bold">Build failed: {plural(len(lines), "error")}. {kept} Save a fix to reload.</p>'
            f'<pre style="margin:0;white-space:pre-wrap;font:inherit;background:none;color:inherit">{items}</pre>'
            '<button type="button" onclick="this.parentNode.remove()" style="margin-top:.75rem">Hide</button></div>').encode()


def inject_overlay(page: bytes, overlay: bytes) -> bytes:
    at = page.rfind(b"</body>")
    return page[:at] + overlay + page[at:] if at >= 0 else page + overlay
