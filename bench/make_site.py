"""Deterministic synthetic sites: the same Markdown for our generator, Hugo, MkDocs and Pelican.

A site has N explainers (~600 words each: headings, a table, lists, internal and
external links, two figure references and, when there are charts, one chart
fence), M contracts (data records with one page each) and K charts (`@chart`
functions drawing bar charts from the contracts).

Our generator gets `site_src/` (front matter, data CSV/YAML, chart files) and a
copy of the project's `templates/`; the peers get the same explainer bodies plus
one Markdown page per record (what our record pages show), a contracts page and
a sources page. Nothing here imports the generator, so the peers' environment
can run it too.

    python bench/make_site.py OUT_DIR --explainers 100 --records 20 --charts 0 [--tools ours,hugo,mkdocs,pelican]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("ours", "hugo", "mkdocs", "pelican")
PROJECT = Path(__file__).resolve().parent.parent

WORDS = (
    "launch orbit payload booster contract award mission vehicle engine stage fairing pad range satellite "
    "constellation program office review schedule budget option order requirement proposal bidder provider "
    "heavy medium reusable expendable landing recovery ship barge cadence manifest integration certification "
    "flight test anomaly investigation fix return vertical horizontal hangar crew cargo station lander lunar "
    "surface descent ascent refuel tanker depot propellant methane oxygen hydrogen kerosene thrust margin "
    "agency congress committee hearing appropriation request plan strategy competition lane phase assignment "
    "year quarter month window slip delay risk reserve capacity demand market share customer government "
    "commercial national security space force nasa report analysis source statement filing protest decision"
).split()
PROGRAMS = ("NSSL Phase 3 Lane 1", "NSSL Phase 3 Lane 2", "Human Landing System", "Commercial Crew", "Commercial Resupply", "Tactically Responsive Space")
TOPICS = ("nssl", "nssl", "artemis", "crew", "cargo", "responsive")
KINDS = ("award", "task_order", "option", "extension")
VALUE_KINDS = ("award", "expected", "obligated", "ceiling")
COMPANIES = (("spacex", "Space Exploration Technologies", "SpaceX", "#1f6fc5"), ("blue-origin", "Blue Origin", None, "#d0641d"),
             ("ula", "United Launch Alliance", "ULA", "#6a3d9a"), ("rocket-lab", "Rocket Lab", None, "#2d8a4e"))
BUYERS = (("ussf", "US Space Force", "USSF"), ("nasa", "National Aeronautics and Space Administration", "NASA"))
SOURCES = tuple((f"src-{i}", f"Example Outlet {i}", f"Report number {i} on launch contracts", f"https://example.com/news/{i}", dt.date(2024, i, 10)) for i in range(1, 6))
GLOSSARY = (("nssl", "National Security Space Launch", "NSSL"), ("hls", "Human Landing System", "HLS"), ("idiq", "Indefinite delivery, indefinite quantity", "IDIQ"))
BASE_DATE = dt.date(2020, 1, 1)


@dataclass(frozen=True)
class Contract:
    id: str
    title: str
    program: str
    topic: str
    kind: str
    buyer: str
    awardee: str
    date: dt.date
    value: int
    value_kind: str
    missions: int
    source: str


@dataclass(frozen=True)
class Explainer:
    slug: str
    title: str
    summary: str
    date: dt.date
    order: int
    body: str


def contracts(count: int) -> list[Contract]:
    out = []
    for i in range(1, count + 1):
        p = i % len(PROGRAMS)
        out.append(Contract(
            id=f"c-{i:05d}", title=f"{PROGRAMS[p]} order {i}", program=PROGRAMS[p], topic=TOPICS[p],
            kind=KINDS[i % len(KINDS)], buyer=BUYERS[i % len(BUYERS)][0], awardee=COMPANIES[i % len(COMPANIES)][0],
            date=BASE_DATE + dt.timedelta(days=(i * 7) % 2000), value=(1 + (i * 37) % 997) * 1_000_000,
            value_kind=VALUE_KINDS[i % len(VALUE_KINDS)], missions=1 + i % 9, source=SOURCES[i % len(SOURCES)][0]))
    return out


def _sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(picked).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(9, 15)) for _ in range(sentences))


def explainers(count: int, records: list[Contract], charts: int, chart_ids: tuple[str, ...] = ()) -> list[Explainer]:
    """`count` explainers; with `chart_ids`, explainer i's chart fence names chart_ids[(i - 1) % len]
    (another site's charts, e.g. the real site's) instead of the synthetic chart-NNNN."""
    return [_explainer(i, count, records, charts, chart_ids) for i in range(1, count + 1)]


def fence_chart(i: int, charts: int, chart_ids: tuple[str, ...] = ()) -> str:
    """The chart explainer i places: round robin over `chart_ids`, or over chart-0001..chart-<charts>."""
    return chart_ids[(i - 1) % len(chart_ids)] if chart_ids else f"chart-{(i - 1) % charts + 1:04d}"


def _explainer(i: int, count: int, records: list[Contract], charts: int, chart_ids: tuple[str, ...] = ()) -> Explainer:
    rng = random.Random(i * 1_000_003)
    slug = f"explainer-{i:05d}"
    other = f"explainer-{(i % count) + 1:05d}"
    title = f"Explainer {i}: the {rng.choice(WORDS)} {rng.choice(WORDS)} question"
    summary = _sentence(rng, 14)
    refs = [records[(i * 13 + k) % len(records)] for k in range(2)] if records else []
    fig = [f"[[{c.id}]]" for c in refs] or ["(no record)", "(no record)"]
    link = f"/contracts/{refs[0].id}/" if refs else "/contracts/"
    parts = [
        f"{_paragraph(rng, 3)} Read the [next explainer](/explainers/{other}/) or the [program office statement](https://example.com/statements/{i}).",
        "## What was awarded",
        f"{_paragraph(rng, 2)} The first award in this story is {fig[0]}, and the second is {fig[1]}. The NSSL office and the HLS team both reported it.",
        "\n".join(f"- {_sentence(rng, 8)}" for _ in range(5)),
        "## The numbers side by side",
        _table(rng, i),
        _paragraph(rng, 3),
        _paragraph(rng, 2),
    ]
    if charts or chart_ids:
        parts.append(f"```chart {fence_chart(i, charts, chart_ids)}\ncaption: {_sentence(rng, 8)}\n```")
    parts += [
        "### How the orders were placed",
        "\n".join(f"{n}. {_sentence(rng, 9)}" for n in range(1, 5)),
        f"{_paragraph(rng, 3)} The [contract record]({link}) lists every figure with its source; *each* value names **what kind** of figure it is.",
        "## What to watch next",
        _paragraph(rng, 4),
        _paragraph(rng, 4),
        _paragraph(rng, 3),
    ]
    return Explainer(slug, title, summary, BASE_DATE + dt.timedelta(days=i % 1500), i, "\n\n".join(parts) + "\n")


def _table(rng: random.Random, i: int) -> str:
    rows = ["| Program | Company | Year | Status |", "| --- | --- | --- | --- |"]
    for r in range(5):
        company = COMPANIES[(i + r) % len(COMPANIES)]
        rows.append(f"| {PROGRAMS[(i + r) % len(PROGRAMS)]} | {company[2] or company[1]} | {2020 + (i + r) % 6} | {rng.choice(WORDS)} {rng.choice(WORDS)} |")
    return "\n".join(rows)


# --- Markdown that the peers get for what our templates render from data ---------------------------

def _money(value: int) -> str:
    return f"{value / 1_000_000:,.0f} million USD"


def _org_name(org_id: str) -> str:
    for cid, name, short, _ in COMPANIES:
        if cid == org_id:
            return short or name
    return next(short for bid, _, short in BUYERS if bid == org_id)


def contract_markdown(c: Contract) -> str:
    source = next(s for s in SOURCES if s[0] == c.source)
    return textwrap.dedent(f"""\
        **{c.program}**

        | Field | Value |
        | --- | --- |
        | Awarded to | [{_org_name(c.awardee)}](/organizations/{c.awardee}/) |
        | Buyer | [{_org_name(c.buyer)}](/organizations/{c.buyer}/) |
        | Date | {c.date.isoformat()} |
        | Kind | {c.kind.replace('_', ' ').capitalize()} |
        | Value | {_money(c.value)} ({c.value_kind}) |
        | Missions | {c.missions} |

        ## Sources

        - [{source[1]}: "{source[2]}"]({source[3]}) ({source[4].isoformat()})
        """)


def contracts_list_markdown(records: list[Contract]) -> str:
    rows = ["| Date | Contract | Awardee | Value |", "| --- | --- | --- | --- |"]
    for c in sorted(records, key=lambda c: (c.date, c.id)):
        rows.append(f"| {c.date.isoformat()} | [{c.title}](/contracts/{c.id}/) | {_org_name(c.awardee)} | {_money(c.value)} |")
    return "Every contract in our data.\n\n" + "\n".join(rows) + "\n"


def org_markdown(org_id: str, records: list[Contract]) -> str:
    won = [c for c in records if org_id in (c.awardee, c.buyer)]
    rows = ["| Date | Contract | Value |", "| --- | --- | --- |"] + [f"| {c.date.isoformat()} | [{c.title}](/contracts/{c.id}/) | {_money(c.value)} |" for c in won]
    return "Contracts awarded to or by this organization.\n\n" + "\n".join(rows) + "\n"


def sources_markdown() -> str:
    return "\n".join(f"1. {outlet}, [“{title}”]({url}), {date.isoformat()}" for _, outlet, title, url, date in SOURCES) + "\n"


def organizations() -> list[tuple[str, str]]:
    return [(c[0], c[2] or c[1]) for c in COMPANIES] + [(b[0], b[1]) for b in BUYERS]


# --- writers --------------------------------------------------------------------------------------

def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_ours(root: Path, posts: list[Explainer], records: list[Contract], charts: int) -> None:
    src = root / "site_src"
    write(src / "site.yaml", textwrap.dedent("""\
        title: Bench Orbit
        tagline: A synthetic explainer site for benchmarks
        description: Generated by bench/make_site.py; the same Markdown is built by Hugo, MkDocs and Pelican.
        base_url: https://example.org/
        author: Bench desk
        data_as_of: 2025-06-30
        # Hugo, MkDocs and Pelican draw no social images: neither do we here (one site card).
        social_cards: false
        pages:
          - url: contracts/
            template: contracts.html
            title: Contracts
            description: Every contract in our data.
          - url: sources/
            template: sources.html
            title: Sources
            description: Every source we cite.
        nav:
          - title: Explainers
            url: ""
          - title: Contracts
            url: contracts/
          - title: Sources
            url: sources/
        """))
    for e in posts:
        front = f"---\ntitle: \"{e.title}\"\nsummary: \"{e.summary}\"\ndate: {e.date.isoformat()}\norder: {e.order}\n---\n\n"
        write(src / "explainers" / f"{e.slug}.md", front + e.body)
    write(src / "data" / "contracts.csv", _contracts_csv(records))
    write(src / "data" / "organizations.yaml", _organizations_yaml())
    write(src / "data" / "sources.yaml", "".join(
        f"- id: {sid}\n  outlet: {outlet}\n  title: {title}\n  url: {url}\n  date: {date.isoformat()}\n" for sid, outlet, title, url, date in SOURCES))
    write(src / "data" / "glossary.yaml", "".join(f"- id: {gid}\n  term: {term}\n  abbr: {abbr}\n  definition: The {term.lower()}.\n" for gid, term, abbr in GLOSSARY))
    for number, text in enumerate(chart_files(charts)):
        write(src / "charts" / f"bench_{number:03d}.py", text)
    write(src / "models.py", (PROJECT / "site_src" / "models.py").read_text())  # the project's own collections
    write(src / "static" / "favicon.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="13" fill="#0b5cad"/></svg>\n')
    copy_templates(root)


def copy_templates(root: Path) -> bool:
    """The project's templates as they are now (others edit them); True if anything was different."""
    target = root / "templates"
    if target.exists() and _tree_digest(target) == _tree_digest(PROJECT / "templates"):
        return False
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PROJECT / "templates", target)
    return True


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _contracts_csv(records: list[Contract]) -> str:
    lines = ["id,title,program,topic,kind,buyer,awardee,date,value,value_kind,missions,sources"]
    lines += [f"{c.id},{c.title},{c.program},{c.topic},{c.kind},{c.buyer},{c.awardee},{c.date.isoformat()},{c.value},{c.value_kind},{c.missions},{c.source}" for c in records]
    return "\n".join(lines) + "\n"


def _organizations_yaml() -> str:
    out = []
    for cid, name, short, color in COMPANIES:
        out.append(f"- id: {cid}\n  name: {name}\n" + (f"  short_name: {short}\n" if short else "") + f"  kind: company\n  color: \"{color}\"\n  sources: [src-1]\n")
    for bid, name, short in BUYERS:
        out.append(f"- id: {bid}\n  name: {name}\n  short_name: {short}\n  kind: agency\n  sources: [src-1]\n")
    return "".join(out)


CHART_HEADER = '''\
"""Synthetic bar charts for benchmarks (bench/make_site.py)."""
import altair as alt

from generator import chart


def bar(data, k):
    """Value per company of every 7th contract, offset k: a distinct data set per chart."""
    totals = {}
    for index, c in enumerate(data.contracts):
        if index % 7 == k % 7:
            label = data.get(c.awardee).label
            totals[label] = totals.get(label, 0) + (c.value or 0) / 1e6
    rows = [{"company": name, "value": round(value, 1), "set": k} for name, value in sorted(totals.items())]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("value:Q", title="Value (USD millions)"), y=alt.Y("company:N", title=None),
        color=alt.Color("company:N", legend=None)).properties(width=480, height=140)
'''

CHARTS_PER_FILE = 20


def chart_files(count: int, source: str = "src-1") -> list[str]:
    """Python files declaring charts chart-0001..chart-<count> (20 a file), each citing `source`:
    any site whose data has contracts with an awardee and a value can draw them."""
    files = []
    for start in range(1, count + 1, CHARTS_PER_FILE):
        body = [CHART_HEADER]
        for k in range(start, min(start + CHARTS_PER_FILE, count + 1)):
            body.append(f'''

@chart("chart-{k:04d}", title="Contract value by company, set {k}",
       description="Bar chart: total contract value per company for contract set {k}.", sources=["{source}"])
def chart_{k:04d}(data):
    return bar(data, {k})
''')
        files.append("".join(body))
    return files


def write_hugo(root: Path, posts: list[Explainer], records: list[Contract]) -> None:
    write(root / "hugo.toml", textwrap.dedent("""\
        baseURL = "https://example.org/"
        languageCode = "en"
        title = "Bench Orbit"
        [markup.tableOfContents]
        startLevel = 2
        endLevel = 3
        """))
    for e in posts:
        front = f"---\ntitle: \"{e.title}\"\nsummary: \"{e.summary}\"\ndate: {e.date.isoformat()}\nweight: {e.order}\n---\n\n"
        write(root / "content" / "explainers" / f"{e.slug}.md", front + e.body)
    for c in records:
        write(root / "content" / "contracts" / f"{c.id}.md", f"---\ntitle: \"{c.title}\"\ndate: {c.date.isoformat()}\n---\n\n" + contract_markdown(c))
    write(root / "content" / "contracts" / "_index.md", "---\ntitle: Contracts\n---\n\n" + contracts_list_markdown(records))
    for oid, name in organizations():
        write(root / "content" / "organizations" / f"{oid}.md", f"---\ntitle: \"{name}\"\n---\n\n" + org_markdown(oid, records))
    write(root / "content" / "sources.md", "---\ntitle: Sources\n---\n\n" + sources_markdown())
    write(root / "content" / "_index.md", "---\ntitle: Bench Orbit\n---\n\nA synthetic explainer site for benchmarks.\n")
    for name, text in HUGO_LAYOUTS.items():
        write(root / "layouts" / name, text)


HUGO_LAYOUTS = {
    "baseof.html": textwrap.dedent("""\
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{ .Title }} · {{ site.Title }}</title>
        <meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
        <link rel="canonical" href="{{ .Permalink }}">
        <meta property="og:title" content="{{ .Title }}">
        </head>
        <body>
        <header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
        <nav><ul><li><a href="/">Explainers</a></li><li><a href="/contracts/">Contracts</a></li><li><a href="/sources/">Sources</a></li></ul></nav></header>
        <main>{{ block "main" . }}{{ end }}</main>
        <footer><p>{{ site.Title }}</p></footer>
        </body>
        </html>
        """),
    "single.html": textwrap.dedent("""\
        {{ define "main" }}
        <article>
          <nav class="breadcrumbs"><a href="/">Home</a>{{ with .Parent }} / <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
          <h1>{{ .Title }}</h1>
          {{ with .Params.summary }}<p class="dek">{{ . }}</p>{{ end }}
          <p class="byline">Published <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></p>
          <nav class="toc">{{ .TableOfContents }}</nav>
          <div class="prose">{{ .Content }}</div>
          <nav class="pager">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
        </article>
        {{ end }}
        """),
    "list.html": textwrap.dedent("""\
        {{ define "main" }}
        <h1>{{ .Title }}</h1>
        {{ .Content }}
        <ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
        {{ end }}
        """),
    "home.html": textwrap.dedent("""\
        {{ define "main" }}
        <h1>{{ site.Title }}</h1>
        {{ .Content }}
        <ol class="cards">{{ range where site.RegularPages "Section" "explainers" }}
        <li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.summary }}</p><p class="meta">{{ .Date.Format "January 2, 2006" }}</p></li>{{ end }}
        </ol>
        {{ end }}
        """),
}


def write_mkdocs(root: Path, posts: list[Explainer], records: list[Contract]) -> None:
    write(root / "mkdocs.yml", "site_name: Bench Orbit\nsite_url: https://example.org/\ntheme:\n  name: mkdocs\n")
    docs = root / "docs"
    write(docs / "index.md", "# Bench Orbit\n\nA synthetic explainer site for benchmarks.\n")
    for e in posts:
        write(docs / "explainers" / f"{e.slug}.md", f"---\ntitle: \"{e.title}\"\nsummary: \"{e.summary}\"\ndate: {e.date.isoformat()}\n---\n\n# {e.title}\n\n" + e.body)
    for c in records:
        write(docs / "contracts" / f"{c.id}.md", f"# {c.title}\n\n" + contract_markdown(c))
    write(docs / "contracts" / "index.md", "# Contracts\n\n" + contracts_list_markdown(records))
    for oid, name in organizations():
        write(docs / "organizations" / f"{oid}.md", f"# {name}\n\n" + org_markdown(oid, records))
    write(docs / "sources.md", "# Sources\n\n" + sources_markdown())


def write_pelican(root: Path, posts: list[Explainer], records: list[Contract]) -> None:
    write(root / "pelicanconf.py", textwrap.dedent("""\
        AUTHOR = "Bench desk"
        SITENAME = "Bench Orbit"
        SITEURL = ""
        PATH = "content"
        TIMEZONE = "UTC"
        DEFAULT_LANG = "en"
        ARTICLE_PATHS = ["explainers"]
        PAGE_PATHS = ["pages"]
        ARTICLE_URL = "explainers/{slug}/"
        ARTICLE_SAVE_AS = "explainers/{slug}/index.html"
        # As `pelican-quickstart` writes for development: no feeds.
        FEED_ALL_ATOM = None
        CATEGORY_FEED_ATOM = None
        TRANSLATION_FEED_ATOM = None
        AUTHOR_FEED_ATOM = None
        AUTHOR_FEED_RSS = None
        DEFAULT_PAGINATION = False
        MARKDOWN = {
            "extension_configs": {
                "markdown.extensions.codehilite": {"css_class": "highlight"},
                "markdown.extensions.extra": {},
                "markdown.extensions.meta": {},
                "markdown.extensions.toc": {},
            },
            "output_format": "html5",
        }
        """))
    content = root / "content"
    for e in posts:
        meta = f"Title: {e.title}\nDate: {e.date.isoformat()}\nSlug: {e.slug}\nCategory: Explainers\nSummary: {e.summary}\n\n"
        write(content / "explainers" / f"{e.slug}.md", meta + e.body)
    for c in records:
        meta = f"Title: {c.title}\nSlug: contract-{c.id}\nSave_as: contracts/{c.id}/index.html\nUrl: contracts/{c.id}/\n\n"
        write(content / "pages" / "contracts" / f"{c.id}.md", meta + contract_markdown(c))
    write(content / "pages" / "contracts.md", "Title: Contracts\nSlug: contracts\nSave_as: contracts/index.html\nUrl: contracts/\n\n" + contracts_list_markdown(records))
    for oid, name in organizations():
        meta = f"Title: {name}\nSlug: org-{oid}\nSave_as: organizations/{oid}/index.html\nUrl: organizations/{oid}/\n\n"
        write(content / "pages" / "organizations" / f"{oid}.md", meta + org_markdown(oid, records))
    write(content / "pages" / "sources.md", "Title: Sources\nSlug: sources\nSave_as: sources/index.html\nUrl: sources/\n\n" + sources_markdown())


def make_sites(out: Path, n_explainers: int, n_records: int, n_charts: int, tools: tuple[str, ...] = TOOLS) -> dict[str, Path]:
    """Write one site per tool under `out/<tool>/` (replacing what was there); return their roots."""
    records = contracts(n_records)
    posts = explainers(n_explainers, records, n_charts)
    roots = {}
    for tool in tools:
        root = out / tool
        if root.exists():
            shutil.rmtree(root)
        if tool == "ours":
            write_ours(root, posts, records, n_charts)
        elif tool == "hugo":
            write_hugo(root, posts, records)
        elif tool == "mkdocs":
            write_mkdocs(root, posts, records)
        elif tool == "pelican":
            write_pelican(root, posts, records)
        else:
            raise ValueError(f"unknown tool {tool!r}; known: {', '.join(TOOLS)}")
        roots[tool] = root
    return roots


def word_count(text: str) -> int:
    return len(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--explainers", type=int, default=100)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--charts", type=int, default=0)
    parser.add_argument("--tools", default=",".join(TOOLS))
    args = parser.parse_args()
    roots = make_sites(args.out, args.explainers, args.records, args.charts, tuple(args.tools.split(",")))
    for tool, root in roots.items():
        print(f"{tool}: {root}")


if __name__ == "__main__":
    main()
