"""The site works from the keyboard: skip link, navigation, chart tools, timeline filters."""

from __future__ import annotations

import pytest

from .browsing import open_page, url_of

pytestmark = pytest.mark.browser

ACTIVE = """() => { const el = document.activeElement;
  return { tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, href: el.getAttribute("href"), text: (el.textContent || "").trim().slice(0, 60) }; }"""


def page_with(site, needle: str, prefer: str = "") -> str:
    """The first page (those under `prefer` first) whose HTML contains `needle`."""
    ordered = sorted(site.pages, key=lambda p: (not p.startswith(prefer), p))
    for path in ordered:
        if needle in (site.folder / path).read_text(encoding="utf-8"):
            return path
    pytest.fail(f"no page of the site contains {needle!r}", pytrace=False)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(browser, server, width):
    with open_page(browser, server, width) as page:
        page.goto(server)
        page.keyboard.press("Tab")
        first = page.evaluate(ACTIVE)
        assert (first["cls"], first["href"]) == ("skip-link", "#main"), f"the first Tab stop is {first}"
        assert page.locator("a.skip-link").is_visible(), "the focused skip link is not visible"
        page.keyboard.press("Enter")
        assert page.evaluate(ACTIVE)["id"] == "main", "Enter on the skip link did not move focus to <main>"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), \
            f"the Tab after the skip link left <main>: {page.evaluate(ACTIVE)}"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_nav_link_is_reachable_with_tab(browser, server, width):
    with open_page(browser, server, width) as page:
        page.goto(server)
        nav = page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.getAttribute('href'))")
        assert nav, "the page has no .site-nav links"
        reached: list = []
        while any(href not in reached for href in nav) and len(reached) < len(nav) + 15:
            page.keyboard.press("Tab")
            active = page.evaluate(ACTIVE)
            assert page.evaluate("() => document.activeElement.getBoundingClientRect().width > 0"), f"Tab stopped on an invisible element: {active}"
            reached.append(active["href"])
        missing = [href for href in nav if href not in reached]
        assert not missing, f"nav links not reached by Tab: {missing}; Tab stops: {reached}"


def test_embed_summary_opens_with_enter_and_copy_buttons_work_with_enter_and_space(browser, server, site):
    path = page_with(site, 'class="chart-kit"', prefer=site.config.settings.explainers_url)
    with open_page(browser, server, permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto(server + url_of(path))
        kit = page.locator("details.chart-kit").first
        kit.locator("summary").focus()
        page.keyboard.press("Enter")
        assert kit.evaluate("d => d.open"), "Enter on the 'Embed or download' summary did not open it"
        status = kit.locator(".copy-status")
        for key, button in (("Enter", 0), ("Space", 1)):
            status.evaluate("s => { s.textContent = ''; }")
            target = kit.locator("button.copy").nth(button)
            tab_to(page, target)
            page.keyboard.press(key)
            page.wait_for_function("(s) => s.textContent.trim() !== ''", arg=status.element_handle(), timeout=5000)
            assert status.text_content() == "Copied to the clipboard."
            field = kit.locator(f"#{target.get_attribute('data-copy')}")
            assert page.evaluate("() => navigator.clipboard.readText()") == field.input_value(), f"{key} copied the wrong text"


def tab_to(page, target, limit: int = 10) -> None:
    """Press Tab until `target` has focus: it must be in the tab order, soon after the current focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{limit} Tabs did not reach {target}", pytrace=False)


def test_timeline_filters_work_with_arrow_keys(browser, server, site):
    path = page_with(site, 'class="filters"')
    with open_page(browser, server) as page:
        page.goto(server + url_of(path))
        total = page.locator("#timeline-list > li").count()
        changed = False
        for group in ("company", "topic"):
            radios = page.locator(f"form.filters input[name={group}]")
            radios.first.focus()
            for step in range(1, radios.count()):
                page.keyboard.press("ArrowRight")
                assert radios.nth(step).is_checked(), f"ArrowRight did not select the {group} radio #{step + 1}"
                shown = page.locator("#timeline-list > li:not([hidden])").count()
                assert page.locator("[data-count]").text_content() == str(shown), "the count does not match the visible events"
                changed = changed or shown != total
            page.keyboard.press("ArrowRight")  # wraps around to "All"
            assert radios.first.is_checked(), f"ArrowRight on the last {group} radio did not wrap to 'All'"
            assert page.locator("[data-count]").text_content() == str(total)
        assert changed, "no company or topic filter changed the number of events shown"
