"""The project's configuration: paths, and `site.yaml` validated with line numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field

from .errors import BuildFailed, Problem, did_you_mean
from .models import SafeUrl
from .sources import Document, KeyPath, Location, parse_yaml, read_text
from .validation import validate_record
from .workers import DEFAULT_TIMEOUT

URL_PATTERN = r"^(?!.*/\.{1,2}/)([a-z0-9][a-z0-9._/{}-]*/)?$"  # no "." or ".." segment: a page stays under the site root
THEME_DIR = Path(__file__).parent / "theme"  # the default theme: templates, assets, static fallbacks


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandalonePage(Strict):
    """A page made from a template alone (a timeline, the sources, the data downloads)."""

    model_config = ConfigDict(extra="forbid", frozen=True, regex_engine="python-re")  # URL_PATTERN looks ahead

    url: Annotated[str, Field(pattern=URL_PATTERN)]
    template: str
    title: str
    description: str
    nav: bool = True


class NavLink(Strict):
    title: str
    url: str


Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
StaticFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")]
FontStack = Annotated[str, Field(pattern=r"^[A-Za-z0-9 ,'\"-]+$")]  # never a way out of the CSS rule


class ThemeSettings(Strict):
    """The look, without editing a template: colours, fonts, logo, favicon, chart theme."""

    accent: Optional[Colour] = None  # links, buttons, focus ring on light pages
    accent_dark: Optional[Colour] = None  # the same on dark pages
    font: Optional[FontStack] = None  # body text
    heading_font: Optional[FontStack] = None
    logo: Optional[StaticFile] = None  # a file in site_src/static/, shown before the title
    favicon: StaticFile = "favicon.svg"  # in site_src/static/; the theme's own when the site has none
    chart: dict = Field(default_factory=dict)  # Vega-Lite config merged over both chart themes


class MarkdownSettings(Strict):
    """How explainers and pages are converted."""

    # true (the default, as before): HTML written in Markdown passes through. false: it shows as
    # the text it is, as Hugo does by default, for sites that many people write into.
    raw_html: bool = True


class SiteSettings(Strict):
    """What `site.yaml` may say."""

    title: str
    tagline: str = ""
    description: str
    base_url: SafeUrl
    language: str = "en"
    author: str
    publisher: str = ""
    data_as_of: dt.date
    pages: list[StandalonePage] = Field(default_factory=list)
    nav: list[NavLink] = Field(default_factory=list)
    explainers_url: Annotated[str, Field(pattern=r"^[a-z0-9-]+/$")] = "explainers/"
    footer: str = ""
    intro: str = ""  # the home page's opening paragraph
    social_cards: bool = True  # false: one card for the whole site instead of one per page
    repository: Optional[SafeUrl] = None
    search_placeholder: str = "Search…"
    count_words: tuple[str, ...] = ()  # --strict: "120 riders" typed by hand is an error when 'riders' is listed
    theme: ThemeSettings = Field(default_factory=ThemeSettings)
    markdown: MarkdownSettings = Field(default_factory=MarkdownSettings)
    chart_timeout: Optional[Annotated[float, Field(gt=0)]] = None  # seconds a chart may take; --chart-timeout wins


@dataclass(frozen=True)
class Config:
    """Where things are and what the site says about itself."""

    root: Path
    out_dir: Path
    settings: SiteSettings
    drafts: bool = False
    jobs: int = 0  # worker processes for charts, Markdown and templates; 0: one per core
    timeout: Optional[float] = None  # --chart-timeout; None: site.yaml's chart_timeout, or DEFAULT_TIMEOUT
    cache_folder: Optional[Path] = None  # --cache-dir or EXPLAINER_CACHE_DIR, absolute; None: <root>/.cache
    lines: dict[KeyPath, Location] = field(default_factory=dict, compare=False, repr=False)  # site.yaml line map

    @property
    def src_dir(self) -> Path:
        return self.root / "site_src"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: the project's, then the default theme."""
        return (self.templates_dir, THEME_DIR)

    @property
    def chart_timeout(self) -> float:
        """Seconds one chart function or one drawing may run: --chart-timeout, site.yaml, or 60."""
        return self.timeout or self.settings.chart_timeout or DEFAULT_TIMEOUT

    @property
    def cache_dir(self) -> Path:
        return cache_dir_for(self.root, self.cache_folder)

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def cache_dir_for(root: Path, given: Optional[Path] = None) -> Path:
    """The cache folder: `given` (--cache-dir or EXPLAINER_CACHE_DIR; a relative one is relative to
    the current directory, as a shell user means it), or `.cache` in the project. Keeping it outside
    the project lets a deploy host restore it before the build (docs/guide/deploying.md)."""
    if given is None:
        return root.resolve() / ".cache"
    return (given if given.is_absolute() else Path.cwd() / given).resolve()


def load_config(root: Path, out_dir: Optional[Path] = None, drafts: bool = False, jobs: int = 0, timeout: Optional[float] = None,
                cache_dir: Optional[Path] = None) -> Config:
    """Read and validate `site_src/site.yaml` under `root`."""
    root = root.resolve()
    path = root / "site_src" / "site.yaml"
    if not path.is_file():
        raise BuildFailed([Problem("site_src/site.yaml", 0, 0, f"no site.yaml found under {root.name or root}/site_src")])
    doc = parse_yaml(read_text(path, "site_src/site.yaml").text, "site_src/site.yaml")
    if isinstance(doc.value, dict) and "collections" in doc.value:
        raise BuildFailed([doc.problem(("collections",), "'collections' moved out of site.yaml: declare record pages in "
                                       "site_src/models.py, e.g. @collection(\"stations\", url=\"stations/{id}/\", template=\"record.html\")", at_key=True)])
    settings, problems = validate_record(SiteSettings, doc.value, doc, ())
    if problems:
        raise BuildFailed(problems)
    raise_if_missing_templates(settings, doc, (root / "templates", THEME_DIR))
    out = (out_dir if out_dir is not None else root / "output")
    out = out if out.is_absolute() else Path.cwd() / out
    return Config(root=root, out_dir=out.resolve(), settings=settings, drafts=drafts, jobs=jobs, timeout=timeout,
                  cache_folder=cache_dir_for(root, cache_dir) if cache_dir is not None else None, lines=doc.locations)


def known_templates(template_dirs: tuple[Path, ...]) -> list[str]:
    """Every template name the project and the default theme offer."""
    return sorted({p.relative_to(d).as_posix() for d in template_dirs if d.is_dir() for p in d.rglob("*.html")})


def raise_if_missing_templates(settings: SiteSettings, doc: Document, template_dirs: tuple[Path, ...]) -> None:
    """Every template site.yaml names must exist, reported at the line that names it."""
    known = known_templates(template_dirs)
    named = [(("pages", i, "template"), page.template) for i, page in enumerate(settings.pages)]
    problems = [
        doc.problem(keys, f"template '{template}' not found in templates/ or the default theme{did_you_mean(template, known)}")
        for keys, template in named
        if template not in known
    ]
    if problems:
        raise BuildFailed(problems)
