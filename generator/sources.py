"""Reading source files: text with line maps, so later stages can point at lines.

YAML is composed into nodes first so every key and item keeps its line and
column; CSV rows keep `reader.line_num`. Nothing here knows what the data means.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildFailed, Problem
from .validation import control_character, control_characters_in, control_message

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Location = tuple[int, int]
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MERGE_TAG = "tag:yaml.org,2002:merge"
YAML_CONTEXTS = {  # the parser's words for what it was reading, in an editor's words
    "while parsing a flow sequence": "[...] list",
    "while parsing a flow mapping": "{...} mapping",
    "while scanning a quoted scalar": "quoted text",
    "while parsing a block mapping": "mapping",
    "while parsing a block collection": "list",
    "while scanning a simple key": "key",
}
MAX_NODES = 200_000  # aliases can expand a small file exponentially ("billion laughs")
KeyPath = tuple[Any, ...]


@dataclass(frozen=True)
class TextFile:
    """A source file's text (UTF-8, BOM removed, LF line ends) and its shown path."""

    path: Path
    shown: str
    text: str


@dataclass
class Document:
    """Parsed YAML or CSV: the value, and where each key path starts."""

    shown: str
    value: Any
    locations: dict[KeyPath, Location] = field(default_factory=dict)
    key_locations: dict[KeyPath, Location] = field(default_factory=dict)

    def locate(self, keys: KeyPath) -> Location:
        """Line and column of the deepest known prefix of `keys`."""
        for end in range(len(keys), -1, -1):
            if keys[:end] in self.locations:
                return self.locations[keys[:end]]
        return (1, 1)

    def problem(self, keys: KeyPath, message: str, at_key: bool = False) -> Problem:
        """A problem at the value of `keys` (or at its key, for a misnamed field)."""
        line, col = self.key_locations[keys] if at_key and keys in self.key_locations else self.locate(keys)
        return Problem(self.shown, line, col, message)


def read_text(path: Path, shown: str) -> TextFile:
    """Read UTF-8 text; a BOM and CRLF line ends are accepted silently."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, err.start) + 1 : err.start].decode("utf-8-sig")) + 1
        raise BuildFailed([Problem(shown, line, col, f"file is not UTF-8 text (byte 0x{raw[err.start]:02x})")])
    return TextFile(path, shown, text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_yaml(text: str, shown: str, line_offset: int = 0) -> Document:
    """Parse one YAML document, recording the line of every key and item."""
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            doc = Document(shown, None)
            if node is not None:
                doc.value = _construct(loader, node, (), doc, line_offset)
            return refuse_control_characters(doc)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + line_offset if mark else 1
        col = mark.column + 1 if mark else 1
        message = f"YAML syntax: {err.problem or err.context}{_context(err, line_offset)}"
        raise BuildFailed([Problem(shown, line, col, message)]) from None
    except yaml.reader.ReaderError as err:
        raise BuildFailed([_reader_problem(err, text, shown, line_offset)]) from None
    except yaml.YAMLError as err:
        raise BuildFailed([Problem(shown, 1 + line_offset, 1, f"YAML: {err}")]) from None


def _context(err: yaml.MarkedYAMLError, offset: int) -> str:
    """Where the construct the parser was reading began, when that is elsewhere."""
    start, end = err.context_mark, err.problem_mark
    if not (err.context and err.problem and start and end) or start.line == end.line:
        return ""
    what = YAML_CONTEXTS.get(err.context) or re.sub(r"^while \w+ (an? )?", "", err.context)
    return f" (in the {what} that starts at line {start.line + 1 + offset}, column {start.column + 1})"


def _reader_problem(err: Any, text: str, shown: str, offset: int) -> Problem:
    """A character YAML refuses, e.g. a control character pasted from elsewhere."""
    position = err.position
    if err.encoding != "unicode":  # the C reader counts UTF-8 bytes
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    code = err.character if isinstance(err.character, int) else ord(err.character)
    control = control_character(chr(code))
    if control:
        return Problem(shown, line + offset, col, control_message((), control[1]))
    return Problem(shown, line + offset, col, f"YAML does not allow the character U+{code:04X} ({err.reason})")


def _construct(loader: Any, node: yaml.Node, keys: KeyPath, doc: Document, offset: int, parents: tuple = ()) -> Any:
    where = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if any(node is parent for parent in parents):
        raise BuildFailed([Problem(doc.shown, *where, "an alias refers to the list or mapping that contains it")])
    if len(doc.locations) >= MAX_NODES:
        raise BuildFailed([Problem(doc.shown, *where, f"YAML document too large: more than {MAX_NODES} values once aliases are expanded")])
    doc.locations[keys] = where
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(loader, node, keys, doc, offset, parents + (node,))
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, keys + (i,), doc, offset, parents + (node,)) for i, item in enumerate(node.value)]
    return _scalar(loader, node, doc, where)


def _scalar(loader: Any, node: yaml.Node, doc: Document, where: Location) -> Any:
    if node.tag == TIMESTAMP_TAG:
        return node.value  # dates are parsed by the models, which report bad ones with their line
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, LookupError, AttributeError, OverflowError):  # an explicit tag on the wrong text: "!!int x"
        tag = node.tag.rpartition(":")[2]
        raise BuildFailed([Problem(doc.shown, *where, f"{node.value!r} cannot be read as !!{tag}")]) from None


def _construct_mapping(loader: Any, node: yaml.MappingNode, keys: KeyPath, doc: Document, offset: int, parents: tuple) -> dict:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        line, col = key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1
        if key_node.tag == MERGE_TAG:
            raise BuildFailed([Problem(doc.shown, line, col, "YAML merge keys ('<<') are not supported: write the fields out")])
        key = _scalar(loader, key_node, doc, (line, col)) if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            raise BuildFailed([Problem(doc.shown, line, col, "a mapping key must be a plain word")])
        if key in result:
            raise BuildFailed([Problem(doc.shown, line, col, f"key '{key}' appears twice")])
        result[key] = _construct(loader, value_node, keys + (key,), doc, offset, parents)
        doc.key_locations[keys + (key,)] = (line, col)
    return result


def parse_csv(text: str, shown: str) -> Document:
    """Parse CSV with a header row into a list of dicts; empty cells are left out."""
    reader = csv.reader(io.StringIO(text))
    doc = Document(shown, [])
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if header is None:
            return doc
        names = [name.strip() for name in header]
        _check_header(names, shown)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            problems += _add_csv_row(doc, names, row, reader.line_num)
    except csv.Error as err:
        problems.append(Problem(shown, reader.line_num or 1, 1, f"CSV syntax: {err}"))
    if problems:
        raise BuildFailed(problems)
    return refuse_control_characters(doc)


def refuse_control_characters(doc: Document) -> Document:
    """The document, once no string in it holds a control character (a YAML escape such
    as "\\x0b" or a CSV cell can carry one); else every such string, at its line."""
    problems = [doc.problem(keys, control_message(keys, character)) for keys, character in control_characters_in(doc.value)]
    if problems:
        raise BuildFailed(problems)
    return doc


def refuse_control_characters_in_text(text: str, shown: str, line_offset: int = 0) -> None:
    """Raw control characters in a text (a Markdown body), each at its line and column."""
    if control_character(text) is None:
        return  # the usual case: one scan of the whole text
    problems = []
    for number, line in enumerate(text.split("\n"), start=1 + line_offset):
        found = control_character(line)
        if found:
            problems.append(Problem(shown, number, found[0] + 1, control_message((), found[1])))
    if problems:
        raise BuildFailed(problems)


def _check_header(names: list[str], shown: str) -> None:
    seen: set[str] = set()
    for col, name in enumerate(names, start=1):
        if not name:
            raise BuildFailed([Problem(shown, 1, col, "CSV header has an empty column name")])
        if name in seen:
            raise BuildFailed([Problem(shown, 1, col, f"CSV column '{name}' appears twice")])
        seen.add(name)


def _add_csv_row(doc: Document, names: list[str], row: list[str], line: int) -> list[Problem]:
    index = len(doc.value)
    if len(row) > len(names):  # every such row is reported, not only the first
        return [Problem(doc.shown, line, len(names) + 1, f"row has {len(row)} cells but the header names {len(names)}")]
    record = {}
    doc.locations[(index,)] = (line, 1)
    for col, (name, cell) in enumerate(zip(names, row), start=1):
        doc.locations[(index, name)] = (line, col)
        if cell.strip():
            record[name] = cell.strip()
    doc.value.append(record)
    return []


def check_no_escaping_links(src_dir: Path, show: Any) -> None:
    """Symbolic links inside site_src/ and templates/ must not lead outside their folder.

    Templates and their assets are published as they are read, so a link in templates/
    (easy to miss in a review) could publish any file the build can read, such as
    /proc/self/environ as a stylesheet: the same rule as site_src/, as Jekyll's safe mode has.
    """
    if not src_dir.is_dir():
        raise BuildFailed([Problem("site_src", 0, 0, "no site_src/ folder in the project root")])
    problems = escaping_links(src_dir, show) + escaping_links(src_dir.parent / "templates", show)
    if problems:
        raise BuildFailed(problems)


def escaping_links(folder: Path, show: Any) -> list[Problem]:
    """A problem for each symbolic link under `folder` that leads outside it, naming its target."""
    if not folder.is_dir():
        return []
    inside = folder.resolve()
    escaping = sorted(path for path in folder.rglob("*") if path.is_symlink() and not path.resolve().is_relative_to(inside))
    return [Problem(show(path), 0, 0, f"symbolic link points outside {folder.name}/ (to '{os.readlink(path)}'): refused") for path in escaping]
