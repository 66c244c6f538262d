"""`explainer new`: start an explainer or a chart from a skeleton that builds as written.

The files are created with exclusive mode ("x"), so an existing file is never
overwritten, even by a race with an editor.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
import unicodedata
from pathlib import Path
from typing import Optional

import yaml

from .charts import CHART_ID
from .config import load_config
from .data import load_site_data

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
CHART_DECORATOR = re.compile(r"""@chart\(\s*["']([^"']+)["']""")
SUMMARY_PLACEHOLDER = ("Replace this with one or two plain sentences for the home page, search results and link "
                       "previews: what the reader will learn, with the key figure.")


class NewFileRefused(Exception):
    """The file cannot be created: bad name, or it exists already."""


def slugify(title: str) -> str:
    """'The bus that never came, explained' -> 'the-bus-that-never-came-explained' (at most 80 characters)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_title.lower().replace("'", "")).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 80:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def new_explainer(root: Path, title: str, slug: Optional[str] = None, today: Optional[dt.date] = None) -> str:
    """Write site_src/explainers/<slug>.md, a draft ordered after the last explainer; return its path as shown."""
    root, title = root.resolve(), title.strip()
    if not title:
        raise NewFileRefused("the title is empty")
    if slug is None and not slugify(title):
        raise NewFileRefused(f"cannot make a file name from the title {title!r}: pass one with --slug")
    slug = slug if slug is not None else slugify(title)
    if not SLUG.match(slug):
        raise NewFileRefused(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens (pass one with --slug)")
    folder = root / "site_src" / "explainers"
    text = explainer_text(title, today or dt.date.today(), next_order(folder), existing_chart_ids(root / "site_src" / "charts"))
    return _create(folder / f"{slug}.md", text, root)


def explainer_text(title: str, today: dt.date, order: int, chart_ids: list[str]) -> str:
    """The Markdown of a new draft explainer."""
    meta = {"title": title, "summary": SUMMARY_PLACEHOLDER, "date": today, "order": order, "draft": True}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    if chart_ids:
        chart = f"```chart {chart_ids[0]}\ncaption: One sentence saying what the reader should see in the chart.\n```\n"
    else:
        chart = "<!-- No chart yet: `explainer new chart <id>` makes one; place it with a chart fence (see docs/guide/writing.md). -->\n"
    return (f"---\n{front}---\n\nOpen with the news and why it matters, in two or three sentences.\n\n"
            f"## What happened\n\nOne idea per section; cite every figure from site_src/data.\n\n{chart}")


def next_order(folder: Path) -> int:
    """One more than the highest `order` of the existing explainers (1 when there are none)."""
    orders = [_order_of(path) for path in sorted(folder.glob("*.md"))] if folder.is_dir() else []
    return max((o for o in orders if o is not None), default=0) + 1


def _order_of(path: Path) -> Optional[int]:
    parts = path.read_text(encoding="utf-8", errors="replace").split("\n---", 1)
    if not parts[0].startswith("---") or len(parts) < 2:
        return None
    try:
        meta = yaml.safe_load(parts[0][3:])
    except yaml.YAMLError:
        return None
    order = meta.get("order", 1000) if isinstance(meta, dict) else None  # 1000: FrontMatter's default
    return order if isinstance(order, int) else None


def existing_chart_ids(folder: Path) -> list[str]:
    """Chart ids declared in site_src/charts, sorted, read without running the chart code."""
    ids = []
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        ids += CHART_DECORATOR.findall(path.read_text(encoding="utf-8", errors="replace"))
    ids += [path.name[: -len(".vl.json")] for path in folder.glob("*.vl.json")] if folder.is_dir() else []
    return sorted(set(ids))


def new_chart(root: Path, chart_id: str) -> str:
    """Write site_src/charts/<id>.py, a working @chart drawing the site's first collection; return its path as shown."""
    root = root.resolve()
    if not re.match(CHART_ID, chart_id):
        raise NewFileRefused(f"'{chart_id}' is not a valid chart id: use lowercase letters, digits and hyphens")
    folder = root / "site_src" / "charts"
    if chart_id in existing_chart_ids(folder):
        raise NewFileRefused(f"a chart with id '{chart_id}' already exists in site_src/charts/")
    return _create(folder / f"{chart_id}.py", chart_text(chart_id, *chart_basis(root)), root)


def chart_basis(root: Path) -> tuple[str, str, list[str]]:
    """(collection, figure field or "", cited sources) the skeleton draws: the first collection
    with records (its main figure per record, or a count of records); a chart must cite a source."""
    config = load_config(root)
    data = load_site_data(config.src_dir, config.shown)
    name = next((n for n in data if n != "sources" and data[n]), "")
    if not name or not data.sources:
        raise NewFileRefused("site_src/data has no records and sources yet: a chart draws records and names their sources, so add some first")
    figure = data.schema.collections[name].figure or ""
    if figure and not all(isinstance(getattr(r, figure), (int, float)) for r in data[name]):
        figure = ""
    cited = sorted({source for record in data[name] for source in getattr(record, "sources", ())})
    return name, figure, cited or [data.sources[0].id]


def chart_text(chart_id: str, collection: str, figure: str, sources: list[str]) -> str:
    """The Python of a new chart file: the main figure of each record, or records per collection."""
    name = chart_id.replace("-", "_")
    name = f"chart_{name}" if name[0].isdigit() or keyword.iskeyword(name) else name
    listed = "".join(f"        {source!r},\n" for source in sources)
    words = collection.replace("_", " ")
    if figure:
        what, rows, axis = (f"{words.capitalize()}: {figure.replace('_', ' ')}", f"{figure.replace('_', ' ')} of each record in {words}",
                            f'[{{"record": data.title_of(r.id), "value": r.{figure}}} for r in data.{collection}]')
    else:
        what, rows, axis = ("Records per collection", "how many records each data collection holds",
                            '[{"record": name.replace("_", " "), "value": len(records)} for name, records in data.items()]')
    return f'''"""Chart {chart_id}: replace this line with what the chart is for."""

import altair as alt

from generator import chart


@chart(
    "{chart_id}",
    title="{what}",  # say the finding in a few words
    description="Bar chart: {rows}.",  # what a screen reader announces
    sources=[  # every source cited by data.{collection}; keep the ones the finished chart draws on
{listed}    ],
)
def {name}(data):
    """One bar per record: replace with what the chart draws."""
    rows = {axis}
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("value:Q", title=None),
        y=alt.Y("record:N", title=None, sort="-x"),
    ).properties(width=480)
'''


def _create(path: Path, text: str, root: Path) -> str:
    shown = path.relative_to(root).as_posix()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise NewFileRefused(f"{shown} already exists; not overwriting it (pick another name)") from None
    return shown
