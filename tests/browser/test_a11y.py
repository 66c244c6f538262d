"""axe-core finds no critical or serious violation, in light and dark, on desktop and phone."""

from __future__ import annotations

import pytest

from .browsing import VARIANTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "theme"), VARIANTS, ids=[f"{w}-{t}" for w, t in VARIANTS])
def test_key_pages_have_no_serious_axe_violations(site, visit, width, theme):
    problems = [line for path in site.key_pages for line in visit(path, width, theme).axe_problems()]
    assert not problems, "\n".join(problems)


def test_other_pages_have_no_serious_axe_violations(site, visit):
    problems = [line for path in site.other_pages for line in visit(path).axe_problems()]
    assert not problems, "\n".join(problems)
