"""A chart's dark drawing made from its light one, when only the theme's colours tell them apart.

The light and dark themes differ in colours alone (themes.py), and a chart is laid out the
same in both, so Vega's dark drawing is its light drawing with each theme colour swapped
for its dark counterpart. Swapping saves a Vega drawing for each layout (a chart's page
drawings are three light and three dark). It is done only where it is certain to be what
Vega would draw:

- the two themes differ in colour values only, each light colour with one dark one;
- the chart's own spec (its config, marks, annotations) names none of the light theme's
  colours: white labels on a bar are the chart's white, not the theme's background;
- once swapped, no light theme colour is left anywhere in the drawing (a gradient stop or
  a style this module does not rewrite).

Otherwise the caller draws the dark drawing through Vega, as before.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

_PAINT = re.compile(r'((?:fill|stroke)=")(#[0-9a-fA-F]{6})(")')
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def colour_swaps(light: dict, dark: dict) -> Optional[dict[str, str]]:
    """Each light theme colour (lower case #rrggbb) and the dark one in its place; None when the
    themes differ in anything but colours or a light colour has two dark ones."""
    swaps: dict[str, str] = {}

    def walk(one: Any, other: Any) -> bool:
        if isinstance(one, dict) and isinstance(other, dict):
            return one.keys() == other.keys() and all(walk(one[key], other[key]) for key in one)
        if one == other:
            return True
        if isinstance(one, str) and isinstance(other, str) and _HEX.fullmatch(one) and _HEX.fullmatch(other):
            return swaps.setdefault(one.lower(), other.lower()) == other.lower()
        return False

    if not walk(light, dark) or set(swaps) & set(swaps.values()):
        return None
    return swaps


def dark_from_light(light_svg: bytes, chart_spec: dict, swaps: Optional[dict[str, str]]) -> Optional[bytes]:
    """The dark drawing of a chart whose light drawing is `light_svg`, or None when it cannot be
    made by swapping colours (see the module's rules); `chart_spec` is the chart as laid out,
    without the theme's config."""
    if not swaps:
        return None
    named = json.dumps(chart_spec, default=str).lower()
    if any(colour in named for colour in swaps):
        return None
    text = light_svg.decode()
    swapped = _PAINT.sub(lambda match: match.group(1) + swaps.get(match.group(2).lower(), match.group(2)) + match.group(3), text)
    if any(colour in swapped.lower() for colour in swaps):
        return None
    return swapped.encode()
