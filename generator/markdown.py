"""Explainer Markdown: front matter, blocks, figure references, HTML.

One Python-Markdown instance per process (reset between documents), and one more
for the text inside blocks. Our preprocessor runs before everything else so it still
sees source lines: blocks (generator/blocks/, the table of kinds) become placeholders
that render.py fills with each kind's partial, and figure references become stashed
HTML, each problem reported at its file:line:col.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pydantic import BaseModel, ConfigDict, Field

from .cache import Cache
from .data import Data
from .inputs import code_version
from .blocks import SLOT, Block, BlockContext, Opening, block_from_json, kind_named, names
from .blocks.openings import ANY_FENCE, CONTAINER_CLOSE, CONTAINER_OPEN, FENCE, container_at, fence_at
from .errors import BuildFailed, Problem, did_you_mean
from .figures import BRACKETED, REFERENCE, UnknownReference, find_hand_typed, resolve
from .inline import install as install_skipping_inline
from .sources import Document, TextFile, parse_yaml, refuse_control_characters_in_text

CODE_SPAN = re.compile(r"`[^`\n]*+`")


class KeyFigure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ref: str
    label: str


class FrontMatter(BaseModel):
    """What an explainer or page may declare about itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    date: dt.date
    updated: Optional[dt.date] = None
    order: int = 1000
    draft: bool = False
    lead_chart: Optional[str] = None
    key_figures: list[KeyFigure] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    author: Optional[str] = None


@dataclass(frozen=True)
class FigureUse:
    record_id: str
    source_id: Optional[str]
    line: int


@dataclass
class Converted:
    """The result of converting one Markdown document."""

    html: str
    toc: list[dict]
    blocks: list[Block] = field(default_factory=list)
    figures: list[FigureUse] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def split_front_matter(source: TextFile) -> tuple[Document, str, int]:
    """(front matter document, body, line offset of the body)."""
    text = source.text
    if not text.startswith("---\n"):
        raise BuildFailed([Problem(source.shown, 1, 1, "missing front matter: the file must start with a '---' line")])
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            front = "\n".join(lines[1:index])
            doc = parse_yaml(front, source.shown, line_offset=1)
            body = "\n".join(lines[index + 1 :])
            refuse_control_characters_in_text(body, source.shown, index + 1)
            return doc, body, index + 1
    raise BuildFailed([Problem(source.shown, 1, 1, "front matter is never closed: add a '---' line after it")])


class _Preprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, ext: "ExplainerExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index, in_code = 0, False
        while index < len(lines):
            line = lines[index]
            if not in_code and (self.ext.opens_block(line)):
                index = self.ext.block(lines, index, out)
                continue
            if ANY_FENCE.match(line):
                in_code = not in_code
            elif not in_code and CONTAINER_CLOSE.match(line):
                self.ext.result.warnings.append(self.ext.problem(index, 1, "this line of colons closes no block: remove it, or open a block (::: note) before it"))
            out.append(line if in_code else self.ext.figures_in(line, index))
            index += 1
        return out


class ExplainerExtension(Extension):
    """Blocks and figure references, with per-document state reset each run."""

    def __init__(self, nested: Optional[Callable[[], tuple[markdown.Markdown, "ExplainerExtension"]]] = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data: Optional[Data] = None
        self.shown = ""
        self.offset = 0
        self.result = Converted("", [])
        self.md: Optional[markdown.Markdown] = None
        self.source_href = ""
        self.count_words: tuple[str, ...] = ()
        self.raw_html = True
        self.make_nested = nested  # a Markdown of our own kind, for the text inside blocks
        self.nested: Optional[tuple[markdown.Markdown, "ExplainerExtension"]] = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.md = md
        # After whitespace normalising (30), which strips stash markers; before fenced code (25).
        md.preprocessors.register(_Preprocessor(md, self), "explainer", 29)

    def start(self, data: Data, shown: str, offset: int, source_href: str) -> None:
        self.data, self.shown, self.offset, self.source_href = data, shown, offset, source_href
        self.result = Converted("", [])

    def problem(self, index: int, col: int, message: str, severity: str = "error") -> Problem:
        return Problem(self.shown, index + 1 + self.offset, col, message, severity)

    def opens_block(self, line: str) -> bool:
        fence = FENCE.match(line)
        return bool(fence and kind_named(fence.group(2), "fence")) or bool(CONTAINER_OPEN.match(line))

    def block(self, lines: list[str], start: int, out: list[str]) -> int:
        """Parse the block opening at `start` with its kind; returns the index after it."""
        line_of = lambda index: index + 1 + self.offset  # noqa: E731
        syntax = "fence" if FENCE.match(lines[start]) else "container"
        opening, end, closed = (fence_at if syntax == "fence" else container_at)(lines, start, line_of)
        if not closed:
            self.result.warnings.append(self.problem(start, 1, _never_closed(opening, syntax), "warning" if syntax == "fence" else "error"))
        kind = kind_named(opening.name, syntax)
        if kind is None:
            known = names("container")
            col = CONTAINER_OPEN.match(lines[start]).start(2) + 1
            self.result.warnings.append(self.problem(start, col, f"unknown block '{opening.name}'{did_you_mean(opening.name, known)} (blocks: {', '.join(known)})"))
            return end + 1
        try:
            made = kind.parse(opening, BlockContext(self.shown, self.inner_markdown, self.result.warnings))
        except BuildFailed as failed:
            self.result.warnings += failed.problems
            return end + 1
        made = made.model_copy(update={"slot": SLOT.format(index=len(self.result.blocks))})
        self.result.blocks.append(made)
        out += ["", self.md.htmlStash.store(made.slot), ""]
        return end + 1

    def inner_markdown(self, lines: list[str], first_line: int) -> str:
        """Markdown inside a block made HTML by a second converter of ours, whose figures,
        blocks and problems count for this document (located at file lines)."""
        if self.nested is None:
            self.nested = self.make_nested()
        md, ext = self.nested
        md.reset()
        ext.start(self.data, self.shown, first_line - 1, self.source_href)
        ext.result = self.result
        body = "\n".join(lines)
        made = md.convert(body)
        severity = "warning" if self.raw_html else "error"
        self.result.warnings += [Problem(self.shown, line, col, message, severity) for line, col, message in unsafe_html(made, body, first_line - 1)]
        return made

    def figures_in(self, line: str, index: int) -> str:
        for col, text in find_hand_typed(line, self.count_words):
            self.result.warnings.append(self.problem(index, col, f"figure typed by hand: '{text.strip()}' (use a [[record-id]] reference into the data)", "warning"))
        if "[[" not in line:
            return line
        self._not_references(line, index)
        return REFERENCE.sub(lambda m: self._figure(m, index), line)

    def _not_references(self, line: str, index: int) -> None:
        """Double brackets that are no reference would be published as typed: a warning (--strict: an error)."""
        prose = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in BRACKETED.finditer(prose):
            if not REFERENCE.fullmatch(match.group(0)):
                self.result.warnings.append(self.problem(index, match.start() + 1, not_a_reference(match.group(0)), "warning"))

    def _figure(self, match: re.Match, index: int) -> str:
        try:
            found = resolve(self.data, match.group(1), match.group(2))
        except UnknownReference as err:
            self.result.warnings.append(self.problem(index, match.start() + 1, str(err)))
            return html.escape(match.group(0))
        self.result.figures.append(FigureUse(found.record_id, found.source_id, index + 1 + self.offset))
        return self.md.htmlStash.store(figure_html(self.data, found, self.source_href))


def not_a_reference(text: str) -> str:
    return (f"'{text}' is not a figure reference, so it would be shown as typed: write [[record-id]] or "
            "[[record-id.field]] (an id is lowercase letters, digits and hyphens; a field is a Python name)")


def figure_html(data: Data, found: Any, source_href: str) -> str:
    """A figure as a link to its source: on the site's sources page (`source_href`, a
    pattern with {id}) when it has one, else the source itself."""
    text = html.escape(found.text)
    if not found.source_id:
        return f'<span class="figure">{text}</span>'
    source = data.source(found.source_id)
    title = html.escape(f"Source: {source.outlet}, {source.date.isoformat()}", quote=True)
    href = html.escape(source_href.format(id=found.source_id) if source_href else source.url, quote=True)
    return f'<a class="figure" href="{href}" title="{title}" data-record="{found.record_id}">{text}</a>'


class MarkdownConverter:
    """Reusable converter: one Markdown instance, glossary abbreviations applied.

    Results are cached by content (source, line offset, data, glossary, our own
    Markdown code), so an unchanged explainer is never converted twice; the
    Markdown instance itself is made only on the first cache miss.
    """

    def __init__(self, abbreviations: dict[str, str], cache: Optional[Cache] = None, count_words: tuple[str, ...] = (), raw_html: bool = True):
        self.abbreviations, self.count_words, self.raw_html = abbreviations, tuple(count_words), raw_html
        self.cache = cache or Cache(None)
        self.extension: Optional[ExplainerExtension] = None
        self.md: Optional[markdown.Markdown] = None

    def _markdown(self) -> markdown.Markdown:
        if self.md is None:
            self.md, self.extension = self._new_markdown()
        return self.md

    def _new_markdown(self) -> tuple[markdown.Markdown, ExplainerExtension]:
        """A Markdown of our kind; the text inside blocks gets one of its own, made when first needed."""
        extension = ExplainerExtension(nested=self._new_markdown)
        extension.count_words, extension.raw_html = self.count_words, self.raw_html
        md = markdown.Markdown(
            extensions=["tables", "footnotes", "attr_list", "abbr", "smarty", "toc", "fenced_code", extension],
            # marker "": templates place the table of contents, so no [TOC] search through every page
            extension_configs={"abbr": {"glossary": self.abbreviations}, "toc": {"permalink": False, "toc_depth": "2-3", "marker": ""}},
            output_format="html",
        )
        if not self.raw_html:  # as Hugo's goldmark by default: HTML in Markdown shows as the text it is
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        install_skipping_inline(md)
        return md, extension

    def convert(self, body: str, data: Data, shown: str, offset: int, source_href: str = "") -> Converted:
        """Markdown body -> HTML with block slots, collecting blocks, figures, problems."""
        key = self._key(body, data, shown, offset, source_href)
        cached = self.cache.get_json("markdown", key)
        if cached is not None:
            return _converted_from_json(cached)
        result = self._convert(body, data, shown, offset, source_href)
        self.cache.put_json("markdown", key, _converted_to_json(result))
        return result

    def _convert(self, body: str, data: Data, shown: str, offset: int, source_href: str) -> Converted:
        md = self._markdown()
        md.reset()
        self.extension.start(data, shown, offset, source_href)
        result = self.extension.result
        result.html = md.convert(body)
        result.toc = list(getattr(md, "toc_tokens", []))
        severity = "warning" if self.raw_html else "error"  # with raw HTML off, what attr_list or a link still makes fails
        result.warnings += [Problem(shown, line, col, message, severity) for line, col, message in unsafe_html(result.html, body, offset)]
        return result

    def _key(self, body: str, data: Data, shown: str, offset: int, source_href: str) -> str:
        parts = [body, shown, str(offset), source_href, data.digest, json.dumps(self.abbreviations, sort_keys=True),
                 json.dumps(self.count_words), str(self.raw_html), code_version()]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# --- script in the HTML a Markdown file makes -------------------------------------------------

UNSAFE = "unsafe HTML"  # how these problems start: `explainer check` picks them out by it
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcdoc"}
SCRIPT_SCHEMES = {"javascript", "data", "vbscript"}
WHY = "the site's Content Security Policy blocks it, and hosts without that header run it"


class _UnsafeFinder(HTMLParser):
    """(what, text to look for in the Markdown) for each script the HTML would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self.found.append((f"{UNSAFE}: a <script> element ({WHY}); remove it", r"<script\b"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"{UNSAFE}: event attribute '{name}' on <{tag}> ({WHY}); remove it", rf"\b{re.escape(name)}\s*="))
            elif name in URL_ATTRIBUTES and value and _script_scheme(value):
                scheme = _script_scheme(value)
                self.found.append((f"{UNSAFE}: a {scheme}: URL in '{name}' of <{tag}> ({WHY}); use a page or a file of the site instead", rf"\b{scheme}\s*:"))

    handle_startendtag = handle_starttag


def _script_scheme(url: str) -> str:
    """'javascript' for 'JavaScript:…' (browsers drop whitespace and controls first), else ''."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = urlsplit(cleaned).scheme if ":" in cleaned else ""
    return scheme if scheme in SCRIPT_SCHEMES else ""


def unsafe_html(html_text: str, body: str, offset: int) -> list[tuple[int, int, str]]:
    """(line, col, message) for each <script>, on*= attribute and javascript:/data: URL in the
    HTML a Markdown body made (raw HTML, attr_list's {: onclick=… }, a link's target), at the
    body line that writes it: found in order, each from where the one before was."""
    finder = _UnsafeFinder()
    finder.feed(html_text)
    finder.close()
    found, position = [], 0
    for message, needle in finder.found:
        pattern = re.compile(needle, re.IGNORECASE)
        match = pattern.search(body, position) or pattern.search(body)
        if match is None:
            found.append((offset + 1, 1, message))
            continue
        at, position = match.start(), match.start() + 1
        found.append((offset + 1 + body.count("\n", 0, at), at - (body.rfind("\n", 0, at) + 1) + 1, message))
    return found


def _converted_to_json(result: Converted) -> dict:
    return {"html": result.html, "toc": result.toc, "blocks": [b.model_dump(mode="json") for b in result.blocks],
            "figures": [asdict(f) for f in result.figures], "warnings": [asdict(w) for w in result.warnings]}


def _converted_from_json(value: dict) -> Converted:
    return Converted(value["html"], value["toc"], [block_from_json(b) for b in value["blocks"]],
                     [FigureUse(**f) for f in value["figures"]], [Problem(**w) for w in value["warnings"]])


def _never_closed(opening: "Opening", syntax: str) -> str:
    if syntax == "fence":
        return f"{opening.name} fence '{opening.args}' is never closed"
    return f"'::: {opening.name}' is never closed: add a line of colons (:::) after its text"
