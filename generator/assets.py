"""Site assets: hashed CSS/JS from `templates/assets/`, the Vega bundle (vegabundle.py), `site_src/static/`.

Stylesheets, scripts and the chart bundle get content-hashed names so hosts
can cache them for a year; `static/` files keep their names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import Cache
from .config import THEME_DIR
from .errors import BuildFailed
from .sources import escaping_links
from .typefaces import font_faces_css
from .vegabundle import vega_bundle

if TYPE_CHECKING:
    from .config import ThemeSettings
    from .site import Site


@dataclass(frozen=True)
class Assets:
    """Hashed asset URLs by logical name ('site.css' -> '/assets/site.1a2b3c4d.css'), their
    files, and the static files by output path with the source each comes from."""

    urls: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    static: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def __call__(self, name: str) -> str:
        return self.urls[name]

    def has(self, name: str) -> bool:
        """Whether the theme or the project offers this asset (templates include optional ones)."""
        return name in self.urls


def hashed_name(name: str, content: bytes) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:10]}.{suffix}"


def collect_assets(site: "Site", cache: Cache) -> Assets:
    urls: dict[str, str] = {}
    files: dict[str, bytes] = {}
    show = site.config.shown
    named = _theme_assets(THEME_DIR / "assets", show) | _theme_assets(site.config.templates_dir / "assets", show)
    for name, content in named.items():
        path = f"assets/{hashed_name(name, content)}"
        urls[name], files[path] = site.url(path), content
    css = theme_css(site.settings.theme, lambda font: urls[font])  # after the fonts, which it names by hashed URL
    path = f"assets/{hashed_name('theme.css', css)}"
    urls["theme.css"], files[path] = site.url(path), css
    bundle = vega_bundle(cache)
    path = f"assets/{hashed_name('vega.js', bundle)}"
    urls["vega.js"], files[path] = site.url(path), bundle
    static = static_files(site.config.src_dir / "static", site.config.src_dir, site.config.shown)
    fallbacks = static_files(THEME_DIR / "static", THEME_DIR, site.config.shown)  # the favicon, unless the project has one
    static |= {path: found for path, found in fallbacks.items() if path not in static}
    return Assets(urls, files, dict(sorted(static.items())))


def theme_css(theme: "ThemeSettings", url_of: Callable[[str], str]) -> bytes:
    """The package's web fonts (`url_of` gives a font asset's URL), then the site.yaml `theme:`
    colours and fonts as CSS custom properties over the theme's own. The accent colours are the
    two halves of the stylesheets' `--accent: light-dark(...)`, so they follow the reader's
    light/dark choice; one left out keeps the theme's own (dark keeps its own contrast)."""
    values = {"--sans": theme.font, "--serif": theme.heading_font,
              "--accent-light": theme.accent, "--accent-dark": theme.accent_dark}
    return (font_faces_css(url_of) + _rule(":root", values)).encode()


def _rule(selector: str, values: dict) -> str:
    body = " ".join(f"{name}: {value};" for name, value in values.items() if value)
    return f"{selector} {{ {body} }}\n" if body else ""


def _theme_assets(folder: Path, show) -> dict[str, bytes]:
    """Files of a templates/assets/ folder by name; links leading out of its templates/ are refused."""
    if not folder.is_dir():
        return {}
    problems = escaping_links(folder.parent, show)
    if problems:
        raise BuildFailed(problems)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def static_files(folder: Path, src_dir: Path, show) -> dict[str, tuple[bytes, str]]:
    """Files of `site_src/static/` by output path, each with its shown source path; links
    leading outside are refused."""
    if not folder.is_dir():
        return {}
    problems = escaping_links(src_dir, show)
    if problems:
        raise BuildFailed(problems)
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), show(path))
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.name.startswith(".")}
