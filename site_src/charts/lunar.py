"""Lunar lander awards and Blue Origin's losing bid, from the Human Landing System contract records."""

import textwrap

import altair as alt

from generator import chart
from generator.figures import format_money_range
from generator.models import VALUE_KIND_LABELS

HLS = "NASA Human Landing System"
NEUTRAL = "#7f8791"
SHORT = {  # short bar labels; any other record falls back to its title
    "hls-option-a": "Option A: Starship lander",
    "hls-blue-origin-bid": "Losing bid for Option A (not an award)",
    "hls-option-b": "Option B: second Starship landing",
    "hls-blue-origin-sld": "Sustaining Lunar Development: Blue Moon",
}
X_TITLE = "Billions of US dollars (award value; bid as evaluated by NASA)"


@chart(
    "lander-awards",
    title="NASA's crewed lunar lander awards, and the bid that lost",
    description=(
        "Bar chart of NASA's Human Landing System awards in date order: SpaceX's Option A in April 2021 "
        "([[hls-option-a]]), Blue Origin's losing bid for the same award, which NASA evaluated at "
        "[[hls-blue-origin-bid]] depending on the outlet (outlined bar, not an award), SpaceX's Option B in "
        "November 2022 (about [[hls-option-b]]) and Blue Origin's Sustaining Lunar Development award in May 2023 "
        "([[hls-blue-origin-sld]])."
    ),
    sources=["businessline-2021-04-16-hls-option-a", "verge-2021-07-30-gao-hls", "upi-2021-07-30-gao-hls",
             "parabolicarc-2021-11-04-hls-lawsuit", "nasa-2022-11-16-hls-option-b", "foxweather-2023-05-19-blue-moon"],
)
def lander_awards(data, layout):
    records = sorted((c for c in data.contracts if c.program == HLS), key=lambda c: (c.date, c.kind == "bid"))
    rows = []
    for c in records:
        company = data.get(c.awardee).label
        is_bid = c.kind == "bid"
        high = c.value_high if c.value_high is not None else c.value
        rows.append({
            "item": f"{SHORT.get(c.id, c.title)} · {company}, {c.date:%B %Y}",
            "company": company,
            "date": c.date.isoformat(),
            "status": "Bid (not awarded)" if is_bid else "Award",
            "value_bn": c.value / 1e9,
            "value_high_bn": high / 1e9,
            "value_label": format_money_range(c.value, high) + (" bid" if is_bid else ""),
            "value_kind": VALUE_KIND_LABELS.get(c.value_kind, ""),
            "_fill_opacity": 0.0 if is_bid else 1.0,
            "_record": c.id,
        })
    if layout.narrow:  # (only the phone drawing carries these, so the wide one's data is unchanged)
        for r in rows:
            r["_name"], r["_detail"] = r["item"].split(" · ")
            r["_value_lines"] = "\n".join(textwrap.wrap(r["value_label"], 13))
    companies = list(dict.fromkeys(r["company"] for r in rows))
    colors = data.organizations.colors(by="label")
    scale = alt.Scale(domain=companies, range=[colors.get(c, NEUTRAL) for c in companies])
    items = [r["item"] for r in rows]
    axis = None if layout.narrow else alt.Axis(labelExpr="split(datum.label, ' · ')", labelFontSize=12, labelLimit=260,
                                                ticks=False, domain=False, labelPadding=8)
    y = alt.Y("item:N", sort=items, title=None, axis=axis)
    top = max(r["value_high_bn"] for r in rows)
    x = alt.X("value_bn:Q", title=textwrap.wrap(X_TITLE, 36) if layout.narrow else X_TITLE,
              scale=alt.Scale(domain=[0, top * 1.45], nice=False),
              axis=alt.Axis(values=list(range(0, int(top) + 1)), grid=True, titleAnchor="start"))
    tooltip = [alt.Tooltip("item:N", title="Item"), alt.Tooltip("status:N", title="Status"),
               alt.Tooltip("value_label:N", title="Value"), alt.Tooltip("value_kind:N", title="Kind of figure")]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(height=30, strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("company:N", scale=scale, legend=None),
        stroke=alt.Stroke("company:N", scale=scale, legend=None),
        fillOpacity=alt.FillOpacity("_fill_opacity:Q", scale=None),
        strokeDash=alt.StrokeDash("status:N", scale=alt.Scale(domain=["Award", "Bid (not awarded)"], range=[[1, 0], [5, 3]]), legend=None),
        tooltip=tooltip)
    ranges = base.mark_bar(height=30, opacity=0.35).encode(
        x="value_bn:Q", x2="value_high_bn:Q", y=y, color=alt.Color("company:N", scale=scale, legend=None), tooltip=tooltip)
    if layout.narrow:  # names over the bars, and the bid's value on two lines to fit beside its long bar
        labels = base.mark_text(align="left", dx=6, fontSize=13, fontWeight="bold", lineBreak="\n").encode(
            x="value_high_bn:Q", y=y, text="_value_lines:N", tooltip=tooltip)
        return alt.layer(bars, ranges, labels, *_phone_headings(base, y, tooltip)).properties(height=84 * len(rows))
    labels = base.mark_text(align="left", dx=6, fontSize=13, fontWeight="bold").encode(
        x="value_high_bn:Q", y=y, text="value_label:N", tooltip=tooltip)
    return alt.layer(bars, ranges, labels).properties(width=380, height=62 * len(rows))


def _phone_headings(base, y, tooltip):
    """Each bar's name and company over the bar, from its left edge: a y axis beside the bars leaves
    them no room on a 320 px drawing."""
    name = base.mark_text(align="left", baseline="bottom", fontSize=12, fontWeight="bold", dy=-35).encode(
        x=alt.value(0), y=y, text="_name:N", tooltip=tooltip)
    detail = base.mark_text(align="left", baseline="bottom", fontSize=12, dy=-20).encode(
        x=alt.value(0), y=y, text="_detail:N", tooltip=tooltip)
    return name, detail
