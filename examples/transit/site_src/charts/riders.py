import altair as alt

from generator import Note, chart


@chart("riders-by-route", title="The Harbour Line carries the most riders",
       description="Bar chart: average weekday riders in 2025 on routes 1, 12 and 7.", sources=["rta-2025-report"], as_of="2026-06-30",
       annotations=[Note("Rerouted past the hospital in 2024", x=3100, y="Route 7")])
def riders_by_route(data):
    rows = [{"route": f"Route {r.number}", "riders": r.weekday_riders} for r in data.routes]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("riders:Q", title="Weekday riders"), y=alt.Y("route:N", title=None, sort="-x"), color=alt.Color("route:N", legend=None),
    ).properties(width=460)
