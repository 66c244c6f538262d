"""Launch charts: yearly Falcon and New Glenn counts, and every New Glenn and Starship flight.

Counts and outcomes come from the launch_counts and flights records.
"""

import datetime as dt
import textwrap
import re

import altair as alt

from generator import Range, chart
from generator.figures import format_date

NEUTRAL = "#7f8791"
FIRST_YEAR, LAST_YEAR = 2019, 2025  # full calendar years shown in launches-per-year
# Outcome colours: a colour-blind-safe set (after Paul Tol), each >= 3:1 on the light and dark page, and
# every outcome also has its own shape so colour is never the only cue.
# "pad" is not a flight outcome: a vehicle lost in a ground test before launch (an event record), drawn
# beside the flights so the chart says what happened to it without counting it as a flight.
OUTCOMES = ["success", "partial", "failure", "planned", "pad"]
OUTCOME_LABELS = {"success": "Success", "partial": "Partial success", "failure": "Failure", "planned": "Planned",
                  "pad": "Lost on the pad (not a flight)"}
OUTCOME_COLORS = {"success": "#009988", "partial": "#B08000", "failure": "#CC3311", "planned": NEUTRAL, "pad": "#CC3311"}
OUTCOME_SHAPES = {"success": "circle", "partial": "diamond", "failure": "cross", "planned": "circle", "pad": "square"}
# Ground-test losses of a tracked vehicle, by event id: (vehicle, the row's name, what it was to carry).
PAD_LOSSES = {"new-glenn-ng4-static-fire-explosion": ("New Glenn", "NG-4 vehicle", "48 Amazon Leo satellites, not yet aboard")}
# Outcomes in a sentence: (one, several).
OUTCOME_NOUNS = {"success": ("a success", "successes"), "partial": ("a partial success", "partial successes"),
                 "failure": ("a failure", "failures"), "planned": ("planned", "planned"),
                 "pad": ("lost on the pad", "lost on the pad")}
COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
TIMES = {1: "once", 2: "twice"}
# What the Starship description says about a flight beyond its outcome (words only; numbers come from the data).
STARSHIP_NOTES = {"starship-flight-3": "whose ship was lost on reentry", "starship-flight-12": "the first Version 3 vehicle"}
# Flights whose date the sources give differently (said only while the record still records a disagreement).
DATE_DISPUTED = ("starship-flight-12",)
STREAK = 3  # a run of at least this many failures in a row is pointed out



def _as_of(data):
    """How far the data reaches: the date of the newest source any record cites (kept equal to
    site.yaml's data_as_of by the newsroom; the content tests check that)."""
    return max(s.date for s in data.sources)

def _count_word(n):
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else f"{n:,}"


def _join(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
    # Fallback only: the function states every year's count from the data.
    description=(
        "Column chart of SpaceX Falcon 9 and Falcon Heavy orbital launches per calendar year, with Blue Origin's "
        "New Glenn launches. Starship test flights are not counted."
    ),
    sources=["spacenewslu-2019-year-review", "cnet-2020-spacex-launches", "newser-2025-spacex-launch-streak",
             "spaceexplored-2021-12-21-spacex-2021", "spacenews-2025-01-02-launch-record-2024",
             "spaceflightnow-2025-12-new-glenn-certification", "spacenews-2025-01-16-ng-1",
             "floridaspaceflight-2025-11-13-ng-2"],
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
            "company": data.get(lc.provider).label,
            "launches": lc.count,
            "launches_high": high,
            "_label": f"{lc.count}" if high == lc.count else f"{lc.count}–{high}",
            "counted": lc.counted,
            "_record": lc.id,
        })
    rockets = [v for v in vehicles.values() if any(r["rocket"] == v for r in rows)]
    colors = data.organizations.colors(by="label")
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
    return alt.layer(bars, ranges, labels).properties(width=560, height=300,
                                                     description=_launches_description(data, rows, vehicles))


def _launches_description(data, rows, vehicles):
    """Every year's Falcon count (both counts where sources differ), then New Glenn's years."""
    def count(r):
        return f"{r['launches']}" if r["launches_high"] == r["launches"] else f"{r['launches']} or {r['launches_high']}"

    falcon = [r for r in rows if r["rocket"] == vehicles["spacex"]]
    text = (f"Column chart of SpaceX {vehicles['spacex']} orbital launches per calendar year: "
            + _join(f"{count(r)} in {r['year']}" for r in falcon))
    differ = [r["year"] for r in falcon if r["launches_high"] != r["launches"]]
    if differ:
        text += f" (sources count {_join(differ)} differently; the lighter tip shows the range)"
    text += "."
    glenn = [r for r in rows if r["rocket"] == vehicles["blue-origin"]]
    if glenn:
        first_year = min(lc.year for lc in data.launch_counts if lc.provider == "blue-origin")

        def times(r):
            low, high = r["launches"], r["launches_high"]
            return TIMES.get(low, f"{low} times") if high == low else f"{low} or {high} times"

        years = [f"{times(r)} in {r['year']}" + (", its first year" if int(r["year"]) == first_year else "") for r in glenn]
        text += f" {data.get('blue-origin').label}'s {vehicles['blue-origin']} flew {_join(years)}."
    return text + " Starship test flights are not counted."


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


def _pad_loss_rows(data, vehicle):
    """Vehicles lost in a ground test before they could fly, from their event records."""
    rows = []
    for event_id, (lost_vehicle, name, payload) in PAD_LOSSES.items():
        event = data.events.get(event_id)
        if event is None or lost_vehicle != vehicle:
            continue
        rows.append({
            "flight": name, "date": event.date.isoformat(), "date_label": format_date(event.date),
            "mission": payload, "_outcome": "pad", "outcome_label": OUTCOME_LABELS["pad"],
            "booster": "destroyed", "booster_detail": "Destroyed with the vehicle in a static-fire test; it never launched",
            "_record": event.id,
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


def _new_glenn_notes(data):
    """The pause since the pad explosion, from that event to the data date (a wide drawing's story;
    the rows already say what each flight did)."""
    explosion = data.events.get("new-glenn-ng4-static-fire-explosion")
    if explosion is None:
        return []
    return [Range("No New Glenn launch since the pad explosion", x=(explosion.date, _as_of(data)), id="no-launch-since-explosion")]


@chart(
    "new-glenn-flights",
    title="Every New Glenn flight so far",
    description=(
        "Timeline of Blue Origin's New Glenn flights. NG-1 ([[ng-1]]) reached orbit but its booster was lost; "
        "NG-2 ([[ng-2]]) launched NASA's ESCAPADE probes and landed its booster; NG-3 ([[ng-3]]) reused a "
        "booster, which landed again, but the upper stage left its satellite in the wrong orbit. The vehicle "
        "for NG-4 exploded in a static-fire test on the pad on [[new-glenn-ng4-static-fire-explosion]] and "
        "never flew: it is marked as lost on the pad, not as a flight. No New Glenn flew again through the "
        "data date."
    ),
    sources=["spacenews-2025-01-16-ng-1", "floridaspaceflight-2025-11-13-ng-2", "dailyalpha-2026-04-19-ng-3",
             "spacecom-2026-05-28-new-glenn-explosion", "spaceflightnow-2026-06-30-new-glenn-return",
             "flyingtomars-2025-12-10-new-glenn-certification", "spacecom-2025-06-09-ng-2-delay",
             "spaceflightnow-2025-12-new-glenn-certification"],
    annotations=_new_glenn_notes,
)
def new_glenn_flights(data, layout):
    rows = sorted(_flight_rows(data, "New Glenn", _booster_short) + _pad_loss_rows(data, "New Glenn"), key=lambda r: r["date"])
    details = {"planned": "{mission} (not flown yet)", "pad": "Exploded in a static-fire test; never launched"}
    for r in rows:
        r["_detail"] = details.get(r["_outcome"], "{mission} · booster {booster}").format(**r)
        if layout.narrow:  # (only the phone drawing carries these, so the wide one's data is unchanged)
            r["_lines"] = "\n".join(textwrap.wrap(r["_detail"].replace(" · ", ", "), 34))
            r["_head"] = f"{r['flight']} · {r['date_label']}"
    outcomes = [o for o in OUTCOMES if any(r["_outcome"] == o for r in rows)]
    enc = _outcome_encodings(outcomes)
    flights = [r["flight"] for r in rows]
    first = dt.date.fromisoformat(rows[0]["date"])
    last = max(dt.date.fromisoformat(rows[-1]["date"]), _as_of(data))
    x_domain = [dt.date(first.year, 1, 1).isoformat(), dt.date(last.year + (last.month > 6), 1 if last.month > 6 else 7, 1).isoformat()]
    y = alt.Y("flight:N", sort=flights, title=None, axis=alt.Axis(ticks=False, domain=False, labelFontSize=13, labelFontWeight="bold", labelPadding=8))
    tooltip = [alt.Tooltip("flight:N", title="Flight"), alt.Tooltip("date_label:N", title="Date"),
               alt.Tooltip("mission:N", title="Payload"), alt.Tooltip("outcome_label:N", title="Outcome"),
               alt.Tooltip("booster_detail:N", title="Booster")]
    base = alt.Chart(alt.Data(values=rows))
    if layout.narrow:
        return _phone_flight_list(base, rows, enc, tooltip)
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


def _phone_flight_list(base, rows, enc, tooltip):
    """The phone version: one row per flight, its outcome marker, then flight, date and payload
    on short lines (a date axis has no room beside the words on a 320 px drawing)."""
    text_y = alt.Y("flight:N", sort=[r["flight"] for r in rows], axis=None)
    marker = base.mark_point(size=160, strokeWidth=3, filled=False, opacity=1).encode(x=alt.value(10), y=text_y, yOffset=alt.value(-4), **enc, tooltip=tooltip)
    date_text = base.mark_text(align="left", fontSize=12, fontWeight="bold", dx=28, dy=-14).encode(
        x=alt.value(0), y=text_y, text="_head:N", tooltip=tooltip)
    detail_text = base.mark_text(align="left", baseline="top", fontSize=12, dx=28, dy=-4, lineBreak="\n").encode(
        x=alt.value(0), y=text_y, text="_lines:N", tooltip=tooltip)
    return alt.layer(marker, date_text, detail_text).properties(width=240, height=64 * len(rows))


@chart(
    "starship-flights",
    title="Starship test flights and how they ended",
    # Fallback only: the function counts the flights by outcome from the data.
    description="Timeline of SpaceX's Starship test flights, grouped by outcome: success, partial success or failure.",
    sources=["arcticastronautics-2023-04-starship-flight-1", "wikipedia-starship-flight-2",
             "straitstimes-2024-03-14-starship-flight-3", "payload-2024-06-06-starship-flight-4",
             "reuters-2024-10-13-starship-flight-5", "uwm-blog-2024-11-20-starship-flight-6",
             "nyt-2025-01-16-starship-flight-7", "tpm-2025-03-06-starship-flight-8",
             "avweb-2025-05-28-starship-flight-9", "spacescout-2025-09-starship-flight-10",
             "teslarati-2025-10-13-starship-flight-11", "aishiftnews-2026-05-starship-flight-12"],
)
def starship_flights(data):
    rows = _flight_rows(data, "Starship", _booster_short)
    for r in rows:
        r["_number"] = r["flight"].rsplit(" ", 1)[-1]
    outcomes = [o for o in OUTCOMES if any(r["_outcome"] == o for r in rows)]
    enc = _outcome_encodings(outcomes, legend=False)
    labels = [OUTCOME_LABELS[o] for o in outcomes]
    first = dt.date.fromisoformat(rows[0]["date"])
    x_domain = [dt.date(first.year, 1, 1).isoformat(), (_as_of(data) + dt.timedelta(days=45)).isoformat()]
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
    return alt.layer(points, numbers).properties(width=560, height=64 * len(labels),
                                                 description=_starship_description(data, rows, outcomes))


def _versions(rows, data):
    """Each flight's vehicle version, from the records that say 'first Version N' (None before the first)."""
    version, found = None, {}
    for r in rows:
        match = re.search(r"first Version (\d+)", data.get(r["_record"]).mission)
        version = match.group(1) if match else version
        found[r["_record"]] = version
    return found


def _failure_streaks(rows, data):
    """'three Version 2 failures in a row in 2025' for every run of at least STREAK failures."""
    runs, run = [], []
    for r in rows + [None]:
        if r is not None and r["_outcome"] == "failure":
            run.append(r)
            continue
        if len(run) >= STREAK:
            runs.append(run)
        run = []
    versions = _versions(rows, data)
    phrases = []
    for run in runs:
        kinds = {versions[r["_record"]] for r in run}
        version = f" Version {kinds.pop()}" if len(kinds) == 1 and None not in kinds else ""
        years = sorted({r["date"][:4] for r in run})
        when = f"in {years[0]}" if len(years) == 1 else f"from {years[0]} to {years[-1]}"
        phrases.append(f"{_count_word(len(run))}{version} failures in a row {when}")
    return phrases


def _flight_list(items):
    """'Flights 4, 5 and 6', or with notes 'Flight 3, whose …, and Flight 12, the first …'."""
    notes = [STARSHIP_NOTES.get(r["_record"]) for r in items]
    if not any(notes):
        return f"Flight{'s' if len(items) > 1 else ''} " + _join(r["_number"] for r in items)
    text = ""
    for i, (r, note) in enumerate(zip(items, notes)):
        if i:
            previous_note = notes[i - 1]
            text += (", and " if previous_note else " and ") if i == len(items) - 1 else ", "
        text += f"Flight {r['_number']}" + (f", {note}" if note else "")
    return text


def _starship_description(data, rows, outcomes):
    """Flights counted by outcome, each group naming its flight numbers, from the flight records."""
    flown = [r for r in rows if r["_outcome"] != "planned"]
    first, last = (dt.date.fromisoformat(flown[i]["date"]) for i in (0, -1))
    groups = []
    for o in outcomes:
        items = [r for r in rows if r["_outcome"] == o]
        one, several = OUTCOME_NOUNS[o]
        details = _flight_list(items)
        streaks = _failure_streaks(rows, data) if o == "failure" else []
        if streaks:
            details += ", including " + _join(streaks)
        count, verb = _count_word(len(items)), "is" if len(items) == 1 else "are"
        if o == "planned":
            groups.append(f"{count} {verb} planned ({details})")
        elif not groups:
            groups.append(f"{count.capitalize()} {verb} counted as {one if len(items) == 1 else several} ({details})")
        else:
            groups.append(f"{count} as {one if len(items) == 1 else several} ({details})")
    text = (f"Timeline of SpaceX's {len(flown)} Starship test flights from {first:%B %Y} to {last:%B %Y}, "
            f"grouped by outcome. {_join(groups)}.")
    for record_id in DATE_DISPUTED:
        f = data.get(record_id)
        if f.disagreement and any(r["_record"] == record_id for r in rows):
            text += f" {f.name.removeprefix('Starship ')}'s date ({format_date(f.date)}) differs by a day or more between sources."
    return text
