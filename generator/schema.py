"""Collections are site input: `@collection(...)` on a pydantic model in `site_src/models.py`.

A site's data schema is Python, like its charts: field types, descriptions and
enumerations are pydantic's, and the decorator says what the generator needs to
know about the collection (its label, record titles, where a record is shown,
its main figure, what it references, what search finds). `load_schema` executes
the file fresh and checks every declaration, each problem at its line.

The schema module is entered in `sys.modules` under a name made of its content
hash: pickled data (the data cache) and forked workers must find the record
classes by name, and a new content is a new name, so an edit is never hidden.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import string
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from pydantic import BaseModel

from .errors import BuildFailed, Problem, did_you_mean
from .models import FORMATS, Record, Source
from .sources import read_text

COLLECTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
RECORD_PAGE_URL = re.compile(r"^(?!.*/\.{1,2}/)[a-z0-9][a-z0-9._/-]*\{id\}/$")  # no "." or ".." segment
SHOWN_AT_URL = re.compile(r"^(?!.*/\.{1,2}/)([a-z0-9][a-z0-9._/-]*/)?(#\{id\})?$")
TITLE_FIELDS = ("title", "name", "term", "label")
PLACE = "place"  # a record page row for the record's latitude and longitude together


@dataclass(frozen=True)
class CollectionSpec:
    """What a site declares about one collection."""

    name: str
    model: type[BaseModel]
    label: str
    item: str
    title: str
    url: Optional[str] = None
    template: Optional[str] = None
    figure: Optional[str] = None
    references: dict[str, str] = field(default_factory=dict)
    search: tuple[str, ...] | bool = True
    description: str = ""
    sourced: bool = True
    abbreviations: Optional[tuple[str, str]] = None
    downloads: bool = True
    fields: Optional[tuple[str, ...]] = None
    labels: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    shown: str = ""
    line: int = 0

    @property
    def has_pages(self) -> bool:
        """One page per record (a template and a URL with {id})."""
        return self.template is not None

    @property
    def shown_on(self) -> str:
        """The page a record is shown on (record pages: none), e.g. 'timeline/'."""
        return "" if self.url is None or self.has_pages else self.url.split("#", 1)[0]

    def record_path(self, record_id: str) -> str:
        return self.url.format(id=record_id) if self.url else ""


@dataclass(frozen=True)
class Schema:
    """Every collection of a site, in declaration order, and a digest of where they came from."""

    collections: dict[str, CollectionSpec]
    digest: str = ""

    def __contains__(self, name: str) -> bool:
        return name in self.collections


def collection(name: str, *, label: Optional[str] = None, item: Optional[str] = None, title: Optional[str] = None,
               url: Optional[str] = None, template: Optional[str] = None, figure: Optional[str] = None,
               references: Optional[dict[str, str]] = None, search: tuple[str, ...] | list[str] | bool = True,
               description: Optional[str] = None, sourced: bool = True, abbreviations: Optional[tuple[str, str]] = None,
               downloads: bool = True, fields: Optional[tuple[str, ...] | list[str]] = None,
               labels: Optional[dict[str, str]] = None, formats: Optional[dict[str, str]] = None) -> Callable[[type], type]:
    """Mark a `Record` model as the site's collection `name` (data/<name>.yaml, .csv or folder).

    `fields`, `labels` and `formats` shape its record pages: which fields show and in what
    order, what each row is called, how a number is written (one of models.FORMATS)."""
    line = sys._getframe(1).f_lineno  # the decorator's own line, for messages that point at it
    options = dict(label=label, item=item, title=title, url=url, template=template, figure=figure,
                   references=dict(references or {}), search=tuple(search) if isinstance(search, (list, tuple)) else search,
                   description=description, sourced=sourced, abbreviations=tuple(abbreviations) if abbreviations else None,
                   downloads=downloads, fields=tuple(fields) if fields is not None else None,
                   labels=dict(labels or {}), formats=dict(formats or {}))

    def mark(model: type) -> type:
        if model.__module__.split(".")[0] == __name__.split(".")[0]:
            # marking a class of the generator would change it for every later site in the process
            raise TypeError(f"@collection(\"{name}\") needs a class of your own: class {model.__name__}(generator.{model.__name__}): ...")
        model.__collection__ = (name, options, line)
        return model

    return mark


def builtin_sources() -> CollectionSpec:
    """The sources collection every site has: figures and charts cite its records."""
    return _spec("sources", Source, dict(label="Sources", item="Source", url="sources/#{id}", search=False, sourced=False,
                                          description="Every published article and document the data cites: outlet, title, link and date."), "", 0)


def load_schema(path: Path, shown: str) -> Schema:
    """The collections `site_src/models.py` declares (only the built-in sources when it is absent)."""
    if not path.is_file():
        return Schema({"sources": builtin_sources()}, "none")
    text = read_text(path, shown).text
    digest = hashlib.sha256(text.encode()).hexdigest()[:20]
    module = _execute(path, text, shown, f"_explainer_site_models_{digest}")
    declared, problems = _declared(module, shown)
    if "sources" not in declared:
        declared = {"sources": builtin_sources(), **declared}
    problems += [p for spec in declared.values() for p in check_spec(spec, declared)]
    if problems:
        raise BuildFailed(problems)
    return Schema(declared, digest)


def _run_module(path: Path, text: str, name: str) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the models' annotations through it
    try:
        exec(compile(text, str(path), "exec"), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _execute(path: Path, text: str, shown: str, name: str) -> Any:
    try:
        return _run_module(path, text, name)
    except SyntaxError as err:
        raise BuildFailed([Problem(shown, err.lineno or 0, err.offset or 0, f"models.py does not import: syntax error: {err.msg}")]) from None
    except Exception as err:  # noqa: BLE001 - any failure of the site's own code is a located problem
        frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename) == path]
        line = frames[-1].lineno if frames else 0
        raise BuildFailed([Problem(shown, line or 0, 0, f"models.py does not import: {type(err).__name__}: {err}")]) from None


def _declared(module: Any, shown: str) -> tuple[dict[str, CollectionSpec], list[Problem]]:
    declared: dict[str, CollectionSpec] = {}
    problems: list[Problem] = []
    for value in list(vars(module).values()):
        marker = vars(value).get("__collection__") if isinstance(value, type) else None
        if marker is None:
            continue
        name, options, line = marker
        problem = _model_problem(name, value, shown, line, declared)
        if problem:
            problems.append(problem)
            continue
        declared[name] = _spec(name, value, options, shown, line)
    if not declared and not problems:
        problems.append(Problem(shown, 1, 1, "no collection declared: mark a Record model with @collection(\"name\")"))
    return declared, problems


def _model_problem(name: str, model: type, shown: str, line: int, declared: dict) -> Optional[Problem]:
    if not COLLECTION_NAME.match(str(name)):
        return Problem(shown, line, 0, f"collection name {name!r} must be lowercase letters, digits and underscores")
    if name in declared:
        return Problem(shown, line, 0, f"collection '{name}' is declared twice (first at line {declared[name].line})")
    base = Source if name == "sources" else Record
    if not (issubclass(model, BaseModel) and issubclass(model, base)):
        return Problem(shown, line, 0, f"collection '{name}': {model.__name__} must be a subclass of generator.{base.__name__}")
    return None


def _spec(name: str, model: type[BaseModel], options: dict, shown: str, line: int) -> CollectionSpec:
    label = options.get("label") or name.replace("_", " ").capitalize()
    item = options.get("item") or (label[:-1] if label.endswith("s") else label)
    title = options.get("title") or next(("{%s}" % f for f in TITLE_FIELDS if f in model.model_fields), "{id}")
    description = options.get("description") or (model.__doc__ or "").strip()
    rest = {k: v for k, v in options.items() if k not in ("label", "item", "title", "description") and v is not None}
    return CollectionSpec(name, model, label, item, title, description=description, shown=shown, line=line, **rest)


def check_spec(spec: CollectionSpec, declared: dict[str, CollectionSpec]) -> list[Problem]:
    """Every name a declaration uses must exist: fields, target collections, URL placeholders."""
    fields = spec.model.model_fields
    found: list[str] = []
    for field_name, target in spec.references.items():
        if field_name not in fields:
            found.append(f"references: unknown field '{field_name}'{did_you_mean(field_name, fields)}")
        elif target not in declared:
            found.append(f"references: field '{field_name}' names unknown collection '{target}'{did_you_mean(target, declared)}")
    found += _title_problems(spec, declared)
    found += _url_problems(spec)
    for option, names in (("figure", [spec.figure] if spec.figure else []),
                          ("search", spec.search if isinstance(spec.search, tuple) else []),
                          ("abbreviations", list(spec.abbreviations or []))):
        found += [f"{option}: unknown field '{n}'{did_you_mean(n, fields)}" for n in names if n not in fields]
    found += _shape_problems(spec)
    return [Problem(spec.shown, spec.line, 0, f"collection '{spec.name}': {message}") for message in found]


def _shape_problems(spec: CollectionSpec) -> list[str]:
    """`fields`, `labels` and `formats` may name stored fields, computed fields, properties and `place`."""
    model = spec.model
    own = (n for n in dir(model) if isinstance(getattr(model, n, None), property) and not hasattr(BaseModel, n))
    known = list(dict.fromkeys([*model.model_fields, *model.model_computed_fields, *own]))
    shown = [*known, PLACE]
    found = []
    for option, names in (("fields", spec.fields or ()), ("labels", spec.labels), ("formats", spec.formats)):
        found += [f"{option}: unknown field '{n}'{did_you_mean(n, shown)}" for n in names if n not in (shown if option != "formats" else known)]
    found += [f"formats: '{n}' has unknown format {f!r}; formats are: {', '.join(FORMATS)}" for n, f in spec.formats.items() if f not in FORMATS]
    return found


def _title_problems(spec: CollectionSpec, declared: dict[str, CollectionSpec]) -> list[str]:
    fields = spec.model.model_fields
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(spec.title) if name is not None]
    except ValueError as err:
        return [f"title pattern {spec.title!r}: {err}"]
    problems = []
    for name in names:
        head, _, attribute = name.partition(".")
        if head not in fields:
            problems.append(f"title pattern {spec.title!r}: unknown field '{head}'{did_you_mean(head, fields)}")
        elif attribute and head not in spec.references:
            problems.append(f"title pattern {spec.title!r}: '{head}' is not a reference, so '{name}' has nothing to read")
        elif attribute and spec.references[head] in declared:
            target = declared[spec.references[head]].model
            if attribute not in target.model_fields and not hasattr(target, attribute):
                problems.append(f"title pattern {spec.title!r}: {target.__name__} has no field '{attribute}'{did_you_mean(attribute, target.model_fields)}")
    return problems


def _url_problems(spec: CollectionSpec) -> list[str]:
    if spec.template is not None and (spec.url is None or not RECORD_PAGE_URL.match(spec.url)):
        return [f"url {spec.url!r}: a collection with a template needs a URL ending in '{{id}}/', e.g. '{spec.name}/{{id}}/'"]
    if spec.template is None and spec.url is not None and not SHOWN_AT_URL.match(spec.url):
        return [f"url {spec.url!r}: without a template, url names the page a record is shown on, e.g. 'timeline/' or 'timeline/#{{id}}'"]
    return []


def format_title(spec: CollectionSpec, record: BaseModel, lookup: Callable[[str], Optional[BaseModel]]) -> str:
    """A record's title from its collection's pattern; '{ref.field}' reads the referenced record."""
    values = {name: getattr(record, name) for name in spec.model.model_fields}
    for name in spec.references:
        if isinstance(values.get(name), str):
            values[name] = _Reference(values[name], lookup(values[name]))
    return spec.title.format(**values)


class _Reference:
    """A reference field in a title pattern: '{provider}' is the id, '{provider.label}' reads the record."""

    def __init__(self, record_id: str, record: Optional[BaseModel]):
        self._id, self._record = record_id, record

    def __format__(self, spec: str) -> str:
        return format(self._id, spec)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name) if self._record is not None else ""
