"""`explainer serve` is a local preview: it survives any chart, stops when told, and answers only its own pages.

A chart that loops or kills its worker is an error in the overlay and status.json while
the preview goes on serving; SIGTERM and Ctrl-C stop it within seconds even in the middle
of a stuck build, removing its temporary folder and its workers (these run the preview as
a child process, as a person does). A request naming another host (DNS rebinding) is
answered 421, a live-reload socket from another origin is refused and their number is
capped, there is no GET /forcereload, a non-loopback --host is warned about, and no
message shows an absolute path of the machine.
"""

from __future__ import annotations

import asyncio
import threading
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from generator import localonly
from generator import serve as serve_module
from generator.localonly import allowed_host
from generator.serve import Preview, ServeOptions
from test_serve import free_port, get, start, wait_until  # noqa: F401 - start is a fixture
from test_workers import ABORT, LOOP, processes_naming

REPO = Path(__file__).resolve().parent.parent


class ServeProcess:
    """`explainer serve` in a child process, with its own temporary folder (TMPDIR)."""

    def __init__(self, root: Path, tmp: Path, *args: str):
        self.root, self.port, self.tmp = root, free_port(), tmp / "serve-tmp"
        self.tmp.mkdir()
        self.out, self.err = (tmp / "serve.out").open("w+"), (tmp / "serve.err").open("w+")
        env = {**os.environ, "TMPDIR": str(self.tmp)}
        # Ctrl-C at its default, as a shell gives it to a job it starts: a process that ignores
        # SIGINT passes that on to its children, and Python then never raises KeyboardInterrupt.
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", str(self.port), *args],
                                        cwd=REPO, env=env, stdout=self.out, stderr=self.err,
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def status(self) -> dict:
        try:
            return json.loads(get(self.port, "/__explainer__/status.json")[2])
        except OSError:
            return {}

    def wait_for(self, condition, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, f"the preview died: {self.said()}"
            assert time.monotonic() < deadline, f"timed out; status {self.status()}; said {self.said()}"
            time.sleep(0.1)

    def said(self) -> str:
        self.err.seek(0)
        self.out.seek(0)
        return self.out.read() + self.err.read()

    def stop_with(self, signum: int) -> float:
        """Send `signum`; seconds until the preview exited (it must exit 0)."""
        started = time.monotonic()
        self.process.send_signal(signum)
        try:
            assert self.process.wait(30) == 0, self.said()
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running 30 s after signal {signum} (SIGINT in the tests' process: "
                                 f"{signal.getsignal(signal.SIGINT)}); it said: {self.said()}") from None
        return time.monotonic() - started

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.out.close()
        self.err.close()


@pytest.fixture
def serve_process(tmp_path):
    running = []

    def run(root: Path, *args: str) -> ServeProcess:
        running.append(ServeProcess(root, tmp_path, *args))
        return running[-1]

    yield run
    for preview in running:
        preview.close()


def assert_gone_cleanly(preview: ServeProcess, seconds: float) -> None:
    assert seconds < 5, f"took {seconds:.1f} s to stop"
    assert "Stopped." in preview.said()
    assert list(preview.tmp.iterdir()) == []  # its temporary folder is removed
    assert processes_naming(str(preview.root)) == []  # and no worker is left


def test_a_preview_outlives_charts_that_hang_or_crash_and_stops_on_sigterm(make_site, serve_process):
    root = make_site()
    preview = serve_process(root, "--chart-timeout", "3")
    preview.wait_for(lambda: preview.status().get("ok"))

    (root / "site_src/charts/loop.py").write_text(LOOP)
    timeout = "site_src/charts/loop.py:4: error: chart 'loops' did not finish within 3 s (--chart-timeout)"
    preview.wait_for(lambda: preview.status().get("errors") == [timeout])
    status, _, page = get(preview.port, "/explainers/lane2/")
    assert status == 200 and "SpaceX is expected to fly" in page.decode()  # the last good build, still served
    assert "did not finish within 3 s (--chart-timeout)" in page.decode()  # under the overlay

    (root / "site_src/charts/loop.py").unlink()
    (root / "site_src/charts/boom.py").write_text(ABORT)
    crash = "site_src/charts/boom.py:6: error: chart 'boom' crashed the worker running it (SIGABRT)"
    preview.wait_for(lambda: preview.status().get("errors") == [crash])
    assert preview.process.poll() is None

    (root / "site_src/charts/boom.py").unlink()
    preview.wait_for(lambda: preview.status().get("ok"))
    assert_gone_cleanly(preview, preview.stop_with(signal.SIGTERM))


def test_sigterm_stops_a_preview_whose_rebuild_is_stuck_in_a_chart(make_site, serve_process):
    root = make_site()
    preview = serve_process(root)  # the default limit, 60 s: the build is still stuck when the signal comes
    preview.wait_for(lambda: preview.status().get("ok"))
    (root / "site_src/charts/loop.py").write_text(LOOP)
    preview.wait_for(lambda: "Running chart 'loops' · " in preview.said())
    assert_gone_cleanly(preview, preview.stop_with(signal.SIGTERM))


def test_ctrl_c_stops_a_preview_whose_first_build_is_stuck_in_a_chart(make_site, serve_process):
    root = make_site({"site_src/charts/loop.py": LOOP})
    preview = serve_process(root)
    preview.wait_for(lambda: "Running chart 'loops' · " in preview.said())
    assert_gone_cleanly(preview, preview.stop_with(signal.SIGINT))


# Local only -------------------------------------------------------------------------------

def get_as(port: int, path: str, host: str) -> tuple[int, bytes]:
    """A GET whose Host header says `host`, as a page on a rebinding domain sends it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_a_request_naming_another_host_is_misdirected(start):
    site = start()
    port = site.port
    for host in ("attacker.example", f"attacker.example:{port}", f"127.0.0.1.attacker.example:{port}", f"localhost:{port + 1}", "127.0.0.1"):
        for path in ("/", "/explainers/lane2/", "/__explainer__/status.json", "/livereload.js"):
            status, body = get_as(port, path, host)
            assert status == 421, (host, path)
            assert b"SpaceX" not in body and b'"build"' not in body
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert get_as(port, "/explainers/lane2/", host)[0] == 200, host


def test_which_hosts_the_preview_answers_to():
    assert allowed_host("preview.lan:8000", "preview.lan", 8000) and not allowed_host("other.lan:8000", "preview.lan", 8000)
    assert allowed_host("192.168.1.20:8000", "0.0.0.0", 8000)  # an address cannot be rebound: fine on a wildcard --host
    assert not allowed_host("192.168.1.20:8000", "127.0.0.1", 8000)
    assert allowed_host("localhost", "127.0.0.1", 80) and not allowed_host("localhost", "127.0.0.1", 8000)
    assert not allowed_host("localhost:x", "127.0.0.1", 8000) and not allowed_host("", "127.0.0.1", 8000)


def test_there_is_no_get_trigger_that_reloads_every_open_page(start):
    site = start()
    status, _, body = get(site.port, "/forcereload?path=x")
    assert status == 404 and body != b"ok"
    assert json.loads(get(site.port, "/__explainer__/status.json")[2])["reloads"] == 0
    # The preview drew its charts in workers: its own process, which forks them, never loads vl-convert.
    assert "vl_convert" not in sys.modules


async def open_socket(port: int, origin: str | None):
    headers = {"Origin": origin} if origin else {}
    return await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers))


def run_in_own_loop(coroutine_function) -> None:
    """Run a client coroutine on an event loop of its own thread: an earlier test of the session
    (the preview's Tornado loop) can leave a loop set in this thread, where asyncio.run refuses."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine_function())
        except BaseException as err:  # handed back to the test's thread
            failure.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the client coroutine did not finish within 60 s"
    if failure:
        raise failure[0]


def test_a_live_reload_socket_from_another_origin_is_refused(start):
    site = start()

    async def attempt() -> None:
        with pytest.raises(HTTPClientError) as refused:
            await open_socket(site.port, "http://attacker.example")
        assert refused.value.code == 403
        own = await open_socket(site.port, f"http://127.0.0.1:{site.port}")  # the preview's own page
        await own.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(await own.read_message())["command"] == "hello"
        own.close()

    run_in_own_loop(attempt)


def test_live_reload_sockets_are_capped(start, monkeypatch):
    monkeypatch.setattr(localonly, "MAX_CLIENTS", 2)
    site = start()

    async def attempt() -> None:
        kept = [await open_socket(site.port, None) for _ in range(2)]
        extra = await open_socket(site.port, None)
        assert await extra.read_message() is None and extra.close_code == 1013  # closed at once: try again later
        await kept[0].write_message(json.dumps({"command": "hello", "protocols": []}))
        assert json.loads(await kept[0].read_message())["command"] == "hello"
        for conn in kept:
            conn.close()

    run_in_own_loop(attempt)


def test_a_preview_shown_to_the_network_says_it_is_for_local_development_only(make_site):
    root, said = make_site(), []
    for host in ("0.0.0.0", "192.168.1.20", "127.0.0.1", "localhost", "::1"):
        preview = Preview(ServeOptions(root, host=host, port=8000), lambda text, err=False: said.append((host, text, err)))
        preview.announce()
        shutil.rmtree(preview.temp)
    warnings = [(host, text) for host, text, err in said if err]
    assert warnings == [(host, f"warning: --host {host} shows the preview to other computers, with drafts and error details; explainer serve "
                               "is for local development only: publish the built output/ folder with a real web server")
                        for host in ("0.0.0.0", "192.168.1.20")]


# No absolute paths -----------------------------------------------------------------------

def test_an_internal_failure_in_the_preview_shows_no_absolute_path(start, monkeypatch):
    site = start()
    staged = site.preview.out_dir.parent / ".site.staging-x1y2/embed/charts.json"

    def failing_build(*args, **kwargs):
        raise IsADirectoryError(21, "Is a directory", str(staged))

    monkeypatch.setattr(serve_module, "build", failing_build)
    site.edit("site_src/explainers/lane2.md", "## The split", "## Failing")
    line = "error: internal failure: IsADirectoryError: [Errno 21] Is a directory: 'embed/charts.json' (run with --debug for details)"
    assert json.loads(get(site.port, "/__explainer__/status.json")[2])["errors"] == [line]
    page = site.page()
    assert "Is a directory: &#x27;embed/charts.json&#x27;" in page or "Is a directory: 'embed/charts.json'" in page
    assert str(site.preview.temp) not in page and str(site.root) not in page


def test_an_internal_failure_on_the_command_line_shows_no_absolute_path(make_site, cli, monkeypatch):
    from generator import cli as cli_module

    root = make_site()

    def failing_build(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", str(root.resolve() / "output/embed/x/chart.png"))

    monkeypatch.setattr(cli_module, "run_build", failing_build)
    result = cli("build", "--root", root)
    assert result.exit_code == 1
    assert result.stderr == ("error: internal failure: FileNotFoundError: [Errno 2] No such file or directory: 'output/embed/x/chart.png' "
                             "(run with --debug for details)\n")
