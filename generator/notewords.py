"""What a chart's annotations say, in words: for its accessible description, the small
"Notes on this chart" table under its data table, and its data.json.

A reader who cannot see the drawing learns each note's text and where it points, written
as the axis would write the value ("Year opened: 2011; Branch: Hilltop Branch"). Labels
(`style: "label"`, a locator map's place names) name marks the data table already lists
row by row, so the description and the notes table leave them out; data.json keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .annotations import annotations_of
from .noteaxes import Axes, chart_axes, concat_views, value_words

KIND_WORDS = {"note": "Note", "label": "Label", "range": "Range", "line": "Line"}


@dataclass(frozen=True)
class NoteRow:
    """One annotation as the page's table and data.json show it."""

    kind: str  # "note", "label", "range" or "line"
    text: str
    where: str


def note_rows(spec: dict) -> list[NoteRow]:
    notes = annotations_of(spec)
    if not notes:
        return []
    views = concat_views(spec)
    axes = [chart_axes(view) for view in views] if views else [chart_axes(spec)]
    return [_row(note, axes[note.get("view", 0)]) for note in notes]


def _row(note: dict, axes: Axes) -> NoteRow:
    if "range" in note:
        channel, (low, high) = next(iter(note["range"].items()))
        where = axes.words(channel, low) + " to " + value_words(axes.channels[channel], high)
        return NoteRow("range", note.get("label", ""), where)
    if "line" in note:
        channel, value = next(iter(note["line"].items()))
        return NoteRow("line", note["label"], axes.words(channel, value))
    kind = note.get("style", "note")
    if "longitude" in note:
        return NoteRow(kind, note["note"], _place_words(note["latitude"], note["longitude"]))
    return NoteRow(kind, note["note"], "; ".join(axes.words(channel, note[channel]) for channel in ("x", "y") if channel in note))


def _place_words(latitude: float, longitude: float) -> str:
    return f"{abs(latitude):g}° {'N' if latitude >= 0 else 'S'}, {abs(longitude):g}° {'E' if longitude >= 0 else 'W'}"


def with_notes_sentence(description: str, spec: dict) -> str:
    """The description with one sentence that lists what the chart's annotations say."""
    rows = _told(note_rows(spec))
    if not rows:
        return description
    parts = [_phrase(row) for row in rows]
    lead = "Note on the chart: " if len(parts) == 1 else "Notes on the chart: "
    ending = "" if description.rstrip().endswith((".", "!", "?")) else "."
    return f"{description.rstrip()}{ending} {lead}{'; '.join(parts)}."


def _told(rows: list[NoteRow]) -> list[NoteRow]:
    """The rows a reader needs told: every one but the labels of marks the data table lists."""
    return [row for row in rows if row.kind != "label"]


def _phrase(row: NoteRow) -> str:
    if row.kind == "range":
        return (f"“{row.text}”, a range from {row.where}" if row.text else f"a highlighted range from {row.where}")
    if row.kind == "line":
        return f"“{row.text}”, a line at {row.where}"
    return f"“{row.text}” at {row.where}"


def notes_table(spec: dict) -> dict:
    """The "Notes on this chart" table under the data table: columns and rows ({} when no notes)."""
    rows = _told(note_rows(spec))
    if not rows:
        return {}
    return {"columns": ["Note", "Kind", "Where"], "rows": [[row.text, KIND_WORDS[row.kind], row.where] for row in rows]}


def notes_json(spec: dict) -> dict:
    """{"annotations": [...]} for the chart's data.json ({} when it has none): each with its
    kind, text, where in words, and the values it was declared at."""
    notes = annotations_of(spec)
    if not notes:
        return {}
    entries = []
    for note, row in zip(notes, note_rows(spec)):
        placed = {key: value for key, value in note.items() if key not in ("note", "label", "style", "id")}  # an id names it for a step, it places nothing
        entries.append({"kind": row.kind, "text": row.text, "where": row.where} | placed)
    return {"annotations": entries}
