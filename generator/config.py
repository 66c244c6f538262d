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

URL_PATTERN = r"^([a-z0-9][a-z0-9._/{}-]*/)?$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CollectionPages(Strict):
    """One page per record of a collection: which template, at which URL."""

    template: str
    url: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._/-]*\{id\}/$")]
    title: str = "{id}"


class StandalonePage(Strict):
    """A page made from a template alone (timeline, sources, launches)."""

    url: Annotated[str, Field(pattern=URL_PATTERN)]
    template: str
    title: str
    description: str
    nav: bool = True


class NavLink(Strict):
    title: str
    url: str


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
    collections: dict[str, CollectionPages] = Field(default_factory=dict)
    pages: list[StandalonePage] = Field(default_factory=list)
    nav: list[NavLink] = Field(default_factory=list)
    explainers_url: Annotated[str, Field(pattern=r"^[a-z0-9-]+/$")] = "explainers/"
    footer: str = ""
    intro: str = ""  # the home page's opening paragraph
    social_cards: bool = True  # false: one card for the whole site instead of one per page
    repository: Optional[SafeUrl] = None


@dataclass(frozen=True)
class Config:
    """Where things are and what the site says about itself."""

    root: Path
    out_dir: Path
    settings: SiteSettings
    drafts: bool = False
    jobs: int = 0  # worker processes for Markdown and templates; 0: one per core
    lines: dict[KeyPath, Location] = field(default_factory=dict, compare=False, repr=False)  # site.yaml line map

    @property
    def src_dir(self) -> Path:
        return self.root / "site_src"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def load_config(root: Path, out_dir: Optional[Path] = None, drafts: bool = False, jobs: int = 0) -> Config:
    """Read and validate `site_src/site.yaml` under `root`."""
    root = root.resolve()
    path = root / "site_src" / "site.yaml"
    if not path.is_file():
        raise BuildFailed([Problem("site_src/site.yaml", 0, 0, f"no site.yaml found under {root.name or root}/site_src")])
    doc = parse_yaml(read_text(path, "site_src/site.yaml").text, "site_src/site.yaml")
    settings, problems = validate_record(SiteSettings, doc.value, doc, ())
    if problems:
        raise BuildFailed(problems)
    raise_if_missing_templates(settings, doc, root / "templates")
    out = (out_dir if out_dir is not None else root / "output")
    out = out if out.is_absolute() else Path.cwd() / out
    return Config(root=root, out_dir=out.resolve(), settings=settings, drafts=drafts, jobs=jobs, lines=doc.locations)


def raise_if_missing_templates(settings: SiteSettings, doc: Document, templates_dir: Path) -> None:
    """Every template site.yaml names must exist, reported at the line that names it."""
    if not templates_dir.is_dir():
        return  # no templates at all: rendering says so
    known = sorted(p.relative_to(templates_dir).as_posix() for p in templates_dir.rglob("*.html"))
    named = [(("pages", i, "template"), page.template) for i, page in enumerate(settings.pages)]
    named += [(("collections", name, "template"), spec.template) for name, spec in settings.collections.items()]
    problems = [
        doc.problem(keys, f"template '{template}' not found in templates/{did_you_mean(template, known)}")
        for keys, template in named
        if not (templates_dir / template).is_file()
    ]
    if problems:
        raise BuildFailed(problems)
