"""Commercial Crew: how many crew missions NASA bought from SpaceX and from Boeing."""

import altair as alt

from generator import chart
from generator.figures import format_money

NEUTRAL = "#7f8791"


@chart(
    "crew-missions",
    title="NASA bought more than twice as many crew flights from SpaceX",
    description=(
        "Bar chart of crew missions under NASA's Commercial Crew contracts in 2022: SpaceX 14, "
        "Boeing 6. SpaceX's contract was worth about $4.93 billion after its August 2022 extension; "
        "Boeing's 2014 award was $4.2 billion."
    ),
    sources=["avweb-2022-08-31-crew-extension", "cnbc-2022-08-31-crew-missions", "nasa-2014-09-16-cctcap"],
    as_of="2026-05-31",
)
def crew_missions(data):
    values = {"SpaceX": data.get("cctcap-spacex-total").value, "Boeing": data.get("cctcap-boeing").value}
    missions = {"SpaceX": data.get("crew-missions-spacex").value, "Boeing": data.get("crew-missions-boeing").value}
    rows = [
        {"company": company, "missions": int(missions[company]), "contract_value": format_money(values[company])}
        for company in ("SpaceX", "Boeing")
    ]
    colors = data.company_colors()
    scale = alt.Scale(domain=["SpaceX", "Boeing"], range=[colors.get("SpaceX", NEUTRAL), colors.get("Boeing", NEUTRAL)])
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("company:N", title=None, sort=["SpaceX", "Boeing"], axis=alt.Axis(labelFontSize=13)),
        x=alt.X("missions:Q", title="Crew missions under contract (2022)", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("company:N", title="Company"), alt.Tooltip("missions:Q", title="Missions"),
                 alt.Tooltip("contract_value:N", title="Contract value")],
    )
    bars = base.mark_bar(height=34).encode(color=alt.Color("company:N", scale=scale, legend=None))
    labels = base.mark_text(align="left", dx=6, fontSize=13, fontWeight="bold").encode(text="missions:Q")
    return (bars + labels).properties(width=560, height=120)
