"""The embed kit in a real browser: a host page on another origin sizes the iframe to the chart."""

from __future__ import annotations

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.snippets import resize_script
from support import copy_site, serve_folder

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = copy_site("minimal", tmp_path_factory.mktemp("site"))
    out = root / "output"
    build(load_config(root, out), Cache(None))
    host_dir = tmp_path_factory.mktemp("host")
    iframe = ('<iframe src="SITE_URL/embed/lane2-missions/" title="Lane 2 missions" data-explainer-embed '
              'style="width:100%;min-width:280px;height:480px;border:0" scrolling="no"></iframe>')
    # The host page carries the same script the snippet inlines, served as a file.
    (host_dir / "resize.js").write_text(resize_script())
    (host_dir / "index.html").write_text(f"<!doctype html><html lang=en><title>Host</title><body style='margin:0'>"
                                         f"<p>Host article</p>{iframe}<script src='resize.js'></script></body></html>")
    with serve_folder(out) as site_url, serve_folder(host_dir) as host_url:
        (host_dir / "index.html").write_text((host_dir / "index.html").read_text().replace("SITE_URL", site_url))
        yield site_url, host_url


def frame_and_content_heights(page) -> tuple[float, float]:
    frame_height = page.eval_on_selector("iframe", "f => f.getBoundingClientRect().height")
    content_height = page.frames[1].evaluate("() => document.documentElement.getBoundingClientRect().height")
    return frame_height, content_height


@pytest.mark.parametrize("width", [1100, 320])
def test_host_iframe_height_follows_the_chart(servers, browser, width):
    site_url, host_url = servers
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(f"{host_url}/index.html")
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height !== 480")
    if width != 1100:
        page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(400)
    frame_height, content_height = frame_and_content_heights(page)
    assert abs(frame_height - content_height) <= 2, (frame_height, content_height)
    page.close()


def test_without_javascript_the_embed_and_chart_pages_show_the_image(servers, browser):
    site_url, _ = servers
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("/embed/lane2-missions/", "/explainers/lane2/"):
        page.goto(site_url + path)
        image = page.locator("figure.chart img").first
        image.wait_for(state="visible")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert image.get_attribute("alt").startswith("Bar chart: SpaceX is expected to fly 28 missions")
    context.close()


def test_the_embed_page_follows_dark_mode_with_the_dark_image(servers, browser):
    site_url, _ = servers
    context = browser.new_context(color_scheme="dark", java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/embed/lane2-missions/")
    current = page.eval_on_selector("figure.chart img", "img => img.currentSrc")
    assert current.endswith("/embed/lane2-missions/inline-dark.svg")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 24, 29)"
    context.close()


HEIGHTS_SET = """() => {
  window.__heights = [];
  new MutationObserver(() => window.__heights.push(document.querySelector('iframe').style.height))
    .observe(document.querySelector('iframe'), {attributes: true, attributeFilter: ['style']});
}"""


def test_the_resize_script_takes_heights_only_from_the_embeds_origin_and_within_bounds(servers, browser, tmp_path):
    # A frame that navigated elsewhere (a hijacked embed host, an open redirect) must not size the
    # host's iframe, and no message may make it absurdly tall (review L1).
    site_url, host_url = servers
    (tmp_path / "elsewhere.html").write_text("<!doctype html><title>x</title><script>"
                                             "parent.postMessage({type: 'explainer:height', height: 1234}, '*');"
                                             "parent.postMessage('xPYMxchartxPYMxheightxPYMx1235', '*');</script>")
    with serve_folder(tmp_path) as elsewhere:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(f"{host_url}/index.html")
        page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height !== 480")
        page.evaluate(HEIGHTS_SET)
        embed = page.frames[1]
        embed.evaluate("() => { parent.postMessage({type: 'explainer:height', height: 10000000}, '*');"
                       "parent.postMessage('xPYMxchartxPYMxheightxPYMx60000', '*');"
                       "parent.postMessage({type: 'explainer:height', height: 700}, '*'); }")
        page.wait_for_function("() => window.__heights.includes('700px')")  # the embed's own origin still works
        with page.expect_event("framenavigated", lambda frame: frame.url.startswith(elsewhere)):
            embed.evaluate(f"() => {{ location.href = '{elsewhere}/elsewhere.html'; }}")
        page.wait_for_timeout(800)  # its messages are posted on load: give them time to arrive
        heights = page.evaluate("window.__heights")
        page.close()
    assert heights[-1] == "700px" and not {"10000000px", "60000px", "1234px", "1235px"} & set(heights), heights
