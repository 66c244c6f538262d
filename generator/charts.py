"""Charts: `@chart` Python functions returning Altair charts, and plain `*.vl.json` specs.

`@chart` only marks a function. `load_charts` executes each chart file fresh
(never registered in `sys.modules`, so an edit is always seen), calls every
marked function with the typed `Data`, and keeps the Vega-Lite dict. Chart code
runs in worker processes (workers.py), under a time limit, so a chart that loops
or crashes its process is a located error and the build goes on. Results
are cached by the hash of the chart file, the data and the tool versions, and
each entry keeps the trace of every file the chart read (`data.file(...)`): it
is reused only while all of them are unchanged. Altair is not even imported
when no chart changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import importlib.util
import inspect
import json
import re
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional

from .annotations import Annotation, checked_annotations, declared_in_json, with_python_annotations
from .cache import Cache
from .data import Data
from .inputs import Reads, trace_holds
from .layout import NARROW, WIDE, Layout
from .notewords import with_notes_sentence
from .errors import BuildFailed, Problem, did_you_mean
from .progress import NO_PROGRESS, Progress
from .sources import read_text, refuse_control_characters_in_text
from .validation import CONTROL_ADVICE, control_characters_in
from .vegalite import json_path, line_of, spec_problems
from .workers import ANNOUNCE, SHARED, Label, Task, Workers, borrowed

CHART_ID = r"^[a-z0-9][a-z0-9-]{0,80}$"


@dataclass(frozen=True)
class ChartMeta:
    """What `@chart(...)` declares about a chart."""

    chart_id: str
    title: str
    description: str
    sources: tuple[str, ...]
    as_of: Optional[str] = None
    note: str = ""
    annotations: tuple = ()  # Note, Range and Line objects (generator/annotations.py)


@dataclass(frozen=True)
class ChartSpec:
    """A chart ready to render: metadata plus a self-contained Vega-Lite spec."""

    chart_id: str
    title: str
    description: str
    sources: tuple[str, ...]
    as_of: Optional[str]
    note: str
    spec: dict = field(compare=False, hash=False)
    shown: str = ""
    line: int = 0
    digest: str = ""
    description_source: str = ""  # as written, before figure references were resolved
    narrow_spec: Optional[dict] = field(default=None, compare=False, hash=False)  # the chart's own narrow drawing


@dataclass(frozen=True)
class NotesFromData:
    """A chart's annotations made by a function of the data (called with the chart's own data)."""

    make: Callable

    def __repr__(self) -> str:  # part of a chart's digest: its name, no memory address (the file's text covers its body)
        return f"NotesFromData({self.make.__qualname__})"


def chart(chart_id: str, *, title: str, description: str, sources: list[str] | tuple[str, ...] = (), as_of: Optional[str] = None, note: str = "",
          annotations: list | tuple | Callable = ()) -> Callable:
    """Mark a function `(data) -> alt.Chart` as a chart of the site; `annotations`: `Note`,
    `Range` and `Line` objects drawn on it, in data values, or a function `(data) -> [...]`
    that makes them from the data (so a corrected record moves its note)."""

    def mark(function: Callable) -> Callable:
        declared = NotesFromData(annotations) if callable(annotations) else tuple(annotations)
        function.__chart__ = ChartMeta(chart_id, title, description, tuple(sources), as_of, note, declared)
        return function

    return mark


def find_chart_files(charts_dir: Path) -> list[Path]:
    if not charts_dir.is_dir():
        return []
    files = [p for p in charts_dir.iterdir() if p.is_file() and (p.suffix == ".py" or p.name.endswith(".vl.json"))]
    return sorted(p for p in files if not p.name.startswith(("_", ".")))


def load_charts(files: list[Path], data: Data, cache: Cache, show: Callable[[Path], str], versions: str,
                workers: Optional[Workers] = None, progress: Progress = NO_PROGRESS) -> dict[str, ChartSpec]:
    """Every chart of the site by id; all problems of the stage raised together.

    Chart functions run in worker processes (`workers`, or a pool made for this call), each
    under the pool's time limit: a chart that never returns or crashes its process is a
    located error, not a hung or dead build."""
    charts: dict[str, ChartSpec] = {}
    problems: list[Problem] = []
    for found in _specs_of_files(files, data, cache, show, versions, workers, progress):
        if isinstance(found, BuildFailed):
            problems += found.problems
            continue
        for spec in found:
            if spec.chart_id in charts:
                first = charts[spec.chart_id]
                problems.append(Problem(spec.shown, spec.line, 0, f"duplicate chart id '{spec.chart_id}' (first defined at {first.shown}:{first.line})"))
            charts[spec.chart_id] = spec
    if problems:
        raise BuildFailed(problems)
    return dict(sorted(charts.items()))


@dataclass(frozen=True)
class _ChartFile:
    """A chart file whose functions must run: not in the cache, or a file it read changed."""

    path: Path
    text: str
    shown: str
    key: str


def _specs_of_files(files: list[Path], data: Data, cache: Cache, show: Callable[[Path], str], versions: str,
                    workers: Optional[Workers], progress: Progress) -> list[list[ChartSpec] | BuildFailed]:
    """Each file's charts (or its problems), in file order; the Python files that must run
    go to the workers together."""
    found: list = []
    for path in files:
        try:
            found.append(_charts_of_file(path, data, cache, show(path), versions))
        except BuildFailed as failed:
            found.append(failed)
    to_run = [(at, item) for at, item in enumerate(found) if isinstance(item, _ChartFile)]
    if to_run:
        import altair  # noqa: F401 - imported before the workers fork, so each inherits it instead of paying 0.25 s

        tasks = [Task(run_chart_file, (SHARED, ANNOUNCE, item.path, item.text, item.shown),
                      Label(f"loading {item.shown}", "loading the chart file", item.shown)) for _, item in to_run]
        with borrowed(workers) as pool:
            ran = pool.map(tasks, progress, shared=data, shared_key=data.digest)
        for (at, item), result in zip(to_run, ran):
            found[at] = result if isinstance(result, BuildFailed) else _finished(item, *result, data, cache)
    return found


def _charts_of_file(path: Path, data: Data, cache: Cache, shown: str, versions: str) -> list[ChartSpec] | _ChartFile:
    """A file's charts: from the cache while every file the last run read (its trace) is unchanged;
    a Vega-Lite file is read here; a Python file is returned to be run."""
    text = read_text(path, shown).text
    key = hashlib.sha256(f"{shown}\0{text}\0{data.digest}\0{versions}".encode()).hexdigest()
    src_dir = path.parent.parent
    cached = cache.get_json("chart-specs", key)
    if isinstance(cached, dict) and trace_holds(cached.get("reads", {}), src_dir):
        return [ChartSpec(**{**item, "sources": tuple(item["sources"])}) for item in cached["specs"]]
    if path.suffix == ".py":
        return _ChartFile(path, text, shown, key)
    reads = Reads(src_dir)
    return _finished(_ChartFile(path, text, shown, key), [_load_vl_json(path, text, shown, reads)], reads.trace, data, cache)


def _finished(item: _ChartFile, specs: list[ChartSpec], trace: dict, data: Data, cache: Cache) -> list[ChartSpec] | BuildFailed:
    """A file's specs with their figure references resolved, stored with the trace of what they read."""
    try:
        specs = [_with_figures(spec, data) for spec in specs]
    except BuildFailed as failed:
        return failed
    cache.put_json("chart-specs", item.key, {"reads": trace, "specs": [_as_cacheable(s) for s in specs]})
    return specs


def run_chart_file(data: Data, announce: Callable[[Label], None], path: Path, text: str, shown: str) -> tuple[list[ChartSpec], dict]:
    """In a worker: a chart file's specs, and the trace of the files its functions read."""
    reads = Reads(path.parent.parent)
    return _run_chart_module(path, text, data.recording(reads), shown, announce), reads.trace


def _with_figures(spec: ChartSpec, data: Data) -> ChartSpec:
    """Resolve [[id.field]] references in a chart's title and description, as in prose.

    A description that quotes figures from the data cannot drift from the chart.
    """
    from .figures import REFERENCE, UnknownReference, resolve

    def text(value: str) -> str:
        try:
            return REFERENCE.sub(lambda m: resolve(data, m.group(1), m.group(2)).text, value)
        except UnknownReference as err:
            raise BuildFailed([Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}': {err}")]) from None

    return replace(spec, title=text(spec.title), description=text(spec.description))


def _as_cacheable(spec: ChartSpec) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in spec.__dict__.items()}


def _run_chart_module(path: Path, text: str, data: Data, shown: str, announce: Callable[[Label], None]) -> list[ChartSpec]:
    module = _execute(path, text, shown)
    functions = [f for f in vars(module).values() if callable(f) and hasattr(f, "__chart__")]
    functions.sort(key=lambda f: f.__code__.co_firstlineno)
    specs, problems = [], []
    for function in functions:
        chart_id = function.__chart__.chart_id
        announce(Label(f"running chart '{chart_id}'", f"chart '{chart_id}'", shown, function.__code__.co_firstlineno))
        try:
            specs.append(_call_chart(function, data, path, shown))
        except BuildFailed as failed:
            problems += failed.problems
    if problems:
        raise BuildFailed(problems)
    return specs


def _execute(path: Path, text: str, shown: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"_site_chart_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        exec(compile(text, str(path), "exec"), module.__dict__)
    except SyntaxError as err:
        raise BuildFailed([Problem(shown, err.lineno or 0, err.offset or 0, f"syntax error in chart file: {err.msg}")]) from None
    except (Exception, SystemExit) as err:  # noqa: BLE001 - any failure of user code becomes a located problem
        raise BuildFailed([_located_failure(err, path, shown, "chart file failed to load")]) from None
    return module


def _call_chart(function: Callable, data: Data, path: Path, shown: str) -> ChartSpec:
    """The chart's spec; a function taking `(data, layout)` also gives its own narrow drawing."""
    if not _takes_layout(function):
        return _chart_spec(function, (data,), path, shown)
    wide = _chart_spec(function, (data, WIDE), path, shown)
    narrow = _chart_spec(function, (data, Layout("narrow", NARROW)), path, shown)
    digest = hashlib.sha256(f"{wide.digest}\0{narrow.digest}".encode()).hexdigest()[:16]
    return replace(wide, narrow_spec=narrow.spec, digest=digest)


def _takes_layout(function: Callable) -> bool:
    try:
        return len(inspect.signature(function).parameters) >= 2
    except (TypeError, ValueError):  # a builtin or other callable without a signature
        return False


def _chart_spec(function: Callable, args: tuple, path: Path, shown: str) -> ChartSpec:
    meta: ChartMeta = function.__chart__
    line = function.__code__.co_firstlineno
    try:
        result = function(*args)
    except BuildFailed as failed:  # a builder (maps.py) located its problems: in the data, or at its call (no path)
        raise BuildFailed([_at_chart(p, failed, path, shown, meta.chart_id) for p in failed.problems]) from None
    except (Exception, SystemExit) as err:  # noqa: BLE001 - sys.exit() in a chart too: it must not end the build
        raise BuildFailed([_located_failure(err, path, shown, f"chart '{meta.chart_id}' failed")]) from None
    if not hasattr(result, "to_dict"):
        found = "None" if result is None else f"a {type(result).__name__}"
        hint = " (is a 'return' missing?)" if result is None else ""
        message = f"chart '{meta.chart_id}' returned {found} instead of an Altair chart{hint}"
        raise BuildFailed([Problem(shown, line, 0, message)])
    try:
        spec = result.to_dict()
    except Exception as err:  # noqa: BLE001 - Altair's schema validation errors
        first = str(err).strip().split("\n")[0] if str(err).strip() else type(err).__name__  # not splitlines(): U+2028
        raise BuildFailed([Problem(shown, line, 0, f"chart '{meta.chart_id}' is not valid Vega-Lite: {first}")]) from None
    spec, places = with_python_annotations(spec, _declared_annotations(meta, args[0], path, shown, line), str(path), line)
    own_layout = len(args) > 1 and args[1].narrow  # a phone's own drawing: checked after the main one
    spec = checked_annotations(spec, places, meta.chart_id, shown, line, own_layout)
    if isinstance(spec.get("description"), str) and spec["description"].strip():
        # A description the function computed from the data (.properties(description=...))
        # wins over the decorator's, which stays the fallback.
        return _make_spec(replace(meta, description=spec["description"].strip()), spec, shown, line, computed=True)
    return _make_spec(meta, spec, shown, line)


def _declared_annotations(meta: ChartMeta, data: Data, path: Path, shown: str, line: int) -> tuple:
    if not isinstance(meta.annotations, NotesFromData):
        return meta.annotations
    try:
        made = tuple(meta.annotations.make(data))
    except (Exception, SystemExit) as err:  # noqa: BLE001 - as a failing chart function: a located error, not the end of the build
        raise BuildFailed([_located_failure(err, path, shown, f"chart '{meta.chart_id}': its annotations failed")]) from None
    if not all(isinstance(item, Annotation) for item in made):
        raise BuildFailed([Problem(shown, line, 0, f"chart '{meta.chart_id}': its annotations function must return Note, Range and Line objects")])
    return made


def _at_chart(problem: Problem, err: Exception, path: Path, shown: str, chart_id: str) -> Problem:
    """A builder's problem, named for the chart; one without a place goes to the line in the
    chart file that called the builder."""
    message = f"chart '{chart_id}': {problem.message}"
    if problem.path:
        return replace(problem, message=message)
    return replace(_located_failure(err, path, shown, ""), message=message)


def _located_failure(err: Exception, path: Path, shown: str, what: str) -> Problem:
    frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename) == path]
    line = frames[-1].lineno if frames else 0
    return Problem(shown, line or 0, 0, f"{what}: {type(err).__name__}: {err}")


def _load_vl_json(path: Path, text: str, shown: str, reads: Reads) -> ChartSpec:
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as err:
        raise BuildFailed([_json_problem(err, shown)]) from None
    problems = spec_problems(spec, shown, text)
    if problems:
        raise BuildFailed(problems)
    meta = _meta_of_spec(spec, path, shown)
    _check_chart_id(meta.chart_id, shown, _line_of_id(text, meta.chart_id))
    spec = checked_annotations(spec, declared_in_json(text, spec), meta.chart_id, shown, 1)
    _refuse_control_characters(meta, spec, shown, 1, text)
    spec = inline_data_urls(spec, reads, shown, text)
    return _make_spec(meta, spec, shown, 1)


def _line_of_string(text: str, keys: tuple, spec: Any) -> tuple[int, int]:
    """Line and column of the string at `keys` in a .vl.json's text: its JSON form (as an
    escape like \\u000b is usually typed) after its last key, else that key."""
    value = spec
    for key in keys:
        value = value[key]
    line, col = line_of(text, keys)
    after = sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + col - 1
    found = text.lower().find(json.dumps(value).lower(), after) if isinstance(value, str) else -1
    if found < 0:
        return line, col
    return text.count("\n", 0, found) + 1, found - text.rfind("\n", 0, found)


def _line_of_id(text: str, chart_id: Any) -> int:
    """The line of a .vl.json that writes `"id": "<chart_id>"` (1 when the id is the file's name)."""
    found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(chart_id, ensure_ascii=False)), text) if isinstance(chart_id, str) else None
    return text.count("\n", 0, found.start()) + 1 if found else 1


def inline_data_urls(spec: Any, reads: Reads, shown: str, text: str = "", view: Any = None) -> Any:
    """Replace `data.url` pointing into site_src/data or static/ by the file's inline text
    (a map's geometry: simplified for the drawing, see shapes.inlined_geometry).

    Inline data renders the same at build time and in any embed, and the chart's
    CSV download then holds exactly the rows drawn. `text`: the spec's own, to point at a url's line.
    """
    if view is None and isinstance(spec, dict):
        from .shapes import MapView

        view = MapView.of(spec)
    if isinstance(spec, list):
        return [inline_data_urls(item, reads, shown, text, view) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {key: inline_data_urls(value, reads, shown, text, view) for key, value in spec.items()}
    data = out.get("data")
    if isinstance(data, dict) and isinstance(data.get("url"), str):
        out["data"] = _inline_one(data, reads, shown, text, view)
    return out


def _inline_one(data: dict, reads: Reads, shown: str, spec_text: str = "", view: Any = None) -> dict:
    url, src_dir = data["url"], reads.src_dir
    candidates = [src_dir / folder / url.removeprefix(f"{folder}/") for folder in ("data", "static")]
    inside = [c for c in candidates if c.resolve().is_relative_to(src_dir.resolve()) and c.is_file()]
    if "://" in url or not inside:
        found = spec_text.find(json.dumps(url)) if spec_text else -1
        line, col = (spec_text.count("\n", 0, found) + 1, found - spec_text.rfind("\n", 0, found)) if found >= 0 else (1, 1)
        raise BuildFailed([Problem(shown, line, col, f"data.url '{url}' must name a file in site_src/data/ or site_src/static/ (the site loads nothing from other hosts)")])
    kind = data.get("format", {}).get("type") or inside[0].suffix.lstrip(".")
    data_shown = f"{src_dir.name}/{inside[0].relative_to(src_dir).as_posix()}"
    text = reads.text(inside[0], data_shown).text
    refuse_control_characters_in_text(text, data_shown)  # at the data file's line, not the chart's
    if kind in ("topojson", "geojson", "json") and view is not None:
        from .shapes import inlined_geometry

        geometry = inlined_geometry(text, data, kind, data_shown, view)
        if geometry is not None:
            return geometry
    values: Any = json.loads(text) if kind == "json" else text
    rest = {k: v for k, v in data.items() if k != "url"}
    return {**rest, "values": values, "format": {**data.get("format", {}), "type": kind}}


DELIMITERS = {"csv": ",", "tsv": "\t"}


def delimited_as_values(spec: Any) -> Any:
    """Inline CSV, TSV and DSV text (`"values": "a,b\\n1,2"` with a `format.type`) as JSON rows.

    In the browser Vega reads such text with d3-dsv, which builds each row with `new Function`:
    the site's CSP (script-src 'self', no eval) forbids it, so the chart never went live. The
    rows are the ones d3-dsv makes (every cell a string, a missing one ""); `format.parse`
    stays, and Vega and Vega-Lite type the fields from JSON exactly as they did from text.
    """
    if isinstance(spec, list):
        return [delimited_as_values(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {key: delimited_as_values(value) for key, value in spec.items()}
    if isinstance(out.get("data"), dict) and isinstance(out["data"].get("values"), str):
        out["data"] = _text_as_rows(out["data"])
    return out


def _text_as_rows(data: dict) -> dict:
    """One `data` whose values are text: as rows when the text is delimited (JSON text Vega
    parses without generated code, so it stays)."""
    fmt = data.get("format") if isinstance(data.get("format"), dict) else {}
    kind = fmt.get("type")
    delimiter = DELIMITERS.get(kind) or (fmt.get("delimiter") if kind == "dsv" else None)
    if not (isinstance(delimiter, str) and len(delimiter) == 1):
        return data
    rest = {key: value for key, value in fmt.items() if key not in ("type", "delimiter")}
    rows = {key: value for key, value in data.items() if key != "format"} | {"values": dsv_rows(data["values"], delimiter)}
    return rows | ({"format": rest} if rest else {})


def dsv_rows(text: str, delimiter: str) -> list[dict]:
    """Rows as d3-dsv's parse makes them: a header, then one object per line with every column
    (a missing cell is "", extra cells are dropped, a blank line is a row of "")."""
    text = text[:-1] if text.endswith("\n") else text  # d3-dsv drops one final line end, not a blank line before it
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not lines:
        return []
    columns = lines[0]
    return [{name: (row[i] if i < len(row) else "") for i, name in enumerate(columns)} for row in lines[1:]]


def _json_problem(err: json.JSONDecodeError, shown: str) -> Problem:
    """A JSON syntax error; the commonest one, a trailing comma, is named and pointed at."""
    before = err.doc[: err.pos].rstrip()
    closer = err.doc[err.pos : err.pos + 1]
    if before.endswith(",") and closer in ("}", "]"):
        comma = len(before) - 1
        line, col = err.doc.count("\n", 0, comma) + 1, comma - err.doc.rfind("\n", 0, comma)
        return Problem(shown, line, col, f"invalid JSON: a comma before the closing '{closer}' is not allowed")
    return Problem(shown, err.lineno, err.colno, f"invalid JSON: {err.msg}")


def _meta_of_spec(spec: dict, path: Path, shown: str) -> ChartMeta:
    usermeta = spec.get("usermeta", {}).get("explainer", {}) if isinstance(spec.get("usermeta"), dict) else {}
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    description = spec.get("description") or usermeta.get("description")
    missing = [name for name, value in (("title", title), ("description", description)) if not value]
    if missing:
        raise BuildFailed([Problem(shown, 1, 1, f"Vega-Lite chart needs a top-level {' and '.join(repr(m) for m in missing)}")])
    chart_id = usermeta.get("id") or path.name[: -len(".vl.json")]
    return ChartMeta(chart_id, str(title), str(description), tuple(usermeta.get("sources", [])), usermeta.get("as_of"), usermeta.get("note", ""))


def _make_spec(meta: ChartMeta, spec: dict, shown: str, line: int, computed: bool = False) -> ChartSpec:
    """`computed`: the description came from the data, so no figure in it is typed by hand."""
    spec = {k: v for k, v in spec.items() if k != "$schema"}
    title = spec.pop("title", None)  # the page shows the title; images add it back with provenance
    spec = delimited_as_values(spec)
    body = json.dumps(spec, sort_keys=True, default=_json_default)
    spec = json.loads(body)
    _check_chart_id(meta.chart_id, shown, line)
    _refuse_control_characters(meta, {"title": title, **spec}, shown, line)
    digest = hashlib.sha256(f"{meta}\0{body}".encode()).hexdigest()[:16]
    source = "" if computed else meta.description
    meta = replace(meta, description=with_notes_sentence(meta.description, spec))  # what the notes say, for every reader
    return ChartSpec(meta.chart_id, meta.title, meta.description, meta.sources, meta.as_of, meta.note, spec, shown, line, digest, source)


def _check_chart_id(chart_id: Any, shown: str, line: int) -> None:
    """An id becomes a folder and a URL (embed/<id>/) and goes into copy-paste snippets, so it
    is checked where it is written: nothing but lowercase letters, digits and hyphens."""
    if not isinstance(chart_id, str) or not re.fullmatch(CHART_ID, chart_id):
        shown_id = chart_id.encode("unicode_escape").decode() if isinstance(chart_id, str) else chart_id
        raise BuildFailed([Problem(shown, line, 0, f"chart id {shown_id!r} is not allowed (ids are lowercase letters, digits and hyphens)")])


def _refuse_control_characters(meta: ChartMeta, spec: dict, shown: str, line: int, text: str = "") -> None:
    """No string of a chart (its declaration, or anywhere in its spec: data from a file the
    chart read itself, a label typed in code) may hold a control character: vl-convert
    aborts the whole process on one. `text`: a .vl.json's own text, to point at the line."""
    declared = {"title": meta.title, "description": meta.description, "note": meta.note, "sources": list(meta.sources), "as_of": meta.as_of}
    declared = {key: value for key, value in declared.items() if spec.get(key) != value}  # else the spec's walk reports it
    found = [(keys, character, "") for keys, character in control_characters_in(declared)]
    found += [(keys, character, "$") for keys, character in control_characters_in(spec)]
    problems = []
    for keys, character, root in found:
        where = _line_of_string(text, keys, spec) if text and root else (line, 0)
        what = json_path(keys) if root else keys[0]
        problems.append(Problem(shown, *where, f"chart '{meta.chart_id}': {what} contains a control character ({character}); {CONTROL_ADVICE}"))
    if problems:
        raise BuildFailed(problems)


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def check_chart_meta(charts: dict[str, ChartSpec], data: Data) -> list[Problem]:
    """Every chart names sources that exist and has a description."""
    problems = []
    for spec in charts.values():
        if not spec.description.strip():
            problems.append(Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}' has no description"))
        if not spec.sources:
            problems.append(Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}' names no source"))
        for source_id in spec.sources:
            if data.collection_of.get(source_id) != "sources":
                hint = did_you_mean(source_id, (s.id for s in data.sources))
                problems.append(Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}': unknown source '{source_id}'{hint}"))
    return problems


def hand_typed_in_descriptions(charts: dict[str, ChartSpec], count_words: tuple[str, ...] = ()) -> list[Problem]:
    """Strict-mode warnings: money or counts typed into a chart description by hand."""
    from .figures import find_hand_typed

    return [
        Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}' description: figure typed by hand: '{text.strip()}' (use a [[record-id]] reference)", "warning")
        for spec in charts.values()
        for _, text in find_hand_typed(spec.description_source, count_words)
    ]
