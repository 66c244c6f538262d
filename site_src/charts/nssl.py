"""National Security Space Launch charts: Lane 2 split, order years, estimate, Phase 2 tally.

Every number comes from the data records; the code only filters, sums and formats.
"""

import re

import altair as alt

from generator import Note, chart
from generator.figures import format_money, format_money_range, resolve

LANE2 = "NSSL Phase 3 Lane 2"
PHASE2 = "NSSL Phase 2"
NEUTRAL = "#7f8791"  # for organisations without a colour in the data
# The sources' own hedge for a Lane 2 expected value given as one number; "about" for any other.
LANE2_HEDGE = {"lane2-blue-origin": "nearly"}
LINE_PX = 16  # line height of two-line text on a phone
COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _company_scale(data, companies):
    colors = data.organizations.colors(by="label")
    return alt.Scale(domain=list(companies), range=[colors.get(c, NEUTRAL) for c in companies])


def _house(data, record_id, field=None):
    """A record's figure in the house format, exactly as a [[record-id.field]] reference prints it."""
    return resolve(data, record_id, field).text


def _count_word(n):
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else f"{n:,}"


def _join(items, word="and"):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _lane2_awards(data):
    awards = [c for c in data.contracts if c.program == LANE2 and c.kind == "award"]
    return sorted(awards, key=lambda c: (-(c.missions or 0), c.awardee))


@chart(
    "lane2-split",
    title="Lane 2: who gets the missions and the money",
    description=(
        "Two bar charts of the Space Force's April 2025 NSSL Phase 3 Lane 2 awards. SpaceX is projected "
        "[[lane2-spacex.missions]] missions worth about [[lane2-spacex]], ULA [[lane2-ula.missions]] missions "
        "worth [[lane2-ula]] (outlets differ; the lighter segment shows the range) and Blue Origin "
        "[[lane2-blue-origin.missions]] missions worth nearly [[lane2-blue-origin]]. "
        "Dollar figures are expected values over five order years, not money paid."
    ),
    sources=["breakingdefense-2025-04-04-lane2", "military-2025-04-07-lane2", "rdworld-2025-04-04-lane2",
             "spacefrontpage-2025-04-04-lane2", "anadolu-2025-10-03-lane2-fy2026"],
)
def lane2_split(data):
    rows = []
    for c in _lane2_awards(data):
        high = c.value_high if c.value_high is not None else c.value
        rows.append({
            "company": data.get(c.awardee).label,
            "missions": c.missions,
            "_missions_label": f"{c.missions}",
            "value_bn": c.value / 1e9,
            "value_high_bn": high / 1e9,
            "value_label": format_money_range(c.value, high),
            "value_kind": "expected value",
            "_record": c.id,
        })
    companies = [r["company"] for r in rows]
    color = alt.Color("company:N", scale=_company_scale(data, companies), legend=None)
    y = alt.Y("company:N", sort=companies, title=None, axis=alt.Axis(labelFontSize=13, labelPadding=8, ticks=False, domain=False))
    tooltip = [alt.Tooltip("company:N", title="Company"), alt.Tooltip("missions:Q", title="Projected missions"),
               alt.Tooltip("value_label:N", title="Expected value")]
    base = alt.Chart(alt.Data(values=rows))
    max_missions = max(r["missions"] for r in rows)
    max_value = max(r["value_high_bn"] for r in rows)

    missions = alt.layer(
        base.mark_bar(height=26, cornerRadiusEnd=2).encode(
            x=alt.X("missions:Q", title=None, scale=alt.Scale(domain=[0, max_missions * 1.18]),
                    axis=alt.Axis(tickMinStep=5, grid=False, labels=False, ticks=False, domain=False)),
            y=y, color=color, tooltip=tooltip),
        base.mark_text(align="left", dx=6, fontSize=14, fontWeight="bold").encode(
            x="missions:Q", y=alt.Y("company:N", sort=companies), text="_missions_label:N", tooltip=tooltip),
    ).properties(width=190, height=130, title=alt.TitleParams("Missions (projected)", anchor="start", fontSize=13))

    y_hidden = alt.Y("company:N", sort=companies, axis=None)
    value = alt.layer(
        base.mark_bar(height=26, cornerRadiusEnd=2).encode(
            x=alt.X("value_bn:Q", title="Lighter tip: range where outlets' figures differ",
                    scale=alt.Scale(domain=[0, max_value * 1.6]),
                    axis=alt.Axis(grid=False, labels=False, ticks=False, domain=False, titleAnchor="start", titleFontStyle="italic")),
            y=y_hidden, color=color, tooltip=tooltip),
        base.mark_bar(height=26, opacity=0.4).encode(
            x="value_bn:Q", x2="value_high_bn:Q", y=y_hidden, color=color, tooltip=tooltip),
        base.mark_text(align="left", dx=6, fontSize=14, fontWeight="bold").encode(
            x="value_high_bn:Q", y=y_hidden, text="value_label:N", tooltip=tooltip),
    ).properties(width=300, height=130, title=alt.TitleParams("Expected value (billions of US dollars)", anchor="start", fontSize=13))

    return alt.hconcat(missions, value, spacing=24)


@chart(
    "lane2-order-years",
    title="Lane 2 missions assigned so far, by order year",
    description=(
        "Bar chart of the missions the Space Force has assigned in each Lane 2 order year. For FY2025, "
        "SpaceX got [[lane2-fy2025-spacex.missions]] missions ([[lane2-fy2025-spacex]]) and ULA "
        "[[lane2-fy2025-ula.missions]] ([[lane2-fy2025-ula]]); for FY2026, SpaceX got "
        "[[lane2-fy2026-spacex.missions]] (about [[lane2-fy2026-spacex]]) and ULA [[lane2-fy2026-ula.missions]] "
        "(about [[lane2-fy2026-ula]]). Blue Origin has been assigned none, because New Glenn is not yet "
        "certified. Dollar figures are the reported values of the assigned missions (money obligated), which "
        "count toward each company's Lane 2 expected value."
    ),
    sources=["spacefrontpage-2025-04-lane2-fy2025", "anadolu-2025-10-03-lane2-fy2026"],
)
def lane2_order_years(data):
    companies = [data.get(c.awardee).label for c in _lane2_awards(data)]
    assigned = {}
    for c in data.contracts:
        if c.program == LANE2 and c.kind == "order_year":
            fy = "FY" + re.search(r"fy(\d{4})", c.id).group(1)
            assigned[(fy, data.get(c.awardee).label)] = c
    years = sorted({fy for fy, _ in assigned})
    rows = []
    for fy in years:
        for company in companies:
            c = assigned.get((fy, company))
            missions = c.missions if c else 0
            if c:
                label = f"{company}: {missions} mission{'s' if missions != 1 else ''}, {format_money(c.value)}"
            else:
                label = f"{company}: none assigned"
            rows.append({
                "order_year": fy,
                "company": company,
                "missions": missions,
                "value_label": format_money(c.value) if c else "none",
                "_label": label,
                "_record": c.id if c else "",
            })
    max_missions = max(r["missions"] for r in rows)
    color = alt.Color("company:N", scale=_company_scale(data, companies), legend=None)
    y = alt.Y("order_year:N", title=None, sort=years, axis=alt.Axis(labelFontSize=13, labelFontWeight="bold", ticks=False, domain=False, labelPadding=10))
    y_offset = alt.YOffset("company:N", sort=companies, scale=alt.Scale(paddingInner=0.25))
    tooltip = [alt.Tooltip("order_year:N", title="Order year"), alt.Tooltip("company:N", title="Company"),
               alt.Tooltip("missions:Q", title="Missions assigned"), alt.Tooltip("value_label:N", title="Value (obligated)")]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        x=alt.X("missions:Q", title="Missions assigned", scale=alt.Scale(domain=[0, max_missions * 2.1]),
                axis=alt.Axis(values=list(range(0, max_missions + 1)), grid=True, domain=False, titleAnchor="start")),
        y=y, yOffset=y_offset, color=color, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=6, fontSize=12).encode(
        x="missions:Q", y=y, yOffset=y_offset, text="_label:N", tooltip=tooltip)
    return alt.layer(bars, labels).properties(width=560, height=60 * len(years) * len(companies) / 2 + 20)


def _award_segments(data):
    """The awards bar's company segments in drawing order (ULA's range last, so it sits at the end),
    each with where it starts in dollars."""
    awards = sorted(_lane2_awards(data), key=lambda c: (c.value_high is not None, -c.value))
    starts = [sum(c.value for c in awards[:at]) for at in range(len(awards))]
    return list(zip(awards, starts))


def _lane2_estimate_notes(data):
    """Why one company's share is not money yet: its missions are assigned only once its rocket is
    certified (the award record says so), pinned to the middle of its segment."""
    for award, start in _award_segments(data):
        if award.awardee == "blue-origin":
            text = f"{data.get(award.awardee).label}'s share waits on New Glenn's certification"
            return [Note(text, x=(start + award.value / 2) / 1e9, y="Lane 2 awards")]
    return []


@chart(
    "lane2-vs-estimate",
    title="Lane 2 came in below the Space Force's own estimate",
    # Fallback only: the function states the estimate, the awards and the gap from the data.
    description=(
        "Bar chart comparing the Space Force's own pre-award estimate for Lane 2 with the combined expected "
        "value of the April 2025 awards, split by company."
    ),
    sources=["aviationweek-2025-04-07-spacex-top-provider", "aviationweek-2025-04-04-lane2-awards",
             "breakingdefense-2025-04-04-lane2", "military-2025-04-07-lane2", "rdworld-2025-04-04-lane2",
             "spacefrontpage-2025-04-04-lane2", "anadolu-2025-10-03-lane2-fy2026"],
    annotations=_lane2_estimate_notes,
)
def lane2_vs_estimate(data, layout):
    estimate, total, savings = data.get("lane2-estimate"), data.get("lane2-total-value"), data.get("lane2-savings")
    estimate_bar, awards_bar = "Space Force estimate", "Lane 2 awards"
    rows = [{
        "bar": estimate_bar, "part": "Estimate before the awards", "_start_bn": 0.0, "_end_bn": estimate.value / 1e9,
        "_end_high_bn": estimate.value / 1e9, "value_bn": estimate.value / 1e9, "value_label": format_money(estimate.value),
        "value_kind": "Space Force estimate", "_inside": "", "_above": format_money(estimate.value), "_below": "",
        "_text_color": "", "_record": estimate.id,
    }]
    # The awards bar: company segments, the one whose value is a range (ULA) last so the range sits at the end.
    segments = _award_segments(data)
    awards = [c for c, _ in segments]
    for c, start in segments:
        high = c.value_high if c.value_high is not None else c.value
        company = data.get(c.awardee).label
        rows.append({
            "bar": awards_bar, "part": company, "_start_bn": start / 1e9, "_end_bn": (start + c.value) / 1e9,
            "_end_high_bn": (start + high) / 1e9, "value_bn": c.value / 1e9, "value_label": format_money_range(c.value, high),
            "value_kind": "expected value", "_inside": company, "_above": "", "_below": format_money_range(c.value, high),
            "_text_color": "#16191d" if c.awardee == "blue-origin" else "#ffffff", "_record": c.id,
        })
    # On a phone "combined" joins the bar's name, so that the total is short enough to sit beside it.
    rows[-1]["_above"] = format_money(total.value) if layout.narrow else f"{format_money(total.value)} combined"
    rows.append({
        "bar": awards_bar, "part": "Below the estimate", "_start_bn": total.value / 1e9, "_end_bn": estimate.value / 1e9,
        "_end_high_bn": estimate.value / 1e9, "value_bn": savings.value / 1e9, "value_label": format_money(savings.value),
        "value_kind": "difference, as reported", "_inside": "", "_above": "", "_below": f"{format_money(savings.value)} less",
        "_text_color": "", "_record": savings.id,
    })
    for r in rows:
        r["_mid_bn"] = (r["_start_bn"] + r["_end_high_bn"]) / 2
    if layout.narrow:  # bars named above their starts: axis labels would take a third of a phone's width
        names = {estimate_bar: estimate_bar, awards_bar: f"{awards_bar}, combined"}
        for r in rows:
            r["_bar_name"] = names[r["bar"]] if r["_start_bn"] == 0 else ""
    gap_part, estimate_part = rows[-1]["part"], rows[0]["part"]
    companies = [data.get(c.awardee).label for c in awards]
    colors = data.organizations.colors(by="label")
    parts = [estimate_part] + companies + [gap_part]
    color = alt.Color("part:N", legend=None, scale=alt.Scale(
        domain=parts, range=[NEUTRAL] + [colors.get(c, NEUTRAL) for c in companies] + [NEUTRAL]))
    y = alt.Y("bar:N", title=None, sort=[estimate_bar, awards_bar], scale=alt.Scale(paddingInner=0.9, paddingOuter=0.5),
              axis=None if layout.narrow else alt.Axis(labelFontSize=13, ticks=False, domain=False, labelPadding=8, labelLimit=200))
    x = alt.X("_start_bn:Q", title="Billions of US dollars (estimate and expected value)",
              scale=alt.Scale(domain=[0, estimate.value / 1e9 * 1.02]), axis=alt.Axis(grid=True, tickMinStep=1, titleAnchor="start"))
    tooltip = [alt.Tooltip("bar:N", title="Bar"), alt.Tooltip("part:N", title="Part"),
               alt.Tooltip("value_label:N", title="Value"), alt.Tooltip("value_kind:N", title="Kind of figure")]
    base = alt.Chart(alt.Data(values=rows))
    is_gap = alt.datum.part == gap_part
    look = {  # the gap is a dashed outline, the estimate a paler grey
        "fillOpacity": alt.condition(is_gap, alt.value(0), alt.value(1)),
        "strokeDash": alt.condition(is_gap, alt.value([4, 3]), alt.value([1, 0])),
        "stroke": alt.condition(is_gap, alt.value(NEUTRAL), alt.value(None)),
        "opacity": alt.condition(alt.datum.part == estimate_part, alt.value(0.6), alt.value(1)),
    }
    bars = base.mark_bar(height=34).encode(x=x, x2="_end_bn:Q", y=y, color=color, tooltip=tooltip, **look)
    ranges = base.mark_bar(height=34, opacity=0.4).encode(x="_end_bn:Q", x2="_end_high_bn:Q", y=y, color=color, tooltip=tooltip)
    inside = base.mark_text(align="left", dx=6, fontSize=12, fontWeight="bold").encode(
        x="_start_bn:Q", y=y, text="_inside:N", color=alt.Color("_text_color:N", scale=None), tooltip=tooltip)
    above = base.mark_text(align="right", dy=-28, fontSize=13, fontWeight="bold").encode(
        x="_end_high_bn:Q", y=y, text="_above:N", tooltip=tooltip)
    below = base.mark_text(align="center", dy=28, fontSize=12).encode(
        x="_mid_bn:Q", y=y, text="_below:N", tooltip=tooltip)
    description = _estimate_description(data, estimate, total, savings, awards)
    if layout.narrow:
        names = base.mark_text(align="left", dy=-28, fontSize=13).encode(x=alt.datum(0), y=y, text="_bar_name:N")
        return alt.vconcat(alt.layer(bars, ranges, names, above).properties(width=490, height=160),
                           _phone_estimate_key(base, parts[1:], color, look, tooltip), spacing=14, description=description)
    return alt.layer(bars, ranges, inside, above, below).properties(width=490, height=200, description=description)


def _phone_estimate_key(base, parts, color, look, tooltip):
    """The phone's key under the bars: each part of the awards bar and its value, which a
    320 px bar has no room to show in or under its segments."""
    y = alt.Y("part:N", sort=parts, axis=None)
    rows = base.transform_filter(alt.FieldOneOfPredicate(field="part", oneOf=parts))
    swatch = rows.mark_square(size=160, strokeWidth=1.5).encode(x=alt.value(7), y=y, color=color, tooltip=tooltip, **look)
    name = rows.mark_text(align="left", fontSize=12).encode(x=alt.value(22), y=y, text="part:N", tooltip=tooltip)
    value = rows.mark_text(align="left", fontSize=12, fontWeight="bold").encode(
        x=alt.value(150), y=y, text="_below:N", tooltip=tooltip)
    return alt.layer(swatch, name, value).properties(width=490, height=24 * len(parts))


def _estimate_description(data, estimate, total, savings, awards):
    """The estimate, the awards' combined value (with the outlets' roundings) and the gap, in words."""
    def outlet(source_id):
        return data.source(source_id).outlet

    main = next((r.source for r in total.reports if r.value == total.value), total.sources[0])
    others = sorted({r.value for r in total.reports if r.value != total.value})
    rounded = f" (other outlets rounded it to {_join((format_money(v) for v in others), 'or')})" if others else ""
    parts = []
    for c in awards:
        company = data.get(c.awardee).label
        if c.value_high not in (None, c.value):
            parts.append(f"{company} {_house(data, c.id)} (outlets differ; lighter segment)")
        else:
            parts.append(f"{company} {LANE2_HEDGE.get(c.id, 'about')} {_house(data, c.id)}")
    return (
        f"Bar chart comparing the Space Force's own pre-award estimate for Lane 2, {format_money(estimate.value)}, "
        f"with the combined expected value of the {_count_word(len(awards))} {awards[0].date:%B %Y} awards, "
        f"{format_money(total.value)} according to {outlet(main)}{rounded}: about {format_money(savings.value)} "
        f"less, as the Space Force told {outlet(savings.sources[0])}. The awards bar is split by company: "
        f"{_join(parts)}."
    )


@chart(
    "phase2-tally",
    title="Phase 2 ended closer to an even split than planned",
    # Fallback only: the function states the planned shares and the final tally from the data.
    description=(
        "Two stacked bars comparing NSSL Phase 2 as planned at the August 2020 award with the final tally "
        "after the last order round in October 2023, by company."
    ),
    sources=["spacepolicyonline-2020-08-07-phase2", "newsmax-2023-11-01-phase2-final", "spacenews-2021-03-09-phase2-orders"],
)
def phase2_tally(data, layout):
    awards = sorted((c for c in data.contracts if c.program == PHASE2 and c.kind == "award"), key=lambda c: -(c.missions or 0))
    planned = {"ula": data.get("phase2-planned-share-ula"), "spacex": data.get("phase2-planned-share-spacex")}
    expected = data.get("phase2-expected-missions")
    total = sum(c.missions for c in awards)
    expected_text = f"{expected.value:.0f}–{expected.value_high:.0f}" if expected.value_high else f"{expected.value:.0f}"
    planned_bar = f"Planned at award, Aug. 2020 ({expected_text} launches expected)"
    final_bar = f"Final tally, Oct. 2023 ({total} missions)"
    rows = []
    start_planned = start_final = 0.0
    for c in awards:
        company = data.get(c.awardee).label
        text_color = "#16191d" if c.awardee == "blue-origin" else "#ffffff"
        share = planned[c.awardee].value
        rows.append({
            "bar": planned_bar, "company": company, "missions": None, "share": share,
            "_start": start_planned, "_end": start_planned + share,
            "_label": f"{company} {share:.0f}%", "_text_color": text_color, "_record": planned[c.awardee].id,
        })
        if layout.narrow:  # company over its figures: two short lines fit even the narrower segment
            rows[-1]["_lines"] = f"{company}\n{share:.0f}%"
        start_planned += share
        final_share = 100 * c.missions / total
        rows.append({
            "bar": final_bar, "company": company, "missions": c.missions, "share": round(final_share, 1),
            "_start": start_final, "_end": start_final + final_share,
            "_label": f"{company} {c.missions} missions ({final_share:.0f}%)", "_text_color": text_color, "_record": c.id,
        })
        if layout.narrow:
            rows[-1]["_lines"] = f"{company}\n{c.missions} missions ({final_share:.0f}%)"
        start_final += final_share
    companies = [data.get(c.awardee).label for c in awards]
    for r in rows:
        r["_bar_title"] = r["bar"] if r["_start"] == 0 else ""
        if layout.narrow:  # the bar's date and its count on their own lines
            r["_title_lines"] = r["_bar_title"].replace(" (", "\n(")
    y = alt.Y("bar:N", title=None, sort=[planned_bar, final_bar], axis=None, scale=alt.Scale(paddingInner=0.8, paddingOuter=0.6))
    tooltip = [alt.Tooltip("bar:N", title="Bar"), alt.Tooltip("company:N", title="Company"),
               alt.Tooltip("missions:Q", title="Missions"), alt.Tooltip("share:Q", title="Share of missions (%)")]
    base = alt.Chart(alt.Data(values=rows))
    bar_px = 44 if layout.narrow else 36
    bars = base.mark_bar(height=bar_px).encode(
        x=alt.X("_start:Q", title="Share of Phase 2 missions (%)", scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100], grid=True, titleAnchor="start")),
        x2="_end:Q", y=y, color=alt.Color("company:N", scale=_company_scale(data, companies), legend=None), tooltip=tooltip)
    lines = {"lineBreak": "\n", "lineHeight": LINE_PX} if layout.narrow else {}
    # A bottom-aligned block hangs its second line below the first: lift it by one line on a phone.
    title_dy = -(bar_px // 2 + 4) - (LINE_PX if layout.narrow else 0)
    labels = base.mark_text(align="left", dx=8, fontSize=13, fontWeight="bold", **lines).encode(
        x="_start:Q", y=y, text="_lines:N" if layout.narrow else "_label:N",
        color=alt.Color("_text_color:N", scale=None), tooltip=tooltip)
    titles = base.mark_text(align="left", baseline="bottom", dy=title_dy, fontSize=13, **lines).encode(
        x=alt.datum(0), y=y, text="_title_lines:N" if layout.narrow else "_bar_title:N")
    planned_words = _join(
        f"{planned[c.awardee].value:.0f} percent{' of missions' if i == 0 else ''} for {data.get(c.awardee).label}"
        for i, c in enumerate(awards))
    final_words = _join(
        f"{c.missions} for {data.get(c.awardee).label} ({100 * c.missions / total:.0f} percent)" for c in awards)
    description = (
        f"Two stacked bars comparing NSSL Phase 2 as planned at the August 2020 award, about {planned_words} "
        f"({_house(data, expected.id)} launches were then expected), with the final tally after the last order "
        f"round in October 2023: {total} missions, {final_words}."
    )
    return alt.layer(bars, labels, titles).properties(width=600, height=232 if layout.narrow else 175, description=description)
