"""What the live preview answers: requests naming it, and live-reload sockets from its own pages.

The preview serves drafts, data and error details with no login, so it must not be
readable from other sites. A page on a domain the attacker controls can be made to
resolve to 127.0.0.1 (DNS rebinding); its requests still name that domain in the Host
header, so any host name other than the preview's own is answered 421. livereload's
WebSocket accepts every origin; here only the preview's own pages may connect, and at
most MAX_CLIENTS at once.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Optional
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler
from tornado import httputil, routing, web

MAX_CLIENTS = 32  # open pages the live reload serves at once; more are refused, so no page can pile up sockets
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# livereload's own snippet (Server.application): loads livereload.js from the host the page came from.
LIVE_SCRIPT = ('<script type="text/javascript">(function(){var s=document.createElement("script");'
               'var port=(window.location.port || (window.location.protocol == \'https:\' ? 443: 80));'
               's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
               'document.head.appendChild(s);})();</script>').encode()


def is_loopback(host: str) -> bool:
    """Whether an address to listen on is this machine only."""
    try:
        return host.lower() == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_host(header: str, host: str, port: int) -> bool:
    """Whether a request's Host header names the preview: localhost, 127.0.0.1, [::1] or the
    --host value, with its port. Any other name is what a DNS-rebinding page sends; an IP
    address cannot be rebound, so on a wildcard --host (0.0.0.0, ::) any address is allowed."""
    try:
        parts = urlsplit(f"//{header}")
        name, given = (parts.hostname or ""), (parts.port or 80)
    except ValueError:
        return False
    if given != port or not name:
        return False
    if name in LOCAL_HOSTS or name == host.lower().strip("[]"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return host in ("0.0.0.0", "::")


class LocalHost(routing.Matcher):
    """Routes a request only when its Host header names the preview (see allowed_host)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def match(self, request: httputil.HTTPServerRequest) -> Optional[dict]:
        return {} if allowed_host(request.headers.get("Host", ""), self.host, self.port) else None


class Misdirected(web.RequestHandler):
    """421 for a request that names another host."""

    def prepare(self) -> None:
        self.set_status(421)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("Misdirected Request: this preview answers only to localhost, 127.0.0.1, [::1] or its --host\n")


class ReloadSocket(LiveReloadHandler):
    """livereload's socket, from the preview's own pages only, and at most MAX_CLIENTS of them."""

    def initialize(self, preview: Any) -> None:
        self.preview = preview  # the Preview: its `sockets` set counts the open ones

    def check_origin(self, origin: str) -> bool:
        # livereload answers True to every origin: any web page could hold sockets open and
        # hear every rebuild. Same origin only (Tornado 6.6 asks only about cross-origin
        # requests, older versions about all of them).
        return urlsplit(origin).netloc.lower() == self.request.headers.get("Host", "").lower()

    def open(self, *args: str, **kwargs: str) -> None:
        if len(self.preview.sockets) >= MAX_CLIENTS:
            self.close(1013, "too many live-reload clients")
            return
        self.preview.sockets.add(self)

    def on_close(self) -> None:
        self.preview.sockets.discard(self)
        super().on_close()
