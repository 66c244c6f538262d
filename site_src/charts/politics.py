"""The 2025 politics as a vertical timeline: dots at the true date, labels spread so none overlap."""

import datetime as dt
import textwrap

import altair as alt

from generator import Note, Range, chart
from generator.figures import format_date

YEAR = 2025
NEUTRAL = "#7f8791"
# Contract decisions of 2025 shown alongside the political events (event ids).
KEY_CONTRACT_EVENTS = ("lane2-awards", "viper-clps-award", "lane2-fy2026-assignments")
DAY_MS = 86_400_000
HEIGHT = 760
LINE_PX = 18  # vertical space one label needs
# On a phone: labels wrapped to WRAP characters (~220 px at 12 px) on a taller axis, LINE_PX per line
# apart, their lines WRAP_LINE_PX apart, so the space between two labels is wider than within one.
NARROW_HEIGHT = 1150
WRAP = 36
WRAP_LINE_PX = 15


def _ms(day):
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp() * 1000)


def _dodge(values, sizes):
    """Positions near `values` (sorted ascending), in the same order, each pair of neighbours at least
    the mean of their `sizes` apart (so a label of several lines gets room for all of them)."""
    placed = list(values)
    for _ in range(200):
        moved = False
        for k in range(1, len(placed)):
            overlap = (sizes[k - 1] + sizes[k]) / 2 - (placed[k] - placed[k - 1])
            if overlap > 1e-6:
                placed[k - 1] -= overlap / 2
                placed[k] += overlap / 2
                moved = True
        if not moved:
            break
    return placed


def _politics_notes(data):
    """What ties the events together: the feud from Trump's threat to the review's outcome, and why
    Isaacman came back (the record says Trump called his relationship with Musk good)."""
    threat, outcome = data.get("trump-threatens-spacex-contracts"), data.get("spacex-review-outcome")
    renominated = data.get("isaacman-renominated")
    return [Range("Trump–Musk feud: contracts threatened, then reviewed", y=(threat.date, outcome.date)),
            Note("Re-nominated as Trump called his relationship with Musk good again", y=renominated.date)]


@chart(
    "politics-2025",
    title="2025: the year politics entered the contest",
    description=(
        "Timeline of 2025 events, each dot at its date and coloured by the company involved. Jared Isaacman, "
        "Trump's pick for NASA, was nominated in January and withdrawn on May 31, a day after Musk left his "
        "government role. In June Trump threatened Musk's contracts, the White House ordered a review of about "
        "[[spacex-contracts-under-review]] in SpaceX contracts, and Blue Origin's chief met Trump's chief of "
        "staff while Bezos spoke with Trump at least twice; in July the review found most SpaceX contracts too "
        "critical to cancel. Isaacman was re-nominated in November and confirmed [[isaacman-confirmation-vote]] "
        "to [[isaacman-confirmation-vote-against]] on December 17 and sworn in the next day, when an executive order set "
        "a Moon landing by 2028. Bezos also met Trump privately in mid-July, an August executive order set out to "
        "speed up commercial launch licensing, and Musk was back at the White House on November 18. Key contract decisions "
        "are shown too: the Lane 2 awards in April, Blue Origin's VIPER delivery award in September and the "
        "FY2026 Lane 2 assignments in October."
    ),
    sources=[
        "anadolu-2025-10-03-lane2-fy2026", "ap-2025-05-30-musk-sendoff", "aviationweek-2025-04-04-lane2-awards",
        "belaaz-2025-07-20-spacex-review", "breakingdefense-2025-04-04-lane2", "breitbart-2025-05-31-isaacman",
        "cbs-2025-11-04-isaacman-renominated", "europesays-2025-06-bezos-limp", "hothardware-2025-10-20-duffy-hls",
        "military-2025-04-07-lane2", "nasa-2025-09-19-viper", "reuters-2025-06-14-spacex-contracts-review",
        "reuters-2025-06-25-bezos-trump", "reuters-2025-12-17-isaacman-confirmed",
        "spaceflightnow-2025-05-31-isaacman-withdrawn", "spacenews-2025-06-05-trump-musk-feud",
        "spacepolicyonline-2025-11-04-isaacman-renomination", "spacepolicyonline-2025-12-08-isaacman-committee",
        "upi-2025-07-10-duffy", "usatoday-2025-07-09-duffy", "zerohedge-2024-12-04-isaacman",
        "benzinga-2025-07-22-bezos-white-house", "whitehouse-2025-08-13-commercial-space-eo",
        "firstpost-2025-11-18-musk-white-house", "satnews-2025-12-22-space-superiority-eo",
    ],
    annotations=_politics_notes,
)
def politics_2025(data, layout):
    events = [e for e in data.events
              if e.date.year == YEAR and ("politics" in e.topics or e.id in KEY_CONTRACT_EVENTS)]
    events.sort(key=lambda e: (e.date, e.id))
    spacex, blue = data.get("spacex").label, data.get("blue-origin").label
    several, nobody = "Several companies", "No company named"

    def group(e):
        if len(e.companies) > 1:
            return several
        if not e.companies:
            return nobody
        return data.get(e.companies[0]).label

    # Label positions: spread in time so that labels are LINE_PX apart (more for wrapped ones) on the axis.
    height = NARROW_HEIGHT if layout.narrow else HEIGHT
    start, end = _ms(dt.date(YEAR, 1, 1)), _ms(dt.date(YEAR + 1, 1, 1))
    px_ms = (end - start) / height
    labels = [f"{e.date:%b} {e.date.day} · {e.title}" for e in events]
    if layout.narrow:
        labels = ["\n".join(textwrap.wrap(text, WRAP)) for text in labels]
    sizes = [LINE_PX * (text.count("\n") + 1) * px_ms for text in labels]
    placed = _dodge([_ms(e.date) for e in events], sizes)
    pad = max(sizes) / 2
    low, high = min(placed + [start]) - pad, max(placed + [end]) + pad
    rows = []
    for e, at, text in zip(events, placed, labels):
        rows.append({
            "date": e.date.isoformat(),
            "date_label": format_date(e.date),
            "event": e.title,
            "_label": text,
            "involves": group(e),
            "kind": "Contract decision" if e.id in KEY_CONTRACT_EVENTS else "Politics",
            "_label_ms": round(at),
            "_record": e.id,
        })
    groups = [g for g in (spacex, blue, several, nobody) if any(r["involves"] == g for r in rows)]
    colors = data.organizations.colors(by="label")
    palette = {spacex: colors.get(spacex, NEUTRAL), blue: colors.get(blue, NEUTRAL), several: NEUTRAL, nobody: NEUTRAL}
    shapes = {spacex: "circle", blue: "circle", several: "diamond", nobody: "circle"}
    fills = {**palette, nobody: "transparent"}  # "no company" events are drawn as rings
    legend = alt.Legend(title=None, orient="top", direction="horizontal", symbolSize=120, symbolStrokeWidth=2,
                        columns=2 if layout.narrow else 4)
    color = alt.Color("involves:N", scale=alt.Scale(domain=groups, range=[palette[g] for g in groups]), legend=legend)
    fill = alt.Fill("involves:N", scale=alt.Scale(domain=groups, range=[fills[g] for g in groups]), legend=legend)
    shape = alt.Shape("involves:N", scale=alt.Scale(domain=groups, range=[shapes[g] for g in groups]), legend=legend)

    y_scale = alt.Scale(domain=[low, high], nice=False, reverse=True)
    # January also names the year; on a phone on a second line, leaving the labels more room.
    january = "[datum.label, timeFormat(datum.value, '%Y')]" if layout.narrow else "timeFormat(datum.value, '%b %Y')"
    y = alt.Y("date:T", title=None, scale=y_scale,
              axis=alt.Axis(format="%b", tickCount={"interval": "month", "step": 1}, grid=False, domain=False,
                            labelPadding=6, orient="left",
                            labelExpr=f"month(datum.value) == 0 ? {january} : datum.label"))
    dot_x, label_x = 14, 44  # pixels from the left edge of the plot
    tooltip = [alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("event:N", title="Event"),
               alt.Tooltip("involves:N", title="Company"), alt.Tooltip("kind:N", title="Kind")]
    base = alt.Chart(alt.Data(values=rows))
    connectors = base.mark_rule(strokeWidth=1, opacity=0.6).encode(
        x=alt.value(dot_x), x2=alt.value(label_x - 4),
        y=alt.Y("date:T", scale=y_scale), y2="_label_ms:T")
    dots = base.mark_point(size=90, strokeWidth=2, opacity=1).encode(
        x=alt.value(dot_x), y=y, color=color, fill=fill, shape=shape, tooltip=tooltip)
    wrapped = {"lineBreak": "\n", "lineHeight": WRAP_LINE_PX} if layout.narrow else {}
    texts = base.mark_text(align="left", baseline="middle", fontSize=12, **wrapped).encode(
        x=alt.value(label_x), y=alt.Y("_label_ms:T", scale=y_scale), text="_label:N", tooltip=tooltip)
    return alt.layer(connectors, dots, texts).properties(width=560, height=height)
