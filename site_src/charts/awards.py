"""Awards across programs: every award as a dot, and the running total per company.

Built from the contract records only; the code filters, sums and formats.
"""

import datetime as dt
import textwrap

import altair as alt

from generator import chart
from generator.figures import format_date, format_money, format_money_range, resolve
from generator.models import VALUE_KIND_LABELS

NEUTRAL = "#7f8791"  # for organisations without a colour in the data
CUMULATIVE_FROM = dt.date(2014, 1, 1)
# Kinds of contract record that are money awarded in their own right. Left out: bids (not awards) and
# order-year assignments, which are drawn from a Lane 2 award whose expected value already counts them.
AWARD_KINDS = ("award", "option", "extension", "task_order")
KIND_LABELS = {"award": "Award", "option": "Option", "extension": "Extension", "task_order": "Task order"}
PROGRAM_SHORT = {
    "NSSL Phase 3 Lane 2": "Lane 2",
    "NSSL Phase 3 Lane 1": "Lane 1",
    "NSSL Phase 2": "Phase 2",
    "NSSL Launch Service Agreements": "Launch Service Agreement",
    "NASA Human Landing System": "Lunar lander",
    "NASA Commercial Lunar Payload Services": "Lunar delivery (CLPS)",
    "NASA Commercial Crew": "Commercial Crew",
    "NASA Commercial Resupply Services": "Station cargo",
    "NASA launch services": "NASA launch",
}
# Short program names that are common nouns, written in lower case inside a sentence.
COMMON_NOUN_PROGRAMS = ("Lunar lander", "Lunar delivery (CLPS)", "Station cargo")
LARGEST_NAMED = 4  # how many of the largest awards the description of awards-over-time names



def _as_of(data):
    """How far the data reaches: the date of the newest source any record cites (kept equal to
    site.yaml's data_as_of by the newsroom; the content tests check that)."""
    return max(s.date for s in data.sources)

def _short_money(low, high=None):
    """Chart-label money: one decimal for billions ('$16.3 billion', '$6.9–7 billion')."""
    def one(value):
        if value >= 1e9:
            return f"{value / 1e9:.1f}".rstrip("0").rstrip("."), "billion"
        return f"{value / 1e6:.0f}", "million"
    low_num, low_unit = one(low)
    if high is None or high == low:
        return f"${low_num} {low_unit}"
    high_num, high_unit = one(high)
    if low_unit == high_unit and low_num != high_num:
        return f"${low_num}–{high_num} {high_unit}"
    if low_num == high_num and low_unit == high_unit:
        return f"${low_num} {low_unit}"
    return f"${low_num} {low_unit} to ${high_num} {high_unit}"


def _join(items):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _program_in_prose(program):
    short = PROGRAM_SHORT.get(program, program)
    return short[0].lower() + short[1:] if short in COMMON_NOUN_PROGRAMS else short


def _award_value_in_words(data, c):
    """An award's value in the house format, hedged by what kind of figure it is."""
    text = resolve(data, c.id, "value").text
    if c.value_kind == "ceiling":
        return f"up to {text}"
    if c.value_kind == "expected" and c.value_high in (None, c.value):
        return f"about {text}"
    return text


def _largest_awards_in_words(data, used):
    """'SpaceX's and ULA's Lane 2 awards of April 2025 (about $5.9 billion and …, expected values), …'."""
    largest = sorted(used, key=lambda c: (-c.value, c.date, c.id))[:LARGEST_NAMED]
    groups = []  # awards of one program, kind and date with the same kind of figure read as one phrase
    for c in largest:
        key = (c.program, c.kind, c.date, c.value_kind)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(c)
        else:
            groups.append((key, [c]))
    phrases = []
    for (program, kind, date, value_kind), items in groups:
        owners = _join(f"{data.get(c.awardee).label}'s" for c in items)
        noun = KIND_LABELS[kind].lower() + ("s" if len(items) > 1 else "")
        values = _join(_award_value_in_words(data, c) for c in items)
        if value_kind == "expected":
            values += ", expected value" + ("s" if len(items) > 1 else "")
        phrases.append(f"{owners} {_program_in_prose(program)} {noun} of {date:%B %Y} ({values})")
    return _join(phrases)


def _money_in_words(low, high=None):
    """Money at the precision of the chart's labels (one decimal for billions), with 'about' when rounded."""
    def one(value):
        if value >= 1e9:
            rounded = round(value / 1e9, 1) * 1e9
            text = f"${rounded / 1e9:.1f}".rstrip("0").rstrip(".") + " billion"
        else:  # the house format: one decimal for millions, whole dollars below
            rounded = round(value / 1e6, 1) * 1e6 if value >= 1e6 else round(value)
            text = format_money(value)
        return text, abs(rounded - value) < 0.5
    low_text, low_exact = one(low)
    high_text, high_exact = one(high if high is not None else low)
    text = low_text if high_text == low_text else f"{low_text} to {high_text}"
    return text if low_exact and high_exact else f"about {text}"


def _company_order(data, companies):
    """Companies with a colour first (in the data's order), then the rest alphabetically."""
    colored = [o.label for o in data.organizations if o.color and o.label in companies]
    return colored + sorted(c for c in companies if c not in colored)


def _color_scale(data, companies):
    colors = data.organizations.colors(by="label")
    return alt.Scale(domain=companies, range=[colors.get(c, NEUTRAL) for c in companies])


def _dodge(values, min_gap):
    """Label positions near `values`, at least `min_gap` apart, keeping their order."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [values[i] for i in order]
    for _ in range(50):
        moved = False
        for k in range(1, len(placed)):
            overlap = min_gap - (placed[k] - placed[k - 1])
            if overlap > 1e-9:
                placed[k - 1] -= overlap / 2
                placed[k] += overlap / 2
                moved = True
        if not moved:
            break
    result = [0.0] * len(values)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


@chart(
    "awards-over-time",
    title="Government space awards over time, by company",
    # Fallback only: the function states the largest awards from the data.
    description=(
        "Dot chart of the NASA and Space Force awards, options, extensions and task orders in this site's data, "
        "one dot per award by date, sized by value. Filled dots are Space Force (or, in 2018, Air Force) awards, "
        "rings are NASA awards."
    ),
    sources=[
        "anadolu-2025-10-03-lane2-fy2026", "avweb-2022-08-31-crew-extension", "breakingdefense-2025-03-27-lane1-onramp",
        "breakingdefense-2025-04-04-lane2", "businessline-2021-04-16-hls-option-a", "cnbc-2022-08-31-crew-missions",
        "defensedaily-2020-08-lsa-funding", "floridaspaceflight-2025-11-13-ng-2", "foxweather-2023-05-19-blue-moon",
        "military-2025-04-07-lane2", "nasa-2014-09-16-cctcap", "nasa-2022-11-16-hls-option-b", "nasa-2025-09-19-viper",
        "newsmax-2023-11-01-phase2-final", "particle-2025-11-13-ng-2-escapade", "rdworld-2025-04-04-lane2",
        "spacefrontpage-2025-04-04-lane2", "spacenews-2008-12-23-crs1", "spacepolicyonline-2020-08-07-phase2",
        "spacevoyaging-2025-03-28-lane1-onramp",
        "verge-2021-07-30-gao-hls", "viasatellite-2024-10-21-lane1-task-orders",
    ],
)
def awards_over_time(data, layout):
    used = [c for c in data.contracts if c.kind in AWARD_KINDS and c.value is not None]
    used.sort(key=lambda c: (c.date, -c.value))
    rows = []
    for c in used:
        buyer = data.get(c.buyer).label
        rows.append({
            "company": data.get(c.awardee).label,
            "date": c.date.isoformat(),
            "date_label": format_date(c.date),
            "award": c.title,
            "program": PROGRAM_SHORT.get(c.program, c.program),
            "kind": KIND_LABELS[c.kind],
            "buyer": buyer,
            "value_bn": round(c.value / 1e9, 4),
            "value_label": format_money_range(c.value, c.value_high),
            "value_kind": VALUE_KIND_LABELS.get(c.value_kind, ""),
            "_record": c.id,
        })
    companies = _company_order(data, {r["company"] for r in rows})
    ring_buyers = sorted({r["buyer"] for r in rows if r["buyer"] == data.get("nasa").label})
    filled_buyers = sorted({r["buyer"] for r in rows} - set(ring_buyers), key=lambda b: (b != "Space Force", b))
    for r in rows:
        r["_fill_opacity"] = 0.75 if r["buyer"] in filled_buyers else 0.0
    key = [f"Filled dots: {' or '.join(filled_buyers)} awards", f"Rings: {' or '.join(ring_buyers)} awards"]
    key = [line for part in key for line in textwrap.wrap(part, 30)] if layout.narrow else " · ".join(key)  # short lines on a phone
    max_bn = max(r["value_bn"] for r in rows)
    tooltip = [alt.Tooltip("award:N", title="Award"), alt.Tooltip("date_label:N", title="Date"),
               alt.Tooltip("buyer:N", title="Buyer"), alt.Tooltip("value_label:N", title="Value"),
               alt.Tooltip("value_kind:N", title="Kind of figure")]
    legend_values = [v for v in (0.5, 2, 5) if v <= max_bn]
    first_year = min(c.date.year for c in used)
    x_domain = [dt.date(first_year, 1, 1).isoformat(), dt.date(_as_of(data).year, 12, 31).isoformat()]
    scale = _color_scale(data, companies)
    description = (
        "Dot chart of the NASA and Space Force awards, options, extensions and task orders in this site's data, "
        f"one dot per award by date, sized by value. The largest are {_largest_awards_in_words(data, used)}. "
        "Filled dots are Space Force (or, in 2018, Air Force) awards, rings are NASA awards. Bids, Lane 2 "
        "order-year assignments and awards without a reported value per company are not shown."
    )
    return alt.Chart(alt.Data(values=rows)).mark_circle(strokeWidth=2, opacity=1).encode(
        x=alt.X("date:T", title=key, scale=alt.Scale(domain=x_domain, nice=False),
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 4 if layout.narrow else 2}, grid=True,
                              domain=False, titleAnchor="start", titlePadding=10)),
        y=alt.Y("company:N", sort=companies, title=None, axis=alt.Axis(ticks=False, domain=False, labelPadding=8)),
        size=alt.Size("value_bn:Q", title="Value, billions of US dollars",
                      scale=alt.Scale(domain=[0, max_bn], range=[0, 1200]),
                      legend=alt.Legend(values=legend_values, format="~g", orient="top", direction="horizontal",
                                        symbolStrokeWidth=2, symbolFillColor="transparent", symbolStrokeColor=NEUTRAL)),
        fill=alt.Fill("company:N", scale=scale, legend=None),
        stroke=alt.Stroke("company:N", scale=scale, legend=None),
        fillOpacity=alt.FillOpacity("_fill_opacity:Q", scale=None),
        tooltip=tooltip,
    ).properties(width=560, height=42 * len(companies), description=description)


@chart(
    "cumulative-awards",
    title="Running total of award value by company since 2014",
    # Fallback only: the function states each company's running total from the data.
    description=(
        "Step chart of the cumulative value of government awards to each company since 2014, built from this "
        "site's contract records: awards, options, extensions and task orders, at their announced value."
    ),
    sources=[
        "anadolu-2025-10-03-lane2-fy2026", "avweb-2022-08-31-crew-extension", "breakingdefense-2025-04-04-lane2",
        "businessline-2021-04-16-hls-option-a", "cnbc-2022-08-31-crew-missions", "defensedaily-2020-08-lsa-funding",
        "floridaspaceflight-2025-11-13-ng-2", "foxweather-2023-05-19-blue-moon", "military-2025-04-07-lane2",
        "nasa-2014-09-16-cctcap", "nasa-2022-11-16-hls-option-b", "nasa-2025-09-19-viper", "newsmax-2023-11-01-phase2-final",
        "particle-2025-11-13-ng-2-escapade", "rdworld-2025-04-04-lane2", "spacefrontpage-2025-04-04-lane2",
        "spacepolicyonline-2020-08-07-phase2",
        "verge-2021-07-30-gao-hls", "viasatellite-2024-10-21-lane1-task-orders",
    ],
)
def cumulative_awards(data):
    used = [c for c in data.contracts
            if c.kind in AWARD_KINDS and c.value is not None and CUMULATIVE_FROM <= c.date <= _as_of(data)]
    by_company = {}
    for c in sorted(used, key=lambda c: (c.date, c.id)):
        by_company.setdefault(data.get(c.awardee).label, []).append(c)
    totals = {company: sum(c.value for c in items) for company, items in by_company.items()}
    biggest = max(totals.values())
    shown = [company for company in by_company if totals[company] >= 0.01 * biggest]
    companies = _company_order(data, shown)

    rows = []
    for company in companies:
        low = high = 0.0
        rows.append({"company": company, "date": CUMULATIVE_FROM.isoformat(), "date_label": format_date(CUMULATIVE_FROM),
                     "step": "Start of the period", "added": "", "cumulative_bn": 0.0, "cumulative_label": "$0",
                     "_point_bn": None, "_end_label": "", "_record": ""})
        items = by_company[company]
        for i, c in enumerate(items):
            low += c.value
            high += c.value_high if c.value_high is not None else c.value
            same_day_next = i + 1 < len(items) and items[i + 1].date == c.date
            rows.append({
                "company": company, "date": c.date.isoformat(), "date_label": format_date(c.date),
                "step": c.title, "added": f"{format_money_range(c.value, c.value_high)} ({VALUE_KIND_LABELS.get(c.value_kind, '')})",
                "cumulative_bn": round(low / 1e9, 4), "cumulative_label": format_money_range(low, high),
                "_point_bn": None if same_day_next else round(low / 1e9, 4), "_end_label": "", "_record": c.id,
            })
        rows.append({"company": company, "date": _as_of(data).isoformat(), "date_label": format_date(_as_of(data)),
                     "step": "As of the data date", "added": "", "cumulative_bn": round(low / 1e9, 4),
                     "cumulative_label": format_money_range(low, high), "_point_bn": None,
                     "_end_label": f"{company} {_short_money(low, high)}", "_record": ""})
    # End labels: spread vertically so they never overlap.
    ends = [r for r in rows if r["_end_label"]]
    height = 340
    top = max(r["cumulative_bn"] for r in rows) * 1.05
    positions = _dodge([r["cumulative_bn"] for r in ends], min_gap=15 * top / height)
    for r in rows:
        r["_label_bn"] = None
    for r, y in zip(ends, positions):
        r["_label_bn"] = round(y, 4)

    scale = _color_scale(data, companies)
    description = _cumulative_description(data, by_company, companies)
    color = alt.Color("company:N", scale=scale, legend=None)
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[CUMULATIVE_FROM.isoformat(), _as_of(data).isoformat()], nice=False),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 2}, grid=False))
    y_scale = alt.Scale(domain=[0, top], nice=False)
    tooltip = [alt.Tooltip("company:N", title="Company"), alt.Tooltip("date_label:N", title="Date"),
               alt.Tooltip("step:N", title="Award"), alt.Tooltip("added:N", title="Added"),
               alt.Tooltip("cumulative_label:N", title="Running total")]
    base = alt.Chart(alt.Data(values=rows))
    lines = base.mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=x, y=alt.Y("cumulative_bn:Q", title="Billions of US dollars, cumulative (announced values)", scale=y_scale,
                     axis=alt.Axis(titleAnchor="end", tickMinStep=1)),
        color=color, detail="company:N")
    points = base.mark_circle(size=45, opacity=1).encode(x=x, y=alt.Y("_point_bn:Q", scale=y_scale), color=color, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=8, fontSize=12, fontWeight="bold").encode(
        x=x, y=alt.Y("_label_bn:Q", scale=y_scale), text="_end_label:N")
    return alt.layer(lines, points, labels).properties(width=440, height=height, description=description)


def _cumulative_description(data, by_company, shown):
    """The running totals in words: every company drawn, largest first, then those too small to draw."""
    def total(company):
        items = by_company[company]
        return sum(c.value for c in items), sum(c.value_high if c.value_high is not None else c.value for c in items)

    drawn = []
    for company in sorted(shown, key=lambda name: -total(name)[0]):
        text = f"{company}{' reaches' if not drawn else ''} {_money_in_words(*total(company))}"
        differ = list(dict.fromkeys(PROGRAM_SHORT.get(c.program, c.program) for c in by_company[company]
                                    if c.value_high not in (None, c.value)))
        if differ:
            text += f" (outlets differ on its {_join(differ)} value)"
        drawn.append(text)
    text = (
        f"Step chart of the cumulative value of government awards to each company from {CUMULATIVE_FROM.year} to "
        f"{_as_of(data):%B %Y}, built from this site's contract records: awards, options, extensions and task orders, at "
        "their announced value (mostly expected values, ceilings and award values rather than money paid). Bids "
        "and Lane 2 order-year assignments, which are part of the Lane 2 awards, are left out so nothing is "
        f"counted twice. {_join(drawn)}."
    )
    hidden = _company_order(data, [company for company in by_company if company not in shown])
    if hidden:
        amounts = [_money_in_words(*total(company)) for company in hidden]
        if len(set(amounts)) == 1:
            each = " each" if len(hidden) > 1 else ""
            text += f" {_join(hidden)}, with {amounts[0]}{each}, {'are' if len(hidden) > 1 else 'is'} too small to show."
        else:
            listed = _join(f"{company} ({amount})" for company, amount in zip(hidden, amounts))
            text += f" {listed} are too small to show."
    return text
