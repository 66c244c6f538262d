"""Every output has one producer: a second claim on a path is a located error naming both."""

from __future__ import annotations

import pytest

from generator.artifacts import Artifacts, Producer
from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed
from support import tree_bytes

PAGE_AT_EMBED = """  - url: embed/lane2-missions/
    template: sources.html
    title: Clash
    description: A page at an embed's URL.
nav:"""


def build_errors(root) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(load_config(root, root / "output"), Cache(None))
    return [p.format() for p in failed.value.problems]


def add_robots_txt(root):
    (root / "site_src/static/robots.txt").write_text("User-agent: *\n")


def add_page_at_embed_url(root):
    settings = root / "site_src/site.yaml"
    settings.write_text(settings.read_text().replace("nav:", PAGE_AT_EMBED))


@pytest.mark.parametrize("edit, expected", [
    (add_robots_txt,
     "site_src/static/robots.txt: error: 'robots.txt' would be written twice: by the generated robots.txt "
     "and by the static file (site_src/static/robots.txt); move or remove one"),
    (add_page_at_embed_url,
     "site_src/site.yaml:17: error: 'embed/lane2-missions/index.html' would be written twice: by the embed of chart "
     "'lane2-missions' (site_src/charts/awards.py:6) and by the standalone page (site_src/site.yaml:17); move or remove one"),
], ids=["static-robots-txt", "page-at-embed-url"])
def test_a_hand_placed_file_over_a_generated_one_is_an_error_where_it_was_placed(make_site, edit, expected):
    root = make_site()
    edit(root)
    assert build_errors(root) == [expected]


def test_a_static_file_over_a_chart_file_fails_and_leaves_the_output_as_it_was(make_site):
    root = make_site()
    out = root / "output"
    build(load_config(root, out), Cache(None))
    before = tree_bytes(out)
    (root / "site_src/static/embed/lane2-missions").mkdir(parents=True)
    (root / "site_src/static/embed/lane2-missions/data.csv").write_text("a,b\n1,2\n")
    assert build_errors(root) == [
        "site_src/static/embed/lane2-missions/data.csv: error: 'embed/lane2-missions/data.csv' would be written twice: "
        "by chart 'lane2-missions' (site_src/charts/awards.py:6) and by the static file "
        "(site_src/static/embed/lane2-missions/data.csv); move or remove one"]
    assert tree_bytes(out) == before


def test_the_project_favicon_replaces_the_theme_fallback_without_a_clash(make_site):
    root = make_site({"site_src/static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    build(load_config(root, root / "output"), Cache(None))
    assert (root / "output/favicon.svg").read_text() == "<svg xmlns='http://www.w3.org/2000/svg'/>"


def test_every_clash_is_reported_and_the_first_claim_is_kept_until_then():
    artifacts = Artifacts()
    artifacts.declare("a.txt", b"1", Producer("one", "site_src/x.md:3"))
    artifacts.declare("a.txt", b"2", Producer("two"))
    artifacts.declare("b.txt", b"3", Producer("three"))
    artifacts.declare("b.txt", b"4", Producer("four", "site_src/y.yaml:9"))
    assert artifacts.get("a.txt") == b"1" and artifacts.producer("a.txt") == Producer("one", "site_src/x.md:3")
    with pytest.raises(BuildFailed) as failed:
        artifacts.files()
    assert [p.format() for p in failed.value.problems] == [
        "site_src/x.md:3: error: 'a.txt' would be written twice: by one (site_src/x.md:3) and by two; move or remove one",
        "site_src/y.yaml:9: error: 'b.txt' would be written twice: by three and by four (site_src/y.yaml:9); move or remove one"]
