import altair as alt

from generator import chart
from generator.chart_helpers import bar_chart


@chart("lane2-missions", title="Lane 2 missions by company",
       description="Bar chart: SpaceX is expected to fly 28 missions, Blue Origin 7.",
       sources=["wire-2025-04-04"])
def lane2_missions(data):
    return bar_chart(data.contracts, x="missions", y="awardee")
