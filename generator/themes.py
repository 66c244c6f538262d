"""Chart looks for light and dark pages: one Vega-Lite config per theme.

Company colours come from the data (organizations' `color`), chosen to pass
contrast on both backgrounds; these configs set everything around them.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Theme:
    name: str
    suffix: str
    background: str
    text: str
    muted: str
    grid: str
    config: dict


def _config(background: str, text: str, muted: str, grid: str) -> dict:
    axis = {"labelColor": muted, "titleColor": text, "gridColor": grid, "domainColor": muted, "tickColor": muted,
            "labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal"}
    return {
        "background": background,
        "font": FONT,
        "view": {"stroke": None},
        "axis": axis,
        "legend": {"labelColor": text, "titleColor": text, "labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12},
        "header": {"labelColor": text, "titleColor": text, "labelFont": FONT, "titleFont": FONT},
        "title": {"color": text, "font": FONT, "fontSize": 17, "fontWeight": "bold", "subtitleFont": FONT, "subtitleFontSize": 12},
        "text": {"color": text, "font": FONT},
        "mark": {"color": text},
        "rule": {"color": muted},
    }


THEMES = {
    "light": Theme("light", "", "#ffffff", "#16191d", "#4a5260", "#e3e6ea", _config("#ffffff", "#16191d", "#4a5260", "#e3e6ea")),
    "dark": Theme("dark", "-dark", "#15181d", "#eceff3", "#b4bcc8", "#2c323b", _config("#15181d", "#eceff3", "#b4bcc8", "#2c323b")),
}
