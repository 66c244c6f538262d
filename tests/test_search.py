"""Found: the search index, the search page without JavaScript, and the search box in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import copy_site, serve_folder
from generator.cache import Cache
from generator.search import split_sections
from test_discovery import add_found_pages, build_site



@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = add_found_pages(copy_site("minimal", tmp_path_factory.mktemp("site")))
    return build_site(root, Cache(tmp_path_factory.mktemp("cache")))


def index_of(out: Path) -> tuple[str, dict]:
    html = (out / "index.html").read_text()
    url = re.search(r'data-search-index="([^"]+)"', html).group(1)
    return url, json.loads((out / url.lstrip("/")).read_text())


def test_the_index_is_one_file_at_a_fixed_name_the_form_names(out):
    url, index = index_of(out)
    assert url == "/search/index.json"
    assert index["version"] == 1


def test_the_index_covers_explainers_charts_records_events_and_the_glossary(out):
    docs = {(d["k"], d["t"]): d for d in index_of(out)[1]["docs"]}
    assert docs[("Explainer", "The Lane 2 awards")]["u"] == "/explainers/lane2/"
    section = docs[("Section", "The split")]
    assert section["u"] == "/explainers/lane2/#the-split" and section["p"] == "The Lane 2 awards"
    assert "Blue Origin’s share was reported as $2.3 billion to $2.4 billion, for 7 missions." in section["x"]
    assert docs[("Chart", "Lane 2 missions by company")]["u"] == "/explainers/lane2/#chart-lane2-missions"
    assert docs[("Contract", "Blue Origin Lane 2 award")]["u"] == "/contracts/lane2-blue-origin/"
    assert docs[("Contract", "Blue Origin Lane 2 award")]["s"] == "Blue Origin · April 4, 2025 · $2.3 billion"
    assert docs[("Organization", "Space Exploration Technologies")]["u"] == "/organizations/spacex/"
    assert "SpaceX" in docs[("Organization", "Space Exploration Technologies")]["x"]
    assert docs[("Event", "Lane 2 contracts awarded")]["u"] == "/timeline/#lane2-awarded"
    assert ("Page", "Search") not in docs and ("Page", "What changed") in docs


def test_glossary_terms_are_found_when_the_site_has_a_glossary_page(make_site, tmp_path):
    root = add_found_pages(make_site())
    site_yaml = root / "site_src/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("nav:\n", "  - url: glossary/\n    template: glossary.html\n    title: Glossary\n    description: Terms.\nnav:\n", 1))
    out = build_site(root, Cache(tmp_path / "cache"))
    docs = {(d["k"], d["t"]): d for d in index_of(out)[1]["docs"]}
    assert docs[("Glossary", "National Security Space Launch")]["u"] == "/glossary/#nssl"
    assert "NSSL" in docs[("Glossary", "National Security Space Launch")]["x"]


def test_the_search_form_works_without_javascript(out):
    html = (out / "contracts/lane2-spacex/index.html").read_text()
    form = re.search(r'<form class="site-search" role="search" aria-label="Site" action="/search/" method="get"[^>]*>', html)
    assert form and '<label class="visually-hidden" for="site-search-q">Search the site</label>' in html
    assert '<input id="site-search-q" name="q" type="search"' in html
    page = (out / "search/index.html").read_text()
    for url in ("/explainers/lane2/", "/explainers/lane2/#the-split", "/contracts/lane2-spacex/", "/contracts/lane2-blue-origin/",
                "/organizations/ussf/", "/timeline/#lane2-awarded", "/explainers/lane2/#chart-lane2-missions"):
        assert f'<a href="{url}">' in page, url


def test_sections_are_split_at_headings():
    intro, sections = split_sections('<p>Intro <abbr title="x">NSSL</abbr>.<sup>1</sup></p><h2 id="a">A</h2><p>One</p><h3 id="b">B &amp; C</h3><p>Two</p>')
    assert intro == "Intro NSSL."
    assert sections == [("a", "A", "One"), ("b", "B & C", "Two")]


# --- in a real browser -----------------------------------------------------------------

@pytest.fixture(scope="module")
def served(out):
    with serve_folder(out) as origin:
        yield origin


@pytest.mark.browser
def test_a_reader_finds_a_contract_with_the_keyboard_alone(served, browser):
    page = browser.new_page()
    page.goto(f"{served}/")
    for _ in range(30):  # Tab from the top of the page to the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    box = page.locator("#site-search-q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    page.keyboard.type("blue origin lane")
    page.wait_for_selector("#site-search-listbox [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-search-listbox [role=option]").first.inner_text().startswith("Blue Origin Lane 2 award")
    page.wait_for_function("/^\\d+ results?\\. Use the up and down arrow keys/.test(document.querySelector('[data-search-status]').textContent)")
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served}/contracts/lane2-blue-origin/")
    assert page.locator("h1").inner_text() == "Blue Origin Lane 2 award"
    page.close()


@pytest.mark.browser
def test_arrows_move_through_results_and_escape_closes_them(served, browser):
    page = browser.new_page()
    page.goto(f"{served}/timeline/")
    page.focus("#site-search-q")
    page.keyboard.type("lane")
    page.wait_for_selector("#site-search-listbox [role=option]")
    options = page.locator("#site-search-listbox [role=option]")
    count = options.count()
    assert count >= 4  # contracts, explainer, chart, event … and "all results"
    box = page.locator("#site-search-q")
    for index in range(count):
        page.keyboard.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == options.nth(index).get_attribute("id")
    page.keyboard.press("ArrowDown")  # wraps to the first
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    page.keyboard.press("ArrowUp")  # back to the box
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and box.input_value() == "lane"
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    page.close()


@pytest.mark.browser
def test_enter_without_a_choice_opens_the_search_page_with_results(served, browser):
    page = browser.new_page()
    page.goto(f"{served}/sources/")
    page.focus("#site-search-q")
    page.keyboard.type("spacex")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served}/search/?q=spacex")
    page.wait_for_selector("[data-search-results] li")
    assert page.locator("[data-search-everything]").is_hidden()
    assert re.fullmatch(r"\d+ results? for “spacex”\.", page.locator(".search-page [data-search-status]").inner_text())
    assert "SpaceX Lane 2 award" in page.locator("[data-search-results]").inner_text()
    page.close()


@pytest.mark.browser
def test_without_javascript_the_search_page_lists_everything(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}/")
    page.fill("#site-search-q", "anything")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served}/search/?q=anything")
    everything = page.locator("[data-search-everything]")
    assert everything.is_visible() and "SpaceX Lane 2 award" in everything.inner_text()
    context.close()


@pytest.mark.browser
def test_the_table_of_contents_marks_the_section_being_read(served, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 700})
    page.goto(f"{served}/explainers/lane2/")
    link = page.locator('nav.toc a[href="#the-split"]')
    page.evaluate("window.scrollTo(0, document.getElementById('the-split').getBoundingClientRect().top + window.scrollY - 50)")
    page.wait_for_function("document.querySelector('nav.toc a[href=\"#the-split\"]').getAttribute('aria-current') === 'true'")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("!document.querySelector('nav.toc a[href=\"#the-split\"]').hasAttribute('aria-current')")
    anchor = page.locator("#the-split .heading-anchor")
    assert anchor.get_attribute("href") == "#the-split"
    assert page.evaluate("getComputedStyle(document.querySelector('#the-split .heading-anchor')).opacity") == "0"
    page.focus("#the-split .heading-anchor")
    assert page.evaluate("getComputedStyle(document.querySelector('#the-split .heading-anchor')).opacity") == "1"
    assert link.count() == 1
    page.close()


@pytest.mark.browser
def test_print_shows_charts_as_images_with_their_sources(served, browser, tmp_path):
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.emulate_media(media="print", color_scheme="light")
    page.goto(f"{served}/explainers/lane2/")
    assert page.locator(".chart-static--system img").is_visible()  # the light drawing (print media): the other theme's picture stays hidden
    assert page.locator(".chart-static--other img").is_hidden()
    assert page.locator(".chart-source").is_visible() and "Example Wire" in page.locator(".chart-source").inner_text()
    for hidden in (".site-search", ".chart-tools", ".toc", ".masthead"):
        assert page.locator(hidden).first.is_hidden(), hidden
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    page.close()


def test_an_explainers_sections_are_read_once_then_kept_by_its_html(tmp_path, monkeypatch):
    from generator import search
    from generator.cache import Cache

    cache = Cache(tmp_path / "cache")
    text = '<p>Intro</p><h2 id="a">A</h2><p>One</p>'
    parsed: list[str] = []
    real = search.split_sections
    monkeypatch.setattr(search, "split_sections", lambda html: parsed.append(html) or real(html))
    first = search._stored_sections(text, cache)
    assert search._stored_sections(text, Cache(tmp_path / "cache")) == first == ("Intro", [("a", "A", "One")])
    assert parsed == [text]  # the second build read the cache, not the HTML
    assert search._stored_sections(text.replace("One", "Two"), cache)[1] == [("a", "A", "Two")] and len(parsed) == 2
