"""Launch charts: yearly Falcon and New Glenn counts, and every New Glenn and Starship flight.

Counts and outcomes come from the launch_counts and flights records.
"""

import datetime as dt

import altair as alt

from generator import chart
from generator.figures import format_date

NEUTRAL = "#7f8791"
FIRST_YEAR, LAST_YEAR = 2019, 2025  # full calendar years shown in launches-per-year
AS_OF = dt.date(2026, 5, 31)
# Outcome colours: a colour-blind-safe set (after Paul Tol), each >= 3:1 on the light and dark page, and
# every outcome also has its own shape so colour is never the only cue.
OUTCOMES = ["success", "partial", "failure", "planned"]
OUTCOME_LABELS = {"success": "Success", "partial": "Partial success", "failure": "Failure", "planned": "Planned"}
OUTCOME_COLORS = {"success": "#009988", "partial": "#B08000", "failure": "#CC3311", "planned": NEUTRAL}
OUTCOME_SHAPES = {"success": "circle", "partial": "diamond", "failure": "cross", "planned": "circle"}


def _outcome_encodings(outcomes, legend=True):
    """color (stroke), fill and shape channels for the outcome; one shared legend, or none."""
    labels = [OUTCOME_LABELS[o] for o in outcomes]
    colors = [OUTCOME_COLORS[o] for o in outcomes]
    shown = alt.Legend(title=None, orient="top", direction="horizontal", symbolSize=150, symbolStrokeWidth=2) if legend else None
    return {
        "color": alt.Color("outcome_label:N", scale=alt.Scale(domain=labels, range=colors), legend=shown),
        # planned flights are rings: a transparent fill, in the legend too
        "fill": alt.Fill("outcome_label:N", legend=shown, scale=alt.Scale(
            domain=labels, range=["transparent" if o == "planned" else OUTCOME_COLORS[o] for o in outcomes])),
        "shape": alt.Shape("outcome_label:N", scale=alt.Scale(domain=labels, range=[OUTCOME_SHAPES[o] for o in outcomes]), legend=shown),
    }


@chart(
    "launches-per-year",
    title="SpaceX's Falcon launches per year, and New Glenn's",
    description=(
        "Column chart of SpaceX Falcon 9 and Falcon Heavy orbital launches per calendar year: 13 in 2019, "
        "25 or 26 in 2020 (sources count differently), 31 in 2021, 61 in 2022, 96 in 2023, 134 in 2024 and "
        "165 in 2025 (some outlets say 167; the lighter tip shows the range). Blue Origin's New Glenn flew "
        "twice in 2025, its first year. Starship test flights are not counted."
    ),
    sources=["spacenewslu-2019-year-review", "cnet-2020-spacex-launches", "newser-2025-spacex-launch-streak",
             "spaceexplored-2021-12-21-spacex-2021", "spacenews-2025-01-02-launch-record-2024",
             "spaceflightnow-2025-12-new-glenn-certification", "spacenews-2025-01-16-ng-1",
             "floridaspaceflight-2025-11-13-ng-2"],
    as_of="2026-05-31",
)
def launches_per_year(data):
    vehicles = {"spacex": "Falcon 9 and Falcon Heavy", "blue-origin": "New Glenn"}
    rows = []
    for lc in sorted(data.launch_counts, key=lambda r: (r.year, r.provider)):
        if lc.provider not in vehicles or not FIRST_YEAR <= lc.year <= LAST_YEAR:
            continue
        high = lc.count_high if lc.count_high is not None else lc.count
        rows.append({
            "year": str(lc.year),
            "rocket": vehicles[lc.provider],
            "company": data.org(lc.provider).label,
            "launches": lc.count,
            "launches_high": high,
            "_label": f"{lc.count}" if high == lc.count else f"{lc.count}–{high}",
            "counted": lc.counted,
            "_record": lc.id,
        })
    rockets = [v for v in vehicles.values() if any(r["rocket"] == v for r in rows)]
    colors = data.company_colors()
    company_of = {r["rocket"]: r["company"] for r in rows}
    color = alt.Color("rocket:N", scale=alt.Scale(domain=rockets, range=[colors.get(company_of[v], NEUTRAL) for v in rockets]),
                      legend=alt.Legend(title=None, orient="top", direction="horizontal", symbolType="square"))
    years = [str(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    x = alt.X("year:O", title=None, sort=years, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, ticks=False, domain=False))
    x_offset = alt.XOffset("rocket:N", sort=rockets, scale=alt.Scale(domain=rockets, paddingInner=0.1))
    top = max(r["launches_high"] for r in rows) * 1.1
    y = alt.Y("launches:Q", title="Orbital launches per year", scale=alt.Scale(domain=[0, top], nice=False),
              axis=alt.Axis(tickMinStep=20, titleAnchor="end"))
    tooltip = [alt.Tooltip("year:N", title="Year"), alt.Tooltip("rocket:N", title="Rocket"),
               alt.Tooltip("_label:N", title="Launches"), alt.Tooltip("counted:N", title="What was counted")]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        x=x, xOffset=x_offset, y=y, color=color, tooltip=tooltip)
    ranges = base.mark_bar(opacity=0.4).encode(
        x=x, xOffset=x_offset, y="launches:Q", y2="launches_high:Q", color=color.legend(None), tooltip=tooltip)
    labels = base.mark_text(baseline="bottom", dy=-4, fontSize=12, fontWeight="bold").encode(
        x=x, xOffset=x_offset, y="launches_high:Q", text="_label:N", tooltip=tooltip)
    return alt.layer(bars, ranges, labels).properties(width=560, height=300)


def _flight_rows(data, vehicle, booster_short):
    rows = []
    for f in sorted((f for f in data.flights if f.vehicle == vehicle), key=lambda f: f.date):
        rows.append({
            "flight": f.name,
            "date": f.date.isoformat(),
            # planned flights carry only an approximate date (the first of the month), so show the month
            "date_label": format_date(f.date) if f.outcome != "planned" else f"{f.date:%B %Y} (planned)",
            "mission": f.mission,
            "_outcome": f.outcome,
            "outcome_label": OUTCOME_LABELS[f.outcome],
            "booster": booster_short(f.booster),
            "booster_detail": f.booster or "Not reported in the sources",
            "_record": f.id,
        })
    return rows


def _booster_short(text):
    """A few words for the booster's fate, from the record's sentence."""
    if not text:
        return "not reported"
    lower = text.lower()
    if "reuse" in lower and "landed" in lower:
        return "reused, landed again"
    if "caught" in lower and "abort" not in lower:
        return "caught by the tower"
    if "landed" in lower:
        return "landed"
    if "splash" in lower or "hit the water" in lower:
        return "splashed down"
    if "lost" in lower or "destroyed" in lower or "exploded" in lower:
        return "lost"
    return text


@chart(
    "new-glenn-flights",
    title="Every New Glenn flight so far",
    description=(
        "Timeline of Blue Origin's New Glenn flights. NG-1 (January 16, 2025) reached orbit but its booster was "
        "lost; NG-2 (November 13, 2025) launched NASA's ESCAPADE probes and landed its booster; NG-3 (April 19, "
        "2026) reused a booster, which landed again, but the upper stage left its satellite in the wrong orbit. "
        "NG-4 was planned for early June 2026 and had not flown as of late May 2026."
    ),
    sources=["spacenews-2025-01-16-ng-1", "floridaspaceflight-2025-11-13-ng-2", "dailyalpha-2026-04-19-ng-3",
             "cosmiclog-2026-05-ng-4", "flyingtomars-2025-12-10-new-glenn-certification", "spacecom-2025-06-09-ng-2-delay",
             "spaceflightnow-2025-12-new-glenn-certification"],
    as_of="2026-05-31",
)
def new_glenn_flights(data):
    rows = _flight_rows(data, "New Glenn", _booster_short)
    for r in rows:
        r["_detail"] = f"{r['mission']} · booster {r['booster']}" if r["_outcome"] != "planned" else f"{r['mission']} (not flown yet)"
    outcomes = [o for o in OUTCOMES if any(r["_outcome"] == o for r in rows)]
    enc = _outcome_encodings(outcomes)
    flights = [r["flight"] for r in rows]
    first = dt.date.fromisoformat(rows[0]["date"])
    last = dt.date.fromisoformat(rows[-1]["date"])
    x_domain = [dt.date(first.year, 1, 1).isoformat(), dt.date(last.year + (last.month > 6), 1 if last.month > 6 else 7, 1).isoformat()]
    y = alt.Y("flight:N", sort=flights, title=None, axis=alt.Axis(ticks=False, domain=False, labelFontSize=13, labelFontWeight="bold", labelPadding=8))
    tooltip = [alt.Tooltip("flight:N", title="Flight"), alt.Tooltip("date_label:N", title="Date"),
               alt.Tooltip("mission:N", title="Payload"), alt.Tooltip("outcome_label:N", title="Outcome"),
               alt.Tooltip("booster_detail:N", title="Booster")]
    base = alt.Chart(alt.Data(values=rows))
    timeline = base.mark_point(size=220, strokeWidth=3, filled=False, opacity=1).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(domain=x_domain, nice=False),
                axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 6}, grid=True, domain=False, labelFlush=True)),
        y=y, **enc, tooltip=tooltip,
    ).properties(width=230, height=44 * len(rows))
    text_y = alt.Y("flight:N", sort=flights, axis=None)
    date_text = base.mark_text(align="left", fontSize=12, fontWeight="bold", dy=-8).encode(
        x=alt.value(0), y=text_y, text="date_label:N", tooltip=tooltip)
    detail_text = base.mark_text(align="left", fontSize=12, dy=8).encode(
        x=alt.value(0), y=text_y, text="_detail:N", tooltip=tooltip)
    table = alt.layer(date_text, detail_text).properties(width=300, height=44 * len(rows))
    return alt.hconcat(timeline, table, spacing=16).resolve_scale(y="shared")


@chart(
    "starship-flights",
    title="Starship test flights and how they ended",
    description=(
        "Timeline of SpaceX's 12 Starship test flights from April 2023 to May 2026, grouped by outcome. Five "
        "are counted as successes (Flights 4, 5, 6, 10 and 11), two as partial successes (Flight 3, whose ship "
        "was lost on reentry, and Flight 12, the first Version 3 vehicle) and five as failures (Flights 1, 2, "
        "7, 8 and 9, including three Version 2 failures in a row in 2025). Flight 12's date (May 22, 2026) "
        "differs by a day or more between sources."
    ),
    sources=["arcticastronautics-2023-04-starship-flight-1", "wikipedia-starship-flight-2",
             "straitstimes-2024-03-14-starship-flight-3", "payload-2024-06-06-starship-flight-4",
             "reuters-2024-10-13-starship-flight-5", "uwm-blog-2024-11-20-starship-flight-6",
             "nyt-2025-01-16-starship-flight-7", "tpm-2025-03-06-starship-flight-8",
             "avweb-2025-05-28-starship-flight-9", "spacescout-2025-09-starship-flight-10",
             "teslarati-2025-10-13-starship-flight-11", "aishiftnews-2026-05-starship-flight-12"],
    as_of="2026-05-31",
)
def starship_flights(data):
    rows = _flight_rows(data, "Starship", _booster_short)
    for r in rows:
        r["_number"] = r["flight"].rsplit(" ", 1)[-1]
    outcomes = [o for o in OUTCOMES if any(r["_outcome"] == o for r in rows)]
    enc = _outcome_encodings(outcomes, legend=False)
    labels = [OUTCOME_LABELS[o] for o in outcomes]
    first = dt.date.fromisoformat(rows[0]["date"])
    x_domain = [dt.date(first.year, 1, 1).isoformat(), (AS_OF + dt.timedelta(days=45)).isoformat()]
    x = alt.X("date:T", title="Numbers are flight numbers", scale=alt.Scale(domain=x_domain, nice=False),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, domain=False,
                            titleAnchor="start", titleFontStyle="italic"))
    y = alt.Y("outcome_label:N", sort=labels, title=None,
              axis=alt.Axis(ticks=False, domain=False, labelFontSize=13, labelPadding=10))
    tooltip = [alt.Tooltip("flight:N", title="Flight"), alt.Tooltip("date_label:N", title="Date"),
               alt.Tooltip("mission:N", title="Test"), alt.Tooltip("outcome_label:N", title="Outcome"),
               alt.Tooltip("booster_detail:N", title="Booster")]
    base = alt.Chart(alt.Data(values=rows))
    points = base.mark_point(size=260, strokeWidth=3, opacity=1).encode(
        x=x, y=y, **enc, tooltip=tooltip)
    numbers = base.mark_text(baseline="bottom", dy=-13, fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="_number:N", tooltip=tooltip)
    return alt.layer(points, numbers).properties(width=560, height=64 * len(labels))
