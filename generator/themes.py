"""Chart looks for light and dark pages: one Vega-Lite config per theme.

Series colours are the site's (chart code or `theme.chart` in site.yaml); these
configs set everything around them. `chart_themes` merges a site's `theme.chart`
Vega-Lite config over both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from .typefaces import SANS_STACK

FONT = SANS_STACK  # the package's own faces: the same drawing on every machine, and in the browser


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    grid: str
    config: dict


def _config(background: str, text: str, muted: str, grid: str) -> dict:
    axis = {"labelColor": muted, "titleColor": text, "gridColor": grid, "domainColor": muted, "tickColor": muted,
            "labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal"}
    return {
        "background": background,
        "font": FONT,  # every text's font, so a site's `theme.chart: {font: …}` changes them all
        "view": {"stroke": None},
        "axis": axis,
        "legend": {"labelColor": text, "titleColor": text, "labelFontSize": 12, "titleFontSize": 12},
        "header": {"labelColor": text, "titleColor": text},
        "title": {"color": text, "fontSize": 17, "fontWeight": "bold", "subtitleFontSize": 12},
        "text": {"color": text},
        "mark": {"color": text},
        "rule": {"color": muted},
    }


THEMES = {
    "light": Theme("light", "#ffffff", "#16191d", "#4a5260", "#e3e6ea", _config("#ffffff", "#16191d", "#4a5260", "#e3e6ea")),
    "dark": Theme("dark", "#15181d", "#eceff3", "#b4bcc8", "#2c323b", _config("#15181d", "#eceff3", "#b4bcc8", "#2c323b")),
}


def chart_themes(overrides: dict) -> dict[str, Theme]:
    """The light and dark themes with a site's Vega-Lite config merged over each."""
    if not overrides:
        return THEMES
    return {name: replace(theme, config=_merged(theme.config, overrides)) for name, theme in THEMES.items()}


def themes_key(themes: dict[str, Theme]) -> str:
    """The themes as text, for cache keys."""
    return json.dumps({name: theme.config for name, theme in themes.items()}, sort_keys=True)


def _merged(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
