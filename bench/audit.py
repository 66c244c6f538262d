"""Lighthouse audit of the built site: `make audit`.

    python bench/audit.py [--out DIR | --site DIR] [--runs N] [--min 95] [--reports DIR] [--page PATH ...]

Builds the site (into a temporary folder unless --out is given), serves it on
127.0.0.1 with the response headers Netlify would send (the built site's
`_headers` file and netlify.toml's [[headers]]: every matching rule applies,
repeated names are joined, as Netlify does), gzip for text files and Netlify's default `Cache-Control` for pages,
then runs Lighthouse (mobile, default simulated throttling) with Debian's
Chromium on the home page, an explainer and an embed page. Prints the four
category scores per page and, for every category under 100, the audits that
cost points (with the elements or files they name). Exits 1 if any score is
under --min (95).

Lighthouse comes from the npm package `lighthouse`, installed into tools/audit/
from its package-lock.json by the Makefile target; --lighthouse and CHROME_PATH override the two programs.
With --runs N each page is audited N times and the run with the median
performance score is reported (the performance score moves with machine load;
the other three categories do not).
"""

from __future__ import annotations

import argparse
import gzip
import json
import mimetypes
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LIGHTHOUSE = ROOT / "tools" / "audit" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
PAGES = ("/", "/explainers/lane2-awards/", "/explainers/launch-cadence/", "/embed/lane2-split/")
CATEGORIES = (("performance", "perf"), ("accessibility", "a11y"),
              ("best-practices", "best pr."), ("seo", "SEO"))
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/rss+xml", "application/atom+xml", "image/svg+xml")
# Netlify's own default for files no rule gives a Cache-Control.
NETLIFY_DEFAULT_CACHE = "public, max-age=0, must-revalidate"


# --- the server ---------------------------------------------------------------------------------

def header_rules(netlify_toml: Path) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """[[headers]] rules from netlify.toml as (path pattern, headers); `*` is Netlify's splat."""
    data = tomllib.loads(netlify_toml.read_text(encoding="utf-8"))
    rules = []
    for rule in data.get("headers", []):
        pattern = "^" + re.escape(rule["for"]).replace(r"\*", ".*") + "$"
        rules.append((re.compile(pattern), {k: str(v) for k, v in rule.get("values", {}).items()}))
    return rules


def headers_file_rules(headers_file: Path) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """Rules of a `_headers` file (a path line, then indented 'Name: value' lines)."""
    rules: list[tuple[re.Pattern[str], dict[str, str]]] = []
    for line in headers_file.read_text(encoding="utf-8").splitlines() if headers_file.is_file() else []:
        if line.startswith("/"):
            rules.append((re.compile("^" + re.escape(line.strip()).replace(r"\*", ".*") + "$"), {}))
        elif line.strip() and not line.lstrip().startswith("#") and rules:
            name, _, value = line.strip().partition(": ")
            rules[-1][1][name] = value
    return rules


def headers_for(path: str, rules) -> dict[str, str]:
    """Every matching rule applies; a name set by two rules is sent once, values joined by ', '."""
    out: dict[str, str] = {}
    for pattern, values in rules:
        if pattern.match(path):
            for name, value in values.items():
                out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def make_handler(site: Path, rules):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "audit"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def _serve(self, send_body: bool) -> None:
            path = unquote(urlsplit(self.path).path) or "/"
            rel = posixpath.normpath(path).lstrip("/")
            target = (site / rel).resolve() if rel not in ("", ".") else site
            status = 200
            if site not in target.parents and target != site:
                target, status = site / "404.html", 404
            elif target.is_dir():
                if not path.endswith("/"):  # Netlify's pretty URLs: the folder's address ends in /
                    self._reply(301, b"", "text/plain", {"Location": path + "/"}, send_body)
                    return
                target = target / "index.html"
            if status == 200 and not target.is_file():
                target, status = site / "404.html", 404
            body = target.read_bytes() if target.is_file() else b"Not found"
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            headers = headers_for(path, rules)
            headers.setdefault("Cache-Control", NETLIFY_DEFAULT_CACHE)
            self._reply(status, body, ctype, headers, send_body)

        def _reply(self, status: int, body: bytes, ctype: str, headers: dict[str, str], send_body: bool) -> None:
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
                ctype += "; charset=utf-8"
            if body and ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, compresslevel=6)
                headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

    return Handler


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site.resolve(), headers_file_rules(site / "_headers") + header_rules(ROOT / "netlify.toml")))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# --- Lighthouse ---------------------------------------------------------------------------------

def lighthouse(lh: Path, chrome: str, url: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run (its default config: mobile form factor, simulated throttling)."""
    cmd = [str(lh), url, "--output=json", f"--output-path={report}", "--quiet",
           f"--chrome-flags={CHROME_FLAGS}"]
    proc = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": chrome},
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise SystemExit(f"lighthouse on {url}: {data['runtimeError'].get('message')}")
    return data


def scores(lhr: dict[str, Any]) -> dict[str, int | None]:
    out = {}
    for cid, _ in CATEGORIES:
        score = lhr["categories"].get(cid, {}).get("score")
        out[cid] = None if score is None else round(score * 100)
    return out


def costs(lhr: dict[str, Any], cid: str) -> list[tuple[float, str, str, list[str]]]:
    """Audits that cost this category points: (points lost, id, title + value, elements/files)."""
    refs = lhr["categories"][cid]["auditRefs"]
    total = sum(r["weight"] for r in refs) or 1
    out = []
    for ref in refs:
        audit = lhr["audits"].get(ref["id"], {})
        score = audit.get("score")
        if ref["weight"] <= 0 or score is None or score >= 1:
            continue
        lost = ref["weight"] * (1 - score) / total * 100
        label = audit.get("title", ref["id"])
        if audit.get("displayValue"):
            label += f" ({audit['displayValue']})"
        out.append((lost, ref["id"], label, where(audit)))
    return sorted(out, reverse=True)


def where(audit: dict[str, Any], limit: int = 6) -> list[str]:
    """The elements or files an audit names (selector, snippet or URL, with any explanation)."""
    found = []
    for item in (audit.get("details") or {}).get("items", [])[:limit]:
        node = item.get("node") if isinstance(item.get("node"), dict) else None
        if node:
            text = node.get("selector") or node.get("snippet") or "?"
            if node.get("explanation"):
                text += " - " + " ".join(node["explanation"].split())[:200]
            found.append(text)
        elif isinstance(item.get("url"), str):
            found.append(item["url"])
        elif isinstance(item.get("source"), dict) and item["source"].get("url"):
            found.append(item["source"]["url"])
        elif item.get("description"):
            text = str(item["description"])[:200]
            located = item.get("sourceLocation") if isinstance(item.get("sourceLocation"), dict) else {}
            found.append(f"{located['url']}: {text}" if located.get("url") else text)
    return found


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["categories"]["performance"]["score"] or 0)
    return ordered[(len(ordered) - 1) // 2]


# --- main ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="build into this folder (default: a temporary one)")
    ap.add_argument("--site", type=Path, help="audit this already built folder as it is (no build)")
    ap.add_argument("--page", action="append", dest="pages", help=f"path to audit (default: {' '.join(PAGES)})")
    ap.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median by performance is kept")
    ap.add_argument("--min", type=int, default=95, help="lowest passing score (default 95)")
    ap.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    ap.add_argument("--lighthouse", type=Path, default=LIGHTHOUSE)
    args = ap.parse_args(argv)
    pages = args.pages or list(PAGES)
    chrome = os.environ.get("CHROME_PATH") or CHROMIUM

    if not args.lighthouse.exists():
        print(f"no Lighthouse at {args.lighthouse}: run `make audit`, which installs it", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="audit-"))
    try:
        site = args.site or args.out or tmp / "site"
        if not args.site:
            built = subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(site)], cwd=ROOT)
            if built.returncode != 0:
                print("build failed", file=sys.stderr)
                return built.returncode
        reports = args.reports or tmp / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        server, base = serve(site)
        version = subprocess.run([str(args.lighthouse), "--version"], capture_output=True, text=True).stdout.strip()
        print(f"Lighthouse {version}, {chrome}, mobile (default throttling), {args.runs} run(s) per page, at {base}")
        results = {}
        try:
            for page in pages:
                runs = []
                for i in range(args.runs):
                    name = (page.strip("/").replace("/", "_") or "home") + (f".{i + 1}" if args.runs > 1 else "")
                    runs.append(lighthouse(args.lighthouse, chrome, base + page, reports / f"{name}.json"))
                results[page] = (median_run(runs), [scores(r)["performance"] for r in runs])
        finally:
            server.shutdown()

        width = max(len(p) for p in pages)
        print()
        print(f"{'page':<{width}}  " + "  ".join(f"{short:>8}" for _, short in CATEGORIES))
        failed = False
        for page, (lhr, _) in results.items():
            s = scores(lhr)
            cells = []
            for cid, _ in CATEGORIES:
                v = s[cid]
                low = v is None or v < args.min
                failed |= low
                cells.append(f"{('-' if v is None else v):>7}{'!' if low else ' '}")
            print(f"{page:<{width}}  " + "  ".join(cells))
        if args.runs > 1:
            for page, (_, perf) in results.items():
                print(f"  performance over {args.runs} runs on {page}: {perf}")
        for page, (lhr, _) in results.items():
            s = scores(lhr)
            for cid, _ in CATEGORIES:
                if s[cid] is not None and s[cid] >= 100:
                    continue
                print(f"\n{page} {cid} {s[cid]}: audits that cost points")
                for lost, aid, label, places in costs(lhr, cid):
                    print(f"  -{lost:4.1f}  {aid}: {label}")
                    for place in places:
                        print(f"           {place}")
        print(f"\nJSON reports: {reports if args.reports else '(temporary; keep them with --reports DIR)'}")
        print(f"{'FAIL' if failed else 'OK'}: every score {'must be' if failed else 'is'} at least {args.min}")
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
