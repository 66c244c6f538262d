"""Every page loads cleanly and every chart draws, static and interactive.

Key pages (home, explainers, timeline, a contract, an organization, an embed
page, 404) at desktop and phone widths in light and dark; every other page at
desktop width in light. Each case is loaded once per session (see `visit`).
"""

from __future__ import annotations

import pytest

from .browsing import VARIANTS

pytestmark = pytest.mark.browser


def findings(site, visit, pages, width, theme, what: str) -> list[str]:
    return [line for path in pages for line in getattr(visit(path, width, theme), what)()]


@pytest.mark.parametrize(("width", "theme"), VARIANTS, ids=[f"{w}-{t}" for w, t in VARIANTS])
def test_key_pages_load_without_errors_or_other_hosts(site, visit, width, theme):
    problems = findings(site, visit, site.key_pages, width, theme, "load_problems")
    assert not problems, "\n".join(problems)


def test_other_pages_load_without_errors_or_other_hosts(site, visit):
    problems = findings(site, visit, site.other_pages, "desktop", "light", "load_problems")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("width", "theme"), VARIANTS, ids=[f"{w}-{t}" for w, t in VARIANTS])
def test_key_pages_draw_every_chart(site, visit, width, theme):
    problems = findings(site, visit, site.key_pages, width, theme, "chart_problems")
    assert not problems, "\n".join(problems)


def test_other_pages_draw_every_chart(site, visit):
    problems = findings(site, visit, site.other_pages, "desktop", "light", "chart_problems")
    assert not problems, "\n".join(problems)


def test_the_key_pages_include_charts(site, visit):
    """The chart checks are not vacuous: the explainers and the embed page hold charts that drew."""
    drawn = sum(visit(path).charts_drawn for path in site.key_pages)
    assert drawn >= 2, f"only {drawn} charts drew on the key pages {site.key_pages}"
