"""The live preview behind `explainer serve`: build, serve, rebuild on save, reload.

Builds with the same pipeline as `explainer build` into a temporary folder
(never output/), serves that folder through livereload's Tornado server, which
puts its reload script into every HTML page, and watches site_src/ and
templates/. A burst of saves gives one rebuild once the files have been quiet
for DEBOUNCE_SECONDS; then livereload's reload message goes to every open page.
A failed rebuild leaves the folder as it was (`write_outputs` is all or
nothing), so the last good site stays served, with an overlay listing the
errors in compiler format laid over every HTML page.

livereload gives the pieces: its WebSocket handler (subclassed here), its client
script and the container and transform that put the script into every HTML page,
and the classmethod `LiveReloadHandler.reload_waiters("*")` to reload every open
page. Its `Server.application()` is not used, because it registers what the
preview must not offer: a /forcereload endpoint any web page could call with a
plain GET, a WebSocket that accepts any origin and any number of clients, and no
look at the Host header. Here every route sits behind one gate: a request naming
another host (what a DNS-rebinding page sends) is answered 421, a WebSocket from
another origin is refused, and at most MAX_CLIENTS pages hold one (localonly.py).
The preview is for local development only (`--host 0.0.0.0` says so when it starts).

livereload's watching is not used either, because that needs `Server.serve()`: it
blocks on a process-wide IOLoop, polls every 800 ms, runs builds on the event loop
(requests would wait for them) and drops any reload within 3 s of the previous
one. A watchfiles thread (inotify) replaces it. livereload keeps its connected
pages in the class attribute `LiveReloadHandler.waiters`, which it offers no other
way to count or reset; the status endpoint counts it and a stopped preview empties
it, so a process runs one preview at a time. Without live reload, Tornado's own
WSGIContainer serves the app.

Chart code and drawings run in the preview's worker processes (workers.py), kept
for its life: a chart that loops or crashes its worker is an error in the overlay,
and stopping the preview kills the workers, even in the middle of a build.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import shutil
import signal
import socket
import tempfile
import threading
import time
import traceback
import webbrowser
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ContextManager, Optional
from urllib.parse import quote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer, LiveScriptInjector
from livereload.watcher import Watcher
from tornado import routing, web
from tornado.ioloop import IOLoop
from tornado.wsgi import WSGIContainer

from .build import BuildReport, build, plural
from .cache import Cache
from .config import cache_dir_for, load_config
from .errors import BuildFailed, without_absolute_paths
from .localonly import LIVE_SCRIPT, LocalHost, Misdirected, ReloadSocket, is_loopback
from .overlay import NO_BUILD_PAGE, inject_overlay, overlay_html
from .progress import NO_PROGRESS, Progress
from .site import site_root
from .watch import source_changes
from .workers import Cancelled, Workers

DEBOUNCE_SECONDS = 0.075  # quiet time that ends a burst of saves: 3x the 20-25 ms between an editor's writes
STOP_GRACE = 5.0  # seconds a stopping preview waits for a build to notice; then it goes without it
LOCAL_ONLY = ("warning: --host {host} shows the preview to other computers, with drafts and error details; "
              "explainer serve is for local development only: publish the built output/ folder with a real web server")
STATUS_URL = "/__explainer__/status.json"
TEXT_TYPES = ("application/javascript", "application/json", "application/xml", "image/svg+xml")
Say = Callable[..., Any]  # say(text, err=False): the CLI passes click.echo
Reporting = Callable[[], ContextManager[Progress]]  # a progress reporter per build (the CLI's console)


def _silent() -> ContextManager[Progress]:
    return nullcontext(NO_PROGRESS)


class ServeFailed(Exception):
    """The preview cannot start (no project there, port taken)."""


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    livereload: bool = True
    drafts: bool = False
    debug: bool = False
    quiet: bool = False  # say only the address, errors and warnings
    chart_timeout: Optional[float] = None  # --chart-timeout; None: site.yaml's, or 60 s
    cache_dir: Optional[Path] = None  # --cache-dir or EXPLAINER_CACHE_DIR; None: ROOT/.cache


@dataclass(frozen=True)
class BuildState:
    """What the last build left: replaced whole, so request threads never see half of one."""

    number: int = 0
    ok: bool = False
    good: bool = False  # a good build is in the served folder
    lines: tuple[str, ...] = ()  # the failed build's errors, compiler format
    prefix: str = "/"  # the site's root path, from base_url
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the build's processor time: what it costs, whatever else the machine runs


def serve_site(options: ServeOptions, say: Say, progress: Reporting = _silent) -> None:
    """`explainer serve`: serve and rebuild until Ctrl-C; `progress` shows long builds."""
    if not (options.root / "site_src" / "site.yaml").is_file():
        raise ServeFailed(f"no site_src/site.yaml under {options.root}: pass the project folder with --root")
    preview = Preview(options, say, progress=progress)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # so `kill` also removes the temporary folder
    try:
        preview.serve_forever(ready=preview.announce)
    except KeyboardInterrupt:
        say("Stopped.")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def rebuilt_line(report: BuildReport) -> str:
    """'Rebuilt in 0.12 s: 2 pages, 1 chart changed', counted from the paths the build wrote or removed."""
    paths = report.changes.written + report.changes.removed
    if not paths:
        return f"Rebuilt in {report.seconds:.2f} s: nothing changed"
    charts = {p.split("/")[1] for p in paths if p.startswith("embed/") and p.count("/") >= 2}
    pages = sum(1 for p in paths if p.endswith(".html") and not p.startswith("embed/"))
    line = f"Rebuilt in {report.seconds:.2f} s: {plural(pages, 'page')}, {plural(len(charts), 'chart')} changed"
    others = sum(1 for p in paths if not p.endswith(".html") and not p.startswith("embed/"))
    return line + (f" (and {plural(others, 'other file')})" if others else "")


def safe_relative(relative: str) -> bool:
    """A decoded request path that cannot leave the served folder."""
    parts = relative.split("/")
    return not relative.startswith("/") and ".." not in parts and "\0" not in relative and "\\" not in relative


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in TEXT_TYPES else kind


def _check_port(host: str, port: int) -> None:
    """Raise OSError when (host, port) cannot be listened on."""
    for family, kind, proto, _, address in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0, socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


Response = tuple[str, list[tuple[str, str]], bytes]


def _response(status: str, kind: str, body: bytes, headers: Optional[list] = None) -> Response:
    return status, [("Content-Type", kind), *(headers or [])], body


class Preview:
    """One live preview: a temporary output folder, a watching thread, a Tornado server."""

    def __init__(self, options: ServeOptions, say: Say, code_dir: Optional[Path] = None, progress: Reporting = _silent):
        self.options = options
        self.say = say
        self.progress = progress
        self.root = options.root.resolve()
        self.code_dir = (code_dir or Path(__file__).parent).resolve()
        self.temp = Path(tempfile.mkdtemp(prefix="explainer-serve-"))
        self.out_dir = self.temp / "site"
        self.state = BuildState()
        self.cache = Cache(cache_dir_for(self.root, options.cache_dir))  # one for the preview's life: it remembers rendered pages
        self.reloads = 0
        self.loop: Optional[IOLoop] = None
        self._building = threading.Lock()  # the first build (serving thread) and rebuilds (watching thread) take turns
        self._warned: frozenset = frozenset()
        self._stopping = threading.Event()
        self.workers = Workers(cancel=self._stopping)  # chart code and drawings, for the preview's life
        self.sockets: set = set()  # open live-reload connections (at most MAX_CLIENTS)
        self._watcher = threading.Thread(target=self._watch, name="explainer-serve-watch", daemon=True)
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        return f"http://{host}:{self.options.port}{self.state.prefix}"

    # Life cycle ---------------------------------------------------------

    def serve_forever(self, ready: Optional[Callable[[], None]] = None) -> None:
        """Listen, build, then run the event loop in this thread until `stop()`."""
        asyncio.set_event_loop(asyncio.new_event_loop())
        self.loop = IOLoop.current()
        try:
            self._listen()
            self._watcher.start()  # before building: a save during the first build is not lost
            self.rebuild()
            if ready:
                ready()
            self.loop.start()
        finally:
            self._shut_down()

    def start(self) -> "Preview":
        """Serve from a background thread (tests, benchmarks); return once the first build is served."""
        ready, failed = threading.Event(), []

        def run() -> None:
            try:
                self.serve_forever(ready.set)
            except BaseException as err:  # noqa: BLE001 - handed to the starting thread
                failed.append(err)
                ready.set()

        self._thread = threading.Thread(target=run, name="explainer-serve", daemon=True)
        self._thread.start()
        ready.wait()
        if failed:
            raise failed[0]
        return self

    def stop(self) -> None:
        """Stop serving; from any thread."""
        self._stopping.set()
        if self.loop is not None:
            self.loop.add_callback(self.loop.stop)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def announce(self) -> None:
        if not is_loopback(self.options.host):
            self.say(LOCAL_ONLY.format(host=self.options.host), err=True)
        live = "on" if self.options.livereload else "off"
        self.say(f"Serving {self.url} (live reload {live}); watching site_src/ and templates/. Press Ctrl-C to stop.")
        if self.options.open_browser:
            threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()

    def _listen(self) -> None:
        host, port = self.options.host, self.options.port
        try:
            _check_port(host, port)  # Tornado leaks the socket when its own bind fails
            self.application().listen(port, address=host)
        except OSError as err:
            raise ServeFailed(f"cannot listen on {host}:{port}: {err.strerror or err}; try another --port") from None

    def application(self) -> web.Application:
        """Every route behind the Host gate; with live reload, its socket and script too (no /forcereload)."""
        if not self.options.livereload:
            routes: list = [(r".*", web.FallbackHandler, {"fallback": WSGIContainer(self.wsgi)})]
            transforms: list = []
        else:
            LiveReloadHandler.watcher, LiveReloadHandler.live_css = Watcher(), True  # what Server.application() sets
            routes = [(r"/livereload", ReloadSocket, {"preview": self}), (r"/livereload\.js", LiveReloadJSHandler),
                      (r".*", web.FallbackHandler, {"fallback": LiveScriptContainer(self.wsgi, LIVE_SCRIPT)})]
            transforms = [type("Injector", (LiveScriptInjector,), {"script": LIVE_SCRIPT})]
        gate = LocalHost(self.options.host, self.options.port)
        return web.Application([routing.Rule(gate, routes), (r".*", Misdirected)], transforms=transforms)

    def _shut_down(self) -> None:
        self._stopping.set()  # a build waiting on a worker raises Cancelled at once
        self.workers.close()
        if self._watcher.is_alive():
            self._watcher.join(STOP_GRACE)  # bounded: a daemon thread stuck elsewhere must not keep the process
        if self.loop is not None:
            self.loop.close(all_fds=True)  # the listening socket and every open connection
        LiveReloadHandler.waiters.clear()
        asyncio.set_event_loop(None)
        shutil.rmtree(self.temp, ignore_errors=True)

    # Watching and building -----------------------------------------------

    def _watch(self) -> None:
        folders = [self.root / "site_src", self.root / "templates", self.code_dir]
        for changed in source_changes(folders, self._stopping, round(DEBOUNCE_SECONDS * 1000)):
            self._handle(changed)

    def _handle(self, changed: list[str]) -> None:
        code = [p for p in changed if Path(p).is_relative_to(self.code_dir)]
        if code:
            shown = Path(code[0]).relative_to(self.code_dir.parent).as_posix()
            self.say(f"{shown} changed: restart `explainer serve` to run the new generator code.", err=True)
        if len(code) < len(changed):
            self.rebuild()

    def rebuild(self) -> None:
        """Build once, report it, and reload the pages when what they show changed."""
        with self._building:
            self._rebuild()

    def _rebuild(self) -> None:
        before, cpu = self.state, time.process_time()
        try:
            config = load_config(self.root, self.out_dir, self.options.drafts, timeout=self.options.chart_timeout, cache_dir=self.options.cache_dir)
            self.workers.timeout = config.chart_timeout
            with self.progress() as progress:
                report = build(config, self.cache, progress=progress, workers=self.workers)
        except BuildFailed as failed:
            errors = [p for p in failed.problems if p.severity == "error"] or failed.problems
            self._failed(before, tuple(self._relative(p.format()) for p in errors))
        except Cancelled:
            return  # the preview is stopping
        except Exception as err:  # noqa: BLE001 - the preview outlives any bug in a build
            self._failed(before, (self._internal(err),))
        else:
            self._built(before, report, site_root(config.settings.base_url), time.process_time() - cpu)

    def _built(self, before: BuildState, report: BuildReport, prefix: str, cpu: float) -> None:
        self.state = BuildState(before.number + 1, True, True, (), prefix, report.seconds, cpu)
        new_warnings = [w for w in report.warnings if w not in self._warned]
        self._warned = frozenset(report.warnings)
        for warning in new_warnings:
            self.say(warning.format(), err=True)
        if not self.options.quiet:
            self.say(report.summary() if before.number == 0 else rebuilt_line(report))
        if before.number and (report.changes.count or not before.ok):
            self._reload()

    def _failed(self, before: BuildState, lines: tuple[str, ...]) -> None:
        self.state = BuildState(before.number + 1, False, before.good, lines, before.prefix)
        for line in lines:
            self.say(line, err=True)
        kept = "still serving the last good build" if before.good else "serving an error page until a build succeeds"
        self.say(f"Build failed: {plural(len(lines), 'error')}; {kept}.", err=True)
        if before.number and (before.ok or before.lines != lines):
            self._reload()

    def _internal(self, err: Exception) -> str:
        message = self._relative(f"error: internal failure: {type(err).__name__}: {err}")
        if self.options.debug:
            self.say("".join(traceback.format_exception(err)).rstrip(), err=True)
            return message
        return f"{message} (run with --debug for details)"

    def _relative(self, text: str) -> str:
        """No absolute path of this machine in what the overlay and status.json show (a page
        served to others could read them): paths relative to the project or the served folder."""
        return without_absolute_paths(text, {self.root: "", self.out_dir: "", self.code_dir.parent: ""})

    def _reload(self) -> None:
        if self.options.livereload and self.loop is not None:
            self.loop.add_callback(self._send_reload)

    def _send_reload(self) -> None:
        self.reloads += 1
        LiveReloadHandler.reload_waiters("*")  # '*' matches no stylesheet or image: a full page reload

    # Serving ---------------------------------------------------------------

    def wsgi(self, environ: dict, start_response: Callable) -> list[bytes]:
        """The WSGI app livereload wraps: the last good build, plus the overlay while failing."""
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        if method in ("GET", "HEAD"):
            status, headers, body = self.respond(path)
        else:
            status, headers, body = _response("405 Method Not Allowed", "text/plain; charset=utf-8", b"GET or HEAD only\n", [("Allow", "GET, HEAD")])
        start_response(status, headers + [("Cache-Control", "no-store")])
        return [b"" if method == "HEAD" else body]

    def respond(self, path: str) -> Response:
        """status, headers and body for a decoded request path."""
        state = self.state
        if path == STATUS_URL:
            return _response("200 OK", "application/json", self.status_json())
        if not state.good:
            return self._html("503 Service Unavailable", NO_BUILD_PAGE, state)
        if path == "/" and state.prefix != "/":
            return _response("302 Found", "text/plain; charset=utf-8", b"", [("Location", state.prefix)])
        relative = path[len(state.prefix):] if path.startswith(state.prefix) else None
        if relative is not None and not safe_relative(relative):
            return _response("403 Forbidden", "text/plain; charset=utf-8", b"Forbidden\n")
        return self._file(path, relative, state)

    def _file(self, path: str, relative: Optional[str], state: BuildState) -> Response:
        served = self.out_dir.resolve()
        target = (served / relative).resolve() if relative is not None else None
        if target is not None and not target.is_relative_to(served):  # a symlink pointing out
            return _response("403 Forbidden", "text/plain; charset=utf-8", b"Forbidden\n")
        if target is not None and target.is_dir():
            if relative and not relative.endswith("/"):
                return _response("301 Moved Permanently", "text/plain; charset=utf-8", b"", [("Location", quote(path + "/"))])
            target = target / "index.html"
        try:
            body = target.read_bytes() if target is not None and target.is_file() else None
        except OSError:  # swapped away between the check and the read
            body = None
        if body is None:
            return self._not_found(served, state)
        if content_type(target).startswith("text/html"):
            return self._html("200 OK", body, state)
        return _response("200 OK", content_type(target), body)

    def _not_found(self, served: Path, state: BuildState) -> Response:
        page = served / "404.html"
        if page.is_file():
            return self._html("404 Not Found", page.read_bytes(), state)
        return _response("404 Not Found", "text/plain; charset=utf-8", b"Not found\n")

    def _html(self, status: str, body: bytes, state: BuildState) -> Response:
        if not state.ok and state.number:
            body = inject_overlay(body, overlay_html(state.lines, state.good))
        return _response(status, "text/html; charset=utf-8", body)

    def status_json(self) -> bytes:
        """The state of the preview, for scripts and tests."""
        state = self.state
        clients = len(LiveReloadHandler.waiters) if self.options.livereload else 0
        status = {"build": state.number, "ok": state.ok, "errors": list(state.lines), "seconds": round(state.seconds, 3),
                  "cpu_seconds": round(state.cpu_seconds, 3), "reloads": self.reloads, "clients": clients}
        return json.dumps(status, sort_keys=True).encode()
