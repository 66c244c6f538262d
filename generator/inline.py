"""A faster inline pass for Python-Markdown: skip patterns that cannot match.

Python-Markdown tries every inline pattern (about 15 stock ones, 17 more for
smarty's quotes and dashes) on every run of text, costing a regex call and a
few Python frames each time even when the text holds none of the characters
the pattern starts from. That was over half of converting a 600-word page.

Each stock pattern below needs a marker (a backtick, a bracket, a quote…) in
the text to match. When none of its markers is present, we skip the pattern
the way a failed match would: same order, same state, same output. Patterns we
do not know (other extensions) always run. The skip is installed by
overriding one private method of `InlineProcessor`; if a Markdown release
renames it, `install` leaves the stock processors in place, which is slower
and otherwise identical.
"""

from __future__ import annotations

from typing import Optional, Sequence

import markdown
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

QUOTES = ("'", '"')

# Registry name -> strings of which at least one must occur for the pattern to match.
MARKERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),  # one pattern for both in Markdown 3.11, '*' only before
    "em_strong2": ("_",),
    "smarty-em-dashes": ("---",),
    "smarty-en-dashes": ("--",),
    "smarty-ellipses": ("...",),
    "smarty-left-angle-quotes": ("<<",),
    "smarty-right-angle-quotes": (">>",),
    **{f"smarty-quotes-{index}": QUOTES for index in range(15)},
}
PASSES = ("inline", "smarty")  # the stock inline pass and smarty's own

_STOCK_HOOKS = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")


class SkippingInlineProcessor(InlineProcessor):
    """The stock inline pass, minus the patterns whose markers are absent from the text."""

    def __init__(self, md: markdown.Markdown, patterns):
        super().__init__(md)
        self.inlinePatterns = patterns
        self._plan: Sequence[tuple[object, Optional[tuple[str, ...]]]] = ()
        self._markers: tuple[str, ...] = ()
        self._candidates: dict[frozenset, tuple[int, ...]] = {}

    def run(self, tree, ancestors=None):
        patterns = tuple(self.inlinePatterns)
        if patterns != tuple(pattern for pattern, _ in self._plan):  # planned once, unless the registry changed
            known = {id(self.inlinePatterns[name]): markers for name, markers in MARKERS.items() if name in self.inlinePatterns}
            self._plan = tuple((pattern, known.get(id(pattern))) for pattern in patterns)
            self._markers = tuple(sorted({marker for _, markers in self._plan if markers for marker in markers}))
            self._candidates = {}
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 (overrides the stock loop)
        if isinstance(data, AtomicString):
            return data
        # A match only ever replaces text by a placeholder (which holds no marker), so the
        # markers present on entry stay a safe superset for the whole loop.
        present = frozenset([marker for marker in self._markers if marker in data])
        for index in self._candidates_for(present):
            if index < patternIndex:
                continue
            pattern, start, matched = self._plan[index][0], 0, True
            while matched:  # the stock loop: retry the same pattern after each match
                data, matched, start = self._InlineProcessor__applyPattern(pattern, data, index, start)
        return data

    def _candidates_for(self, present: frozenset) -> tuple[int, ...]:
        """Indices of the patterns that may match a text holding exactly these markers."""
        found = self._candidates.get(present)
        if found is None:
            found = tuple(index for index, (_, markers) in enumerate(self._plan) if markers is None or not present.isdisjoint(markers))
            self._candidates[present] = found
        return found


def install(md: markdown.Markdown) -> bool:
    """Swap `md`'s inline passes (stock and smarty's) for skipping ones; False if this Markdown cannot."""
    if not all(hasattr(InlineProcessor, hook) for hook in _STOCK_HOOKS):
        return False
    for name in PASSES:
        stock = md.treeprocessors[name] if name in md.treeprocessors else None
        priority = _priority(md.treeprocessors, name)
        if type(stock) is InlineProcessor and priority is not None:
            md.treeprocessors.register(SkippingInlineProcessor(md, stock.inlinePatterns), name, priority)
    return True


def _priority(registry, name: str) -> Optional[float]:
    """Where `name` sits, so the replacement runs exactly where the stock pass did (the registry
    has no public getter; smarty's pass moved between releases, so it is read, not assumed)."""
    for item in getattr(registry, "_priority", ()):
        if getattr(item, "name", None) == name:
            return item.priority
    return None
