"""The table of block kinds: each row is one module (its syntax, model, parser and partial).

Adding a kind means adding its module to KINDS and writing its partial; Markdown
conversion, the cache, page rendering and the search index read everything else
from here.
"""

from __future__ import annotations

from types import ModuleType
from typing import Optional

from . import callout, chart, scrolly
from .base import SLOT, Block, BlockContext, Opening, plain_text

KINDS: tuple[ModuleType, ...] = (chart, callout, scrolly)

__all__ = ["KINDS", "SLOT", "Block", "BlockContext", "Opening", "block_from_json", "kind_named", "names", "partial_of", "plain_text"]


def kind_named(name: str, syntax: str) -> Optional[ModuleType]:
    """The kind that answers to an opening word in this syntax ("fence" or "container")."""
    return next((kind for kind in KINDS if kind.SYNTAX == syntax and name in kind.NAMES), None)


def names(syntax: str) -> list[str]:
    return sorted(name for kind in KINDS if kind.SYNTAX == syntax for name in kind.NAMES)


def partial_of(block: Block) -> str:
    return _by_kind(block.kind).PARTIAL


def block_from_json(value: dict) -> Block:
    return _by_kind(value["kind"]).MODEL.model_validate(value)


def _by_kind(kind_name: str) -> ModuleType:
    return next(kind for kind in KINDS if kind.KIND == kind_name)
