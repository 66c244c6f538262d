import altair as alt

from generator import chart


@chart("../lane2-missions", title="Lane 2 missions by company",
       description="Bar chart: SpaceX is expected to fly [[lane2-spacex.missions]] missions, Blue Origin [[lane2-blue-origin.missions]].",
       sources=["wire-2025-04-04"])
def lane2_missions(data):
    rows = [{"company": data.get(c.awardee).label, "missions": c.missions} for c in data.contracts]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("missions:Q", title="Missions"), y=alt.Y("company:N", title=None),
        color=alt.Color("company:N", legend=None)).properties(width=480, height=120)
