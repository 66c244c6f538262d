"""The skipping inline pass must give exactly the HTML of Python-Markdown's own."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from generator.inline import MARKERS, SkippingInlineProcessor, install

REPO = Path(__file__).resolve().parent.parent
EXTENSIONS = ["tables", "footnotes", "attr_list", "abbr", "smarty", "toc", "fenced_code"]
CONFIGS = {"abbr": {"glossary": {"NSSL": "National Security Space Launch", "HLS": "Human Landing System"}}}


def converter(skipping: bool) -> markdown.Markdown:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    if skipping:
        assert install(md)
    return md


STOCK, SKIPPING = converter(False), converter(True)


def both(text: str) -> tuple[str, str]:
    STOCK.reset()
    SKIPPING.reset()
    return STOCK.convert(text), SKIPPING.convert(text)


def test_install_replaces_both_inline_passes_in_place():
    md = converter(True)
    names = [type(processor) for processor in md.treeprocessors]
    assert names.count(SkippingInlineProcessor) == 2
    assert not any(type(processor) is InlineProcessor for processor in md.treeprocessors)
    stock_order = [name for name in ("inline", "smarty", "toc", "abbr", "attr_list") if name in STOCK.treeprocessors]
    assert sorted(stock_order, key=STOCK.treeprocessors.get_index_for_name) == sorted(stock_order, key=md.treeprocessors.get_index_for_name)


def test_every_pattern_of_our_extensions_has_markers():
    """If a Markdown upgrade renames a pattern, the skip silently stops helping: say so here."""
    inline_names = {name for name in MARKERS if name in STOCK.inlinePatterns}
    assert len(inline_names) == len(list(STOCK.inlinePatterns))
    smarty = STOCK.treeprocessors["smarty"].inlinePatterns
    assert all(name in smarty for name in ("smarty-en-dashes", "smarty-ellipses", "smarty-quotes-0"))
    assert len([name for name in MARKERS if name in smarty]) == len(list(smarty))


@pytest.mark.parametrize("path", sorted((REPO / "site_src").rglob("*.md")), ids=lambda p: p.name)
def test_the_sites_prose_converts_identically(path):
    stock, skipping = both(path.read_text(encoding="utf-8").split("---\n", 2)[2])
    assert skipping == stock


def test_every_marker_kind_converts_identically():
    text = ("A `code` span, an \\*escape\\*, a [link](https://example.org \"t\"), ![img](a.png), [ref][r], [r], <https://x.org>, "
            "<a@b.org>, line  \nbreak, <span>html</span>, &amp; &copy;, *em* **strong** _u_ __uu__, a note[^1], "
            "dashes -- and ---, dots... <<angles>>, 'single' \"double\" '90s rock's \"quote's\" end.\n\n"
            "| a | b |\n|---|---|\n| *x* | 'y' |\n\n- NSSL and HLS, [x]{: .c}\n\n[r]: https://example.org\n[^1]: A note -- with 'quotes'.\n")
    stock, skipping = both(text)
    assert skipping == stock
    assert "&ndash;" in stock and "<code>" in stock and "<abbr" in stock  # the sample really exercises them


PIECES = st.sampled_from(["word", " ", "  \n", "\n", "\n\n", "`", "\\", "*", "_", "**", "[", "]", "(", ")", "![", "[^1]", "<", ">",
                          "<<", ">>", "&", ";", "amp", "'", '"', "-", "--", "---", ".", "...", "s", "90", "https://x.org", "a@b.c",
                          "NSSL", "# ", "- ", "1. ", "> ", "|", "{: .c}"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_mix_of_markers_converts_identically(text):
    stock, skipping = both(text)
    assert skipping == stock


def test_a_markdown_without_the_hook_keeps_its_stock_passes(monkeypatch):
    from generator import inline

    monkeypatch.setattr(inline, "_STOCK_HOOKS", ("_InlineProcessor__renamedInAFutureRelease",))
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    assert install(md) is False
    assert not any(isinstance(processor, SkippingInlineProcessor) for processor in md.treeprocessors)
    assert "<em>x</em>" in md.convert("*x*")


def test_a_pattern_registered_between_documents_is_applied():
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    md = converter(True)
    assert md.convert("a ==b== c") == "<p>a ==b== c</p>"
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"()==(.+?)==", "mark"), "mark", 65)
    md.reset()
    assert md.convert("a ==b== c") == "<p>a <mark>b</mark> c</p>"
