"""Laying a chart out at a given total width: the narrow drawing for phones, and a
concrete width for charts that ask for the width of their container.

Vega-Lite sizes the plot area, not the drawing: axes, legends and labels come on
top, and `autosize: fit` does not apply to concatenated views. So a layout is
found by drawing: set every view's width, measure the drawing, correct by the
difference, and draw again (two or three drawings; each is cached by its spec).
Side-by-side panels (`hconcat`) are stacked for the narrow layout, as a page's
columns stack on a phone. Facets, repeats and wrapped concats keep their layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

NARROW = 320  # px: a 360 px screen less a page's margins (or a phone-wide embed), drawn 1:1 or barely scaled
CONTAINER = 680  # px: what a width="container" chart is drawn at for images and PNGs
MIN_VIEW = 80  # px: the narrowest plot area worth drawing
FIT_SLACK = 8  # px a narrow drawing may overshoot NARROW and still count as fitting
PASSES = 4
MIN_TEXT = 11  # px: no chart text is shown smaller
MAX_TEXT = 16  # px: nor, stretched to fill a column, larger
COMPOUND = ("facet", "repeat", "concat")

Measure = Callable[[dict], tuple[int, int]]  # spec -> (width, height) of its drawing


@dataclass(frozen=True)
class Layout:
    """What a chart function that takes a second argument is told: which drawing it makes.

    `def my_chart(data, layout)` is called twice, once per layout; on the narrow one it can
    shorten labels or move annotations. Either way the generator sets the final widths.
    """

    name: str  # "wide" or "narrow"
    width: Optional[int]  # the drawing's total width in px, if fixed (narrow: NARROW)

    @property
    def narrow(self) -> bool:
        return self.name == "narrow"


WIDE = Layout("wide", None)


def uses_container_width(spec: Any) -> bool:
    """Whether any view of the spec asks for width="container"."""
    if isinstance(spec, dict):
        return spec.get("width") == "container" or any(uses_container_width(v) for k, v in spec.items() if k in ("layer", "hconcat", "vconcat"))
    if isinstance(spec, list):
        return any(uses_container_width(item) for item in spec)
    return False


def resizable(spec: dict) -> bool:
    """Whether we know how to set this spec's width: a single or layered view, or concatenations of them."""
    if any(key in spec for key in COMPOUND):
        return False
    children = spec.get("hconcat") or spec.get("vconcat")
    return all(resizable(child) for child in children) if children else "mark" in spec or "layer" in spec


def wide_layout(spec: dict, measure: Measure) -> dict:
    """The spec as drawn for desktop pages and exports: as written, but at CONTAINER px
    wide if it asks for its container's width (a drawing has no container)."""
    if not uses_container_width(spec) or not resizable(spec):
        return spec
    return fit_width(spec, CONTAINER, measure)


def narrow_layout(spec: dict, measure: Measure, wide_width: int, own: Optional[dict] = None) -> Optional[dict]:
    """The spec (or the chart's `own` narrow spec) laid out NARROW px wide, panels stacked,
    legends below; None when the wide drawing is no wider than that already, the layout
    cannot be changed, or its text does not let it narrow that far: a plot squeezed to its
    minimum with labels still sticking out draws them over each other, so the phone gets
    the wide drawing at full size instead (it scrolls sideways)."""
    base = own if own is not None else spec
    if (wide_width <= NARROW and own is None) or not resizable(base):
        return None
    laid = fit_width(legends_below(stacked(base)), NARROW, measure)
    return laid if measure(laid)[0] <= NARROW + FIT_SLACK else None


def medium_width(wide_width: int, narrow_width: int, smallest: float) -> Optional[int]:
    """The width of a drawing between the narrow and the wide one, when showing one of those
    two stretched or shrunk to every width between them would take its text (`smallest` px
    at 1:1) outside MIN_TEXT..MAX_TEXT px: the geometric mean of the two, so each is scaled
    by the same factor at the widths where the medium one takes over. None when not needed."""
    if narrow_width * MAX_TEXT / smallest >= wide_width * MIN_TEXT / smallest:
        return None
    return round((wide_width * narrow_width) ** 0.5)


def medium_layout(spec: dict, measure: Measure, width: int, own_narrow: Optional[dict] = None) -> Optional[dict]:
    """The spec laid out `width` px wide as on a desktop (panels side by side, legends where the
    chart puts them) or, where its labels need more room than that, as on a phone (the chart's
    own narrow spec, or panels stacked and legends below); None when neither fits."""
    for base in (spec, legends_below(stacked(own_narrow if own_narrow is not None else spec))):
        if resizable(base):
            laid = fit_width(base, width, measure)
            if measure(laid)[0] <= width + FIT_SLACK:
                return laid
    return None


def stacked(spec: dict) -> dict:
    """Side-by-side panels one above the other (nested ones too)."""
    children = spec.get("hconcat") or spec.get("vconcat")
    if not children:
        return spec
    out = {key: value for key, value in spec.items() if key not in ("hconcat", "vconcat")}
    out["vconcat"] = [part for child in children for part in _parts(stacked(child))]
    return out


def _parts(child: dict) -> list[dict]:
    """A stacked child's own panels, lifted into its parent when it adds nothing of its own."""
    if "vconcat" in child and set(child) <= {"vconcat", "spacing"}:
        return child["vconcat"]
    return [child]


def fit_width(spec: dict, target: int, measure: Measure) -> dict:
    """The spec with every view's width set so that the whole drawing is `target` px wide."""
    drawn_width, _ = measure(_plain(spec))
    view = max(MIN_VIEW, _widest_view(spec, drawn_width) - (drawn_width - target))
    laid = with_view_width(spec, view)
    for _ in range(PASSES):
        drawn_width, _ = measure(laid)
        if target - 2 <= drawn_width <= target:
            break
        view = max(MIN_VIEW, view + target - drawn_width)
        laid = with_view_width(spec, view)
    return laid


def _plain(spec: dict) -> dict:
    """The spec with container widths replaced by a guess, so that it can be measured."""
    return with_view_width(spec, CONTAINER - 80) if uses_container_width(spec) else spec


def _widest_view(spec: dict, drawn_width: int) -> int:
    """The widest plot area the spec sets, or a guess from its drawing."""
    widths = [w for w in _view_widths(spec) if isinstance(w, (int, float))]
    return int(max(widths)) if widths else drawn_width - 80


def _view_widths(spec: dict) -> list:
    children = spec.get("vconcat") or spec.get("hconcat")
    if children:
        return [w for child in children for w in _view_widths(child)]
    return [spec.get("width")]


def with_view_width(spec: dict, width: int) -> dict:
    """Every view (each panel of a concatenation; a layer as one view) set `width` px wide."""
    children_key = "vconcat" if "vconcat" in spec else "hconcat" if "hconcat" in spec else None
    if children_key:
        count = len(spec[children_key]) if children_key == "hconcat" else 1
        share = max(MIN_VIEW, width // count)
        return spec | {children_key: [with_view_width(child, share) for child in spec[children_key]]}
    out = dict(spec) | {"width": int(width)}
    if "projection" in spec and all(isinstance(spec.get(side), (int, float)) and spec[side] > 0 for side in ("width", "height")):
        out["height"] = max(1, round(spec["height"] * width / spec["width"]))  # a map keeps its shape at any width
    if out.get("autosize") and isinstance(out["autosize"], dict) and out["autosize"].get("type") == "fit":
        out.pop("autosize")  # fit to a container that a drawing does not have
    return out


def legends_below(spec: dict) -> dict:
    """Legends under the chart, where a phone has room for them (a chart's own choice wins)."""
    config = dict(spec.get("config", {}))
    legend = {"orient": "bottom", "direction": "horizontal", "titleOrient": "top"} | dict(config.get("legend", {}))
    return spec | {"config": config | {"legend": legend}}
