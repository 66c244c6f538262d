"""NASA Commercial Crew: missions under contract and contract values, SpaceX versus Boeing."""

import altair as alt

from generator import chart
from generator.figures import format_date, format_money

CREW = "NASA Commercial Crew"
NEUTRAL = "#7f8791"
MISSION_FIGURES = ("crew-missions-spacex", "crew-missions-boeing")
TOTAL_FIGURES = ("cctcap-spacex-total",)  # contract totals after later extensions


@chart(
    "crew-missions",
    title="Commercial Crew: SpaceX pulled ahead of Boeing",
    description=(
        "Two bar charts of NASA's Commercial Crew contracts. In 2022 SpaceX had [[crew-missions-spacex]] crew "
        "missions under contract and Boeing [[crew-missions-boeing]]. At the 2014 award Boeing's contract was "
        "worth up to [[cctcap-boeing]] and SpaceX's up to [[cctcap-spacex]] (maximum values); after its August "
        "2022 extension, SpaceX's contract totalled about [[cctcap-spacex-total]]. A comparable later total for "
        "Boeing is not in the sources used here."
    ),
    sources=["nasa-2014-09-16-cctcap", "avweb-2022-08-31-crew-extension", "cnbc-2022-08-31-crew-missions"],
)
def crew_missions(data, layout):
    colors = data.organizations.colors(by="label")
    awards = sorted((c for c in data.contracts if c.program == CREW and c.kind == "award"), key=lambda c: c.awardee)
    company_of = {c.awardee: data.get(c.awardee).label for c in awards}
    companies = sorted(company_of.values(), key=lambda name: name != data.get("spacex").label)
    scale = alt.Scale(domain=companies, range=[colors.get(c, NEUTRAL) for c in companies])

    mission_rows = []
    for figure_id in MISSION_FIGURES:
        f = data.get(figure_id)
        org = next(o for o in company_of if o in figure_id)
        mission_rows.append({"panel": "Crew missions under contract", "company": company_of[org], "missions": int(f.value),
                             "_missions_label": f"{int(f.value)}", "date": format_date(f.date), "_record": f.id})

    value_rows = []
    for c in awards:
        value_rows.append({"panel": "Contract value", "company": company_of[c.awardee],
                           "item": f"{company_of[c.awardee]} · {c.date.year} award (maximum)",
                           "value_bn": c.value / 1e9, "value_label": format_money(c.value), "kind": "maximum value at award",
                           "date": format_date(c.date), "_record": c.id})
    for figure_id in TOTAL_FIGURES:
        f = data.get(figure_id)
        org = next(o for o in company_of if o in figure_id)
        value_rows.append({"panel": "Contract value", "company": company_of[org],
                           "item": f"{company_of[org]} · total after {f.date:%b. %Y} extension",
                           "value_bn": f.value / 1e9, "value_label": format_money(f.value), "kind": "contract total after extensions",
                           "date": format_date(f.date), "_record": f.id})
    value_rows.sort(key=lambda r: (companies.index(r["company"]), r["date"][-4:]))
    items = [r["item"] for r in value_rows]

    if layout.narrow:  # a line above each bar (only the phone drawing carries it, so the wide data is unchanged)
        for r in value_rows:
            r["_line"] = r["item"].replace(" · ", ": ")

    color = alt.Color("company:N", scale=scale, legend=None)
    missions_tooltip = [alt.Tooltip("company:N", title="Company"), alt.Tooltip("missions:Q", title="Crew missions under contract"),
                        alt.Tooltip("date:N", title="As reported on")]
    # One dataset for both panels (so the data table and CSV carry every row); each panel draws only the
    # rows that have its fields: the other rows have no value there and are skipped by Vega-Lite.
    m = alt.Chart()
    top_m = max(r["missions"] for r in mission_rows)
    company_y = alt.Y("company:N", sort=companies, title=None, scale=alt.Scale(domain=companies),
                      axis=None if layout.narrow else alt.Axis(ticks=False, domain=False, labelFontSize=13, labelPadding=8))
    missions = [
        m.mark_bar(height=28, cornerRadiusEnd=2).encode(
            x=alt.X("missions:Q", title=None, scale=alt.Scale(domain=[0, top_m * 1.2]), axis=None),
            y=company_y, color=color, tooltip=missions_tooltip),
        m.mark_text(align="left", dx=6, fontSize=14, fontWeight="bold").encode(
            x="missions:Q", y=alt.Y("company:N", sort=companies), text="_missions_label:N", tooltip=missions_tooltip),
    ]

    value_tooltip = [alt.Tooltip("company:N", title="Company"), alt.Tooltip("date:N", title="Date"),
                     alt.Tooltip("value_label:N", title="Value"), alt.Tooltip("kind:N", title="Kind of figure")]
    v = alt.Chart()
    top_v = max(r["value_bn"] for r in value_rows)
    y_items = alt.Y("item:N", sort=items, title=None, scale=alt.Scale(domain=items),
                    axis=None if layout.narrow else alt.Axis(labelExpr="split(datum.label, ' · ')", ticks=False, domain=False,
                                                             labelPadding=8, labelLimit=220))
    values = [
        v.mark_bar(height=22, cornerRadiusEnd=2).encode(
            x=alt.X("value_bn:Q", title="Billions of US dollars", scale=alt.Scale(domain=[0, top_v * 1.45], nice=False),
                    axis=alt.Axis(values=list(range(0, int(top_v) + 1)), grid=not layout.narrow,  # no lines through the labels
                                  domain=False, titleAnchor="start")),
            y=y_items, color=color, tooltip=value_tooltip),
        v.mark_text(align="left", dx=6, fontSize=13, fontWeight="bold").encode(
            x="value_bn:Q", y=y_items, text="value_label:N", tooltip=value_tooltip),
    ]
    if layout.narrow:  # the y labels go above the bars, leaving the whole width to the bars and their values
        missions.append(_line_above(m, "missions", "company:N", companies, "company:N", 28, 13, missions_tooltip))
        values.append(_line_above(v, "value_bn", "item:N", items, "_line:N", 22, 12, value_tooltip))
    title_space = {"offset": 10} if layout.narrow else {}  # a gap above the first label
    missions = alt.layer(*missions).properties(
        width=140, height=116 if layout.narrow else 180,
        title=alt.TitleParams(f"Crew missions under contract ({mission_rows[0]['date'][-4:]})", anchor="start", fontSize=13,
                              **title_space))
    values = alt.layer(*values).properties(width=215, height=174 if layout.narrow else 180,
                                            title=alt.TitleParams("Contract value", anchor="start", fontSize=13, **title_space))
    return alt.hconcat(missions, values, spacing=28, data=alt.Data(values=mission_rows + value_rows))


def _line_above(base, value_field, y_field, order, text, bar_height, font_size, tooltip):
    """A bar's label as a line of text just above its left end (a phone has no room for it beside the bar),
    for the rows that have a bar in this panel (`value_field`)."""
    # y without axis settings: a pixel-x layer with axis=None beside a default-axis layer crashes Vega-Lite.
    return base.transform_filter(f"isValid(datum.{value_field})").mark_text(
        align="left", baseline="bottom", dy=-(bar_height // 2 + 3), fontSize=font_size,
    ).encode(x=alt.value(0), y=alt.Y(y_field, sort=order), text=text, tooltip=tooltip)
