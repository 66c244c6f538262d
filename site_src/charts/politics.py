"""The politics of 2025 as a timeline: each event a dot on its date, grouped by who it concerned."""

import altair as alt

from generator import chart

NEUTRAL = "#7f8791"
LANES = ("NASA leadership", "SpaceX and Musk", "Blue Origin and Bezos")
SHORT_TITLES = {
    "isaacman-nominated": "Isaacman nominated",
    "isaacman-first-hearing": "Senate hearing",
    "isaacman-committee-vote-1": "Committee advances him",
    "isaacman-withdrawn": "Nomination withdrawn",
    "duffy-interim-nasa": "Duffy interim chief",
    "isaacman-renominated": "Re-nominated",
    "isaacman-confirmed": "Confirmed",
    "musk-leaves-doge": "Musk leaves DOGE",
    "trump-threatens-spacex-contracts": "Trump threatens contracts",
    "white-house-spacex-review": "White House review",
    "spacex-review-outcome": "Most judged too critical",
    "limp-meets-wiles": "Limp meets Wiles",
    "bezos-trump-calls-reported": "Bezos calls reported",
}


def _lane(event, data):
    if event.id.startswith(("isaacman", "duffy")):
        return LANES[0]
    if "blue-origin" in event.companies:
        return LANES[2]
    return LANES[1]


@chart(
    "politics-2025",
    title="2025: a nomination pulled and restored, a feud, a courtship",
    description=(
        "Timeline of 2025's political events around NASA's leadership, SpaceX and Blue Origin: Isaacman "
        "nominated in January and withdrawn on May 31; Musk leaves DOGE on May 30; Trump threatens SpaceX's "
        "contracts on June 5 and the White House reviews them; Bezos's calls with Trump reported on June 25; "
        "the review finds most contracts too critical to cancel in July; Isaacman re-nominated in November "
        "and confirmed on December 17."
    ),
    sources=[
        "ap-2025-05-30-musk-sendoff", "belaaz-2025-07-20-spacex-review", "breitbart-2025-05-31-isaacman",
        "cbs-2025-11-04-isaacman-renominated", "europesays-2025-06-bezos-limp", "reuters-2025-06-14-spacex-contracts-review",
        "reuters-2025-06-25-bezos-trump", "reuters-2025-12-17-isaacman-confirmed", "spaceflightnow-2025-05-31-isaacman-withdrawn",
        "spacenews-2025-06-05-trump-musk-feud", "spacepolicyonline-2025-11-04-isaacman-renomination", "upi-2025-07-10-duffy",
    ],
    as_of="2026-05-31",
)
def politics_2025(data):
    chosen = [e for e in data.events if e.id in SHORT_TITLES and e.date.year == 2025]
    rows = [
        {"date": e.date.isoformat(), "event": SHORT_TITLES[e.id], "who": _lane(e, data), "detail": e.title}
        for e in sorted(chosen, key=lambda e: (e.date, e.id))
    ]
    colors = data.company_colors()
    scale = alt.Scale(domain=list(LANES), range=["#6b7685", colors.get("SpaceX", NEUTRAL), colors.get("Blue Origin", NEUTRAL)])
    order = [row["event"] for row in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(domain=["2025-01-01", "2025-12-31"]),
                axis=alt.Axis(format="%b", tickCount="month", grid=True)),
        y=alt.Y("event:N", title=None, sort=order, axis=alt.Axis(labelLimit=200, labelFontSize=12, ticks=False, domain=False)),
        tooltip=[alt.Tooltip("date:T", title="Date", format="%B %-d, %Y"), alt.Tooltip("detail:N", title="Event")],
    )
    dots = base.mark_point(filled=True, size=120, opacity=1).encode(
        color=alt.Color("who:N", scale=scale, legend=alt.Legend(title=None, orient="top", direction="horizontal")),
        shape=alt.Shape("who:N", scale=alt.Scale(domain=list(LANES), range=["circle", "square", "diamond"]), legend=None),
    )
    return dots.properties(width=440, height=len(rows) * 22)
