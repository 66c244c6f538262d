"""Checking a built site without a browser: links, anchors, assets, alt text, charts, metadata.

Everything here is a pure function over `{output path: bytes}`, so the same
code checks the in-memory outputs of `build --strict` (before anything is
written) and a built folder for `explainer check`. Pages are parsed with the
standard library's `html.parser`; problems point at the output file, line and
column of the tag (the attribute where there is one).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional
from urllib.parse import unquote, urljoin, urlsplit

from .cache import Cache
from .inputs import code_version
from .charts import check_chart_meta, find_chart_files, load_charts
from .config import Config
from .data import load_site_data
from .errors import BuildFailed, Problem, raise_if_any
from .markdown import UNSAFE

# Attributes that make the browser fetch something, by tag: (attribute, kind of thing fetched).
FETCHED = {
    "img": (("src", "image"), ("srcset", "image")),
    "source": (("src", "media"), ("srcset", "image")),
    "script": (("src", "script"),),
    "iframe": (("src", "frame"),),
    "video": (("src", "media"), ("poster", "image")),
    "audio": (("src", "media"),),
    "track": (("src", "media"),),
    "embed": (("src", "embedded file"),),
    "object": (("data", "embedded file"),),
}
# site.js fetches these when a chart goes live.
FETCHED_DATA = (("data-spec", "chart spec"), ("data-vega", "script"), ("data-themes", "chart themes"))
LINK_FETCHES = {"stylesheet": "stylesheet", "icon": "icon", "apple-touch-icon": "icon", "manifest": "manifest",
                "preload": "preloaded file", "modulepreload": "script", "prefetch": "prefetched file"}
NOT_FETCHED_SCHEMES = {"mailto", "tel", "javascript", "data", "blob", "about", "sms"}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Ref:
    """One URL in a file: what it is for, where it was written."""

    url: str
    kind: str  # "link" for navigation (another host is fine); anything else is fetched
    line: int
    col: int


@dataclass(frozen=True)
class ChartFound:
    chart_id: str
    line: int
    col: int
    description: str
    source_links: int


@dataclass
class PageScan:
    """What one HTML page says, as far as the checks care."""

    refs: list[Ref] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    charts: list[ChartFound] = field(default_factory=list)
    problems: list[tuple[int, int, str]] = field(default_factory=list)


def check_outputs(outputs: Mapping[str, bytes], base_url: str, prefix: str = "") -> list[Problem]:
    """Every problem in the built pages and stylesheets; paths shown as `prefix` + output path."""
    scans = {path: scan_page(body.decode("utf-8", "replace")) for path, body in outputs.items() if path.endswith(".html")}
    problems: list[Problem] = []
    for path, scan in scans.items():
        found = scan.problems + chart_problems(scan.charts) + ref_problems(scan.refs, path, base_url, outputs, scans)
        problems += [Problem(prefix + path, line, col, message) for line, col, message in found]
    for path in (p for p in outputs if p.endswith(".css")):
        found = ref_problems(css_refs(outputs[path].decode("utf-8", "replace"), 1, 1), path, base_url, outputs, scans)
        problems += [Problem(prefix + path, line, col, message) for line, col, message in found]
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.message))


def chart_problems(charts: list[ChartFound]) -> list[tuple[int, int, str]]:
    found = []
    for chart in charts:
        if not chart.description.strip():
            found.append((chart.line, chart.col, f"chart '{chart.chart_id}' has no description"))
        if not chart.source_links:
            found.append((chart.line, chart.col, f"chart '{chart.chart_id}' names no source"))
    return found


def ref_problems(refs: list[Ref], path: str, base_url: str, outputs: Mapping[str, bytes], scans: Mapping[str, PageScan]) -> list[tuple[int, int, str]]:
    found = []
    for ref in refs:
        message = ref_problem(ref, path, base_url, outputs, scans)
        if message:
            found.append((ref.line, ref.col, message))
    return found


def ref_problem(ref: Ref, path: str, base_url: str, outputs: Mapping[str, bytes], scans: Mapping[str, PageScan]) -> Optional[str]:
    """Why `ref`, written in output file `path`, is wrong; None when it is fine."""
    written = urlsplit(ref.url.strip())
    if written.scheme.lower() in NOT_FETCHED_SCHEMES:
        return None
    if ref.kind != "link" and written.netloc:
        return f"{ref.kind} '{ref.url}' loads from another host ({written.netloc}); serve it from the site"
    target = site_path(urljoin(page_address(base_url, path), ref.url.strip()), base_url)
    if target is None:
        return None  # a link to another site
    file, fragment = target
    if file is None:
        return f"{ref.kind} '{ref.url}' does not resolve: it leaves the site root '{site_root(base_url)}'"
    found = file if file in outputs else file + "/index.html" if file + "/index.html" in outputs else None
    if found is None:
        return f"{ref.kind} '{ref.url}' does not resolve: no file '{file}' in the site{closest_url(file, outputs, base_url)}"
    return anchor_problem(ref, found, fragment, path, scans)


def anchor_problem(ref: Ref, file: str, fragment: str, path: str, scans: Mapping[str, PageScan]) -> Optional[str]:
    if not fragment or fragment == "top" or file not in scans or fragment in scans[file].ids:
        return None
    close = difflib.get_close_matches(fragment, sorted(scans[file].ids), n=1, cutoff=0.6)
    hint = f" (did you mean '#{close[0]}'?)" if close else ""
    if file == path:
        return f"{ref.kind} '{ref.url}' points to no element on this page{hint}"
    return f"{ref.kind} '{ref.url}': {file} has no element with id '{fragment}'{hint}"


def closest_url(file: str, outputs: Mapping[str, bytes], base_url: str) -> str:
    """' (did you mean '/x/'?)' for a close output file, written as a URL; or ''."""
    urls = {urlsplit(page_address(base_url, path)).path: path for path in outputs}
    wanted = urlsplit(page_address(base_url, file)).path
    close = difflib.get_close_matches(wanted, sorted(urls), n=1, cutoff=0.8)
    return f" (did you mean '{close[0]}'?)" if close else ""


def page_address(base_url: str, path: str) -> str:
    """The deployed URL of output file `path` ('a/index.html' -> base + 'a/')."""
    base = urlsplit(base_url)
    url_path = path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path
    return f"{base.scheme}://{base.netloc}{site_root(base_url)}{url_path}"


def site_root(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def site_path(url: str, base_url: str) -> Optional[tuple[Optional[str], str]]:
    """(output file, fragment) for a URL on this host (file None outside the site root); None for other hosts."""
    parts, base = urlsplit(url), urlsplit(base_url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != base.netloc.lower():
        return None
    root, fragment = site_root(base_url), unquote(parts.fragment)
    if not parts.path.startswith(root):
        return None, fragment
    file = unquote(parts.path[len(root):])
    return (file + "index.html" if file == "" or file.endswith("/") else file), fragment


def css_refs(css: str, line: int, col: int) -> list[Ref]:
    """url() and @import references in CSS text that starts at (line, col) of its file."""
    css = CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    refs = []
    for match in CSS_URL.finditer(css):
        url = next(g for g in match.groups() if g is not None)
        if url:
            at_line, at_col = advance(line, col, css[: match.start()])
            refs.append(Ref(url, "CSS url()", at_line, at_col))
    return refs


def advance(line: int, col: int, text: str) -> tuple[int, int]:
    """The position reached after `text`, starting at (line, col)."""
    newlines = text.count("\n")
    if not newlines:
        return line, col + len(text)
    return line + newlines, len(text) - text.rfind("\n")


def scan_page(html: str) -> PageScan:
    """Parse one page: its references, ids, charts and page-level problems."""
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser.finish()


class PageParser(HTMLParser):
    """Collects what the checks need in one pass over a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self.page = {"lang": "", "title": "", "description": "", "html_at": (1, 1), "head_at": (1, 1), "in_body": False}
        self.captures: list[list] = []  # [what the text is for, tag, same-name tags nested inside]
        self.chart: Optional[dict] = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = {name: value or "" for name, value in attrs}
        line, col = self.getpos()[0], self.getpos()[1] + 1
        where = self._locator(line, col)
        captures = len(self.captures)
        self.scan.ids.update(attrs[name] for name in ("id", "name") if attrs.get(name))
        self._note_page(tag, attrs, (line, col))
        self._note_chart(tag, attrs, (line, col))
        if len(self.captures) == captures and self.captures and self.captures[-1][1] == tag:
            self.captures[-1][2] += 1  # the same element nested inside a capture
        for attr, kind in refs_of(tag, attrs):
            urls = srcset_urls(attrs[attr]) if attr.endswith("srcset") else [attrs[attr]]
            self.scan.refs += [Ref(url, kind, *where(attr)) for url in urls if url.strip()]
        if tag == "img" and not has_alt(attrs):
            self.scan.problems.append((*where("alt" if "alt" in attrs else None), f"image '{attrs.get('src', '')}' has no alt text"))
        if "style" in attrs:
            at = where("style")
            self.scan.refs += css_refs(attrs["style"], at[0], at[1] + len('style="'))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        depth = len(self.captures)
        self.handle_starttag(tag, attrs)
        del self.captures[depth:]  # a self-closed element holds no text

    def _locator(self, line: int, col: int):
        """where(attribute) -> (line, col) of the attribute in the current start tag, else of the tag."""
        text = self.get_starttag_text() or ""

        def where(attr: Optional[str]) -> tuple[int, int]:
            found = re.search(r"\s" + re.escape(attr) + r"\s*=", text, re.I) if attr else None
            return advance(line, col, text[: found.start() + 1]) if found else (line, col)

        return where

    def _note_page(self, tag: str, attrs: dict, at: tuple[int, int]) -> None:
        if tag in ("html", "head"):
            self.page[f"{tag}_at"] = at
            self.page["lang"] = attrs.get("lang", "") if tag == "html" else self.page["lang"]
        elif tag == "body":
            self.page["in_body"] = True
        elif tag == "title" and not self.page["in_body"]:  # not an inline SVG's <title>
            self.captures.append(["title", tag, 0])
        elif tag == "meta" and attrs.get("name", "").lower() == "description":
            self.page["description"] = attrs.get("content", "")
        elif tag == "style":
            self.captures.append(["style", tag, 0])

    def _note_chart(self, tag: str, attrs: dict, at: tuple[int, int]) -> None:
        classes = attrs.get("class", "").split()
        if tag == "figure" and "chart" in classes and self.chart is None:
            self.chart = {"id": attrs.get("data-chart") or attrs.get("id", ""), "at": at, "desc": "", "sources": 0, "depth": 0}
        if self.chart is None:
            return
        self.chart["depth"] += tag == "figure"
        if "chart-desc" in classes or "chart-source" in classes:
            self.captures.append(["desc" if "chart-desc" in classes else "source", tag, 0])
        elif tag == "a" and attrs.get("href") and any(c[0] == "source" for c in self.captures):
            self.chart["sources"] += 1

    def handle_data(self, data: str) -> None:
        what = self.captures[-1][0] if self.captures else None
        if what == "title":
            self.page["title"] += data
        elif what == "desc" and self.chart is not None:
            self.chart["desc"] += data
        elif what == "style":
            line, col = self.getpos()
            self.scan.refs += css_refs(data, line, col + 1)

    def handle_endtag(self, tag: str) -> None:
        if self.captures and self.captures[-1][1] == tag:
            if self.captures[-1][2]:
                self.captures[-1][2] -= 1
            else:
                self.captures.pop()
        if tag == "figure" and self.chart is not None:
            self.chart["depth"] -= 1
            if self.chart["depth"] == 0:
                chart, self.chart = self.chart, None
                self.scan.charts.append(ChartFound(chart["id"], *chart["at"], chart["desc"], chart["sources"]))

    def finish(self) -> PageScan:
        page = self.page
        for missing, at, message in ((page["lang"], "html_at", "page has no lang attribute on <html>"),
                                     (page["title"], "head_at", "page has no <title>"),
                                     (page["description"], "head_at", "page has no meta description")):
            if not missing.strip():
                self.scan.problems.append((*page[at], message))
        return self.scan


def refs_of(tag: str, attrs: dict) -> Iterator[tuple[str, str]]:
    """(attribute, kind) for each URL-bearing attribute of a tag."""
    if tag in ("a", "area") and "href" in attrs:
        yield "href", "link"
    if tag == "link" and "href" in attrs:
        fetched = [LINK_FETCHES[r] for r in attrs.get("rel", "").lower().split() if r in LINK_FETCHES]
        yield "href", fetched[0] if fetched else "link"
    if tag == "input" and attrs.get("type", "").lower() == "image" and "src" in attrs:
        yield "src", "image"
    for attr, kind in FETCHED.get(tag, ()) + FETCHED_DATA:
        if attr in attrs:
            yield attr, kind


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset, parsed as HTML does: 'url [descriptors]' candidates separated by commas."""
    urls, rest = [], srcset
    while True:
        rest = rest.lstrip(" \t\n\r\f,")
        if not rest:
            return urls
        url = re.match(r"[^\s]+", rest).group()
        rest = rest[len(url):]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            rest = re.sub(r"^[^,(]*(\([^)]*\)[^,(]*)*", "", rest)  # the descriptors, up to the next comma
        urls.append(url)


def has_alt(attrs: dict) -> bool:
    """Alt text, or an explicit mark that the image is decorative."""
    decorative = attrs.get("role", "").lower() in ("presentation", "none") or attrs.get("aria-hidden", "").lower() == "true"
    return bool(attrs.get("alt", "").strip()) or ("alt" in attrs and decorative)


def read_outputs(folder: Path) -> dict[str, bytes]:
    """A built site folder as {output path: bytes}, like render_site() returns."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_sources(config: Config, cache: Cache) -> list[Problem]:
    """Source problems the pages cannot show: records and charts citing unknown sources, charts without a description."""
    src = config.src_dir
    try:
        data = load_site_data(src, config.shown)
        charts = load_charts(find_chart_files(src / "charts"), data, cache, config.shown, code_version())
    except BuildFailed as failed:
        return list(failed.problems)
    return check_chart_meta(charts, data) + unsafe_markdown(config, data, charts, cache)


def unsafe_markdown(config: Config, data: Any, charts: dict, cache: Cache) -> list[Problem]:
    """Script in the Markdown (<script>, on*= attributes, javascript: and data: URLs) at its
    file:line, as errors: in the built pages it could only be pointed at in the output."""
    from .site import find_markdown_files, make_site

    src = config.src_dir
    try:
        site = make_site(config, data, charts, find_markdown_files(src / "explainers"), find_markdown_files(src / "pages"), cache)
    except BuildFailed as failed:
        return list(failed.problems)
    return [replace(w, severity="error") for w in site.warnings if w.message.startswith(UNSAFE)]


def check_site(config: Config, cache: Cache) -> tuple[list[Problem], int]:
    """`explainer check`: the sources, then the built folder. Returns (problems, files checked)."""
    problems = check_sources(config, cache)
    if not config.out_dir.is_dir():
        return problems + [Problem(config.shown(config.out_dir), 0, 0, "no built site here: run `explainer build` first")], 0
    outputs = read_outputs(config.out_dir)
    problems += check_outputs(outputs, config.settings.base_url, config.shown(config.out_dir) + "/")
    problems += leftover_references(outputs, config)
    return problems, sum(1 for path in outputs if path.endswith((".html", ".css")))


def check_rendered(outputs: Mapping[str, bytes], config: Config, strict: bool) -> None:
    """The `build --strict` hook: refuse to write pages with broken links, missing alt text, …"""
    if strict:
        raise_if_any(check_outputs(outputs, config.settings.base_url, config.shown(config.out_dir) + "/")
                     + leftover_references(outputs, config))


# --- double brackets left in a page ---------------------------------------------------

BRACKETS = re.compile(r"\[\[[^\[\]\n]{1,200}+\]\]")
NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "template"}
# Where text on a page is written, most likely first: prose, then data, then the rest.
WRITTEN_IN = ("explainers/*.md", "pages/*.md", "data/*.*", "data/*/*.*", "changelog.yaml", "site.yaml")


def leftover_references(outputs: Mapping[str, bytes], config: Config) -> list[Problem]:
    """`[[…]]` shown as text on a built page: a figure reference that was never resolved. Each is
    reported where it was written (the Markdown or data line holding the same text), else on the page."""
    found = [(path, *hit) for path, body in outputs.items() if path.endswith(".html") and b"[[" in body  # almost every page: one search
             for hit in brackets_in_text(body.decode("utf-8", "replace"))]
    sources = _text_sources(config) if found else []
    problems: dict[tuple, Problem] = {}
    for path, line, col, text in found:
        where = _written_at(text, path, sources) or (config.shown(config.out_dir) + "/" + path, line, col)
        why = "it is not a figure reference" if where[0].endswith(".md") else "figure references are resolved only in explainers and pages"
        message = f"'{text}' is shown as typed on {path}: {why}, written [[record-id]] or [[record-id.field]]"
        problems.setdefault((*where, text), Problem(*where, message))
    return list(problems.values())


def brackets_in_text(html: str) -> list[tuple[int, int, str]]:
    """(line, col, text) of each `[[…]]` in a page's text, leaving out code, scripts and styles."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.found


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in NOT_PROSE:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self.skipping or "[[" not in data:
            return
        line, col = self.getpos()
        self.found += [(*advance(line, col + 1, data[: m.start()]), m.group(0)) for m in BRACKETS.finditer(data)]


def _text_sources(config: Config) -> list[tuple[str, list[str]]]:
    """(shown path, lines) of every file page text may be written in, in WRITTEN_IN order."""
    files = [p for pattern in WRITTEN_IN for p in sorted(config.src_dir.glob(pattern)) if p.is_file()]
    return [(config.shown(p), p.read_text("utf-8", "replace").splitlines()) for p in dict.fromkeys(files)]


def _written_at(text: str, page: str, sources: list[tuple[str, list[str]]]) -> Optional[tuple[str, int, int]]:
    """The first line of a source holding `text`; a file named like the page (lane2.md for explainers/lane2/) first."""
    parts = set(page.split("/"))
    ranked = sorted(sources, key=lambda s: Path(s[0]).stem not in parts)  # stable: WRITTEN_IN order otherwise
    for shown, lines in ranked:
        for number, line in enumerate(lines, 1):
            if text in line:
                return shown, number, line.index(text) + 1
    return None
