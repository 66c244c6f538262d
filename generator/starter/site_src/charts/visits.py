"""A chart is a function marked with @chart that takes the data and returns an Altair chart."""

import altair as alt

from generator import chart


@chart(
    "branch-visits",
    title="Central Library draws most visits",
    description="Bar chart: visits in the last full year at each library branch, Central Library first.",
    sources=["town-report-2025"],
    as_of="2026-01-31",
)
def branch_visits(data):
    rows = [{"branch": b.name, "visits": b.visits} for b in data.branches]
    return alt.Chart(alt.Data(values=rows)).mark_bar(color="#0b6e4f").encode(
        x=alt.X("visits:Q", title="Visits"),
        y=alt.Y("branch:N", title=None, sort="-x"),
    ).properties(width=480)
