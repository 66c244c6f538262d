"""New Glenn's national security certification count: successful flights against the four required.

Built from the flight records (outcomes), the ground-test loss (an event record) and the figure
that says how many successful flights certification needs.
"""

import datetime as dt

import altair as alt

from generator import chart
from generator.figures import format_date

REQUIRED = "new-glenn-certification-flights-required"
PAD_LOSS = "new-glenn-ng4-static-fire-explosion"
KINDS = ["Successful flight (counts)", "Failed flight (does not count)", "Lost on the pad before flying"]
COLORS = ["#009988", "#CC3311", "#CC3311"]
SHAPES = ["circle", "cross", "square"]
LINE = "#7f8791"
WORDS = ("no", "one", "two", "three", "four", "five", "six")


def _word(n):
    return WORDS[n] if 0 <= n < len(WORDS) else str(n)


def _as_of(data):
    """The newest source's date: how far the data reaches (equal to site.yaml's data_as_of)."""
    return max(s.date for s in data.sources)


def _rows(data):
    """One row per New Glenn attempt (flights, then the pad loss), with the running count of successes."""
    attempts = [(f.date, f.name, f.outcome, f.id) for f in data.flights if f.vehicle == "New Glenn" and f.outcome != "planned"]
    loss = data.events.get(PAD_LOSS)
    if loss is not None:
        attempts.append((loss.date, "NG-4 vehicle", "pad", loss.id))
    rows, count = [], 0
    for date, name, outcome, record in sorted(attempts):
        count += outcome == "success"
        kind = KINDS[0] if outcome == "success" else KINDS[2] if outcome == "pad" else KINDS[1]
        rows.append({"date": date.isoformat(), "date_label": format_date(date), "name": name, "kind": kind,
                     "successful_flights": count, "_record": record})
    return rows


@chart(
    "new-glenn-certification-count",
    title="New Glenn's certification count: two of four",
    # Fallback only: the function counts the flights from the data.
    description=(
        "Step chart of Blue Origin's successful New Glenn flights over time, against the four successful "
        "flights the Space Force requires before it certifies the rocket for national security launches."
    ),
    sources=["flyingtomars-2025-12-10-new-glenn-certification", "spaceflightnow-new-glenn-two-of-four",
             "spacenews-2025-01-16-ng-1", "floridaspaceflight-2025-11-13-ng-2", "dailyalpha-2026-04-19-ng-3",
             "spacecom-2026-05-28-new-glenn-explosion", "spaceflightnow-2026-06-30-new-glenn-return"],
)
def new_glenn_certification_count(data, layout):
    rows = _rows(data)
    required = int(data.get(REQUIRED).value)
    as_of = _as_of(data)
    first = dt.date.fromisoformat(rows[0]["date"])
    start = dt.date(first.year - 1, 10, 1)  # a quarter before the first flight's year, so its marker clears the axis
    # the step line: zero from the start of the first year, each success a step up, flat to the data date
    steps = [{"date": start.isoformat(), "successful_flights": 0}] + [{"date": r["date"], "successful_flights": r["successful_flights"]} for r in rows]
    steps.append({"date": as_of.isoformat(), "successful_flights": rows[-1]["successful_flights"]})
    end = dt.date(as_of.year + 1, 1, 1)
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[start.isoformat(), end.isoformat()], nice=False),
              axis=alt.Axis(format="%b %Y" if not layout.narrow else "%Y", tickCount={"interval": "month", "step": 6 if not layout.narrow else 12},
                            grid=False, domain=True, labelFlush=True))
    y = alt.Y("successful_flights:Q", title="Successful flights", scale=alt.Scale(domain=[0, required + 0.6], nice=False),
              axis=alt.Axis(values=list(range(required + 1)), format="d", grid=True, titleAnchor="end"))
    tooltip = [alt.Tooltip("name:N", title="Flight"), alt.Tooltip("date_label:N", title="Date"),
               alt.Tooltip("kind:N", title="What happened"), alt.Tooltip("successful_flights:Q", title="Successful flights so far")]
    line = alt.Chart(alt.Data(values=steps)).mark_line(interpolate="step-after", strokeWidth=3, color=LINE).encode(x=x, y=y)
    goal = alt.Chart(alt.Data(values=[{"successful_flights": required, "label": f"{_word(required).capitalize()} needed for certification"}]))
    rule = goal.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=LINE).encode(y="successful_flights:Q")
    goal_text = goal.mark_text(align="left", baseline="bottom", dx=4, dy=-4, fontSize=12, fontWeight="bold").encode(
        x=alt.value(0), y="successful_flights:Q", text="label:N")
    legend = alt.Legend(title=None, orient="top", direction="vertical" if layout.narrow else "horizontal", symbolSize=150,
                        symbolStrokeWidth=2, labelLimit=300)
    for r in rows:  # short names on a phone
        r["_label"] = r["name"].replace(" vehicle", "") if layout.narrow else r["name"]
    base = alt.Chart()  # the flights come from the layer's own data, so the page's data table lists them
    points = base.mark_point(size=220, strokeWidth=2, filled=True, opacity=1).encode(
        x=x, y=y, color=alt.Color("kind:N", scale=alt.Scale(domain=KINDS, range=COLORS), legend=legend),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=KINDS, range=SHAPES), legend=legend), tooltip=tooltip)
    names = base.mark_text(baseline="bottom", dy=-14, fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="_label:N", tooltip=tooltip)
    size = {"width": 250, "height": 230} if layout.narrow else {"width": 560, "height": 250}
    # NG-3 and the pad loss sit close together: the loss's name goes below its marker, every other name above
    above = names.transform_filter("datum.kind != '%s'" % KINDS[2])
    below = base.transform_filter("datum.kind == '%s'" % KINDS[2]).mark_text(baseline="top", dy=14, fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="_label:N", tooltip=tooltip)
    return alt.layer(rule, goal_text, line, points, above, below, data=alt.Data(values=rows)).properties(
        **size, description=_description(data, rows, required, as_of))


def _description(data, rows, required, as_of):
    successes = [r for r in rows if r["kind"] == KINDS[0]]
    failures = [r for r in rows if r["kind"] == KINDS[1]]
    losses = [r for r in rows if r["kind"] == KINDS[2]]
    text = (f"Step chart of Blue Origin's successful New Glenn flights, against the {_word(required)} the Space Force "
            f"requires before certifying the rocket for national security launches. ")
    text += " and ".join(f"{r['name']} on {r['date_label']}" for r in successes) + " succeeded"
    text += f", so the count reached {_word(len(successes))}. "
    for r in failures:
        text += f"{r['name']} on {r['date_label']} failed and does not count. "
    for r in losses:
        text += f"The {r['name']} exploded on the pad on {r['date_label']} before it could fly. "
    return text + f"As of {format_date(as_of)} the count was still {_word(len(successes))} of {_word(required)}."
