import altair as alt

from generator import chart


@chart("lane2-missions", title="Lane 2 missions by company",
       description="Bar chart: SpaceX is expected to fly 28 missions, Blue Origin 7.",
       sources=["wire-2025-04-04"])
def lane2_missions(data):
    by_company = {}
    for c in data.contracts:
        by_company[c.awardee] = c.missions
    rows = [{"company": name, "missions": by_company[name]} for name in ("spacex", "ula")]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="missions:Q", y="company:N")
